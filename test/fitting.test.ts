/**
 * Fitting an existing app (issue 15): its own error body (`format`), the status of validation
 * failures, automatic 405s from the router, stable problem types and localized problems. Express 5 and 4.
 */
import Ajv from 'ajv';
import type { Request } from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  Conflict,
  Created,
  NotFound,
  Ok,
  errorHandler,
  fromZod,
  handle,
  methodNotAllowed,
  notFoundHandler,
  validate,
  type ProblemDetails,
} from '../src';
import { openApi } from '../src/openapi';
import { EXPRESS_VERSIONS, LEGACY_SCHEMA, legacyFormat, rawAnswer } from './apps';

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('format: the body reshaped for an existing error contract', () => {
    const ajv = new Ajv();
    const legacy = ajv.compile(LEGACY_SCHEMA);
    function appWith(format: Parameters<typeof errorHandler>[0] extends infer O ? (O extends { format?: infer F } ? F : never) : never) {
      const warnings: string[] = [];
      const app = express();
      app.get('/taken', () => {
        throw new Conflict('Email taken', { code: 'email_taken', headers: { 'X-Kept': '1' } });
      });
      app.get('/bug', () => {
        throw new Error('db password=hunter2');
      });
      app.use(
        errorHandler({
          format,
          log: (error, _req, level) => {
            if (level === 'warn') warnings.push((error as Error).message);
          },
        }),
      );
      return { app, warnings };
    }

    it('what format returns is sent, as application/json, with the status and headers the handler decided', async () => {
      const { app } = appWith(legacyFormat);
      const res = await request(app).get('/taken').set('X-Request-Id', 'req-1');
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-kept']).toBe('1');
      expect(res.body).toEqual({ error: { code: 'email_taken', message: 'Email taken', requestId: 'req-1' } });
      expect(legacy(res.body)).toBe(true);
    });

    it('format sees the safe problem only: a hidden detail never reaches it', async () => {
      const seen: unknown[] = [];
      const { app } = appWith((problem, error) => {
        seen.push(problem, error.status);
        return legacyFormat(problem);
      });
      const res = await request(app).get('/bug');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'http_500', message: 'Internal Server Error' } });
      expect(JSON.stringify(seen)).not.toContain('hunter2');
    });

    it('a body that keeps the problem shape stays application/problem+json', async () => {
      const { app } = appWith((problem) => ({ ...problem, docs: 'https://docs.example.com/errors' }));
      const res = await request(app).get('/taken');
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body.docs).toBe('https://docs.example.com/errors');
    });

    it.each([
      [
        'throws',
        () => {
          throw new Error('format bug');
        },
        'express-typed-errors: the format function threw, or returned what cannot be serialized; the problem was sent instead',
      ],
      [
        'returns a BigInt',
        () => ({ n: 1n }),
        'express-typed-errors: the format function threw, or returned what cannot be serialized; the problem was sent instead',
      ],
      [
        'returns nothing',
        () => undefined,
        'express-typed-errors: the format function returned nothing that can be sent; the problem was sent instead',
      ],
    ])('a format that %s is logged, and the problem is sent', async (_name, format, warning) => {
      const { app, warnings } = appWith(format);
      const res = await request(app).get('/taken');
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({ status: 409, code: 'email_taken', detail: 'Email taken' });
      expect(warnings).toEqual([warning]);
    });
  });

  describe('validationStatus: 400 or 422 for every validation failure the package produces', () => {
    const Body = z.object({ email: z.email() });
    function appWith(validationStatus?: 400 | 422) {
      const app = express();
      app.use(express.json());
      app.post(
        '/spec',
        handle({ body: Body }, () => new Ok({})),
      );
      app.post(
        '/validate',
        handle(async (req) => new Ok(await validate(Body, req.body))),
      );
      app.post('/adapter', (req) => {
        Body.parse(req.body);
      });
      app.post('/own', () => {
        throw new Conflict('not a validation failure');
      });
      app.use(errorHandler({ log: false, map: [fromZod], validationStatus }));
      return app;
    }

    it.each(['/spec', '/validate', '/adapter'])('%s: 422 by default, 400 when asked, with the same issues', async (path) => {
      const unprocessable = await request(appWith()).post(path).send({ email: 'nope' });
      expect(unprocessable.status).toBe(422);
      const bad = await request(appWith(400)).post(path).send({ email: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ ...unprocessable.body, status: 400, title: 'Bad Request' });
      expect(bad.body.errors).toEqual([{ detail: 'Invalid email address', pointer: '#/email' }]);
    });

    it('other errors keep their status', async () => {
      expect((await request(appWith(400)).post('/own').send({})).status).toBe(409);
    });

    it('openApi() shows the same status', () => {
      const document = openApi(appWith(400), { info: { title: 'x', version: '1' }, validationStatus: 400 });
      expect(Object.keys(document.paths['/spec']!.post!.responses)).toEqual(['400', '413', '415', '500', '2XX']);
    });
  });

  describe('methodNotAllowed(): 405 with Allow from the routes themselves', () => {
    const app = express();
    app.get('/users', (_req, res) => {
      res.json([]);
    });
    app.post('/users', (_req, res) => {
      res.status(201).json({});
    });
    app
      .route('/users/:id')
      .get((_req, res) => {
        res.json({});
      })
      .delete((_req, res) => {
        res.status(204).end();
      });
    const v1 = express.Router();
    const nested = express.Router({ mergeParams: true });
    nested.put('/:itemId', (_req, res) => {
      res.json({});
    });
    v1.use('/orgs/:orgId/items', nested);
    app.use('/v1', v1);
    app.get('/maybe', (_req, _res, next) => next()); // a route of the request's own method that passes it on
    app.use(methodNotAllowed());
    app.use(notFoundHandler());
    app.use(errorHandler({ log: false }));

    it.each([
      ['DELETE', '/users', 'GET, HEAD, POST, OPTIONS'],
      ['PUT', '/users/7', 'GET, HEAD, DELETE, OPTIONS'],
      ['PATCH', '/users/7/', 'GET, HEAD, DELETE, OPTIONS'],
      ['GET', '/v1/orgs/acme/items/3', 'PUT, OPTIONS'],
    ])('%s %s: 405 with Allow: %s', async (method, path, allow) => {
      const res = await request(app)[method.toLowerCase() as 'get'](path);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Method Not Allowed', status: 405, instance: path });
    });

    it('OPTIONS answers 204 with Allow', async () => {
      const res = await request(app).options('/users/7');
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe('GET, HEAD, DELETE, OPTIONS');
      expect(res.text).toBe('');
    });

    it("OPTIONS of a path inside a mounted router: Express's router answers it first, unless methodNotAllowed() ends that router too", async () => {
      const own = await request(app).options('/v1/orgs/acme/items/3');
      expect(own.status).toBe(200); // Express's own answer, as the README says
      expect(own.headers.allow).toMatch(/PUT/);
      const fitted = express();
      const router = express.Router();
      router.put('/items/:id', (_req, res) => {
        res.json({});
      });
      router.use(methodNotAllowed());
      fitted.use('/v1', router);
      fitted.use(methodNotAllowed());
      fitted.use(errorHandler({ log: false }));
      const res = await request(fitted).options('/v1/items/3');
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe('PUT, OPTIONS');
      expect((await request(fitted).get('/v1/items/3')).headers.allow).toBe('PUT, OPTIONS');
    });

    it('HEAD is allowed wherever GET is', async () => {
      expect((await request(app).head('/users')).status).toBe(200);
    });

    it('a path no route has, or one passed on by a route of its own method, falls through to 404', async () => {
      expect((await request(app).delete('/nowhere')).status).toBe(404);
      expect((await request(app).get('/maybe')).status).toBe(404);
      expect((await request(app).get('/v1/orgs/acme')).status).toBe(404);
    });
  });

  describe('typeBase: a stable problem type URI for each code', () => {
    class EmailTaken extends Conflict {
      static readonly code = 'email_taken';
    }
    const app = express();
    app.post(
      '/users',
      handle({ errors: [EmailTaken] }, () => {
        throw new Conflict('taken', { code: 'email_taken' });
      }),
    );
    app.get('/own-type', () => {
      throw new Conflict('x', { code: 'locked', type: 'https://example.com/probs/locked' });
    });
    app.get('/no-code', () => {
      throw new NotFound('x');
    });
    app.use(errorHandler({ log: false, typeBase: 'https://errors.example.com' }));

    it('a coded error gets the URI; one with its own type keeps it; one without a code stays about:blank', async () => {
      expect((await request(app).post('/users')).body.type).toBe('https://errors.example.com/email_taken');
      expect((await request(app).get('/own-type')).body.type).toBe('https://example.com/probs/locked');
      expect((await request(app).get('/no-code')).body.type).toBe('about:blank');
    });

    it('openApi() with the same typeBase shows the same URI', () => {
      const document = openApi(app, { info: { title: 'x', version: '1' }, typeBase: 'https://errors.example.com' });
      const schema = document.paths['/users']!.post!.responses['409']!.content!['application/problem+json']!.schema as {
        allOf: { properties: object }[];
      };
      expect(schema.allOf[1]!.properties).toMatchObject({ type: { const: 'https://errors.example.com/email_taken' } });
    });
  });

  describe('translate: problems in the language the client asks for', () => {
    const FRENCH: Record<number, string> = { 404: 'Introuvable', 409: 'Conflit' };
    const translate = (problem: Readonly<ProblemDetails>, req: Request) => {
      if (req.acceptsLanguages('fr', 'en') !== 'fr') return undefined;
      return {
        language: 'fr',
        title: FRENCH[problem.status] ?? problem.title,
        detail: problem.code === 'email_taken' ? 'Cet e-mail est déjà utilisé' : undefined,
      };
    };
    const app = express();
    app.get('/taken', () => {
      throw new Conflict('Email taken', { code: 'email_taken' });
    });
    app.get('/missing', () => {
      throw new NotFound('No user 42');
    });
    app.get(
      '/created',
      handle(() => new Created({}, { location: '/x' })),
    );
    app.use(errorHandler({ log: false, translate }));

    it('localizes title and detail, sets Content-Language; the status line keeps the reason phrase', async () => {
      const res = await request(app).get('/taken').set('Accept-Language', 'fr-CH, fr;q=0.9, en;q=0.8');
      expect(res.status).toBe(409);
      expect(res.headers['content-language']).toBe('fr');
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflit',
        status: 409,
        detail: 'Cet e-mail est déjà utilisé',
        instance: '/taken',
        code: 'email_taken',
      });
      expect((await rawAnswer(app, '/taken', { 'Accept-Language': 'fr' })).line).toBe('409 Conflict');
    });

    it('keeps what it does not translate, and leaves other clients alone', async () => {
      const french = await request(app).get('/missing').set('Accept-Language', 'fr');
      expect(french.body).toMatchObject({ title: 'Introuvable', detail: 'No user 42' });
      const english = await request(app).get('/missing').set('Accept-Language', 'en');
      expect(english.headers['content-language']).toBeUndefined();
      expect(english.body).toMatchObject({ title: 'Not Found', detail: 'No user 42' });
    });

    it('a translate that throws or gives a bad language tag is logged, and the problem goes out untranslated', async () => {
      for (const broken of [
        () => {
          throw new Error('catalog missing');
        },
        () => ({ language: 'fr\r\nSet-Cookie: x=1', title: 'x' }),
      ]) {
        const warnings: string[] = [];
        const other = express();
        other.get('/missing', () => {
          throw new NotFound('No user 42');
        });
        other.use(
          errorHandler({ translate: broken, log: (error, _req, level) => level === 'warn' && warnings.push((error as Error).message) }),
        );
        const res = await request(other).get('/missing');
        expect(res.status).toBe(404);
        expect(res.body.title).toBe('Not Found');
        expect(res.headers['content-language']).toBeUndefined();
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(warnings).toHaveLength(1);
      }
    });
  });
});
