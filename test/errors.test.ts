import createError from 'http-errors';
import request from 'supertest';
import * as pkg from '../src';
import { ERROR_STATUSES, type ErrorStatus, HttpError, createHttpError, errorHandler, isHttpError } from '../src';
import { EXPRESS_VERSIONS } from './apps';

const STATUSES = Object.keys(ERROR_STATUSES).map(Number) as ErrorStatus[];

describe('the status table', () => {
  it('has a class for each of the 40 registered 4xx/5xx statuses, 418 included', () => {
    expect(STATUSES).toHaveLength(40);
    expect(STATUSES[0]).toBe(400);
    expect(STATUSES.at(-1)).toBe(511);
    expect(STATUSES).toContain(418);
    expect(STATUSES).not.toContain(509);
  });

  it.each(STATUSES)('%i: its class is exported under its name, with a literal status and working instanceof', (status) => {
    const name = ERROR_STATUSES[status][0];
    const Cls = (pkg as unknown as Record<string, new (detail?: string) => HttpError>)[name]!;
    expect(Cls.name).toBe(name);
    const err = new Cls('detail');
    expect(err).toBeInstanceOf(Cls);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(err.status).toBe(status);
    expect(err.statusCode).toBe(status);
    expect(err.title).toBe(ERROR_STATUSES[status][1]);
    expect(err.expose).toBe(status < 500);
    expect(createHttpError(status)).toBeInstanceOf(Cls);
    // http-errors' own guard accepts it, so Express's default handler reads its status
    expect(createError.isHttpError(err)).toBe(true);
  });

  it('exports the http-errors era names as the very same classes', () => {
    expect(pkg.PayloadTooLarge).toBe(pkg.ContentTooLarge);
    expect(pkg.UnprocessableEntity).toBe(pkg.UnprocessableContent);
    expect(new pkg.PayloadTooLarge()).toBeInstanceOf(pkg.ContentTooLarge);
  });

  it('refuses a status that has no class', () => {
    expect(() => createHttpError(200 as ErrorStatus)).toThrow(RangeError);
  });
});

describe('constructor', () => {
  it('takes no arguments, a detail, or a detail and options', () => {
    const bare = new pkg.NotFound();
    expect(bare.message).toBe('Not Found');
    expect(bare.detail).toBeUndefined();
    const cause = new Error('db down');
    const full = new pkg.NotFound('No user 42', {
      code: 'user_missing',
      type: 'https://example.com/probs/user-missing',
      cause,
      headers: { 'X-Trace': 'a' },
      extensions: { userId: 42 },
      expose: false,
    });
    expect(full.message).toBe('No user 42');
    expect(full.detail).toBe('No user 42');
    expect(full.code).toBe('user_missing');
    expect(full.type).toBe('https://example.com/probs/user-missing');
    expect(full.cause).toBe(cause);
    expect(full.headers).toEqual({ 'X-Trace': 'a' });
    expect(full.extensions).toEqual({ userId: 42 });
    expect(full.expose).toBe(false);
    expect('cause' in bare).toBe(false);
  });

  it('sets the headers of the status-specific options', () => {
    const date = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(new pkg.Unauthorized('x', { challenge: 'Bearer realm="api"' }).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
    expect(new pkg.ProxyAuthenticationRequired('x', { challenge: ['Basic', 'Bearer'] }).headers).toEqual({
      'Proxy-Authenticate': ['Basic', 'Bearer'],
    });
    expect(new pkg.MethodNotAllowed('x', { allow: ['GET', 'HEAD'] }).headers).toEqual({ Allow: 'GET, HEAD' });
    expect(new pkg.TooManyRequests('x', { retryAfter: 1.2 }).headers).toEqual({ 'Retry-After': '2' });
    expect(new pkg.ServiceUnavailable('x', { retryAfter: date }).headers).toEqual({ 'Retry-After': 'Wed, 02 Jan 2030 03:04:05 GMT' });
    expect(new pkg.ContentTooLarge('x', { retryAfter: -5 }).headers).toEqual({ 'Retry-After': '0' });
    expect(new pkg.RangeNotSatisfiable('x', { size: 1000 }).headers).toEqual({ 'Content-Range': 'bytes */1000' });
    expect(new pkg.UpgradeRequired('x', { upgrade: ['HTTP/2', 'h2c'] }).headers).toEqual({ Upgrade: 'HTTP/2, h2c' });
  });

  it('an option that cannot become its header throws where the error is made, naming the option', () => {
    expect(() => new pkg.TooManyRequests('x', { retryAfter: Number.NaN })).toThrow(
      new TypeError('express-typed-errors: retryAfter (Retry-After) must be seconds or a Date, not NaN'),
    );
    expect(() => new pkg.ServiceUnavailable('x', { retryAfter: Number.POSITIVE_INFINITY })).toThrow(/retryAfter/);
    expect(() => new pkg.ServiceUnavailable('x', { retryAfter: new Date('not a date') })).toThrow(
      /retryAfter \(Retry-After\) is an invalid Date/,
    );
    expect(() => new pkg.RangeNotSatisfiable('x', { size: -1 })).toThrow(/size \(Content-Range\) must be a whole number of bytes, not -1/);
    expect(() => new pkg.RangeNotSatisfiable('x', { size: 1.5 })).toThrow(TypeError);
  });

  it('the option of the status wins over a general header of the same name, whatever its case', () => {
    const err = new pkg.MethodNotAllowed(undefined, { allow: ['GET'], headers: { allow: 'POST', 'X-Other': '1' } });
    expect(err.headers).toEqual({ Allow: 'GET', 'X-Other': '1' });
  });

  it('a title option replaces the reason phrase as the title, in any language', () => {
    const err = new pkg.NotFound(undefined, { title: 'Utilisateur introuvable' });
    expect(err.title).toBe('Utilisateur introuvable');
    expect(err.message).toBe('Utilisateur introuvable');
  });
});

describe('stacks', () => {
  it('outside production every error keeps its stack, so debug output shows where a 404 was thrown', () => {
    expect(new pkg.BadGateway('upstream').stack).toMatch(/^BadGateway: upstream\n\s+at /);
    expect(new pkg.NotFound('No user 42').stack).toMatch(/^NotFound: No user 42\n\s+at .*errors\.test\.ts/);
  });

  it('with NODE_ENV=production a 4xx captures no frames, a 5xx keeps its stack, and the global limit is left as it was', () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    let production!: typeof pkg;
    try {
      jest.isolateModules(() => {
        production = require('../src') as typeof pkg;
      });
    } finally {
      process.env.NODE_ENV = env;
    }
    const limit = Error.stackTraceLimit;
    expect(new production.BadGateway('upstream').stack).toMatch(/^BadGateway: upstream\n\s+at /);
    expect(new production.NotFound('No user 42').stack).toBe('NotFound: No user 42');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('plain').stack).toMatch(/\n\s+at /);
  });
});

