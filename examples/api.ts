/**
 * The example API's routes as contracts: one module the server (examples/app.ts) and the browser page
 * (examples/page.ts) both import. It imports only schemas and `express-typed-errors/client`, so a
 * browser bundle of it holds no server code.
 */
import { z } from 'zod';
import { Conflict, Created, NoContent, NotFound, Ok, route } from '../src/client';

/** A user as the API sends it. */
export const User = z.object({ id: z.number().int(), email: z.email(), name: z.string() });
export type User = z.infer<typeof User>;

const NewUser = z.object({ email: z.email(), name: z.string().min(1).optional() });
const UserId = z.object({ id: z.coerce.number().int().positive() });
const Page = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).default(0) });

/**
 * An application error: its own name, the status of its parent, its code and its extension members —
 * written once, as statics, which its instances, the OpenAPI document and the client all read.
 */
export class EmailTaken extends Conflict {
  static readonly code = 'email_taken';
  static readonly title = 'Email taken';
  static readonly description = 'A user with this email is already registered: sign in instead, or sign up with another email.';
  static readonly extensions = z.object({ email: z.string() });
  constructor(email: string) {
    super(`The email ${email} is already registered`, { extensions: { email } });
  }
}

export const listUsers = route({
  method: 'GET',
  path: '/users',
  query: Page,
  result: Ok,
  resultBody: z.array(User),
  summary: 'List the users, a page at a time',
});

export const getUser = route({
  method: 'GET',
  path: '/users/:id',
  params: UserId,
  result: Ok,
  resultBody: User,
  errors: [NotFound],
  summary: 'Get one user',
});

export const createUser = route({
  method: 'POST',
  path: '/users',
  body: NewUser,
  query: z.object({ notify: z.stringbool().default(false) }),
  result: Created,
  resultBody: User,
  errors: [EmailTaken],
  summary: 'Sign a user up',
});

export const deleteUser = route({
  method: 'DELETE',
  path: '/users/:id',
  params: UserId,
  result: NoContent,
  errors: [NotFound],
  summary: 'Delete a user',
});
