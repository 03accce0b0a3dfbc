/**
 * The server `npm run soak` loads: one route per kind of thrown value, run in its own process so
 * that its resident memory is its own. Prints its port; GET /__memory answers its RSS and heap after a GC.
 */
import type { AddressInfo } from 'node:net';
import Boom from '@hapi/boom';
import express from 'express';
import createError from 'http-errors';
import { Created, NotFound, TooManyRequests, errorHandler, handle, notFoundHandler } from '../src';

function trapped(): Error {
  const err = new Error('x');
  for (const key of ['stack', 'message', 'status']) {
    Object.defineProperty(err, key, {
      get() {
        throw new Error(`${key} getter`);
      },
    });
  }
  return err;
}

function circular(): Error {
  const err = Object.assign(new Error('circular'), { status: 400, expose: true }) as Error & { self?: unknown };
  err.self = err;
  return err;
}

/** Each route throws (or returns) one kind of value; a fresh one per request. */
export const THROWERS: Record<string, () => unknown> = {
  ours: () => new NotFound('No user 42'),
  'ours-5xx': () => new Error('db password=hunter2'),
  'with-headers': () => new TooManyRequests('slow down', { retryAfter: 30 }),
  'http-errors': () => createError(401, 'token expired', { headers: { 'WWW-Authenticate': 'Bearer' } }),
  boom: () => Boom.forbidden('no'),
  'boom-5xx': () => Boom.badImplementation('secret'),
  string: () => 'a string',
  null: () => null,
  number: () => 404,
  'bad-status': () => ({ status: '404', message: 'x' }),
  'huge-status': () => ({ statusCode: 999 }),
  frozen: () => Object.freeze(Object.assign(new Error('frozen'), { status: 409, expose: true })),
  circular,
  bigint: () => Object.assign(new Error('big'), { n: 1n }),
  getters: trapped,
  proxy: () =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    ),
  crlf: () => ({ status: 400, expose: true, headers: { 'X-Evil': 'a\r\nSet-Cookie: x=1' } }),
  multer: () => Object.assign(new Error('File too large'), { name: 'MulterError', code: 'LIMIT_FILE_SIZE', field: 'avatar' }),
  jwt: () => Object.assign(new Error('jwt expired'), { name: 'UnauthorizedError', code: 'invalid_token', status: 401 }),
};

const app = express();
app.use(express.json());
app.get('/__memory', (_req, res) => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  res.json({ rss, heapUsed });
});
app.post(
  '/created',
  handle(() => new Created({ id: 1 }, { location: '/things/1' })),
);
app.post('/json', (req, res) => {
  res.json(req.body);
});
for (const [name, make] of Object.entries(THROWERS)) {
  app.get(
    `/throw/${name}`,
    handle(() => {
      throw make();
    }),
  );
}
app.use(notFoundHandler());
app.use(errorHandler({ log: false }));

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
