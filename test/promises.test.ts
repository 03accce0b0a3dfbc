/**
 * Each promise of "What the error handler promises", kept exactly, on Express 5 and 4: the holes a
 * newcomer and an attacker found in 0.1.0 (issue 10), one `describe` each, in the order.
 */
import zlib from 'node:zlib';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import Joi from 'joi';
import {
  BadRequest,
  Conflict,
  Created,
  Accepted,
  HttpError,
  MAX_DETAIL_LENGTH,
  MAX_INSTANCE_LENGTH,
  MethodNotAllowed,
  NotFound,
  Ok,
  TooManyRequests,
  Unauthorized,
  errorHandler,
  fromJoi,
  fromZod,
  handle,
  methodNotAllowed,
  notFoundHandler,
} from '../src';
import { EXPRESS_VERSIONS, rawAnswer, recordingLogger, withConsole } from './apps';

/** A logger that records each call with its level, and the message of what it was given. */
function levelLogger() {
  const calls: { level: string; error: unknown; message: string }[] = [];
  return {
    calls,
    log: (error: unknown, _req: unknown, level: string) => {
      calls.push({ level, error, message: error instanceof Error ? error.message : String(error) });
    },
    messages: (level: string) => calls.filter((call) => call.level === level).map((call) => call.message),
  };
}

