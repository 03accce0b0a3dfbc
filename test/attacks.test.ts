/**
 * What an hour of attacking 0.2's new features found, each kept closed, on Express 5 and 4: hooks that
 * return rejected promises, the request view of handle(spec) under stream iteration, input echoed
 * through keys and escapes, a validator whose promise is not a native one, odd route names for the
 * OpenAPI document, and request targets in absolute form.
 */
import vm from 'node:vm';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type } from 'arktype';
import type { Request } from 'express';
import request from 'supertest';
import * as v from 'valibot';
import { z } from 'zod';
import { Conflict, NotFound, Ok, errorHandler, handle } from '../src';
import { openApi } from '../src/openapi';
import { EXPRESS_VERSIONS, rawAnswer } from './apps';

/** Collects the unhandled rejections that happen while `run` does, and the next turns after it. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

const rejecting = async (): Promise<never> => {
  await Promise.resolve();
  throw new Error('the hook rejected');
};

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('a hook that returns a promise that rejects: contained, logged, the answer the error’s own', () => {
    const hooks: [string, Parameters<typeof errorHandler>[0]][] = [
      ['log', { log: rejecting as never, logLevel: { '4xx': 'warn' } }],
      ['logLevel', { logLevel: rejecting as never }],
      ['map', { map: [rejecting as never] }],
      ['tracing', { tracing: rejecting as never }],
      ['translate', { translate: rejecting as never }],
      ['format', { format: rejecting as never }],
    ];
    it.each(hooks)('%s', async (name, options) => {
      const warnings: string[] = [];
      const errors: unknown[] = [];
      const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
      try {
        const app = express();
        app.get('/foreign', () => {
          throw Object.assign(new Error('taken'), { status: 409, expose: true });
        });
        app.use(
          errorHandler({
            log: (error, _req, level) => level === 'warn' && warnings.push((error as Error).message),
            ...options,
          }),
        );
        const unhandled = await unhandledDuring(async () => {
          const res = await request(app).get('/foreign');
          expect(res.status).toBe(409);
          expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
          expect(res.body).toMatchObject({ status: 409, detail: 'taken', title: 'Conflict' });
        });
        expect(unhandled).toEqual([]);
        // the rejection is reported: through the warnings, or for a logger that failed, on the console
        if (name === 'log') expect(JSON.stringify(errors)).toContain('the hook rejected');
        else expect(warnings.join('\n')).toMatch(new RegExp(`(the|a) ${name} function (rejected|returned a promise|threw)`));
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('the request view of handle(spec)', () => {
    const app = express();
    app.post(
      '/stream',
      handle({ headers: z.object({ 'x-a': z.string() }) }, async (req) => {
        let text = '';
        for await (const chunk of req as unknown as AsyncIterable<Buffer>) text += chunk.toString();
        return new Ok({ text, header: req.headers['x-a'] });
      }),
    );
    app.get(
      '/define',
      handle({ query: z.object({ page: z.coerce.number() }) }, (req) => {
        Object.defineProperty(req, 'query', { value: { page: 'own' }, configurable: true, enumerable: true, writable: true });
        return new Ok({ query: req.query });
      }),
    );
    app.use(errorHandler({ log: false }));

    it('iterates the body as the real request would: the stream keeps its state', async () => {
      const res = await request(app).post('/stream').set('x-a', '1').set('content-type', 'text/plain').send('hello, body');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ text: 'hello, body', header: '1' });
    });

    it('a property the handler defines replaces the parsed one without breaking the view', async () => {
      const res = await request(app).get('/define?page=2');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ query: { page: 'own' } });
    });
  });

  describe('no input echoed through keys, escapes or numbers of keys', () => {
    const app = express();
    app.use(express.json());
    app.set('query parser', 'extended');
    app.post(
      '/valibot-strict',
      handle({ body: v.strictObject({ name: v.string() }) }, () => new Ok({})),
    );
    app.get(
      '/valibot-strict-query',
      handle({ query: v.strictObject({ name: v.optional(v.string()) }) }, () => new Ok({})),
    );
    app.post(
      '/valibot-record',
      handle({ body: v.record(v.pipe(v.string(), v.regex(/^x/)), v.number()) }, () => new Ok({})),
    );
    app.post(
      '/arktype-strict',
      handle({ body: type({ '+': 'reject', name: 'string' }) }, () => new Ok({})),
    );
    app.post(
      '/arktype-email',
      handle({ body: type({ e: 'string.email' }) }, () => new Ok({})),
    );
    app.post(
      '/zod-strict',
      handle({ body: z.object({ name: z.string() }).strict() }, () => new Ok({})),
    );
    app.use(errorHandler({ log: false }));

    it.each([
      ['/valibot-strict', { name: 'a', '<script>alert(1)</script>': 1 }],
      ['/valibot-record', { '<b>k</b>': 1 }],
      ['/arktype-strict', { name: 'a', '<script>alert(1)</script>': 1 }],
      ['/arktype-email', { e: 'a"b<svg onload=alert(1)>' }],
      ['/arktype-email', { e: 'x\ny<b>z</b>' }],
    ])('%s %j', async (path, body) => {
      const res = await request(app).post(path).send(body);
      expect(res.status).toBe(422);
      expect(res.text).not.toMatch(/<script|<b>|<svg|onload/);
    });

    it('an unknown query key is named, percent-encoded, not as the client wrote it', async () => {
      const res = await request(app).get('/valibot-strict-query?%3Csvg%2Fonload%3Dalert(1)%3E=1');
      expect(res.status).toBe(422);
      expect(res.text).not.toMatch(/<svg|onload=/);
      expect(res.body.errors[0].parameter).toBe('%3Csvg%2Fonload%3Dalert(1)%3E');
    });

    it('more keys than can be checked one by one: the message is replaced whole', async () => {
      const body: Record<string, number> = { name: 1 };
      for (let i = 0; i < 101; i++) body[String.fromCharCode(0x4e00 + i)] = 1;
      body['<img src=x onerror=alert(document.cookie)>'] = 1;
      const res = await request(app).post('/zod-strict').send(body);
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('<img');
    });
  });

  describe('a validator whose promise is not a native one still fails closed', () => {
    const Foreign = vm.runInNewContext('Promise') as PromiseConstructor;
    const admin: StandardSchemaV1<unknown, { role: 'admin' }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          Foreign.resolve(
            (value as { role?: unknown } | undefined)?.role === 'admin'
              ? { value: value as { role: 'admin' } }
              : { issues: [{ message: 'role must be admin', path: ['role'] }] },
          ),
      },
    };
    const app = express();
    app.use(express.json());
    app.post(
      '/admin',
      handle({ body: admin }, (req) => new Ok({ ran: true, role: req.body.role })),
    );
    app.use(errorHandler({ log: false }));

    it('another realm’s promise is awaited like ours', async () => {
      expect((await request(app).post('/admin').send({ role: 'guest' })).status).toBe(422);
      expect((await request(app).post('/admin').send({ role: 'admin' })).body).toEqual({ ran: true, role: 'admin' });
    });
  });

  describe('format, translate and the request target', () => {
    it('a format whose status getter says two things: the content type follows what was sent', async () => {
      let reads = 0;
      const app = express();
      app.get('/x', () => {
        throw new Conflict('x');
      });
      app.use(
        errorHandler({
          log: false,
          format: () => ({
            type: 'x',
            title: 't',
            get status() {
              reads++;
              return reads === 1 ? 'nope' : 409;
            },
          }),
        }),
      );
      const res = await request(app).get('/x');
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('a language tag longer than a tag can be is not sent', async () => {
      const app = express();
      app.get('/x', () => {
        throw new NotFound('x');
      });
      app.use(errorHandler({ log: false, translate: () => ({ language: `fr${'-abcdefgh'.repeat(20)}`, title: 'Introuvable' }) }));
      const res = await request(app).get('/x');
      expect(res.headers['content-language']).toBeUndefined();
      expect(res.body.title).toBe('Not Found');
    });

    it('an absolute-form request target: instance and detail name the path, not the host the client chose', async () => {
      const app = express();
      app.use((req: Request, _res, next) => next(new NotFound(`Cannot ${req.method}`)));
      app.use(errorHandler({ log: false }));
      // a raw request line, as a proxy-minded client sends it
      const answer = await rawAnswer(app, 'http://evil.example/login?next=x');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 404, instance: '/login' });
      expect(answer.body).not.toContain('evil.example');
    });
  });

  describe('the OpenAPI document of odd route names', () => {
    it('a parameter named like an Object.prototype member, and two templates that differ only in names', async () => {
      const app = express();
      app.get('/things/:constructor', (_req, res) => {
        res.json({});
      });
      app.get('/users/:id', (_req, res) => {
        res.json({});
      });
      app.delete('/users/:userId', (_req, res) => {
        res.status(204).end();
      });
      const document = openApi(app, { info: { title: 'x', version: '1' } });
      expect(document.paths['/things/{constructor}']!.get!.parameters).toEqual([
        { name: 'constructor', in: 'path', required: true, schema: { type: 'string' } },
      ]);
      expect(Object.keys(document.paths)).toEqual(['/things/{constructor}', '/users/{id}']);
      expect(document['x-skipped-routes']).toEqual([
        { path: '/users/:userId', methods: ['DELETE'], reason: expect.stringContaining('the same path as /users/{id}') },
      ]);
      expect((await request(app).get('/things/1')).status).toBe(200);
    });
  });
});
