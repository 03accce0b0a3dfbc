/**
 * `handle(fn)` and `handle(spec, fn)`: a route handler that returns its answer. A returned result is
 * sent, a thrown or rejected value goes to `next` — the same on Express 4, where an async rejection
 * would hang the request. With a spec, the request is validated first and typed by its schemas.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { resultCheck } from './checks';
import { isRouteContract } from './contract';
import { type HttpError, ServiceUnavailable } from './errors';
import { droppedHeaders, logNote } from './log';
import { mountChecked } from './mount';
import { toHttpError } from './normalize';
import { isThenable, read, safeString } from './read';
import { requestPath } from './request';
import { type HttpResponse, type HttpResponseClass, type SuccessStatus, isHttpResponse } from './responses';
import { sendResponse } from './send';
import type { ErrorClass, RouteSpec } from './spec';
import { INPUT_PARTS, type InputPart, checkInput } from './validation';

/** What a `handle()` handler may return: a success result, or nothing (or `res`) when it answered through `res`. */
export type HandlerResult = HttpResponse | Response | void | undefined;

/** The JSON body type of a handler's result, `never` when it has none. */
export type ResponseBody<R> = R extends HttpResponse<infer _S, infer B> ? B : never;

/** Express's own default for an untyped body: `handle(fn)` keeps it, so moving a route into `handle()` changes no type. */
type ExpressBody = Request['body'];

/** How long async schemas may take by default: far above a lookup's milliseconds, far below a client giving up. */
export const DEFAULT_VALIDATION_TIMEOUT = 10_000;

/** The longest delay `setTimeout` keeps: a longer one fires at once. */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * A spec's header schema names that are not in lower case, as a type error: Node gives every header
 * name in lower case, so `'X-Tenant'` could never be found.
 */
type LowerCaseHeaders<Spec extends RouteSpec> = Spec['headers'] extends StandardSchemaV1
  ? Exclude<
      keyof StandardSchemaV1.InferInput<Spec['headers']>,
      Lowercase<keyof StandardSchemaV1.InferInput<Spec['headers']> & string>
    > extends never
    ? unknown
    : {
        readonly headers: `header names must be in lower case: ${Exclude<keyof StandardSchemaV1.InferInput<Spec['headers']>, Lowercase<keyof StandardSchemaV1.InferInput<Spec['headers']> & string>> & string}`;
      }
  : unknown;

/** The statuses of a spec's `result`: one class's, or each of a list's. */
type ResultStatus<Result> = Result extends readonly (infer C)[]
  ? C extends HttpResponseClass<infer S>
    ? S
    : never
  : Result extends HttpResponseClass<infer S>
    ? S
    : never;

/** The body type `resultBody` gives a result: its schema's input type, `unknown` without one. */
type ResultBodyOf<Spec extends RouteSpec> = Spec['resultBody'] extends StandardSchemaV1
  ? StandardSchemaV1.InferInput<Spec['resultBody']>
  : unknown;

/** A result of status `S` as a spec allows it: without a body for 204 and 205, else with one that fits `resultBody`. */
type ResultOf<S extends SuccessStatus, Body> = S extends 204 | 205 ? HttpResponse<S, undefined> : HttpResponse<S, Body>;

/**
 * What a handler of `Spec` may return: a result of one of the spec's `result` classes, with a body that
 * fits `resultBody`; without `result`, any result (with such a body when there is a `resultBody`), or
 * nothing when it answered through `res`.
 */
export type SpecResult<Spec extends RouteSpec> = [ResultStatus<Spec['result']>] extends [never]
  ? Spec['resultBody'] extends StandardSchemaV1
    ? ResultOf<SuccessStatus, ResultBodyOf<Spec>> | Response | void | undefined
    : HandlerResult
  : ResultOf<ResultStatus<Spec['result']>, ResultBodyOf<Spec>>;

/** The parsed output of a schema, or `Fallback` where the spec has none. */
type Output<Schema, Fallback> = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : Fallback;

/** The request a `handle(spec, fn)` handler receives: typed, and holding the parsed values, where the spec has a schema. */
export type ValidatedRequest<Spec extends RouteSpec> = Spec['headers'] extends StandardSchemaV1
  ? Omit<
      Request<
        Output<Spec['params'], Request['params']>,
        ExpressBody,
        Output<Spec['body'], ExpressBody>,
        Output<Spec['query'], Request['query']>
      >,
      'headers'
    > & { headers: Request['headers'] & Output<Spec['headers'], unknown> }
  : Request<
      Output<Spec['params'], Request['params']>,
      ExpressBody,
      Output<Spec['body'], ExpressBody>,
      Output<Spec['query'], Request['query']>
    >;

