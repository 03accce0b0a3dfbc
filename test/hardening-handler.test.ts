/**
 * Issue 19, the error handler's part: methodNotAllowed() beside the cors package, `Vary` on negotiated
 * problems, a safe and bounded `instance`, a bounded body, hooks that cannot change what is sent, and
 * one-line warnings. Each test here failed on 0.2.0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import fc from 'fast-check';
import type { Request } from 'express';
import request from 'supertest';
import {
  Conflict,
  InternalServerError,
  MAX_DETAIL_LENGTH,
  MAX_INSTANCE_LENGTH,
  MAX_PROBLEM_BYTES,
  NotFound,
  Unauthorized,
  createHttpError,
  errorHandler,
  handle,
  methodNotAllowed,
  notFoundHandler,
} from '../src';
import { EXPRESS_VERSIONS, withConsole } from './apps';

/** A logger that records the message of each note it is given, by level. */
function noteLogger() {
  const calls: { level: string; message: string }[] = [];
  return {
    calls,
    log: (error: unknown, _req: unknown, level: string) => {
      calls.push({ level, message: error instanceof Error ? error.message : String(error) });
    },
    messages: (level: string) => calls.filter((call) => call.level === level).map((call) => call.message),
  };
}

/** Sends a raw request target (`//host/path`, `/\host`, absolute-form) that an HTTP client library would rewrite. */
async function rawGet(app: http.RequestListener, target: string): Promise<{ status: number; body: string }> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: target }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
  } finally {
    server.close();
  }
}

/** What every problem answer must be, whatever was thrown: well-formed, within the bound, its `instance` a path of this host. */
function expectWellFormed(res: request.Response): void {
  expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_PROBLEM_BYTES);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body.status).toBe(res.status);
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  const instance = String(body.instance);
  expect(instance.startsWith('/') && !instance.startsWith('//')).toBe(true);
  expect(instance.length).toBeLessThanOrEqual(MAX_INSTANCE_LENGTH);
  expect(new URL(instance, 'https://api.example.com/').host).toBe('api.example.com');
}