describe('subclasses', () => {
  class EmailTaken extends pkg.Conflict {
    override readonly code = 'email_taken';
  }
  class UserNotFound extends pkg.NotFound {
    constructor(id: number) {
      super(`No user ${id}`, { extensions: { userId: id } });
    }
  }

  it('keep their own name, the parent status and instanceof', () => {
    const err = new EmailTaken('Email taken');
    expect(err.name).toBe('EmailTaken');
    expect(err.status).toBe(409);
    expect(err.code).toBe('email_taken');
    expect(err).toBeInstanceOf(EmailTaken);
    expect(err).toBeInstanceOf(pkg.Conflict);
    expect(err).not.toBeInstanceOf(pkg.NotFound);
    expect(isHttpError(err, 409)).toBe(true);
    expect(isHttpError(err, 404)).toBe(false);
    expect(new UserNotFound(7).detail).toBe('No user 7');
    // a static code is the default of the instances, written once for them, the client and the document
    class Coded extends pkg.Conflict {
      static readonly code = 'coded';
    }
    expect(new Coded().code).toBe('coded');
    expect(new Coded(undefined, { code: 'given' }).code).toBe('given');
    expect(String(err.stack)).toMatch(/^EmailTaken: Email taken/);
  });
});

describe('isHttpError', () => {
  it('recognizes ours only, and by status when asked', () => {
    expect(isHttpError(new pkg.NotFound())).toBe(true);
    expect(isHttpError(new pkg.NotFound(), 404)).toBe(true);
    expect(isHttpError(new pkg.NotFound(), 400)).toBe(false);
    expect(isHttpError(createError(404))).toBe(false);
    expect(isHttpError({ status: 404 })).toBe(false);
    expect(isHttpError(null)).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(isHttpError(hostile)).toBe(false);
  });
});

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe.each(STATUSES)('%i over HTTP', (status) => {
    const app = express();
    app.get('/fail', (_req, _res, next) => next(createHttpError(status, 'the detail')));
    app.use(errorHandler({ log: false }));

    it('answers the status, problem+json and the RFC 9457 members', async () => {
      const res = await request(app).get('/fail?q=1');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const expected: Record<string, unknown> = {
        type: 'about:blank',
        title: ERROR_STATUSES[status][1],
        status,
        instance: '/fail',
      };
      // 4xx show their detail; a 5xx detail is never shown
      if (status < 500) expected.detail = 'the detail';
      expect(JSON.parse(res.text)).toEqual(expected);
    });
  });

  describe('status-specific headers over HTTP', () => {
    const app = express();
    const date = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    const errors: Record<string, HttpError> = {
      '401': new pkg.Unauthorized('log in', { challenge: 'Bearer realm="api"' }),
      '405': new pkg.MethodNotAllowed(undefined, { allow: ['GET', 'POST'] }),
      '407': new pkg.ProxyAuthenticationRequired(undefined, { challenge: 'Basic realm="proxy"' }),
      '413': new pkg.ContentTooLarge(undefined, { retryAfter: 30 }),
      '416': new pkg.RangeNotSatisfiable(undefined, { size: 512 }),
      '426': new pkg.UpgradeRequired(undefined, { upgrade: 'HTTP/2' }),
      '429': new pkg.TooManyRequests(undefined, { retryAfter: 60 }),
      '503': new pkg.ServiceUnavailable(undefined, { retryAfter: date }),
    };
    app.get('/:status', (req, _res, next) => next(errors[String(req.params.status)]));
    app.use(errorHandler({ log: false }));

    it.each([
      ['401', 'www-authenticate', 'Bearer realm="api"'],
      ['405', 'allow', 'GET, POST'],
      ['407', 'proxy-authenticate', 'Basic realm="proxy"'],
      ['413', 'retry-after', '30'],
      ['416', 'content-range', 'bytes */512'],
      ['426', 'upgrade', 'HTTP/2'],
      ['429', 'retry-after', '60'],
      ['503', 'retry-after', 'Wed, 02 Jan 2030 03:04:05 GMT'],
    ])('%s sends %s', async (status, header, value) => {
      const res = await request(app).get(`/${status}`);
      expect(res.status).toBe(Number(status));
      expect(res.headers[header]).toBe(value);
      expect(res.body.status).toBe(Number(status));
    });
  });
});