/** Where a route's spec and result types are kept on its handler's type, for `ErrorsOf`: a type, never a value. */
declare const ROUTE: unique symbol;

/** The middleware `handle(spec, fn)` returns: an Express handler that also carries its spec's types. */
export type ValidatedHandler<Spec extends RouteSpec, R> = RequestHandler<Request['params'], ResponseBody<R>> & {
  readonly [ROUTE]?: { readonly spec: Spec; readonly result: R };
};

/** The instances of the error classes a `handle(spec, fn)` route declares: `ErrorsOf<typeof createUser>`. */
export type ErrorsOf<Handler> = Handler extends { readonly [ROUTE]?: { readonly spec: { readonly errors: readonly (infer C)[] } } }
  ? C extends abstract new (...args: never[]) => infer E
    ? E
    : never
  : never;

/** The check of a route's sent results against its `resultBody`, when it has one and runs outside production. */
type ResultCheck = NonNullable<ReturnType<typeof resultCheck>>;

/** A handler as `handle()` runs it, and the middleware it makes of it. */
type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** The spec of each `handle(spec, fn)` route, by its middleware: what `openApi()` reads. */
const SPECS = new WeakMap<object, RouteSpec>();

/** The spec of a `handle(spec, fn)` middleware, if it is one. */
export function routeSpec(handler: unknown): RouteSpec | undefined {
  return typeof handler === 'function' ? SPECS.get(handler) : undefined;
}

/** A `handle(spec, fn)` route or middleware that failed: its spec, where Express was, and what its scopes declare. */
export interface FailedRoute {
  readonly spec: RouteSpec;
  /** The method and the route's path as Express matched it (`POST /api/items/:id`); for a middleware, the request's path. */
  readonly route: string;
  /** The error classes of every `handle(spec, fn)` the request ran through up to the failure, this one's included. */
  readonly errors: readonly ErrorClass[];
}

/** The route each request failed in, when it was a `handle(spec, fn)` route: for the error handler's check of declared errors. */
const FAILED = new WeakMap<Request, FailedRoute>();

/** The declared errors of the `handle(spec, fn)` middlewares each request ran through: its scopes. */
const SCOPES = new WeakMap<Request, ErrorClass[]>();

/** The `handle(spec, fn)` route a request failed in, if it did. */
export function failedRoute(req: Request): FailedRoute | undefined {
  return FAILED.get(req);
}

/** Remembers what a `handle(spec, fn)` the request runs through declares, for a failure further on. */
function enterScope(req: Request, errors: readonly ErrorClass[] | undefined): void {
  if (errors === undefined || errors.length === 0) return;
  const scopes = SCOPES.get(req);
  if (scopes === undefined) SCOPES.set(req, [...errors]);
  else scopes.push(...errors);
}

/** Where Express was when a `handle(spec, fn)` failed: the route's path, or the request's for a middleware (it has no route). */
function whereFailed(req: Request): string {
  const path = read(req.route, 'path');
  return `${req.method} ${req.baseUrl}${path === undefined ? req.path : safeString(path)}`;
}

/**
 * Wraps a route handler for Express 4 and 5 alike: a returned `HttpResponse` is sent, and a thrown
 * or rejected value goes to `next`. The request is typed as Express types it; annotate `req` to type
 * route parameters (`(req: Request<{ id: string }>) => …`). The returned middleware is typed by the
 * result: `RequestHandler<P, User>` for a `Created<User>`.
 *
 * @example
 * app.post('/users', handle(async (req) => {
 *   const user = await users.create(req.body);
 *   return new Created(user, { location: `/users/${user.id}` });
 * }));
 */
export function handle<R extends HandlerResult, P = Request['params'], ReqBody = ExpressBody, ReqQuery = Request['query']>(
  fn: (req: Request<P, ExpressBody, ReqBody, ReqQuery>, res: Response, next: NextFunction) => R | Promise<R>,
): RequestHandler<P, ResponseBody<R>, ReqBody, ReqQuery>;
/**
 * Validates the request with the spec's schemas before the handler runs, and types it by them:
 * `req.body`, `req.query`, `req.params` and `req.headers` are the schemas' parsed output. A failure,
 * in any part, answers 422 with every issue in `errors` (`pointer` into the body, `parameter` or
 * `header` for the rest); the handler does not run.
 *
 * @example
 * const NewUser = z.object({ email: z.email(), name: z.string().min(1) });
 *
 * app.post('/users', handle({ body: NewUser, errors: [EmailTaken] }, async (req) => {
 *   const user = await users.create(req.body); // { email: string; name: string }
 *   return new Created(user, { location: `/users/${user.id}` });
 * }));
 */
