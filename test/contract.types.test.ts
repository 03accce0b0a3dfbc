/**
 * Type-level tests of route contracts: `npm test` compiles this file with `tsc` (strict) before jest
 * runs it, so a wrong type fails the build; each `@ts-expect-error` fails it too if the line ever compiles.
 */
import { expectTypeOf } from 'expect-type';
import * as v from 'valibot';
import { z } from 'zod';
import { type RouteSpec, handle } from '../src';
import {
  type BadGateway,
  type CallError,
  type GatewayTimeout,
  type InternalServerError,
  NoContent,
  NotFound,
  Ok,
  type ProblemError,
  type ServiceUnavailable,
  type UnprocessableContent,
  call,
  callSafe,
  route,
} from '../src/client';
import { EmailTaken, type User, createUser, deleteUser, getUser, listUsers } from '../examples/api';

/** Holds lines that must only be compiled (they are meant not to compile), never run. */
function compileOnly(_lines: () => unknown): void {}

test('call() resolves to the result body, typed from resultBody; undefined for a 204', () => {
  compileOnly(async () => {
    expectTypeOf(await call(getUser, { params: { id: 42 } })).toEqualTypeOf<{ id: number; email: string; name: string }>();
    expectTypeOf(await call(listUsers)).toEqualTypeOf<User[]>();
    expectTypeOf(await call(deleteUser, { params: { id: 1 } })).toEqualTypeOf<undefined>();
    // without resultBody: unknown; checked: the schema's output, here a Date made of the string sent
    const stamped = route({
      method: 'GET',
      path: '/now',
      result: Ok,
      resultBody: z.object({ at: z.string().transform((s) => new Date(s)) }),
    });
    expectTypeOf(await call(stamped)).toEqualTypeOf<{ at: string }>();
    expectTypeOf(await call(stamped, {}, { check: true })).toEqualTypeOf<{ at: Date }>();
    expectTypeOf(await call(route({ method: 'GET', path: '/x' }))).toEqualTypeOf<unknown>();
    const several = route({ method: 'PUT', path: '/x', result: [Ok, NoContent], resultBody: z.number() });
    expectTypeOf(await call(several)).toEqualTypeOf<number | undefined>();
  });
});

test('the input is typed from the schemas: a wrong params, query or body shape does not compile', () => {
  compileOnly(async () => {
    await call(getUser, { params: { id: 42 } });
    await call(getUser, { params: { id: '42' } }); // z.coerce accepts anything: a number or a string
    await call(listUsers, { query: { limit: 10 } }); // every query member has a default: all optional
    await call(createUser, { body: { email: 'a@example.com' }, query: { notify: 'true' } });
    // @ts-expect-error the path has :id: params are required
    await call(getUser);
    // @ts-expect-error no member idd
    await call(getUser, { params: { idd: 42 } });
    // @ts-expect-error a path parameter is a scalar, not an object
    await call(getUser, { params: { id: { value: 42 } } });
    // @ts-expect-error the body is required
    await call(createUser, {});
    // @ts-expect-error email is a string
    await call(createUser, { body: { email: 42 } });
    // @ts-expect-error notify is what z.stringbool() accepts: a string
    await call(createUser, { body: { email: 'a@example.com' }, query: { notify: {} } });
    // @ts-expect-error a query member is a scalar or an array of them
    await call(listUsers, { query: { limit: { nested: 1 } } });
    // @ts-expect-error getUser has no body
    await call(getUser, { params: { id: 1 }, body: {} });
    // @ts-expect-error listUsers has no path parameters
    await call(listUsers, { params: { id: 1 } });
    // a parameter without a params schema is typed from the path alone
    const file = route({ method: 'GET', path: '/files/:dir/:name.json' });
    await call(file, { params: { dir: 'a', name: 'b' } });
    // @ts-expect-error name is missing
    await call(file, { params: { dir: 'a' } });
    // valibot: the same, from its own input types
    const byTag = route({ method: 'GET', path: '/tags', query: v.object({ tag: v.array(v.string()) }) });
    await call(byTag, { query: { tag: ['a', 'b'] } });
    // @ts-expect-error tag is an array of strings
    await call(byTag, { query: { tag: [1] } });
  });
});

test("callSafe()'s error is exactly the route's union: its classes, 422 when it validates input, 500, 502, 503, 504", () => {
  compileOnly(async () => {
    type Errors = CallError<typeof getUser>;
    expectTypeOf<Errors>().toEqualTypeOf<
      (NotFound & ProblemError<404>) | ProblemError<422> | ProblemError<500> | ProblemError<502> | ProblemError<503> | ProblemError<504>
    >();
    // no input, no 422
    expectTypeOf<CallError<typeof _plain>>().toEqualTypeOf<ProblemError<500> | ProblemError<502> | ProblemError<503> | ProblemError<504>>();
    const result = await callSafe(createUser, { body: { email: 'a@example.com' } });
    if (result.ok) {
      expectTypeOf(result.data).toEqualTypeOf<User>();
      return;
    }
    const { error } = result;
    switch (error.status) {
      case 409:
        expectTypeOf(error).toExtend<EmailTaken>();
        expectTypeOf(error.email).toEqualTypeOf<string>(); // from EmailTaken's static extensions
        expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
        break;
      case 422:
        expectTypeOf(error).toExtend<UnprocessableContent>();
        expectTypeOf(error.errors).toEqualTypeOf<
          | readonly {
              detail: string;
              pointer?: string;
              parameter?: string;
              header?: string;
              in?: 'path' | 'query' | 'header' | 'cookie';
            }[]
          | undefined
        >();
        break;
      case 500:
        expectTypeOf(error).toExtend<InternalServerError>();
        break;
      case 502:
        expectTypeOf(error).toExtend<BadGateway>();
        break;
      case 503:
        expectTypeOf(error).toExtend<ServiceUnavailable>();
        break;
      case 504:
        expectTypeOf(error).toExtend<GatewayTimeout>();
        break;
      default:
        expectTypeOf(error).toEqualTypeOf<never>(); // exhaustive
    }
    switch (error.status) {
      // @ts-expect-error createUser does not declare NotFound: 404 is not one of its errors
      case 404:
        break;
    }
  });
});

test('a contract is a spec: handle(contract, fn) types the request and the result from it', () => {
  expectTypeOf(getUser).toExtend<RouteSpec>();
  expectTypeOf(getUser.method).toEqualTypeOf<'GET'>();
  expectTypeOf(getUser.path).toEqualTypeOf<'/users/:id'>();
  compileOnly(() => {
    handle(getUser, (req) => {
      expectTypeOf(req.params.id).toEqualTypeOf<number>();
      return new Ok({ id: req.params.id, email: 'a@example.com', name: 'A' });
    });
    // @ts-expect-error the result body must fit resultBody
    handle(getUser, () => new Ok({ id: 'one' }));
    handle(createUser, (req) => {
      expectTypeOf(req.body).toEqualTypeOf<{ email: string; name?: string | undefined }>();
      expectTypeOf(req.query.notify).toEqualTypeOf<boolean>();
      throw new EmailTaken(req.body.email);
    });
    // @ts-expect-error the method is one Express routes
    route({ method: 'get', path: '/x' });
    // @ts-expect-error an error class is one: a string is not
    route({ method: 'GET', path: '/x', errors: ['NotFound'] });
  });
});

const _plain = route({ method: 'GET', path: '/plain', result: Ok, resultBody: z.string(), errors: [] });