describe.each(EXPRESS_VERSIONS)('%s', (label, express) => {
  const v4 = label === 'Express 4';
  /** The cors package's pre-flight line for every path, as each major writes a wildcard. */
  const EVERY_PATH = v4 ? '*' : '/{*splat}';

  describe('item 3: methodNotAllowed() beside the cors package', () => {
    function corsApp(preflight: cors.CorsOptions = {}) {
      const app = express();
      app.options(EVERY_PATH, cors(preflight));
      app.get('/users', cors(), (_req, res) => {
        res.json([]);
      });
      app.use(methodNotAllowed());
      app.use(notFoundHandler());
      app.use(errorHandler({ log: false }));
      return app;
    }

    it('app.options(wildcard, cors()) does not make every unknown path a 405: notFoundHandler() answers them', async () => {
      const app = corsApp();
      const unknown = await request(app).get('/nowhere');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.allow).toBeUndefined();
      expect((await request(app).delete('/nowhere/deeper')).status).toBe(404);
      const wrongMethod = await request(app).delete('/users');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('GET, HEAD, OPTIONS');
    });

    it('the pre-flight is answered by cors, with its headers, on known and unknown paths', async () => {
      const app = corsApp();
      for (const path of ['/users', '/nowhere']) {
        const res = await request(app).options(path).set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'DELETE');
        expect(res.status).toBe(204);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-methods']).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
      }
    });

    it("cors({ preflightContinue: true }) passes the pre-flight on: methodNotAllowed() answers it 204 with Allow, keeping cors's headers", async () => {
      const app = corsApp({ preflightContinue: true });
      const res = await request(app).options('/users').set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect((await request(app).options('/nowhere')).status).toBe(404);
    });

    it('cors() on a route only: the pre-flight asks for OPTIONS and never reaches it (the docs say to add the pre-flight line)', async () => {
      const app = express();
      app.get('/users', cors(), (_req, res) => {
        res.json([]);
      });
      app.use(methodNotAllowed());
      app.use(notFoundHandler());
      app.use(errorHandler({ log: false }));
      const res = await request(app).options('/users').set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('an OPTIONS-only route of its own (app.options(path, cors()), as cors documents for per-route use) is no resource either', async () => {
      const app = express();
      app.options('/products/:id', cors());
      app.get('/products/:id', cors(), (_req, res) => {
        res.json({});
      });
      app.options('/preflight-only', cors());
      app.use(methodNotAllowed());
      app.use(notFoundHandler());
      app.use(errorHandler({ log: false }));
      const preflight = await request(app)
        .options('/products/7')
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect((await request(app).get('/preflight-only')).status).toBe(404);
      expect((await request(app).put('/products/7')).headers.allow).toBe('GET, HEAD, OPTIONS');
    });
  });

  describe('item 4: Vary on negotiated problems', () => {
    const app = express();
    app.get('/missing', () => {
      throw new NotFound('No user 42');
    });
    app.get('/cors', cors(), () => {
      throw new NotFound('No user 42');
    });
    app.get('/own-vary', () => {
      throw new Conflict('x', { headers: { Vary: 'Accept-Encoding' } });
    });
    app.get('/star', () => {
      throw new Conflict('x', { headers: { Vary: '*' } });
    });
    app.use(errorHandler({ log: false }));

    it('a problem says it was chosen by Accept', async () => {
      const res = await request(app).get('/missing');
      expect(res.status).toBe(404);
      expect(res.headers.vary).toBe('Accept');
      const plain = await request(app).get('/missing').set('Accept', 'application/json');
      expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(plain.headers.vary).toBe('Accept');
    });

    it("adds to the Vary the route's middleware (cors: Origin) or the error set, never clobbers it; * stays *", async () => {
      const withOrigin = await request(app).get('/cors').set('Origin', 'https://app.example');
      expect(withOrigin.headers['access-control-allow-origin']).toBe('*');
      const corsVary = withOrigin.headers.vary;
      expect(corsVary === undefined ? 'Accept' : corsVary).toMatch(/(^|, )Accept$/);
      expect((await request(app).get('/own-vary')).headers.vary).toBe('Accept-Encoding, Accept');
      expect((await request(app).get('/star')).headers.vary).toBe('*');
    });

    it('Accept-Language too when translate is set', async () => {
      const translated = express();
      translated.get('/missing', () => {
        throw new NotFound('No user 42');
      });
      translated.use(
        errorHandler({
          log: false,
          translate: (_problem, req: Request) =>
            req.acceptsLanguages('en', 'fr') === 'fr' ? { language: 'fr', title: 'Introuvable' } : undefined,
        }),
      );
      for (const language of ['fr', 'en']) {
        const res = await request(translated).get('/missing').set('Accept-Language', language);
        expect(res.headers.vary).toBe('Accept, Accept-Language');
      }
    });
  });

  describe('item 5: instance is a bounded path of this host', () => {
    const app = express();
    app.use(notFoundHandler());
    app.use(errorHandler({ log: false }));

    it.each([
      ['//evil.example/phish', '/.//evil.example/phish'],
      ['///evil.example', '/.///evil.example'],
      ['/\\evil.example/phish', '/%5Cevil.example/phish'],
      ['/a%zz/%41', '/a%25zz/%41'],
      ['/caf%C3%A9/ok', '/caf%C3%A9/ok'],
      ['/users/42', '/users/42'],
      ['http://api.example//evil.example/x?q=1', '/.//evil.example/x'],
    ])('GET %s: instance %s', async (target, instance) => {
      const res = await rawGet(app, target);
      expect(res.status).toBe(404);
      const body = JSON.parse(res.body) as { instance: string };
      expect(body.instance).toBe(instance);
      // resolved the way a client resolves it, it names the same server
      expect(new URL(body.instance, 'https://api.example.com/').host).toBe('api.example.com');
    });

    it(`a 15,000-character path: instance cut to ${MAX_INSTANCE_LENGTH} characters, never inside an escape`, async () => {
      const long = await request(app).get(`/${'a'.repeat(15_000)}`);
      expect(long.body.instance).toBe(`/${'a'.repeat(MAX_INSTANCE_LENGTH - 1)}`);
      const escaped = await request(app).get(`/${'%C3%A9'.repeat(2_000)}`);
      expect(escaped.body.instance.length).toBeLessThanOrEqual(MAX_INSTANCE_LENGTH);
      // whole characters only: a client can still decode it
      expect(escaped.body.instance).toMatch(/^\/(%C3%A9)+$/);
      const emoji = await request(app).get(`/${encodeURIComponent('🙈').repeat(1_000)}`);
      expect(emoji.body.instance).toMatch(/^\/(%F0%9F%99%88)+$/);
      expect(emoji.body.instance.length).toBeGreaterThan(MAX_INSTANCE_LENGTH - 12);
    });
  });

  describe(`item 6: a problem body is at most ${MAX_PROBLEM_BYTES} bytes`, () => {
    const huge = 'x'.repeat(3 * 1024 * 1024);
    function appWith(options: Parameters<typeof errorHandler>[0]) {
      const app = express();
      app.get('/extension', () => {
        throw new Conflict('Email taken', { code: 'email_taken', extensions: { blob: huge, hint: 'kept', also: [1, 2] } });
      });
      app.get('/title', () => {
        throw new NotFound('No user 42');
      });
      app.get('/type-and-code', () => {
        throw new Conflict('x', { type: `https://errors.example.com/${huge}`, code: huge, extensions: { kept: true } });
      });
      app.use(errorHandler(options));
      return app;
    }

    it('a 3 MB extension is left out and logged; the standard members, the others and requestId stay', async () => {
      const logger = noteLogger();
      const res = await request(appWith({ log: logger.log }))
        .get('/extension')
        .set('X-Request-Id', 'req-1');
      expect(res.status).toBe(409);
      expectWellFormed(res);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Email taken',
        instance: '/extension',
        code: 'email_taken',
        hint: 'kept',
        also: [1, 2],
        requestId: 'req-1',
      });
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: left "blob" out of a 409 problem: the body would pass 64 KiB (MAX_PROBLEM_BYTES): send less in it',
      ]);
    });

    it(`a 2 MB translated title is cut to ${MAX_DETAIL_LENGTH} characters`, async () => {
      const title = '€'.repeat(2 * 1024 * 1024);
      const res = await request(appWith({ log: false, translate: () => ({ language: 'fr', title }) })).get('/title');
      expect(res.status).toBe(404);
      expectWellFormed(res);
      expect(res.body.title).toBe(`${'€'.repeat(MAX_DETAIL_LENGTH - 1)}…`);
      expect(res.body.detail).toBe('No user 42');
      expect(res.headers['content-language']).toBe('fr');
    });

    it('a type or code too long to be an identifier: about:blank, and no code', async () => {
      const logger = noteLogger();
      const res = await request(appWith({ log: logger.log })).get('/type-and-code');
      expectWellFormed(res);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'x',
        instance: '/type-and-code',
        kept: true,
      });
      expect(logger.messages('warn')).toHaveLength(2);
    });

    it('a format body over the bound: the problem is sent instead, and that is logged', async () => {
      const logger = noteLogger();
      const res = await request(appWith({ log: logger.log, format: () => ({ error: huge }) })).get('/title');
      expect(res.status).toBe(404);
      expectWellFormed(res);
      expect(res.body.title).toBe('Not Found');
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: the format function returned a body over 64 KiB; the problem was sent instead',
      ]);
    });

    it('debug output is bounded too: a huge stack is left out', async () => {
      const app = express();
      app.get('/stack', () => {
        const err = new InternalServerError('db down');
        Object.defineProperty(err, 'stack', { value: huge });
        throw err;
      });
      app.use(errorHandler({ log: false, debug: true }));
      const res = await request(app).get('/stack');
      expect(res.status).toBe(500);
      expectWellFormed(res);
      expect(res.body.stack).toBeUndefined();
    });
  });

  describe('item 7: a hook cannot change what is sent by changing what it was given', () => {
    it('format mutates the problem, then throws: the problem as built is sent', async () => {
      const app = express();
      app.get('/missing', () => {
        throw new NotFound('No user 42');
      });
      app.use(
        errorHandler({
          log: false,
          format: (problem) => {
            Object.assign(problem, { status: 200, title: 'OK', detail: 'hijacked', injected: true });
            throw new Error('format broke');
          },
        }),
      );
      const res = await request(app).get('/missing');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user 42', instance: '/missing' });
    });

    it('translate mutates the problem and returns a translation: only the translation is taken', async () => {
      const app = express();
      app.get('/missing', () => {
        throw new NotFound('No user 42');
      });
      app.use(
        errorHandler({
          log: false,
          translate: (problem) => {
            Object.assign(problem, { status: 200, type: 'https://evil.example/', instance: '//evil.example' });
            return { language: 'fr', title: 'Introuvable' };
          },
        }),
      );
      const res = await request(app).get('/missing');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Introuvable', status: 404, detail: 'No user 42', instance: '/missing' });
    });

    it('tracing or log changing the error (status, expose) changes neither the status line nor what is exposed', async () => {
      const app = express();
      app.get('/missing', () => {
        throw new NotFound('No user 42');
      });
      app.get('/secret', () => {
        throw new InternalServerError('password=hunter2');
      });
      app.use(
        errorHandler({
          logLevel: { '4xx': 'warn' },
          log: (error) => Object.assign(error as object, { expose: true }),
          tracing: (err) => {
            Object.assign(err, { status: 200 });
            return undefined;
          },
        }),
      );
      const missing = await request(app).get('/missing');
      expect(missing.status).toBe(404);
      expect(missing.body.status).toBe(404);
      const secret = await request(app).get('/secret');
      expect(secret.status).toBe(500);
      expect(secret.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/secret' });
      expect(secret.text).not.toContain('hunter2');
    });
  });

  describe('item 12: a warning on the console is one line that says what to change', () => {
    it('a format that throws: one line, with the cause, no stack and no dump', async () => {
      await withConsole('warn', async (spy) => {
        const app = express();
        app.get('/missing', () => {
          throw new NotFound('No user 42');
        });
        app.use(
          errorHandler({
            format: () => {
              throw new TypeError('format broke');
            },
          }),
        );
        expect((await request(app).get('/missing')).status).toBe(404);
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /missing: the format function threw, or returned what cannot be serialized; the problem was sent instead (TypeError: format broke)',
          ],
        ]);
      });
    });

    it('the stack follows only with debug: true', async () => {
      await withConsole('warn', async (spy) => {
        const app = express();
        app.get('/missing', () => {
          throw new NotFound('No user 42');
        });
        app.use(
          errorHandler({
            debug: true,
            format: () => {
              throw new TypeError('format broke');
            },
          }),
        );
        await request(app).get('/missing');
        expect(spy).toHaveBeenCalledTimes(1);
        const [line, ...rest] = String(spy.mock.calls[0]![0]).split('\n');
        expect(line).toMatch(/the problem was sent instead \(TypeError: format broke\)$/);
        expect(rest[0]).toBe('TypeError: format broke');
        expect(rest[1]).toMatch(/^\s+at /);
      });
    });

    it('an undeclared error, a missing challenge, a dropped header: one line each', async () => {
      await withConsole('warn', async (spy) => {
        const app = express();
        app.get(
          '/declared',
          handle({ errors: [] }, () => {
            throw new Conflict('taken');
          }),
        );
        app.get('/who', () => {
          throw new Unauthorized('who?');
        });
        app.get('/evil', () => {
          throw new Conflict('x', { headers: { 'X-Evil': 'a\r\nSet-Cookie: pwn=1' } });
        });
        app.use(errorHandler({ undeclaredErrors: 'warn' }));
        await request(app).get('/declared');
        await request(app).get('/who');
        await request(app).get('/evil');
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /declared: GET /declared threw a 409 Conflict that its handle() spec does not declare: add Conflict (or a parent class) to its errors, to those of a handle() middleware before it, or to errorHandler({ errors }) and openApi(app, { errors }) (Conflict: taken)',
          ],
          [
            'express-typed-errors: GET /who: a 401 went out without the WWW-Authenticate header RFC 9110 requires: set its `challenge` option or errorHandler({ challenge }) (reported once) (Unauthorized: who?)',
          ],
          [
            'express-typed-errors: GET /evil: dropped invalid header(s) X-Evil of a 409 problem: a header name is a token, a value has no CR, LF or NUL (Conflict: x)',
          ],
        ]);
      });
    });
  });

  describe('property: no answer exceeds the bound, whatever is thrown', () => {
    /** Text of a given length in characters that serialize to 1, 3 or 6 bytes each. */
    const text = fc
      .tuple(fc.constantFrom('x', '€', '\u0001', '🙈', '"'), fc.constantFrom(0, 10, 1_000, 20_000, 70_000, 300_000))
      .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
    const scenario = fc.record({
      title: fc.option(text, { nil: undefined }),
      detail: fc.option(text, { nil: undefined }),
      extensions: fc.dictionary(
        fc.constantFrom('errors', 'blob', 'data', '__proto__', 'nested'),
        fc.oneof(text, fc.array(text, { maxLength: 3 })),
      ),
      translation: fc.option(fc.record({ title: fc.option(text, { nil: undefined }), detail: fc.option(text, { nil: undefined }) }), {
        nil: undefined,
      }),
      pathLength: fc.constantFrom(0, 100, 5_000, 12_000),
      debug: fc.boolean(),
      status: fc.constantFrom(400, 404, 409, 422, 500, 502),
    });
    type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

    it('100 generated errors per run and Express version', async () => {
      let current: Scenario | undefined;
      const build = (debug: boolean) => {
        const app = express();
        app.use('/boom', () => {
          const s = current!;
          throw createHttpError(s.status, s.detail, { title: s.title, extensions: s.extensions, expose: true });
        });
        app.use(
          errorHandler({
            log: false,
            debug,
            translate: () => (current?.translation ? { language: 'fr', ...current.translation } : undefined),
          }),
        );
        return app;
      };
      const apps = { plain: build(false), debug: build(true) };
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          current = s;
          const res = await request(s.debug ? apps.debug : apps.plain).get(`/boom/${'p'.repeat(s.pathLength)}`);
          expect(res.status).toBe(s.status);
          expectWellFormed(res);
        }),
        { numRuns: 100 },
      );
    }, 120_000);
  });
});
