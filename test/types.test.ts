/**
 * Type-level tests: `npm test` compiles this file with `tsc` (strict) before jest runs it, so a
 * wrong type fails the build; each `@ts-expect-error` fails it too if the line ever compiles.
 */
import type { RequestHandler } from 'express';
import type { ParamsDictionary } from 'express-serve-static-core';
import { expectTypeOf } from 'expect-type';
import {
  Accepted,
  Conflict,
  Created,
  HttpError,
  MethodNotAllowed,
  NoContent,
  NotFound,
  Ok,
  PayloadTooLarge,
  ContentTooLarge,
  TooManyRequests,
  Unauthorized,
  createHttpError,
  handle,
  isHttpError,
  toHttpError,
} from '../src';

/** Holds lines that must only be compiled (they are meant not to compile), never run. */
function compileOnly(_lines: () => void): void {}

test('status types are literal', () => {
  expectTypeOf(new NotFound().status).toEqualTypeOf<404>();
  expectTypeOf(new NotFound().statusCode).toEqualTypeOf<404>();
  expectTypeOf(new Conflict('x').status).toEqualTypeOf<409>();
  expectTypeOf(NotFound.status).toEqualTypeOf<404>();
  expectTypeOf(NotFound.name).toEqualTypeOf<'NotFound'>();
  expectTypeOf(createHttpError(429)).toEqualTypeOf<HttpError<429>>();
  expectTypeOf(createHttpError(404)).toEqualTypeOf<NotFound>();
  expectTypeOf(new PayloadTooLarge()).toEqualTypeOf<ContentTooLarge>();
  expectTypeOf(toHttpError('x')).toEqualTypeOf<HttpError>();
  compileOnly(() => {
    // @ts-expect-error 200 has no error class
    createHttpError(200);
    // @ts-expect-error 404 is not 400
    expectTypeOf(new NotFound().status).toEqualTypeOf<400>();
  });
});

test('a user subclass keeps its parent literal status', () => {
  class EmailTaken extends Conflict {
    override readonly code = 'email_taken' as const;
  }
  const err = new EmailTaken('taken');
  expectTypeOf(err.status).toEqualTypeOf<409>();
  expectTypeOf(err.code).toEqualTypeOf<'email_taken'>();
  expectTypeOf(err).toExtend<Conflict>();
  expectTypeOf(err).toExtend<Error>();
});

test('isHttpError narrows, by status when given one', () => {
  const value: unknown = new NotFound();
  if (isHttpError(value, 404)) expectTypeOf(value).toEqualTypeOf<NotFound>();
  if (isHttpError(value)) expectTypeOf(value.status).toEqualTypeOf<number>();
  if (value instanceof TooManyRequests) expectTypeOf(value.status).toEqualTypeOf<429>();
});

test('status-specific options exist only on their status', () => {
  new Unauthorized('x', { challenge: 'Bearer' });
  new MethodNotAllowed('x', { allow: ['GET'] });
  new TooManyRequests('x', { retryAfter: new Date() });
  compileOnly(() => {
    // @ts-expect-error a 404 has no challenge
    new NotFound('x', { challenge: 'Bearer' });
    // @ts-expect-error allow is a list of methods
    new MethodNotAllowed('x', { allow: 'GET' });
  });
});

test('Created requires a location; the others do not', () => {
  new Created({ id: 1 }, { location: '/users/1' });
  compileOnly(() => {
    // @ts-expect-error 201 Created needs its Location
    new Created({ id: 1 });
    // @ts-expect-error 201 Created needs its Location
    new Created({ id: 1 }, {});
  });
  new Accepted(undefined);
  new Accepted({ job: 1 }, { location: '/jobs/1' });
  expectTypeOf(new Created({ id: 1 }, { location: '/users/1' }).status).toEqualTypeOf<201>();
  expectTypeOf(new Created({ id: 1 }, { location: '/users/1' }).body).toEqualTypeOf<{ id: number }>();
  expectTypeOf(new NoContent().status).toEqualTypeOf<204>();
});

test('handle() infers the response body type from what the handler returns', () => {
  interface User {
    id: number;
    email: string;
  }
  const created = handle(async () => new Created<User>({ id: 1, email: 'a@b.c' }, { location: '/users/1' }));
  expectTypeOf(created).toEqualTypeOf<RequestHandler<ParamsDictionary, User, unknown>>();

  const either = handle((req) => (req.query.fast ? new Ok({ n: 1 }) : new Accepted({ queued: true })));
  expectTypeOf(either).toEqualTypeOf<RequestHandler<ParamsDictionary, { n: number } | { queued: boolean }, unknown>>();

  const manual = handle((_req, res) => {
    res.json({ ok: true });
  });
  expectTypeOf(manual).toEqualTypeOf<RequestHandler<ParamsDictionary, never, unknown>>();

  compileOnly(() => {
    // @ts-expect-error a plain object is not a response: return new Ok(...) instead
    handle(() => ({ id: 1 }));
  });
});
