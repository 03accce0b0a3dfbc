/**
 * What the Express ecosystem throws, triggered through the real libraries, on Express 5 and 4.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import Boom from '@hapi/boom';
import { celebrate, Joi as CelebrateJoi, Modes, Segments } from 'celebrate';
import { expressjwt } from 'express-jwt';
import { body, header, query, validationResult } from 'express-validator';
import Joi from 'joi';
import jwt from 'jsonwebtoken';
import multer from 'multer';
import request from 'supertest';
import { z } from 'zod';
import {
  type ErrorMapper,
  NotFound,
  errorHandler,
  fromCelebrate,
  fromExpressValidator,
  fromJoi,
  fromJsonWebToken,
  fromZod,
  handle,
  jsonPointer,
} from '../src';
import { EXPRESS_VERSIONS, recordingLogger } from './apps';

const FIXTURES = path.join(__dirname, 'fixtures');
const SECRET = 'test-secret';

/** A mapper an app writes for itself (here for a record-not-found code); it runs before the built-in ones. */
const appMapper: ErrorMapper = (value) =>
  typeof value === 'object' && value !== null && (value as { code?: unknown }).code === 'P2025'
    ? new NotFound('Record not found', { cause: value })
    : undefined;

const userSchema = z.object({ email: z.email(), tags: z.array(z.string()) });
const joiSchema = Joi.object({ email: Joi.string().email(), pin: Joi.string().pattern(/^\d{4}$/) });

/** Routes that throw a library's own error; mounted with and without the adapters. */
const parseWithZod = handle((req) => {
  userSchema.parse(req.body);
});
const verifyToken = handle((req) => {
  jwt.verify(typeof req.query.token === 'string' ? req.query.token : '', SECRET);
});