/** Makes a base-class error with any status, as plain JavaScript (or a cast) can. */
const anyStatus = (status: unknown, detail?: string): HttpError => Reflect.construct(HttpError, [status, detail]) as HttpError;

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('1. the status line carries the registered reason phrase; a title in any language goes in the body', () => {
    const titles = {
      latin1: 'Utilisateur introuvable — réessayez',
      cjk: 'ユーザーが見つかりません',
      emoji: 'Nothing here 🔍🙈',
    };
    const app = express();
    for (const [name, title] of Object.entries(titles)) {
      class Localized extends NotFound {
        override readonly title = title;
      }
      app.get(`/subclass/${name}`, () => {
        throw new Localized('x');
      });
      app.get(`/option/${name}`, () => {
        throw new Conflict('y', { title });
      });
    }
    // a response whose framing fails, so that the last resort answers
    app.get('/last-resort', ((_req, res, next) => {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = (name: string, value: number | string | readonly string[]) => {
        if (name === 'X-Content-Type-Options') throw new Error('the socket is gone');
        return setHeader(name, value);
      };
      next(new NotFound('x'));
    }) as RequestHandler);
    app.use(errorHandler({ log: false }));

    it.each(Object.entries(titles))('%s title, as a subclass field and as an option', async (name, title) => {
      const subclass = await rawAnswer(app, `/subclass/${name}`);
      expect(subclass.line).toBe('404 Not Found');
      expect(JSON.parse(subclass.body)).toMatchObject({ status: 404, title });
      const option = await rawAnswer(app, `/option/${name}`);
      expect(option.line).toBe('409 Conflict');
      expect(JSON.parse(option.body)).toMatchObject({ status: 409, title });
    });

    it('the last resort says 500 Internal Server Error, not the reason phrase of the status it failed to send', async () => {
      const res = await rawAnswer(app, '/last-resort');
      expect(res.line).toBe('500 Internal Server Error');
      expect(JSON.parse(res.body)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    });
  });

  describe('2. the handler owns the framing of a problem', () => {
    const app = express();
    const framing = {
      'Content-Encoding': 'gzip',
      'Content-Type': 'text/html',
      'Content-Length': '3',
      'Transfer-Encoding': 'chunked',
      'X-Kept': '1',
    };
    app.get('/ours', () => {
      throw new BadRequest('x', { headers: framing });
    });
    app.get('/foreign', () => {
      throw Object.assign(new Error('y'), { status: 400, expose: true, headers: framing });
    });
    app.use(errorHandler({ log: false }));

    it.each(['/ours', '/foreign'])('%s: an error cannot label the JSON body gzip or html', async (path) => {
      const res = await request(app).get(path);
      expect(res.status).toBe(400);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.headers['x-kept']).toBe('1');
      // the body decodes as what it is
      expect(JSON.parse(res.text).status).toBe(400);
      expect(() => zlib.gunzipSync(Buffer.from(res.text))).toThrow();
    });
  });

  describe('3. a status outside 400–599 is answered 500, with the original in the log', () => {
    const logger = recordingLogger();
    const app = express();
    const cases: [string, unknown][] = [
      ['200', 200],
      ['302', 302],
      ['600', 600],
      ['999', 999],
      ['string', '404'],
      ['1000', 1000],
      ['NaN', Number.NaN],
      ['404.5', 404.5],
    ];
    for (const [name, status] of cases) {
      app.get(`/${name}`, () => {
        throw anyStatus(status, 'detail');
      });
    }
    app.get('/302-location', () => {
      throw Reflect.construct(HttpError, [302, 'moved', { headers: { Location: 'https://evil.example' } }]) as HttpError;
    });
    app.use(errorHandler({ log: logger.log }));
    beforeEach(() => logger.calls.splice(0));

    it.each(cases)('%s', async (name, status) => {
      const res = await request(app).get(`/${name}`);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: `/${name}` });
      expect(logger.calls).toHaveLength(1);
      expect((logger.calls[0] as HttpError).status).toEqual(status);
    });

    it('a 302 with a Location does not redirect', async () => {
      const res = await request(app).get('/302-location');
      expect(res.status).toBe(500);
      expect(res.headers.location).toBeUndefined();
    });
  });

  describe('4. an error thrown after the response started reaches the log before next(err)', () => {
    const route: RequestHandler = (_req, res) => {
      res.status(200);
      res.write('{"partial":');
      throw new Conflict('too late');
    };

    it('through the log option', async () => {
      const logger = levelLogger();
      const app = express();
      app.get('/late', route);
      app.use(errorHandler({ log: logger.log }));
      await expect(request(app).get('/late')).rejects.toThrow();
      expect(logger.calls).toEqual([expect.objectContaining({ level: 'error', message: 'too late' })]);
    });

    it('through the console by default, under NODE_ENV=test too', async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.get('/late', route);
        app.use(errorHandler());
        await expect(request(app).get('/late')).rejects.toThrow();
        expect(spy).toHaveBeenCalledWith('express-typed-errors: GET /late', expect.objectContaining({ message: 'too late' }));
      });
    });
  });

  describe('5. a hook or a getter that throws is logged and changes nothing in the answer', () => {
    const thrower = (): never => {
      throw new Error('hook bug');
    };
    function appWith(options: Parameters<typeof errorHandler>[0]) {
      const app = express();
      app.get('/missing', () => {
        throw new NotFound('No user 42');
      });
      app.get('/foreign', () => {
        throw Object.assign(new Error('No user 42'), { status: 404, expose: true });
      });
      app.get('/conflict', () => {
        const extensions = Object.defineProperty({ kept: 1 }, 'exploding', { get: thrower, enumerable: true });
        throw new Conflict('Email taken', { code: 'email_taken', extensions });
      });
      app.use(errorHandler(options));
      return app;
    }

    it('a logLevel function', async () => {
      const logger = levelLogger();
      const res = await request(appWith({ log: logger.log, logLevel: thrower })).get('/missing');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user 42', instance: '/missing' });
      expect(logger.messages('warn')).toEqual(['express-typed-errors: the logLevel function threw; the default level was used']);
      expect((logger.calls[0]!.error as Error).cause).toEqual(new Error('hook bug'));
    });

    it('a map function', async () => {
      const logger = levelLogger();
      const res = await request(appWith({ log: logger.log, map: [thrower] })).get('/foreign');
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe('No user 42');
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: a map function threw; it was skipped: a mapper returns undefined for what it does not know',
      ]);
    });

    it('a tracing function', async () => {
      const logger = levelLogger();
      const res = await request(appWith({ log: logger.log, tracing: thrower })).get('/missing');
      expect(res.status).toBe(404);
      expect(res.body.instance).toBe('/missing');
      expect(logger.messages('warn')).toEqual(['express-typed-errors: the tracing function threw; its members were left out']);
    });

    it('an extension whose getter throws is left out alone', async () => {
      const logger = levelLogger();
      const res = await request(appWith({ log: logger.log })).get('/conflict');
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Email taken',
        instance: '/conflict',
        code: 'email_taken',
        kept: 1,
      });
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: left "exploding" out of a 409 problem: it could not be read or serialized: make it plain JSON data (no BigInt, cycle or throwing getter)',
      ]);
    });
  });

  describe('6. a member that cannot be serialized is dropped alone; code and requestId stay', () => {
    const logger = levelLogger();
    const app = express();
    app.get('/bigint', () => {
      throw new Conflict('x', { code: 'over_limit', extensions: { amount: 10n, currency: 'EUR' } });
    });
    app.get('/tojson', () => {
      const bad = {
        toJSON() {
          throw new Error('cannot');
        },
      };
      throw new Conflict('x', { code: 'odd', extensions: { bad, fine: [1, 2] } });
    });
    app.use(errorHandler({ log: logger.log }));
    beforeEach(() => logger.calls.splice(0));

    it.each([
      ['/bigint', 'amount', { code: 'over_limit', currency: 'EUR' }],
      ['/tojson', 'bad', { code: 'odd', fine: [1, 2] }],
    ])('%s', async (path, dropped, kept) => {
      const res = await request(app).get(path).set('X-Request-Id', 'req-1');
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'x',
        instance: path,
        requestId: 'req-1',
        ...kept,
      });
      expect(logger.messages('warn')).toEqual([
        `express-typed-errors: left "${dropped}" out of a 409 problem: it could not be read or serialized: make it plain JSON data (no BigInt, cycle or throwing getter)`,
      ]);
    });
  });

  describe('7. a success result that drops a header logs it, as an error does', () => {
    const evil = { 'X-Evil': 'a\r\nSet-Cookie: pwn=1', 'X-Good': 'yes' };

    it('returned from handle(): through req.log or the console', async () => {
      await withConsole('warn', async (spy) => {
        const app = express();
        app.get(
          '/returned',
          handle(() => new Ok({ ok: true }, { headers: evil })),
        );
        const res = await request(app).get('/returned');
        expect(res.status).toBe(200);
        expect(res.headers['x-good']).toBe('yes');
        expect(res.headers['set-cookie']).toBeUndefined();
        // one line, with what to change; no dump of the result
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /returned: dropped invalid header(s) X-Evil of a 200 result: a header name is a token, a value has no CR, LF or NUL',
          ],
        ]);
      });
    });

    it('thrown to errorHandler(): through its log option', async () => {
      const logger = levelLogger();
      const app = express();
      app.get('/thrown', () => {
        throw new Ok({ ok: true }, { headers: evil });
      });
      app.use(errorHandler({ log: logger.log }));
      const res = await request(app).get('/thrown');
      expect(res.status).toBe(200);
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: dropped invalid header(s) X-Evil of a 200 result: a header name is a token, a value has no CR, LF or NUL',
      ]);
    });
  });

  describe('8. no input comes back in a validation body', () => {
    const app = express();
    app.use(express.json());
    const strict = z.object({ name: z.string() }).strict();
    const adult = z.object({ age: z.number().min(18) });
    const choice3 = z3.object({ plan: z3.enum(['free', 'pro']) });
    const pin = Joi.object({ pin: Joi.string().pattern(/^\d{4}$/), age: Joi.number().min(18) }).unknown(false);
    app.post('/zod-strict', (req) => {
      strict.parse(req.body);
    });
    app.post('/zod-input', (req) => {
      adult.parse(req.body, { reportInput: true });
    });
    app.post('/zod3-enum', (req) => {
      choice3.parse(req.body);
    });
    app.post(
      '/joi',
      handle(async (req) => {
        await pin.validateAsync(req.body, { abortEarly: false });
      }),
    );
    app.use(errorHandler({ log: false, map: [fromZod, fromJoi] }));

    it("zod 4's defaults: an unknown key the client sent is not quoted", async () => {
      const res = await request(app).post('/zod-strict').send({ name: 'a', '<script>alert(1)</script>': 1 });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ detail: 'Invalid value', pointer: '#' }]);
      expect(res.text).not.toContain('script');
    });

    it('with reportInput, a message that does not quote the value is kept: 1 is not in ">=18"', async () => {
      const res = await request(app).post('/zod-input').send({ age: 1 });
      expect(res.body.errors).toEqual([{ detail: 'Too small: expected number to be >=18', pointer: '#/age' }]);
    });

    it("zod 3's enum message quotes the value: replaced", async () => {
      const res = await request(app).post('/zod3-enum').send({ plan: 'hunter2' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ detail: 'Invalid value', pointer: '#/plan' }]);
      expect(res.text).not.toContain('hunter2');
    });

    it("joi: a pattern message quoting the value is replaced, a number's limit is not, an unknown key is not quoted", async () => {
      const res = await request(app).post('/joi').send({ pin: 'hunter2', age: 1, '<b>': 1 });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { detail: '"pin" is not valid', pointer: '#/pin' },
        { detail: '"age" must be greater than or equal to 18', pointer: '#/age' },
        { detail: 'This key is not allowed', pointer: '#/%3Cb%3E' },
      ]);
      expect(res.text).not.toMatch(/hunter2|<b>/);
    });

    it("body-parser's invalid JSON gets a fixed detail", async () => {
      const res = await request(app).post('/zod-strict').set('Content-Type', 'application/json').send('{"password": hunter2}');
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('The request body could not be parsed');
      expect(res.text).not.toContain('hunter2');
    });
  });

  describe(`9. an exposed detail is capped at ${MAX_DETAIL_LENGTH} characters`, () => {
    const app = express();
    app.get('/huge', () => {
      throw new BadRequest('x'.repeat(5_000_000));
    });
    app.get('/emoji', () => {
      throw new BadRequest('🙈'.repeat(MAX_DETAIL_LENGTH));
    });
    app.use(notFoundHandler());
    app.use(errorHandler({ log: false }));

    it('a 5 MB message', async () => {
      const res = await request(app).get('/huge');
      expect(res.status).toBe(400);
      expect(res.body.detail).toHaveLength(MAX_DETAIL_LENGTH);
      expect(String(res.body.detail).endsWith('…')).toBe(true);
      expect(res.text.length).toBeLessThan(MAX_DETAIL_LENGTH + 200);
    });

    it('never cut inside a surrogate pair', async () => {
      const res = await request(app).get('/emoji');
      expect(res.body.detail.length).toBeLessThanOrEqual(MAX_DETAIL_LENGTH);
      expect(String(res.body.detail).isWellFormed()).toBe(true);
    });

    it("notFoundHandler()'s detail does not repeat a 15 KB path in full", async () => {
      const path = `/${'a'.repeat(15_000)}`;
      const res = await request(app).get(path);
      expect(res.status).toBe(404);
      expect(res.body.instance).toBe(path.slice(0, MAX_INSTANCE_LENGTH));
      expect(res.body.detail).toHaveLength(MAX_DETAIL_LENGTH);
      expect(String(res.body.detail).startsWith('Cannot GET /aaa')).toBe(true);
    });
  });

  describe("10. a failed route's caching, location and content headers do not describe the problem", () => {
    const app = express();
    const route =
      (error: () => unknown): RequestHandler =>
      (_req, res) => {
        res.setHeader('Cache-Control', 'public, max-age=86400');
        res.setHeader('Expires', new Date(Date.now() + 86_400_000).toUTCString());
        res.setHeader('Location', '/somewhere');
        res.setHeader('ETag', '"v1"');
        res.setHeader('Last-Modified', new Date(0).toUTCString());
        res.setHeader('Content-Language', 'de');
        res.setHeader('Content-Disposition', 'attachment; filename="report.csv"');
        res.setHeader('Content-Location', '/report.csv');
        res.setHeader('Content-Security-Policy', "default-src 'none'");
        res.setHeader('X-Kept', 'yes');
        throw error();
      };
    app.get(
      '/500',
      route(() => new Error('db down')),
    );
    app.get(
      '/own-location',
      route(() => new Conflict('exists', { headers: { Location: '/users/1', 'Cache-Control': 'no-store' } })),
    );
    app.use(errorHandler({ log: false }));

    it('a cacheable route that failed sends an uncacheable 500 without its Location', async () => {
      const res = await request(app).get('/500');
      expect(res.status).toBe(500);
      for (const name of [
        'cache-control',
        'expires',
        'location',
        'etag',
        'last-modified',
        'content-language',
        'content-disposition',
        'content-location',
      ]) {
        expect([name, res.headers[name]]).toEqual([name, undefined]);
      }
      expect(res.headers['content-security-policy']).toBe("default-src 'none'");
      expect(res.headers['x-kept']).toBe('yes');
    });

    it('unless the error sets them itself', async () => {
      const res = await request(app).get('/own-location');
      expect(res.status).toBe(409);
      expect(res.headers.location).toBe('/users/1');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.expires).toBeUndefined();
    });
  });

  describe("11. a location is always taken literally: 'back' is not the Referer", () => {
    const app = express();
    app.post(
      '/created',
      handle(() => new Created({ id: 1 }, { location: 'back' })),
    );
    app.post(
      '/accepted',
      handle(() => new Accepted(undefined, { location: 'back' })),
    );

    it.each(['/created', '/accepted'])('%s', async (path) => {
      const res = await request(app).post(path).set('Referer', 'https://evil.example/phish');
      expect(res.headers.location).toBe('back');
    });
  });

  describe('13. log lines name the path without its query string', () => {
    it('the default console logger', async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.get('/boom', () => {
          throw new Error('kaput');
        });
        app.use(errorHandler());
        await request(app).get('/boom?token=SECRET').expect(500);
        expect(spy).toHaveBeenCalledTimes(1);
        expect(spy.mock.calls[0]![0]).toBe('express-typed-errors: GET /boom');
        expect(JSON.stringify(spy.mock.calls)).not.toContain('SECRET');
      });
    });
  });

  describe('14. `code` comes from the code option only: extensions.code is never sent', () => {
    const app = express();
    app.get('/both', () => {
      throw new Conflict('x', { code: 'option_wins', extensions: { code: 'extension_loses', other: 1 } });
    });
    app.get('/extension-only', () => {
      throw new Conflict('x', { extensions: { code: 'not_sent' } });
    });
    app.use(errorHandler({ log: false }));

    it('the option wins', async () => {
      const res = await request(app).get('/both');
      expect(res.body).toMatchObject({ code: 'option_wins', other: 1 });
    });

    it('an extension alone does not set it', async () => {
      const res = await request(app).get('/extension-only');
      expect(res.body.code).toBeUndefined();
      expect(res.text).not.toContain('not_sent');
    });
  });

  describe('15. headers RFC 9110 requires: an app-wide challenge, a warning where one is missing, a loud invalid option', () => {
    function appWith(options: Parameters<typeof errorHandler>[0]) {
      const app = express();
      app.get('/401', () => {
        throw new Unauthorized();
      });
      app.get('/401-own', () => {
        throw new Unauthorized(undefined, { challenge: 'Basic realm="admin"' });
      });
      app.get('/405-js', () => {
        // what plain JavaScript can do, and TypeScript refuses
        throw new (MethodNotAllowed as unknown as new () => Error)();
      });
      app.get('/nan', () => {
        throw new TooManyRequests('slow down', { retryAfter: Number.NaN });
      });
      app.use(errorHandler(options));
      return app;
    }

    it('errorHandler({ challenge }) answers a 401 that has none with it, and keeps its own', async () => {
      const app = appWith({ log: false, challenge: 'Bearer realm="api"' });
      expect((await request(app).get('/401')).headers['www-authenticate']).toBe('Bearer realm="api"');
      expect((await request(app).get('/401-own')).headers['www-authenticate']).toBe('Basic realm="admin"');
    });

    it('a 401 or 405 without its header is answered, and reported once as a warning', async () => {
      const logger = levelLogger();
      const app = appWith({ log: logger.log });
      for (let i = 0; i < 3; i++) expect((await request(app).get('/401')).status).toBe(401);
      expect((await request(app).get('/405-js')).status).toBe(405);
      expect(logger.messages('warn')).toEqual([
        'express-typed-errors: a 401 went out without the WWW-Authenticate header RFC 9110 requires: set its `challenge` option or errorHandler({ challenge }) (reported once)',
        'express-typed-errors: a 405 went out without the Allow header RFC 9110 requires: set its `allow` option (reported once)',
      ]);
    });

    it('retryAfter: NaN fails where it is written: a 500 whose log names the option', async () => {
      const logger = levelLogger();
      const res = await request(appWith({ log: logger.log })).get('/nan');
      expect(res.status).toBe(500);
      expect(logger.messages('error')).toEqual(['express-typed-errors: retryAfter (Retry-After) must be seconds or a Date, not NaN']);
    });
  });

  describe('17. misuse answers well and says what is wrong', () => {
    it('app.use(notFoundHandler) without the call: a 404, and an error in the log', async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.use(notFoundHandler as unknown as RequestHandler);
        app.use(errorHandler({ log: false }));
        const res = await request(app).get('/nowhere');
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe('Cannot GET /nowhere');
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /nowhere: app.use(notFoundHandler) is missing its call: write app.use(notFoundHandler()). Answered with the defaults.',
          ],
        ]);
      });
    });

    it('app.use(methodNotAllowed) without the call: still a 405 with Allow, and an error in the log', async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.get('/users', (_req, res) => {
          res.json([]);
        });
        app.use(methodNotAllowed as unknown as RequestHandler);
        app.use(errorHandler({ log: false }));
        const res = await request(app).delete('/users');
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: DELETE /users: app.use(methodNotAllowed) is missing its call: write app.use(methodNotAllowed()). Answered with the defaults.',
          ],
        ]);
      });
    });

    it("app.use(errorHandler) without the call: a problem, not Express's HTML page, and an error in the log", async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.get('/missing', () => {
          throw new NotFound('No user 42');
        });
        app.use(errorHandler as unknown as RequestHandler);
        const res = await request(app).get('/missing');
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.body.detail).toBe('No user 42');
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /missing: app.use(errorHandler) is missing its call: write app.use(errorHandler()). Answered with the defaults.',
          ],
        ]);
      });
    });

    it('a handle() handler that returns a plain object: a logged 500, not a hang', async () => {
      const logger = levelLogger();
      const app = express();
      app.get('/plain', handle((() => ({ id: 1 })) as unknown as () => Ok<unknown>));
      app.use(errorHandler({ log: logger.log }));
      const res = await request(app).get('/plain');
      expect(res.status).toBe(500);
      expect(logger.messages('error')).toEqual([
        'express-typed-errors: the handle() handler of GET /plain returned an object, which is not a result: return new Ok(value) (or another result), or answer through res and return nothing',
      ]);
    });

    it('a result returned after the handler answered through res: the first answer stands, and the log says why', async () => {
      await withConsole('error', async (spy) => {
        const app = express();
        app.get(
          '/twice',
          handle((_req, res) => {
            res.json({ first: true });
            return new Created({ second: true }, { location: '/x' });
          }),
        );
        const res = await request(app).get('/twice');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ first: true });
        expect(spy.mock.calls).toEqual([
          [
            'express-typed-errors: GET /twice: the handle() handler of GET /twice returned a 201 result after it had answered through res: the result was not sent',
          ],
        ]);
      });
    });
  });
});
