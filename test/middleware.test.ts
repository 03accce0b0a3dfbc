import createError from 'http-errors';
import request from 'supertest';
import { BadRequest, Conflict, InternalServerError, NotFound, Unauthorized, errorHandler, handle, notFoundHandler } from '../src';
import { EXPRESS_VERSIONS, recordingLogger } from './apps';

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('errorHandler', () => {
    const logger = recordingLogger();
    const app = express();
    app.get('/users/:id', (req) => {
      throw new NotFound(`No user ${req.params.id}`);
    });
    app.get('/secret', () => {
      throw new Error('password=hunter2 at /srv/app/db.js');
    });
    app.get('/string', () => {
      throw 'password=hunter2';
    });
    app.get(
      '/async',
      handle(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        throw new Error('async password=hunter2');
      }),
    );
    app.get('/internal', () => {
      throw new InternalServerError('connection string postgres://u:p@db');
    });
    app.get('/conflict', () => {
      throw new Conflict('Email taken', {
        code: 'email_taken',
        extensions: { email: 'a@b.c', status: 999, title: 'overwritten?', type: 'x', detail: 'y', instance: 'z' },
      });
    });
    app.get('/circular', () => {
      const extensions: Record<string, unknown> = { n: 1n };
      throw new BadRequest('bad', { extensions });
    });
    app.get('/hidden', () => {
      throw new BadRequest('internal reason', { expose: false });
    });
    app.get('/content-headers', (_req, res) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Disposition', 'attachment; filename="a.csv"');
      res.setHeader('ETag', '"abc"');
      res.setHeader('Last-Modified', new Date(0).toUTCString());
      res.setHeader('Content-Language', 'de');
      res.setHeader('X-Kept', 'yes');
      throw new Conflict('changed meanwhile');
    });
    app.get('/partial', (_req, res) => {
      res.status(200);
      res.write('{"partial":');
      throw new Conflict('too late');
    });
    app.get('/http-errors', () => {
      throw createError(401, 'token expired', { headers: { 'WWW-Authenticate': 'Bearer' } });
    });
    app.get('/bad-header', () => {
      throw new BadRequest('x', { headers: { 'X-Evil': 'a\r\nSet-Cookie: pwn=1', 'X-Good': 'ok' } });
    });
    app.use(notFoundHandler());
    app.use(errorHandler({ log: logger.log }));

    beforeEach(() => logger.calls.splice(0));

    it('answers a thrown NotFound with its detail and the path as instance', async () => {
      const res = await request(app).get('/users/42?expand=all');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user 42', instance: '/users/42' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(logger.calls).toHaveLength(0); // 4xx are not logged
    });

    it.each(['/secret', '/string', '/async'])(
      '%s: a plain Error, a string or a rejection is a 500 with no trace of its message',
      async (path) => {
        const res = await request(app).get(path);
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: path });
        expect(res.text).not.toMatch(/hunter2|srv|stack|at /);
        // the original error reaches the log, once
        expect(logger.calls).toHaveLength(1);
        const [logged] = logger.calls;
        expect(logged instanceof Error ? logged.message : logged).toMatch(/hunter2/);
        // and the server keeps serving
        expect((await request(app).get('/users/1')).status).toBe(404);
      },
    );

    it('never shows the detail of a 5xx, even our own', async () => {
      const res = await request(app).get('/internal');
      expect(res.status).toBe(500);
      expect(res.text).not.toContain('postgres');
      expect(logger.calls).toEqual([expect.any(InternalServerError)]);
    });

    it('hides the detail of a 4xx marked expose: false', async () => {
      const res = await request(app).get('/hidden');
      expect(res.status).toBe(400);
      expect(res.body.detail).toBeUndefined();
      expect(res.text).not.toContain('internal reason');
    });

    it('puts code and extensions at the top level without overwriting standard members', async () => {
      const res = await request(app).get('/conflict');
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Email taken',
        instance: '/conflict',
        code: 'email_taken',
        email: 'a@b.c',
      });
    });

    it('falls back to the standard members when extensions cannot be serialized', async () => {
      const res = await request(app).get('/circular');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'bad', instance: '/circular' });
    });

    it('answers plain application/json to a client that asks for JSON but not problem+json', async () => {
      const json = await request(app).get('/users/1').set('Accept', 'application/json');
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const problem = await request(app).get('/users/1').set('Accept', 'application/problem+json, application/json;q=0.5');
      expect(problem.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const html = await request(app).get('/users/1').set('Accept', 'text/html');
      expect(html.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(html.body.status).toBe(404);
    });

    it('removes the content headers a route set before failing, keeps the others', async () => {
      const res = await request(app).get('/content-headers');
      expect(res.status).toBe(409);
      for (const header of ['content-encoding', 'content-disposition', 'etag', 'last-modified', 'content-language']) {
        expect(res.headers[header]).toBeUndefined();
      }
      expect(res.headers['x-kept']).toBe('yes');
      expect(res.body.detail).toBe('changed meanwhile');
    });

    it('hands the error to next() once the response has started, so Express ends it', async () => {
      await expect(request(app).get('/partial')).rejects.toThrow();
      expect((await request(app).get('/users/2')).status).toBe(404);
    });

    it('answers an http-errors error with its status, message and headers', async () => {
      const res = await request(app).get('/http-errors');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'token expired' });
    });

    it('drops a header value with CR/LF instead of crashing or injecting, and logs that', async () => {
      const res = await request(app).get('/bad-header');
      expect(res.status).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-evil']).toBeUndefined();
      expect(res.headers['x-good']).toBe('ok');
      expect(String((logger.calls[0] as Error).message)).toBe(
        'express-typed-errors: dropped invalid header(s) X-Evil of a 400 problem: a header name is a token, a value has no CR, LF or NUL',
      );
    });

    it('answers unmatched routes with a 404 problem', async () => {
      const res = await request(app).post('/nowhere?x=1');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Cannot POST /nowhere',
        instance: '/nowhere',
      });
    });

    it('answers HEAD without a body', async () => {
      const res = await request(app).head('/users/1');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.text).toBeUndefined();
    });
  });

  describe('options', () => {
    it('debug: true adds the stack and the cause chain', async () => {
      const app = express();
      app.get('/5xx', () => {
        throw new InternalServerError('db down', { cause: new Error('connect ECONNREFUSED', { cause: 'pool exhausted' }) });
      });
      app.get('/4xx', () => {
        throw new Unauthorized('who?', { cause: new Error('signature mismatch') });
      });
      app.get('/foreign', () => {
        throw new Error('weird', { cause: new Error('deeper') });
      });
      app.use(errorHandler({ debug: true, log: false }));
      // a foreign error: its own stack (where the app threw it) and cause, not those of the 500 it became
      const foreign = await request(app).get('/foreign');
      expect(foreign.body.stack).toMatch(/^Error: weird\n\s+at .*middleware\.test\.ts/);
      expect(foreign.body.cause).toMatchObject({ message: 'deeper' });
      const res = await request(app).get('/5xx');
      expect(res.status).toBe(500);
      expect(res.body.stack).toMatch(/^InternalServerError: db down\n\s+at /);
      expect(res.body.cause).toMatchObject({ name: 'Error', message: 'connect ECONNREFUSED', cause: 'pool exhausted' });
      // outside production a 4xx has its stack too, so a developer sees where it was thrown
      const client = await request(app).get('/4xx');
      expect(client.body.stack).toMatch(/^Unauthorized: who\?\n\s+at .*middleware\.test\.ts/);
      expect(client.body.cause).toMatchObject({ message: 'signature mismatch', stack: expect.stringMatching(/\n\s+at /) });
    });

    it('logs 5xx to the console with the stack by default, 4xx not at all', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const app = express();
        app.get('/boom', () => {
          throw new Error('kaput');
        });
        app.get('/missing', () => {
          throw new NotFound();
        });
        app.use(errorHandler());
        await request(app).get('/missing').expect(404);
        expect(spy).not.toHaveBeenCalled();
        await request(app).get('/boom').expect(500);
        expect(spy).toHaveBeenCalledTimes(1);
        expect(spy.mock.calls[0]?.[0]).toBe('express-typed-errors: GET /boom');
        expect((spy.mock.calls[0]?.[1] as Error).stack).toMatch(/kaput\n\s+at /);
      } finally {
        spy.mockRestore();
      }
    });

    it('log: false logs nothing, and a logger that throws changes nothing for the client', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const quiet = express();
        quiet.get('/', () => {
          throw new Error('x');
        });
        quiet.use(errorHandler({ log: false }));
        await request(quiet).get('/').expect(500);
        expect(spy).not.toHaveBeenCalled();

        const loud = express();
        loud.get('/', () => {
          throw new Error('x');
        });
        loud.use(
          errorHandler({
            log: () => {
              throw new Error('logger down');
            },
          }),
        );
        const res = await request(loud).get('/');
        expect(res.status).toBe(500);
        expect(res.body.status).toBe(500);
        expect(spy).toHaveBeenCalledWith(
          'express-typed-errors: the logger threw while logging',
          expect.objectContaining({ name: 'Error', message: 'x', stack: expect.stringMatching(/^Error: x\n/) }),
          'Error: logger down',
        );
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('interop with http-errors and Express itself', () => {
    it("Express's own final handler answers our errors with their status and headers", async () => {
      const app = express();
      app.get('/', () => {
        throw new Unauthorized('who?', { challenge: 'Basic realm="x"' });
      });
      const res = await request(app).get('/');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="x"');
      expect(res.text).toContain('who?');
    });
  });
});
