/**
 * Type-level tests: `npm test` compiles this file with `tsc` (strict) before jest runs it, so a
 * wrong type fails the build; each `@ts-expect-error` fails it too if the line ever compiles.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type } from 'arktype';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ParamsDictionary } from 'express-serve-static-core';
import type { ParsedQs } from 'qs';
import { expectTypeOf } from 'expect-type';
import * as v from 'valibot';
import { z } from 'zod';
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
  UpgradeRequired,
  ProxyAuthenticationRequired,
  RangeNotSatisfiable,
  ServiceUnavailable,
  createHttpError,
  handle,
  rawRequest,
  isHttpError,
  toHttpError,
  validate,
  type ErrorOptionsOf,
  type ErrorsOf,
  type ExtensionsOf,
  type HttpErrorOptions,
  type NoExtensions,
  type ProblemTypeStatics,
  type ProblemStatus,
  type StatusOptions,
} from '../src';
import type { STATUS_HEADERS } from '../src/status';

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
  expectTypeOf(createHttpError(499)).toEqualTypeOf<HttpError<499>>();
  expectTypeOf(new PayloadTooLarge()).toEqualTypeOf<ContentTooLarge>();
  expectTypeOf(toHttpError('x')).toEqualTypeOf<HttpError>();
  compileOnly(() => {
    // @ts-expect-error 200 is not an error status
    createHttpError(200);
    // @ts-expect-error neither is 600
    createHttpError(600);
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
  if (isHttpError(value)) expectTypeOf(value.status).toEqualTypeOf<ProblemStatus>();
  if (value instanceof TooManyRequests) expectTypeOf(value.status).toEqualTypeOf<429>();
});

test('the type and instanceof agree: a registered status is only ever made as its own class', () => {
  const made = createHttpError(404);
  expectTypeOf(made).toEqualTypeOf<NotFound>();
  expect(made).toBeInstanceOf(NotFound);
  compileOnly(() => {
    // @ts-expect-error HttpError is not constructed directly: new NotFound() is
    new HttpError(404);
    class Odd extends HttpError<404> {
      constructor() {
        // @ts-expect-error a subclass of the base class cannot take a status that has its own class
        super(404);
      }
    }
    void Odd;
  });
  class ClientClosed extends HttpError<499> {
    constructor() {
      super(499);
    }
  }
  expectTypeOf(new ClientClosed().status).toEqualTypeOf<499>();
});

test('the option table and the header table are one: each status takes exactly the option its header row names', () => {
  type OptionOf = { [S in keyof StatusOptions]: keyof StatusOptions[S] };
  type RowOf = { -readonly [S in keyof typeof STATUS_HEADERS]: (typeof STATUS_HEADERS)[S]['option'] };
  expectTypeOf<RowOf>().toEqualTypeOf<OptionOf>();
  expectTypeOf<keyof StatusOptions>().toEqualTypeOf<keyof typeof STATUS_HEADERS>();
  expectTypeOf<OptionOf>().toEqualTypeOf<{
    201: 'location';
    202: 'location';
    206: 'range';
    401: 'challenge';
    405: 'allow';
    407: 'challenge';
    413: 'retryAfter';
    416: 'size';
    426: 'upgrade';
    429: 'retryAfter';
    503: 'retryAfter';
  }>();
  // the options of a class are the common ones and its status's own
  expectTypeOf<HttpErrorOptions<429>>().toHaveProperty('retryAfter');
  expectTypeOf<HttpErrorOptions<404>>().not.toHaveProperty('retryAfter');
  expectTypeOf<NonNullable<ConstructorParameters<typeof RangeNotSatisfiable>[1]>['size']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<NonNullable<ConstructorParameters<typeof ServiceUnavailable>[1]>['retryAfter']>().toEqualTypeOf<number | Date | undefined>();
});

test('a header RFC 9110 requires is a required option: 405 allow, 407 challenge, 426 upgrade', () => {
  new MethodNotAllowed(undefined, { allow: ['GET'] });
  new ProxyAuthenticationRequired('x', { challenge: 'Basic' });
  new UpgradeRequired(undefined, { upgrade: 'HTTP/2' });
  new Unauthorized(); // 401's challenge may come from errorHandler({ challenge })
  compileOnly(() => {
    // @ts-expect-error a 405 must say what is allowed
    new MethodNotAllowed();
    // @ts-expect-error a 405 must say what is allowed
    new MethodNotAllowed('x', {});
    // @ts-expect-error a 407 needs its challenge
    new ProxyAuthenticationRequired();
    // @ts-expect-error a 426 needs its Upgrade
    new UpgradeRequired('x');
    // @ts-expect-error and so does createHttpError
    createHttpError(405);
  });
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

test('handle(fn) keeps the request types of Express: moving a route into it changes no type', () => {
  handle((req, res, next) => {
    expectTypeOf(req).toEqualTypeOf<Request>();
    expectTypeOf(req.body).toBeAny();
    expectTypeOf(req.params).toEqualTypeOf<ParamsDictionary>();
    expectTypeOf(req.query).toEqualTypeOf<ParsedQs>();
    expectTypeOf(res).toEqualTypeOf<Response>();
    expectTypeOf(next).toEqualTypeOf<NextFunction>();
  });
  // annotating req types the route parameters, as on a plain route
  handle((req: Request<{ id: string }>) => {
    expectTypeOf(req.params.id).toEqualTypeOf<string>();
  });
});

test('handle() infers the response body type from what the handler returns', () => {
  interface User {
    id: number;
    email: string;
  }
  const created = handle(async () => new Created<User>({ id: 1, email: 'a@b.c' }, { location: '/users/1' }));
  expectTypeOf(created).toEqualTypeOf<RequestHandler<ParamsDictionary, User>>();

  const either = handle((req) => (req.query.fast ? new Ok({ n: 1 }) : new Accepted({ queued: true })));
  expectTypeOf(either).toEqualTypeOf<RequestHandler<ParamsDictionary, { n: number } | { queued: boolean }>>();

  const manual = handle((_req, res) => {
    res.json({ ok: true });
  });
  expectTypeOf(manual).toEqualTypeOf<RequestHandler<ParamsDictionary, never>>();

  compileOnly(() => {
    // @ts-expect-error a plain object is not a response: return new Ok(...) instead
    handle(() => ({ id: 1 }));
  });
});

test("handle(spec, fn): each part is typed as its schema's output, a transform's output included", () => {
  const NewUser = z.object({ email: z.email(), tags: z.string().transform((tags) => tags.split(',')) });
  const Page = z.object({ page: z.coerce.number().int(), q: z.string().optional() });
  const UserId = z.object({ id: z.coerce.number() });
  const Tenant = z.object({ 'x-tenant': z.string(), 'x-limit': z.coerce.number() });
  handle({ body: NewUser, query: Page, params: UserId, headers: Tenant }, (req) => {
    expectTypeOf(req.body).toEqualTypeOf<{ email: string; tags: string[] }>();
    expectTypeOf(req.query).toEqualTypeOf<{ page: number; q?: string | undefined }>();
    expectTypeOf(req.params).toEqualTypeOf<{ id: number }>();
    expectTypeOf(req.headers['x-tenant']).toEqualTypeOf<string>();
    expectTypeOf(req.headers['x-limit']).toEqualTypeOf<number>();
    // the headers the schema does not name keep Node's types
    expectTypeOf(req.headers['user-agent']).toEqualTypeOf<string | undefined>();
    compileOnly(() => {
      // @ts-expect-error the body has no such property
      void req.body.name;
      // @ts-expect-error tags is the transform's output, an array, not the string the client sent
      const _tags: string = req.body.tags;
      // @ts-expect-error page is a number
      const _page: string = req.query.page;
      // @ts-expect-error the params have no such property
      void req.params.userId;
    });
  });
  // every Standard Schema validator is typed the same way
  handle(
    {
      body: v.object({
        tags: v.pipe(
          v.string(),
          v.transform((tags) => tags.split(',')),
        ),
      }),
    },
    (req) => {
      expectTypeOf(req.body).toEqualTypeOf<{ tags: string[] }>();
    },
  );
  handle({ body: type({ tags: type('string').pipe((tags) => tags.split(',')) }) }, (req) => {
    expectTypeOf(req.body).toEqualTypeOf<{ tags: string[] }>();
  });
});

test("handle(spec, fn): a part without a schema keeps Express's type", () => {
  handle({ body: z.object({ name: z.string() }) }, (req, res, next) => {
    expectTypeOf(req.query).toEqualTypeOf<ParsedQs>();
    expectTypeOf(req.params).toEqualTypeOf<ParamsDictionary>();
    expectTypeOf(req.headers).toEqualTypeOf<IncomingHttpHeaders>();
    expectTypeOf(res).toEqualTypeOf<Response>();
    expectTypeOf(next).toEqualTypeOf<NextFunction>();
  });
  handle({ query: z.object({ page: z.coerce.number() }) }, (req) => {
    expectTypeOf(req.body).toBeAny();
  });
  handle({ errors: [NotFound] }, (req) => {
    expectTypeOf(req.body).toBeAny();
    expectTypeOf(req.query).toEqualTypeOf<ParsedQs>();
  });
});

test("validate() returns the schema's output", async () => {
  const NewUser = z.object({ email: z.email(), tags: z.string().transform((tags) => tags.split(',')) });
  const user = await validate(NewUser, { email: 'ada@example.com', tags: 'a,b' });
  expectTypeOf(user).toEqualTypeOf<{ email: string; tags: string[] }>();
  expect(user).toEqual({ email: 'ada@example.com', tags: ['a', 'b'] });
  const page = await validate(v.object({ page: v.number() }), { page: 2 }, 'query');
  expectTypeOf(page).toEqualTypeOf<{ page: number }>();
  compileOnly(() => {
    // @ts-expect-error a request part, or nothing for a body
    void validate(NewUser, {}, 'cookies');
  });
});

test('ErrorsOf: the instances of the declared classes, a subclass with its own code kept apart; never without errors', () => {
  class EmailTaken extends Conflict {
    override readonly code = 'email_taken' as const;
  }
  const body = z.object({ email: z.email() });
  const _createUser = handle({ body, errors: [EmailTaken, NotFound, TooManyRequests] }, () => new NoContent());
  expectTypeOf<ErrorsOf<typeof _createUser>>().toEqualTypeOf<EmailTaken | NotFound | TooManyRequests>();
  expectTypeOf<Extract<ErrorsOf<typeof _createUser>, { code: 'email_taken' }>>().toEqualTypeOf<EmailTaken>();
  const _both = handle({ errors: [EmailTaken, Conflict] }, () => new NoContent());
  // Conflict's code is any string: EmailTaken is not folded into it
  expectTypeOf<Extract<ErrorsOf<typeof _both>, { code: 'email_taken' }>>().toEqualTypeOf<EmailTaken>();
  expectTypeOf<ErrorsOf<typeof _both>['status']>().toEqualTypeOf<409>();
  const _undeclared = handle({ body }, () => new NoContent());
  expectTypeOf<ErrorsOf<typeof _undeclared>>().toBeNever();
  const _plain = handle(() => new NoContent());
  expectTypeOf<ErrorsOf<typeof _plain>>().toBeNever();
  compileOnly(() => {
    // @ts-expect-error an error list holds HttpError classes
    handle({ errors: [Error] }, () => new NoContent());
  });
});

test('handle(spec, fn): a header schema that names a header in capitals does not compile; rawRequest() takes any handler request', () => {
  compileOnly(() => {
    // @ts-expect-error Node gives header names in lower case: 'X-Tenant' could never be found
    handle({ headers: z.object({ 'X-Tenant': z.string() }) }, () => new NoContent());
    // @ts-expect-error the same with valibot
    handle({ headers: v.object({ 'x-tenant': v.string(), Authorization: v.string() }) }, () => new NoContent());
  });
  handle({ headers: z.object({ 'x-tenant': z.string() }), params: z.object({ id: z.coerce.number() }) }, (req) => {
    expectTypeOf(req.headers['x-tenant']).toEqualTypeOf<string>();
    expectTypeOf(rawRequest(req)).toEqualTypeOf<Request>();
    // the real request holds what the client sent
    expectTypeOf(rawRequest(req).params).toEqualTypeOf<ParamsDictionary>();
    return new NoContent();
  });
  handle({ body: z.object({ n: z.number() }), validationTimeout: 2000 }, () => new NoContent());
  compileOnly(() => {
    // @ts-expect-error a timeout is a number of milliseconds
    handle({ body: z.object({ n: z.number() }), validationTimeout: '2s' }, () => new NoContent());
  });
});

test("statics: ExtensionsOf is the output of the class's static extensions schema; ErrorOptionsOf types the extensions option by its input", () => {
  class OutOfStock extends Conflict {
    static readonly code = 'out_of_stock';
    static readonly title = 'Out of stock';
    static readonly description = 'The item is sold out.';
    static readonly extensions = z.object({ sku: z.string(), left: z.string().transform(Number).optional() });
    declare readonly extensions: ExtensionsOf<typeof OutOfStock>;
    constructor(detail: string, options: ErrorOptionsOf<typeof OutOfStock>) {
      super(detail, options);
    }
  }
  class InStore extends OutOfStock {}
  class _Hinted extends TooManyRequests {
    static readonly extensions = v.object({ hint: v.optional(v.string()) });
  }
  expectTypeOf<ExtensionsOf<typeof OutOfStock>>().toEqualTypeOf<{ sku: string; left?: number | undefined }>();
  expectTypeOf<ExtensionsOf<typeof InStore>>().toEqualTypeOf<{ sku: string; left?: number | undefined }>();
  expectTypeOf<ExtensionsOf<typeof Conflict>>().toEqualTypeOf<NoExtensions>();
  expectTypeOf(new InStore('x', { extensions: { sku: 'A-1' } }).extensions.sku).toEqualTypeOf<string>();
  expectTypeOf<ErrorOptionsOf<typeof OutOfStock>['extensions']>().toEqualTypeOf<{ sku: string; left?: string | undefined }>();
  // every member optional: so is the option; the status's own options stay (retryAfter for a 429)
  expectTypeOf<ErrorOptionsOf<typeof _Hinted>>().toExtend<{ extensions?: { hint?: string | undefined }; retryAfter?: number | Date }>();
  const noExtensions: ErrorOptionsOf<typeof _Hinted> = { retryAfter: 5 };
  // a class without a schema takes any extensions, as every class does
  const anyExtensions: ErrorOptionsOf<typeof Conflict> = { extensions: { anything: 1 } };
  // the statics as the document, the client and the catalog read them
  const statics: ProblemTypeStatics = OutOfStock;
  expectTypeOf<typeof OutOfStock.code>().toEqualTypeOf<'out_of_stock'>();
  void [noExtensions, anyExtensions, statics];
  compileOnly(() => {
    // @ts-expect-error sku must be a string
    new OutOfStock('x', { extensions: { sku: 1 } });
    // @ts-expect-error the schema has required members: the option is required
    new InStore('x', {});
    // @ts-expect-error the extensions option is required
    new InStore('x', { code: 'given' });
    // @ts-expect-error a static extensions must be a Standard Schema to be read as one
    const _wrong: ProblemTypeStatics = { extensions: { sku: 'string' } };
    // @ts-expect-error a static title is a string
    const _title: ProblemTypeStatics = { title: 1 };
  });
});

describe('route specs: several results, a result body without result, metadata', () => {
  it('result: [Ok, Created] takes either, and refuses another status or a wrong body', () => {
    const User = z.object({ id: z.number() });
    handle({ result: [Ok, Created], resultBody: User }, () => new Ok({ id: 1 }));
    handle({ result: [Ok, Created], resultBody: User }, () => new Created({ id: 1 }, { location: '/users/1' }));
    // @ts-expect-error Accepted is not one of the results
    handle({ result: [Ok, Created], resultBody: User }, () => new Accepted({ id: 1 }));
    // @ts-expect-error the body does not fit resultBody
    handle({ result: [Ok, Created], resultBody: User }, () => new Ok({ id: 'one' }));
    handle({ result: [Ok, NoContent], resultBody: User }, (req) => (req.query.empty ? new NoContent() : new Ok({ id: 1 })));
  });

  it('resultBody types the result body even without result', () => {
    const User = z.object({ id: z.number() });
    handle({ resultBody: User }, () => new Ok({ id: 1 }));
    handle({ resultBody: User }, () => new Created({ id: 1 }, { location: '/u/1' }));
    // @ts-expect-error the body does not fit resultBody
    handle({ resultBody: User }, () => new Ok({ id: 'one' }));
  });

  it('metadata members are typed', () => {
    handle(
      { summary: 'Get', description: 'Gets', tags: ['users'], operationId: 'get', deprecated: true, security: [{ bearer: ['read'] }] },
      () => new Ok(1),
    );
    // @ts-expect-error scopes are strings
    handle({ security: [{ bearer: [1] }] }, () => new Ok(1));
    // @ts-expect-error tags are strings
    handle({ tags: 'users' }, () => new Ok(1));
  });
});
