/**
 * The OpenAPI document read from the app (`openApi(app)`), validated with a real OpenAPI 3.1
 * validator and against the real answers of the example app; the declared errors of a route, and the
 * warning when a route throws one it does not declare. Express 5 and 4.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import * as v from 'valibot';
import { z } from 'zod';
import {
  BadRequest,
  Conflict,
  Created,
  HttpError,
  NoContent,
  NotFound,
  Ok,
  ServiceUnavailable,
  TooManyRequests,
  errorHandler,
  handle,
  type ErrorsOf,
  type LogLevel,
} from '../src';
import { type OpenApiDocument, type ResponseObject, errorResponses, openApi, problemDetailsSchema } from '../src/openapi';
import { expectDocumented } from '../src/testing';
import { EmailTaken, createApp } from '../examples/app';
import { TOUR } from '../examples/tour';
import { EXPRESS_VERSIONS } from './apps';

/** Runs the OpenAPI 3.1 validator on a document, in a process of its own: the validator is an ES module. */
function validateDocument(document: unknown): { valid: boolean; version: string; errors: unknown } {
  return JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'validate-openapi.mjs')], {
      input: JSON.stringify(document),
    }).toString(),
  ) as { valid: boolean; version: string; errors: unknown };
}

describe('the example app', () => {
  const app = createApp({ logger: pino({ level: 'silent' }) });
  let document: OpenApiDocument;
  beforeAll(async () => {
    document = (await request(app).get('/openapi.json')).body as OpenApiDocument;
  });

  it('serves a valid OpenAPI 3.1 document read from its routes, and the validator does reject a broken one', () => {
    expect(validateDocument(document)).toEqual({ valid: true, version: '3.1', errors: null });
    const broken = { ...document, paths: { '/x': { get: { responses: { '404': { content: {} } } } } } };
    expect(validateDocument(broken).valid).toBe(false);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/openapi.json',
      '/problems',
      '/problems/{code}',
      '/reports/today',
      '/users',
      '/users/{id}',
    ]);
    expect(Object.keys(document.paths['/users']!)).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/users/{id}']!)).toEqual(['get', 'delete']);
  });

  it('documents each route from its spec: parameters, body, result, declared errors, the 422 and the 500', () => {
    const post = document.paths['/users']!.post!;
    expect(post.parameters).toEqual([{ name: 'notify', in: 'query', required: false, schema: expect.any(Object) }]);
    expect(post.requestBody!.content['application/json'].schema).toMatchObject({ type: 'object', required: ['email'] });
    expect(Object.keys(post.responses)).toEqual(['201', '400', '409', '413', '415', '422', '500']);
    expect(post.responses['201']!.headers).toEqual({ Location: expect.objectContaining({ required: true }) });
    expect(post.responses['409']!.description).toBe('Conflict: EmailTaken');
    const remove = document.paths['/users/{id}']!.delete!;
    expect(remove.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) }]);
    expect(Object.keys(remove.responses)).toEqual(['204', '400', '404', '422', '500']);
    expect(remove.responses['204']!.content).toBeUndefined();
    // one problem schema, referenced by every error response
    expect(JSON.stringify(document).split('"title":"ProblemDetails"')).toHaveLength(2);
    // the class's statics: its title, description and extension members (static extensions)
    const emailTaken = {
      title: 'Email taken',
      description: EmailTaken.description,
      externalDocs: { description: 'The email_taken problem type', url: 'https://api.example.com/problems/email_taken' },
      allOf: [
        { $ref: '#/components/schemas/ProblemDetails' },
        {
          type: 'object',
          properties: {
            status: { const: 409 },
            type: { const: 'https://api.example.com/problems/email_taken' },
            code: { const: 'email_taken' },
            email: { type: 'string' },
          },
          required: ['code', 'email'],
        },
      ],
    };
    expect(post.responses['409']!.content).toEqual({
      'application/problem+json': { schema: emailTaken },
      'application/json': { schema: emailTaken },
    });
  });

  it("every real answer of the demo's tour fits the operation it belongs to: status, headers and body", async () => {
    /** The operation path a request path falls under, by the document's own templates. */
    const templateOf = (requestPath: string): string | undefined =>
      Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(requestPath));
    const fresh = createApp({ logger: pino({ level: 'silent' }) });
    const documented: string[] = [];
    for (const step of TOUR) {
      const agent = request(fresh);
      const res = await agent[step.method.toLowerCase() as 'get'](step.path)
        .set({ ...(step.body === undefined ? {} : { 'content-type': 'application/json' }), ...step.headers })
        .send(step.body);
      expect([step.method, step.path, res.status]).toEqual([step.method, step.path, step.expect]);
      const template = templateOf(step.path.split('?')[0]!);
      if (template === undefined || !document.paths[template]![step.method.toLowerCase()]) {
        // no operation: an unmatched path (404) or a method the path has not (405, OPTIONS), answered by the app's own middleware
        expect([step.method, step.path, [404, 405, 204].includes(res.status)]).toEqual([step.method, step.path, true]);
        continue;
      }
      expectDocumented(document, res);
      documented.push(`${step.method} ${step.path} ${res.status}`);
    }
    expect(documented.length).toBeGreaterThanOrEqual(10);
  });
});

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('every shape of route a real app uses', () => {
    const app = express();
    app.use(express.json());
    const v1 = express.Router();
    const projects = express.Router({ mergeParams: true });
    projects.get(
      '/:projectId',
      handle(
        { params: z.object({ orgId: z.string(), projectId: z.coerce.number() }), result: Ok, errors: [NotFound] },
        (req) => new Ok({ org: req.params.orgId, project: req.params.projectId }),
      ),
    );
    v1.use('/orgs/:orgId/projects', projects);
    v1.route('/items')
      .get(
        handle(
          { query: z.object({ filter: z.object({ status: z.string() }).optional(), page: z.coerce.number().optional() }) },
          () => new Ok([]),
        ),
      )
      .post(
        handle(
          {
            body: z.object({ name: z.string() }),
            headers: z.object({ 'x-tenant': z.string(), authorization: z.string() }),
            result: Created,
          },
          () => new Created({}, { location: '/v1/items/1' }),
        ),
      );
    app.use('/v1', v1);
    app.get(['/a', '/b'], (_req, res) => {
      res.json({});
    });
    app.get(/^\/legacy\/\d+$/, (_req, res) => {
      res.json({});
    });
    app.get('/plain/:slug', (_req, res) => {
      res.json({});
    });
    app.put(
      '/valibot',
      handle({ body: v.object({ name: v.string() }), result: NoContent }, () => new NoContent()),
    );
    const document = openApi(app, { info: { title: 'Shapes', version: '1' }, servers: [{ url: 'https://api.example.com' }] });

    it('is valid OpenAPI 3.1', () => {
      expect(validateDocument(document)).toEqual({ valid: true, version: '3.1', errors: null });
    });

    it('joins mount paths, keeps merged params, lists arrays of paths, and names what it skipped', () => {
      expect(Object.keys(document.paths).sort()).toEqual([
        '/a',
        '/b',
        '/plain/{slug}',
        '/v1/items',
        '/v1/orgs/{orgId}/projects/{projectId}',
        '/valibot',
      ]);
      expect(document.paths['/v1/orgs/{orgId}/projects/{projectId}']!.get!.parameters).toEqual([
        { name: 'orgId', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'projectId', in: 'path', required: true, schema: { type: 'number' } },
      ]);
      expect(document.paths['/plain/{slug}']!.get).toEqual({
        parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          default: {
            description: 'Not described: a plain Express route (handle(spec, fn) routes are documented)',
            content: { '*/*': { schema: {} } },
          },
        },
      });
      expect(document['x-skipped-routes']).toEqual([
        { path: '/^\\/legacy\\/\\d+$/', methods: ['GET'], reason: expect.stringContaining('regular expression') },
      ]);
      expect(document.servers).toEqual([{ url: 'https://api.example.com' }]);
    });

    it('query objects as deepObject parameters, headers but Authorization, the body, and a validator without JSON Schema', () => {
      const items = document.paths['/v1/items']!;
      expect(items.get!.parameters).toEqual([
        {
          name: 'filter',
          in: 'query',
          required: false,
          schema: expect.objectContaining({ type: 'object' }),
          style: 'deepObject',
          explode: true,
        },
        { name: 'page', in: 'query', required: false, schema: { type: 'number' } },
      ]);
      expect(items.post!.parameters).toEqual([{ name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } }]);
      // integer-like keys come first in a JavaScript object, whatever the order they were added in
      expect(Object.keys(items.get!.responses)).toEqual(['422', '500', '2XX']);
      expect(document.paths['/valibot']!.put!.requestBody!.content['application/json'].schema).toEqual({
        description: 'A valibot schema: it offers no JSON Schema (Standard JSON Schema), so any value is shown here',
      });
    });

    it('refuses what is not an Express app', () => {
      expect(() => openApi({}, { info: { title: 'x', version: '1' } })).toThrow();
    });
  });

  describe('declared errors, and the warning when a route throws one it did not declare', () => {
    class UserGone extends NotFound {}
    function appWith(undeclaredErrors?: LogLevel | false) {
      const calls: { level: string; message: string }[] = [];
      const app = express();
      app.use(express.json());
      const router = express.Router();
      const spec = { body: z.object({ n: z.number().optional() }), errors: [NotFound, BadRequest] } as const;
      router.post(
        '/items/:id',
        handle(spec, (req) => {
          const kind = req.query.kind;
          if (kind === 'conflict') throw new Conflict('taken');
          if (kind === 'gone') throw new UserGone('gone');
          if (kind === 'declared') throw new NotFound('missing');
          if (kind === 'server') throw new ServiceUnavailable('down', { retryAfter: 5 });
          if (kind === 'bug') throw new Error('bug');
          return new Ok({});
        }),
      );
      router.post(
        '/plain',
        handle(() => {
          throw new Conflict('not a spec route');
        }),
      );
      app.use('/api', router);
      app.use(
        errorHandler({
          log: (error, _req, level) => calls.push({ level, message: error instanceof Error ? error.message : String(error) }),
          undeclaredErrors,
        }),
      );
      return { app, calls };
    }

    it('a 4xx the spec does not declare is logged at warn, with the route and the class', async () => {
      const { app, calls } = appWith();
      const res = await request(app).post('/api/items/7?kind=conflict').send({});
      expect(res.status).toBe(409);
      expect(calls).toEqual([
        {
          level: 'warn',
          message:
            'express-typed-errors: POST /api/items/:id threw a 409 Conflict that its handle() spec does not declare: add Conflict (or a parent class) to its errors, to those of a handle() middleware before it, or to errorHandler({ errors }) and openApi(app, { errors })',
        },
      ]);
    });

    it('declared classes, their subclasses, 5xx, the automatic 422 and routes without a spec are not', async () => {
      const { app, calls } = appWith();
      expect((await request(app).post('/api/items/7?kind=declared').send({})).status).toBe(404);
      expect((await request(app).post('/api/items/7?kind=gone').send({})).status).toBe(404);
      expect((await request(app).post('/api/items/7?kind=server').send({})).status).toBe(503);
      expect((await request(app).post('/api/items/7').send({ n: 'x' })).status).toBe(422);
      expect((await request(app).post('/api/plain').send({})).status).toBe(409);
      expect(calls.filter((call) => call.level === 'warn')).toEqual([]);
    });

    it('at the level asked for, or not at all', async () => {
      const loud = appWith('error');
      await request(loud.app).post('/api/items/7?kind=conflict').send({});
      expect(loud.calls.map((call) => call.level)).toEqual(['error']);
      const off = appWith(false);
      await request(off.app).post('/api/items/7?kind=conflict').send({});
      expect(off.calls).toEqual([]);
    });

    it('off by default in production', async () => {
      const env = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        const { app, calls } = appWith();
        await request(app).post('/api/items/7?kind=conflict').send({});
        expect(calls).toEqual([]);
      } finally {
        process.env.NODE_ENV = env;
      }
    });
  });
});