describe.each(EXPRESS_VERSIONS)('%s', (label, express) => {
  const expressName = label === 'Express 4' ? 'express4' : 'express';
  const logger = recordingLogger();
  const app = express();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 8 } });

  app.post('/json', express.json({ limit: '64b' }), (req, res) => {
    res.json(req.body);
  });
  app.get('/boom/:kind', (req) => {
    const kind = req.params.kind;
    if (kind === 'unauthorized') throw Boom.unauthorized('bad token', 'Bearer', { realm: 'api' });
    if (kind === 'method') throw Boom.methodNotAllowed('nope', null, ['GET', 'HEAD']);
    throw Boom.badImplementation('db password=hunter2');
  });
  app.get('/jwt', expressjwt({ secret: SECRET, algorithms: ['HS256'] }), (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/upload', upload.single('avatar'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/app-syntax-error', () => {
    JSON.parse('{not json');
  });
  app.post('/zod', express.json(), parseWithZod);
  app.post(
    '/joi',
    express.json(),
    handle(async (req) => {
      await joiSchema.validateAsync(req.body, { abortEarly: false });
    }),
  );
  app.post(
    '/celebrate',
    express.json(),
    celebrate(
      {
        [Segments.BODY]: CelebrateJoi.object({ name: CelebrateJoi.string().required() }),
        [Segments.QUERY]: CelebrateJoi.object({ page: CelebrateJoi.number() }),
      },
      { abortEarly: false },
      { mode: Modes.FULL },
    ),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  app.post(
    '/validator',
    express.json(),
    body('items.*.name').isLength({ min: 3 }).withMessage('name is too short'),
    body('password').matches(/^\S{12,}$/),
    query('page').optional().isInt(),
    header('x-tenant').isUUID(),
    handle((req) => {
      validationResult(req).throw();
    }),
  );
  app.get('/verify', verifyToken);
  app.get('/prisma', () => {
    throw Object.assign(new Error('An operation failed because it depends on one or more records that were required but not found.'), {
      code: 'P2025',
    });
  });
  app.use(errorHandler({ log: logger.log, map: [appMapper, fromZod, fromJoi, fromCelebrate, fromExpressValidator, fromJsonWebToken] }));

  // The same routes with no adapters: what the app has not opted into is a 500.
  const bare = express();
  bare.post('/zod', express.json(), parseWithZod);
  bare.get('/verify', verifyToken);
  bare.use(errorHandler({ log: false }));

  beforeEach(() => logger.calls.splice(0));

  describe('body-parser and raw-body', () => {
    it('a body over the limit is 413', async () => {
      const res = await request(app)
        .post('/json')
        .send({ text: 'x'.repeat(200) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large', detail: 'request entity too large' });
    });

    it("malformed JSON is 400 with a fixed detail: body-parser's message quotes the client's body", async () => {
      const res = await request(app).post('/json').set('Content-Type', 'application/json').send('{"password": hunter2}');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request body could not be parsed',
        instance: '/json',
      });
      expect(res.text).not.toContain('hunter2');
      expect(logger.calls).toHaveLength(0);
    });

    it('an unsupported charset is 415, without the charset the client named', async () => {
      const res = await request(app).post('/json').set('Content-Type', 'application/json; charset=klingon').send('{}');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ status: 415, detail: 'The charset of the request body is not supported' });
      expect(res.text.toLowerCase()).not.toContain('klingon');
    });

    it('an unsupported content encoding is 415, without the coding the client named', async () => {
      const res = await request(app).post('/json').set('Content-Type', 'application/json').set('Content-Encoding', 'snappy').send('{}');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ status: 415, detail: 'The content coding of the request body is not supported' });
      expect(res.text).not.toContain('snappy');
    });
  });

  describe('serve-static and sendFile, in a process of their own', () => {
    let child: ChildProcess;
    let base: string;
    beforeAll(async () => {
      child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(FIXTURES, 'static-app.ts'), expressName], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [port] = (await once(child.stdout!, 'data')) as [Buffer];
      base = `http://127.0.0.1:${String(port).trim()}`;
    }, 30_000);
    afterAll(() => {
      child.kill('SIGTERM');
    });

    it('a missing static file is 404 without the absolute path send put in its message', async () => {
      const res = await request(base).get('/static/missing.txt');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, instance: '/static/missing.txt' });
      expect(res.text).not.toContain(FIXTURES);
    });

    it('a missing sendFile target is 404 without the path', async () => {
      const res = await request(base).get('/send-file');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, instance: '/send-file' });
    });

    it('an unsatisfiable Range is 416 with the Content-Range send computed', async () => {
      const ok = await request(base).get('/static/hello.txt');
      expect(ok.status).toBe(200);
      const res = await request(base).get('/static/hello.txt').set('Range', 'bytes=500-600');
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${ok.text.length}`);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body.status).toBe(416);
    });
  });

  describe('@hapi/boom', () => {
    it('keeps the status, headers and message of a 4xx', async () => {
      const res = await request(app).get('/boom/unauthorized');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="bad token"');
      expect(res.body).toMatchObject({ status: 401, detail: 'bad token' });
      const method = await request(app).get('/boom/method');
      expect(method.status).toBe(405);
      expect(method.headers.allow).toBe('GET, HEAD');
    });

    it('hides the message of a 5xx and logs the original', async () => {
      const res = await request(app).get('/boom/internal');
      expect(res.status).toBe(500);
      expect(res.text).not.toContain('hunter2');
      expect(logger.calls).toEqual([expect.objectContaining({ isBoom: true })]);
    });
  });

  describe('express-jwt', () => {
    it('no token: 401 with a bare Bearer challenge', async () => {
      const res = await request(app).get('/jwt');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, code: 'credentials_required' });
    });

    it('another scheme (Basic): 401 with a bare Bearer challenge, no error code (RFC 6750 §3.1)', async () => {
      const res = await request(app).get('/jwt').set('Authorization', 'Basic dXNlcjpwYXNz');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, code: 'credentials_bad_scheme' });
    });

    it('a malformed Bearer header: 401 with error="invalid_request"', async () => {
      const res = await request(app).get('/jwt').set('Authorization', 'Bearer');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_request"');
    });

    it('a bad token: 401 with error="invalid_token" (RFC 6750)', async () => {
      const forged = jwt.sign({ sub: '1' }, 'another-secret');
      const res = await request(app).get('/jwt').set('Authorization', `Bearer ${forged}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(res.body).toMatchObject({ status: 401, code: 'invalid_token' });
      expect(res.body.detail).toBeUndefined();
    });

    it('a good token passes', async () => {
      const res = await request(app)
        .get('/jwt')
        .set('Authorization', `Bearer ${jwt.sign({ sub: '1' }, SECRET)}`);
      expect(res.status).toBe(200);
    });
  });

  describe('multer', () => {
    it('a file over the size limit is 413 with the field', async () => {
      const res = await request(app).post('/upload').attach('avatar', Buffer.from('far more than eight bytes'), 'a.png');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ status: 413, code: 'LIMIT_FILE_SIZE', field: 'avatar', detail: 'File too large' });
    });

    it('an unexpected file field is 400 with the field, not the client file name', async () => {
      const res = await request(app).post('/upload').attach('other', Buffer.from('x'), 'secret-name.png');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'LIMIT_UNEXPECTED_FILE', field: 'other' });
      expect(res.text).not.toContain('secret-name');
    });
  });

  it("the app's own JSON.parse SyntaxError is a 500, not a 400", async () => {
    const res = await request(app).get('/app-syntax-error');
    expect(res.status).toBe(500);
    expect(logger.calls).toEqual([expect.any(SyntaxError)]);
  });

  it("the app's own mapper runs before the built-ins", async () => {
    const res = await request(app).get('/prisma');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('Record not found');
  });

  describe('opt-in adapters', () => {
    it('zod: 422 with a pointer per issue, never the input', async () => {
      const res = await request(app)
        .post('/zod')
        .send({ email: 'hunter2-not-an-email', tags: ['ok', 42] });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: 'Unprocessable Content' });
      expect(res.body.errors).toEqual([
        { detail: 'Invalid email address', pointer: '#/email' },
        { detail: 'Invalid input: expected string, received number', pointer: '#/tags/1' },
      ]);
      expect(res.text).not.toContain('hunter2');
    });

    it('joi: 422, and a message that quotes the input is replaced', async () => {
      const res = await request(app).post('/joi').send({ email: 'nope', pin: 'hunter2' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { detail: '"email" must be a valid email', pointer: '#/email' },
        { detail: '"pin" is not valid', pointer: '#/pin' },
      ]);
      expect(res.text).not.toContain('hunter2');
    });

    it('celebrate: 422 across segments from its Map of details', async () => {
      const res = await request(app).post('/celebrate?page=two').send({});
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { detail: '"name" is required', pointer: '#/name' },
          { detail: '"page" must be a number', parameter: 'page', in: 'query' },
        ]),
      );
    });

    it('express-validator: 422 from its empty-message error, by location', async () => {
      const res = await request(app)
        .post('/validator?page=x')
        .send({ items: [{ name: 'okay' }, { name: 'no' }], password: 'hunter2 short' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { detail: 'name is too short', pointer: '#/items/1/name' },
        { detail: 'Invalid value', pointer: '#/password' },
        { detail: 'Invalid value', parameter: 'page', in: 'query' },
        { detail: 'Invalid value', header: 'x-tenant', in: 'header' },
      ]);
      expect(res.text).not.toContain('hunter2');
    });

    it('jsonwebtoken: 401 invalid_token, expired or forged', async () => {
      const expired = jwt.sign({ sub: '1', exp: Math.floor(Date.now() / 1000) - 60 }, SECRET);
      const res = await request(app).get(`/verify?token=${expired}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(res.body).toMatchObject({ code: 'invalid_token', detail: 'The access token has expired' });
      const forged = await request(app).get(`/verify?token=${jwt.sign({}, 'other')}`);
      expect(forged.body.detail).toBe('The access token is not valid');
    });

    it('are off unless mapped: the same errors are a 500', async () => {
      expect((await request(bare).post('/zod').send({})).status).toBe(500);
      expect((await request(bare).get('/verify?token=x')).status).toBe(500);
    });
  });
});

describe('jsonPointer', () => {
  it('escapes ~ and / as RFC 6901 asks, in URI fragment form', () => {
    expect(jsonPointer([])).toBe('#');
    expect(jsonPointer(['a/b', 'm~n', 0, 'ä b'])).toBe('#/a~1b/m~0n/0/%C3%A4%20b');
  });
});
