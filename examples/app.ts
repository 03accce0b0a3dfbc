/**
 * A small users API, written as an app author would write it with express-typed-errors.
 * `examples/demo.ts` starts it and sends it a tour of requests.
 */
import express, { type Express, type Request } from 'express';
import {
  Conflict,
  Created,
  MethodNotAllowed,
  NoContent,
  NotFound,
  Ok,
  UnprocessableContent,
  errorHandler,
  handle,
  notFoundHandler,
} from '../src';

export interface User {
  id: number;
  email: string;
  name: string;
}

/** An application error: its own name and code, the status of its parent. */
export class EmailTaken extends Conflict {
  override readonly code = 'email_taken';
  constructor(email: string) {
    super(`The email ${email} is already registered`);
  }
}

export function createApp(): Express {
  const users = new Map<number, User>([[1, { id: 1, email: 'ada@example.com', name: 'Ada' }]]);
  let nextId = 2;

  const app = express();
  app.use(express.json());

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
      const body = (req.body ?? {}) as Partial<User>;
      if (typeof body.email !== 'string' || !body.email.includes('@')) {
        throw new UnprocessableContent('email must be an email address', {
          extensions: { errors: [{ detail: 'must be an email address', pointer: '/email' }] },
        });
      }
      const email = body.email;
      if ([...users.values()].some((user) => user.email === email)) throw new EmailTaken(email);
      const user: User = { id: nextId++, email, name: String(body.name ?? '') };
      users.set(user.id, user);
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

  // A bug: its message must never reach the client, but it reaches the log.
  app.get('/reports/today', () => {
    throw new Error('report query failed: password=hunter2');
  });

  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