export function handle<const Spec extends RouteSpec, R extends SpecResult<Spec>>(
  spec: Spec & LowerCaseHeaders<Spec>,
  fn: (req: ValidatedRequest<Spec>, res: Response, next: NextFunction) => R | Promise<R>,
): ValidatedHandler<Spec, R>;
export function handle(specOrFn: RouteSpec | Handler, maybeFn?: Handler): Middleware {
  if (typeof specOrFn === 'function') return handled(specOrFn);
  const spec = specOrFn;
  const fn = maybeFn!;
  const parts = INPUT_PARTS.filter((part) => spec[part] !== undefined);
  const timeout = spec.validationTimeout ?? DEFAULT_VALIDATION_TIMEOUT;
  if (typeof timeout !== 'number' || !(timeout > 0))
    throw new TypeError(
      `express-typed-errors: handle() validationTimeout must be a number of milliseconds above 0, or Infinity; got ${String(timeout)}`,
    );
  // a contract (route()) is a spec with its method and path: mounted elsewhere, it is refused
  const route = isRouteContract(spec) ? mountChecked(spec, validated(spec, parts, fn, timeout)) : validated(spec, parts, fn, timeout);
  SPECS.set(route, spec);
  return route;
}

/** The middleware of `handle(fn)`: runs the handler and settles what it returns or throws. */
function handled(fn: Handler): Middleware {
  return function handled(req, res, next) {
    run(fn, req, req, res, next);
  };
}

/**
 * The middleware of `handle(spec, fn)`: checks every part the spec has a schema for — together, so a
 * client learns of all its mistakes at once — then runs the handler on a view of the request that
 * holds the parsed values.
 */
function validated(spec: RouteSpec, parts: readonly InputPart[], fn: Handler, timeout: number): Middleware {
  const checkResult = resultCheck(spec.resultBody);
  return function validated(req, res, next) {
    enterScope(req, spec.errors);
    const failed = (error?: unknown): void => {
      // a failure, not a routing command: remembered for the error handler's check of declared errors
      if (error !== undefined && error !== 'route' && error !== 'router')
        FAILED.set(req, { spec, route: whereFailed(req), errors: SCOPES.get(req) ?? [] });
      next(error);
    };
    if (parts.length === 0) return run(fn, req, req, res, failed, checkResult);
    let values: unknown[] | Promise<unknown[]>;
    try {
      values = checkInput(spec, parts, req);
    } catch (error) {
      return failed(forNext(error));
    }
    if (!isThenable(values)) return run(fn, parsedView(req, parts, values), req, res, failed, checkResult);
    // a schema that awaits something that never answers must not hold the request for good
    let pending = true;
    const timer =
      timeout <= MAX_TIMER
        ? setTimeout(() => {
            pending = false;
            failed(timedOut(req, timeout));
          }, timeout).unref()
        : undefined;
    const settled = (then: () => void): void => {
      if (!pending) return; // answered 503 already: a late result changes nothing
      pending = false;
      clearTimeout(timer);
      then();
    };
    values.then(
      (parsed) => settled(() => run(fn, parsedView(req, parts, parsed), req, res, failed, checkResult)),
      (error: unknown) => settled(() => failed(forNext(error))),
    );
  };
}

/**
 * The 503 of schemas that did not settle within `timeout`: not the client's fault, and likely to pass
 * on a retry. Its message, for the log alone (a 5xx detail is not sent), says which route and why.
 */
function timedOut(req: Request, timeout: number): HttpError {
  return new ServiceUnavailable(
    `express-typed-errors: the schemas of ${req.method} ${req.baseUrl}${String(read(req.route, 'path'))} did not settle within ${timeout} ms (the spec's validationTimeout): a check awaits something that does not answer`,
  );
}

/** The key under which a request view gives the request it is a view of. */
const RAW = Symbol('express-typed-errors.rawRequest');

/**
 * The request Express and earlier middleware hold, for a `handle(spec, fn)` handler's `req` (a view
 * that holds the parsed values): the key of per-request state kept by identity, such as a
 * `WeakMap<Request, …>` an authentication middleware filled. Any other request is returned as it is.
 *
 * @example
 * const sessions = new WeakMap<Request, Session>();
 * app.post('/notes', handle({ body: Note }, (req) => {
 *   const session = sessions.get(rawRequest(req));
 *   …
 * }));
 */
