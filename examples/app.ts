/**
 * A small users API, written as an app author would write it with express-typed-errors:
 * typed errors and results, zod validation, pino-http logging with request ids, and an OpenAPI
 * document whose error responses come from the same classes. `examples/demo.ts` gives it a tour.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { z } from 'zod';
import {
  BadRequest,
  Conflict,
  Created,
  MethodNotAllowed,
  NoContent,
  NotFound,
  Ok,
  UnprocessableContent,
  errorHandler,
  fromZod,
  handle,
  notFoundHandler,
} from '../src';
import { errorResponses, problemDetailsSchema } from '../src/openapi';

export interface User {
  id: number;
  email: string;
  name: string;
}

/** An application error: its own name and code, the status of its parent, and its documented members. */
export class EmailTaken extends Conflict {
  static readonly extensionSchema = { code: { const: 'email_taken' } };
  override readonly code = 'email_taken';
  constructor(email: string) {
    super(`The email ${email} is already registered`);
  }
}

const NewUser = z.object({ email: z.email(), name: z.string().min(1).optional() });

const userSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, email: { type: 'string' }, name: { type: 'string' } },
  required: ['id', 'email', 'name'],
};

/** The OpenAPI 3.1 document: success bodies by hand, error responses from the error classes. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Users (express-typed-errors example)', version: '1.0.0' },
  components: { schemas: { ProblemDetails: problemDetailsSchema, User: userSchema } },
  paths: {
    '/users': {
      post: {
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {
          '201': {
            description: 'The user was created',
            headers: { Location: { description: 'The URL of the new user', schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
          },
          ...errorResponses([BadRequest, EmailTaken, UnprocessableContent]),
        },
      },
    },
    '/users/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: {
        responses: {
          '200': { description: 'The user', content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } },
          ...errorResponses([NotFound]),
        },
      },
      delete: {
        responses: { '204': { description: 'The user was deleted' }, ...errorResponses([NotFound]) },
      },
      put: { responses: errorResponses([MethodNotAllowed]) },
    },
  },
};

/** `logger` receives the structured logs; the demo prints them, tests capture them. */
export function createApp({ logger = pino({ level: 'info' }) }: { logger?: Logger } = {}): Express {
  const users = new Map<number, User>([[1, { id: 1, email: 'ada@example.com', name: 'Ada' }]]);
  let nextId = 2;

  const app = express();
  // req.log and req.id for every request; the error handler logs through req.log
  app.use(
    pinoHttp({
      logger,
      autoLogging: false,
      genReqId: (req) => {
        const id = req.headers['x-request-id'];
        return typeof id === 'string' && id !== '' ? id : randomUUID();
      },
    }),
  );
  app.use(express.json());

  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  app.get(
    '/users/:id',
    // annotating req types the route parameters; the result type is still inferred
    handle((req: Request<{ id: string }>) => {
      const user = users.get(Number(req.params.id));
      if (!user) throw new NotFound(`No user ${req.params.id}`);
      return new Ok(user);
    }),
  );

  app.post(
    '/users',
    handle(async (req) => {
      const input = NewUser.parse(req.body); // a ZodError becomes a 422 through fromZod below
      if ([...users.values()].some((user) => user.email === input.email)) throw new EmailTaken(input.email);
      const user: User = { id: nextId++, email: input.email, name: input.name ?? '' };
      users.set(user.id, user);
      await Promise.resolve(); // a real app would await its database here
      return new Created(user, { location: `/users/${user.id}` });
    }),
  );

  app.delete(
    '/users/:id',
    handle((req: Request<{ id: string }>) => {
      if (!users.delete(Number(req.params.id))) throw new NotFound(`No user ${req.params.id}`);
      return new NoContent();
    }),
  );

  app.all('/users/:id', () => {
    throw new MethodNotAllowed(undefined, { allow: ['GET', 'DELETE'] });
  });

  // A bug: its message must never reach the client, but it reaches the log, with its stack.
  app.get('/reports/today', () => {
    throw new Error('report query failed: password=hunter2');
  });

  app.use(notFoundHandler());
  app.use(errorHandler({ map: [fromZod] }));
  return app;
}
