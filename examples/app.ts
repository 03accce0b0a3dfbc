/**
 * A small users API, written as an app author would write it with express-typed-errors: typed routes
 * (validated input, declared errors, typed results), pino-http logging with request ids, and the
 * OpenAPI document read from the app itself. `examples/demo.ts` gives it a tour.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Created, NoContent, NotFound, Ok, errorHandler, handle, methodNotAllowed, notFoundHandler } from '../src';
import { problemCatalog } from '../src/catalog';
import { openApi } from '../src/openapi';
import { EmailTaken, type User, createUser, deleteUser, getUser, listUsers } from './api';

export { EmailTaken, User } from './api';

/** Where the problem type of each error code is documented: `type` is this and the code, a page of the catalog at /problems. */
const PROBLEM_TYPES = 'https://api.example.com/problems/';

/** `logger` receives the structured logs; the demo prints them, tests capture them. `express`: the tests give Express 4 too. */
export function createApp({
  logger = pino({ level: 'info' }),
  express: framework = express,
}: { logger?: Logger; express?: typeof express } = {}): Express {
  const users = new Map<number, User>([[1, { id: 1, email: 'ada@example.com', name: 'Ada' }]]);
  let nextId = 2;

  const app = framework();
  // req.log and req.id for every request; pino-http's entry for a failed request carries the real error
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => {
        const id = req.headers['x-request-id'];
        return typeof id === 'string' && id !== '' ? id : randomUUID();
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(framework.json());

  app.get('/openapi.json', (_req, res) => {
    res.json(openApi(app, { info: { title: 'Users (express-typed-errors example)', version: '1.0.0' }, typeBase: PROBLEM_TYPES }));
  });

  // the problem catalog, where each problem's `type` points: read from the routes on its first request
  app.use('/problems', problemCatalog(app, { typeBase: PROBLEM_TYPES, title: 'Users API problems' }));

  // the routes of the contracts in ./api.ts, each at its own method and path
  app.get(
    listUsers.path,
    handle(listUsers, (req) => {
      const { limit, offset } = req.query; // numbers: the schema coerced them
      return new Ok([...users.values()].slice(offset, offset + limit));
    }),
  );

  app.get(
    getUser.path,
    handle(getUser, (req) => {
      const user = users.get(req.params.id);
      if (!user) throw new NotFound(`No user ${req.params.id}`);
      return new Ok(user);
    }),
  );

  app.post(
    createUser.path,
    handle(createUser, async (req) => {
      const { email, name = '' } = req.body;
      if ([...users.values()].some((user) => user.email === email)) throw new EmailTaken(email);
      const user: User = { id: nextId++, email, name };
      users.set(user.id, user);
      await Promise.resolve(); // a real app would await its database here, and send a mail if req.query.notify
      return new Created(user, { location: `/users/${user.id}` });
    }),
  );

  app.delete(
    deleteUser.path,
    handle(deleteUser, (req) => {
      if (!users.delete(req.params.id)) throw new NotFound(`No user ${req.params.id}`);
      return new NoContent();
    }),
  );

  // A bug: its message must never reach the client, but it reaches the log, with its stack.
  app.get('/reports/today', () => {
    throw new Error('report query failed: password=hunter2');
  });

  app.use(methodNotAllowed()); // a path with other methods: 405 with Allow, read from the routes above
  app.use(notFoundHandler());
  app.use(errorHandler({ typeBase: PROBLEM_TYPES }));
  return app;
}