export function rawRequest(req: Pick<Request, 'method' | 'originalUrl'>): Request {
  return ((read(req, RAW) as Request | undefined) ?? req) as Request;
}

/**
 * The request as the handler sees it: the parsed values in place of the raw ones, everything else the
 * real request's. Express's own methods run against the view, so `req.get()` reads the parsed headers;
 * the stream's and the emitter's run against the real request, whose state they keep (`for await` over
 * the body, `pipe`, `on`). Nothing is written onto the real request by the view, so whatever reads it
 * later in the same request — a logger, the error handler, Express 5's `req.query` getter — sees what
 * the client sent; what the handler assigns goes to the real request.
 */
function parsedView(req: Request, parts: readonly InputPart[], values: readonly unknown[]): Request {
  const parsed = new Map<PropertyKey, unknown>().set(RAW, req);
  parts.forEach((part, i) => parsed.set(part, part === 'headers' ? { ...req.headers, ...(values[i] as object) } : values[i]));
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(req, {
    get: (target, key) => {
      if (parsed.has(key)) return parsed.get(key);
      const value: unknown = Reflect.get(target, key, target);
      // a method of Node's request (a Readable, an EventEmitter) keeps its state on the real request
      if (typeof value !== 'function' || value !== (IncomingMessage.prototype as unknown as Record<PropertyKey, unknown>)[key])
        return value;
      if (!bound.has(key)) bound.set(key, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(key);
    },
    set: (target, key, value) => {
      parsed.delete(key);
      return Reflect.set(target, key, value, target);
    },
    defineProperty: (target, key, descriptor) => {
      parsed.delete(key);
      return Reflect.defineProperty(target, key, descriptor);
    },
    has: (target, key) => parsed.has(key) || Reflect.has(target, key),
  });
}

/** Runs a handler on `view` (the request it sees) and settles what it returns or throws on the real `req`; `checkResult` sees what was sent. */
function run(fn: Handler, view: Request, req: Request, res: Response, next: NextFunction, checkResult?: ResultCheck): void {
  let result: unknown;
  try {
    result = fn(view, res, next);
  } catch (error) {
    return next(forNext(error));
  }
  // a result returned at once is sent at once: no closure, no promise
  if (!isThenable(result)) return settle(req, res, next, result, checkResult);
  result.then(
    (value) => settle(req, res, next, value, checkResult),
    (error: unknown) => next(forNext(error)),
  );
}

/** Sends a handler's result; one that cannot be sent goes to `next`. */
function settle(req: Request, res: Response, next: NextFunction, result: unknown, checkResult: ResultCheck | undefined): void {
  try {
    send(req, res, result, checkResult);
  } catch (error) {
    next(forNext(error));
  }
}

/**
 * Sends what a handler returned. Nothing, or `res`, means it answered itself. A result returned after
 * it had answered through `res` cannot be sent, and anything else is not a result: both are bugs in
 * the handler, so they are logged — and the second answered 500 — instead of leaving the request hanging.
 */
function send(req: Request, res: Response, result: unknown, checkResult: ResultCheck | undefined): void {
  if (result === undefined || result === res) return;
  const isResult = isHttpResponse(result);
  if (isResult && !res.headersSent) {
    const dropped = sendResponse(res, result);
    if (dropped.length > 0) logNote(undefined, 'warn', droppedHeaders(dropped, `a ${result.status} result`), result, req);
    checkResult?.(req, result);
    return;
  }
  const route = `${req.method} ${requestPath(req)}`;
  if (!isResult) {
    const what = result === null ? 'null' : typeof result === 'object' ? 'an object' : `a ${typeof result}`;
    const error = new TypeError(
      `express-typed-errors: the handle() handler of ${route} returned ${what}, which is not a result: return new Ok(value) (or another result), or answer through res and return nothing`,
    );
    if (!res.headersSent) throw error;
    return logNote(undefined, 'error', error.message, result, req);
  }
  logNote(
    undefined,
    'error',
    `the handle() handler of ${route} returned a ${result.status} result after it had answered through res: the result was not sent`,
    result,
    req,
  );
}

/**
 * Express reads a falsy `next()` argument as "no error" and the strings 'route' and 'router' as
 * routing commands; a handler that throws one of those still failed, so it is wrapped.
 */
function forNext(error: unknown): unknown {
  return !error || error === 'route' || error === 'router' ? toHttpError(error) : error;
}