describe('the declared errors in the types', () => {
  it('ErrorsOf is the union of the instance types of the declared classes', () => {
    const _route = handle({ errors: [NotFound, EmailTaken] }, () => new Ok(1));
    const declared: ErrorsOf<typeof _route>[] = [new NotFound(), new EmailTaken('a@b.c')];
    expect(declared.every((error) => error instanceof HttpError)).toBe(true);
  });
});

describe('errorResponses() for a document written by hand', () => {
  /** The schema of one response, as both media types carry it. */
  function schemaOf(response: ResponseObject | undefined): unknown {
    expect(response!.content!['application/json']).toEqual(response!.content!['application/problem+json']);
    return response!.content!['application/problem+json']!.schema;
  }

  it('lists each status once, refers to the one ProblemDetails component, with its headers, each class keeping its own schema', () => {
    const responses = errorResponses([NotFound, EmailTaken, Conflict, TooManyRequests]);
    expect(Object.keys(responses)).toEqual(['404', '409', '429']);
    expect(responses['409']!.description).toBe('Conflict: EmailTaken; Conflict');
    expect(responses['429']!.headers).toEqual({ 'Retry-After': expect.objectContaining({ schema: { type: 'string' } }) });
    // a plain Conflict may carry any code: the two kinds can overlap, so anyOf
    expect(schemaOf(responses['409'])).toEqual({
      anyOf: [
        {
          title: 'Email taken',
          description: EmailTaken.description,
          allOf: [
            { $ref: '#/components/schemas/ProblemDetails' },
            {
              type: 'object',
              properties: { status: { const: 409 }, code: { const: 'email_taken' }, email: { type: 'string' } },
              required: ['code', 'email'],
            },
          ],
        },
        { allOf: [{ $ref: '#/components/schemas/ProblemDetails' }, { type: 'object', properties: { status: { const: 409 } } }] },
      ],
    });
    class Locked extends Conflict {
      static readonly code = 'locked';
      static readonly extensionSchema = { lockedBy: { type: 'string' } };
    }
    class Typed extends NotFound {
      static readonly type = 'https://example.com/probs/gone-user';
    }
    const named = errorResponses([EmailTaken, Locked, Typed], 'https://errors.example.com/');
    // classes with codes of their own exclude one another: oneOf, each with its own members and page
    expect(schemaOf(named['409'])).toEqual({
      oneOf: [
        expect.objectContaining({ externalDocs: expect.objectContaining({ url: 'https://errors.example.com/email_taken' }) }),
        {
          externalDocs: { description: 'The locked problem type', url: 'https://errors.example.com/locked' },
          allOf: [
            { $ref: '#/components/schemas/ProblemDetails' },
            {
              type: 'object',
              properties: {
                status: { const: 409 },
                type: { const: 'https://errors.example.com/locked' },
                code: { const: 'locked' },
                lockedBy: { type: 'string' },
              },
              required: ['code'],
            },
          ],
        },
      ],
    });
    expect(schemaOf(named['404'])).toEqual({
      allOf: [
        { $ref: '#/components/schemas/ProblemDetails' },
        { type: 'object', properties: { status: { const: 404 }, type: { const: 'https://example.com/probs/gone-user' } } },
      ],
    });
    // and the instances send what the classes declare
    expect(new Locked('x').code).toBe('locked');
    expect(new Typed().type).toBe('https://example.com/probs/gone-user');
    const document = {
      openapi: '3.1.0',
      info: { title: 'By hand', version: '1' },
      components: { schemas: { ProblemDetails: problemDetailsSchema } },
      paths: { '/x': { get: { responses: { '200': { description: 'OK' }, ...responses, ...named } } } },
    };
    expect(validateDocument(document).valid).toBe(true);
  });
});
