/**
 * `handle(fn)`: a route handler that returns its answer. A returned result is sent, a thrown or
 * rejected value goes to `next` — the same on Express 4, where an async rejection would hang the request.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { logNote } from './log';
import { toHttpError } from './normalize';
import { requestPath } from './request';
import { type HttpResponse, isHttpResponse } from './responses';
import { sendResponse } from './send';

/** What a `handle()` handler may return: a success result, or nothing (or `res`) when it answered through `res`. */
export type HandlerResult = HttpResponse | Response | void | undefined;

/** The JSON body type of a handler's result, `never` when it has none. */
export type ResponseBody<R> = R extends HttpResponse<infer _S, infer B> ? B : never;

/** Express's own default for an untyped body: `handle(fn)` keeps it, so moving a route into `handle()` changes no type. */
type ExpressBody = Request['body'];

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
): RequestHandler<P, ResponseBody<R>, ReqBody, ReqQuery> {
  return function handled(req, res, next) {
    const fail = (error: unknown): void => next(forNext(error));
    const settle = (result: unknown): void => {
      try {
        send(req as unknown as Request, res, result);
      } catch (error) {
        fail(error);
      }
    };
    try {
      // Express types req.res by the body type; the handler sees the request alone
      const result = fn(req, res, next);
      if (isPromiseLike(result)) result.then(settle, fail);
      else settle(result);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * Sends what a handler returned. Nothing, or `res`, means it answered itself. A result returned after
 * it had answered through `res` cannot be sent, and anything else is not a result: both are bugs in
 * the handler, so they are logged — and the second answered 500 — instead of leaving the request hanging.
 */
function send(req: Request, res: Response, result: unknown): void {
  if (result === undefined || result === res) return;
  const route = `${req.method} ${requestPath(req)}`;
  if (!isHttpResponse(result)) {
    const what = result === null ? 'null' : typeof result === 'object' ? 'an object' : `a ${typeof result}`;
    const error = new TypeError(
      `express-typed-errors: the handle() handler of ${route} returned ${what}, which is not a result: return new Ok(value) (or another result), or answer through res and return nothing`,
    );
    if (!res.headersSent) throw error;
    return logNote(undefined, 'error', error.message, result, req);
  }
  if (res.headersSent) {
    return logNote(
      undefined,
      'error',
      `the handle() handler of ${route} returned a ${result.status} result after it had answered through res: the result was not sent`,
      result,
      req,
    );
  }
  const dropped = sendResponse(res, result);
  if (dropped.length > 0)
    logNote(undefined, 'warn', `dropped invalid header(s) ${dropped.join(', ')} of a ${result.status} result`, result, req);
}

/**
 * Express reads a falsy `next()` argument as "no error" and the strings 'route' and 'router' as
 * routing commands; a handler that throws one of those still failed, so it is wrapped.
 */
function forNext(error: unknown): unknown {
  return !error || error === 'route' || error === 'router' ? toHttpError(error) : error;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
