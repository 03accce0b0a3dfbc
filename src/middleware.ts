import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { NotFound } from './errors';
import { type ErrorMapper, toHttpError } from './normalize';
import { describe, problemDetails, safeString, stringifyProblem } from './problem';
import { type HttpResponse, isHttpResponse } from './responses';
import { sendResponse, writeProblem } from './send';

/** Receives what was thrown — the original value, not the normalized error — and the request. */
export type ErrorLogger = (error: unknown, req: Request) => void;

export interface ErrorHandlerOptions {
  /** Put the stack and the `cause` chain in problem bodies. Never in production. Default: `false`. */
  debug?: boolean;
  /** Where 5xx errors are logged; `false` for nowhere. Default: `console.error` with the stack. 4xx are not logged. */
  log?: ErrorLogger | false;
  /** The app's own mappers (and opt-in adapters such as `fromZod`), tried in order before the built-in ones. */
  map?: readonly ErrorMapper[];
}

/** The body sent when even building the problem failed: static, so it cannot fail itself. */
const LAST_RESORT = '{"type":"about:blank","title":"Internal Server Error","status":500}';

/** The default logger: the request line and the original error, whose stack console.error prints. */
const consoleLogger: ErrorLogger = (error, req) => {
  console.error(`express-typed-errors: ${req.method} ${req.originalUrl}`, error);
};

/** Runs a logger so that a logger that throws (or an error that cannot be printed) changes nothing. */
function logSafely(log: ErrorLogger, error: unknown, req: Request): void {
  try {
    log(error, req);
  } catch (logFailure) {
    try {
      // what can still be read of the error, as plain data that printing cannot trip over
      console.error('express-typed-errors: the logger threw while logging', describe(error, 3), safeString(logFailure));
    } catch {
      // nowhere left to report to; the response must still go out
    }
  }
}

/** The request path without its query string, for the problem `instance`. */
function requestPath(req: Request): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The final middleware: whatever was thrown, the client gets a well-formed answer. A thrown
 * `HttpResponse` is sent as a success; anything else becomes an RFC 9457 problem. Mount it last.
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const debug = options.debug === true;
  const log = options.log === false ? undefined : (options.log ?? consoleLogger);
  const mappers = options.map ?? [];

  return function errorHandler(thrown: unknown, req: Request, res: Response, next: NextFunction): void {
    // Too late for a new status line: hand over so Express ends the connection, as its own handler does.
    if (res.headersSent) return next(thrown);
    let failure = thrown;
    if (isHttpResponse(thrown)) {
      try {
        return sendResponse(res, thrown);
      } catch (error) {
        failure = error; // its body could not be serialized: answer 500 for that
      }
    }
    try {
      const err = toHttpError(failure, mappers);
      if (log && err.status >= 500) logSafely(log, failure, req);
      const problem = problemDetails(err, requestPath(req), debug);
      const dropped = writeProblem(req, res, problem, err.headers, stringifyProblem(problem));
      if (log && dropped.length > 0)
        logSafely(log, new Error(`express-typed-errors: dropped invalid header(s) ${dropped.join(', ')}`, { cause: failure }), req);
    } catch (error) {
      if (log) logSafely(log, error, req);
      lastResort(res);
    }
  };
}

/** Answers a bare 500 when building the problem itself failed; closes the socket if even that fails. */
function lastResort(res: Response): void {
  try {
    if (res.headersSent) throw new Error('headers already sent');
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    res.setHeader('Content-Length', LAST_RESORT.length);
    res.end(LAST_RESORT);
  } catch {
    res.destroy();
  }
}

/** Answers unmatched routes with a 404 problem. Mount it after the routes, before `errorHandler()`. */
export function notFoundHandler(): RequestHandler {
  return function notFoundHandler(req, _res, next) {
    next(new NotFound(`Cannot ${req.method} ${requestPath(req)}`));
  };
}

/** What a `handle()` handler may return: a success result, or nothing when it answered through `res`. */
export type HandlerResult = HttpResponse | Response | void | undefined;

/** The JSON body type of a handler's result, `never` when it has none. */
export type ResponseBody<R> = R extends HttpResponse<infer _S, infer B> ? B : never;

/**
 * Wraps a route handler for Express 4 and 5 alike: a returned `HttpResponse` is sent, and a thrown
 * or rejected value goes to `next` (Express 4 would leave the request hanging on a rejection). The
 * returned middleware is typed by the handler's result: `RequestHandler<P, User>` for a `Created<User>`.
 */
export function handle<R extends HandlerResult, P = Request['params'], ReqBody = unknown, ReqQuery = Request['query']>(
  fn: (req: Request<P, unknown, ReqBody, ReqQuery>, res: Response, next: NextFunction) => R | Promise<R>,
): RequestHandler<P, ResponseBody<R>, ReqBody, ReqQuery> {
  return function handled(req, res, next) {
    const fail = (error: unknown): void => next(forNext(error));
    const settle = (result: R): void => {
      if (isHttpResponse(result) && !res.headersSent) sendResponse(res as Response, result);
    };
    try {
      // Express types req.res by the body type; the handler sees the request alone
      const result = fn(req as unknown as Request<P, unknown, ReqBody, ReqQuery>, res as Response, next);
      if (isPromiseLike(result))
        result.then((value) => {
          try {
            settle(value);
          } catch (error) {
            fail(error);
          }
        }, fail);
      else settle(result);
    } catch (error) {
      fail(error);
    }
  };
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
