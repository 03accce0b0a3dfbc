import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { type HttpError, NotFound } from './errors';
import { type ErrorLogger, type LogLevelOption, levelFor, logError } from './log';
import { type ErrorMapper, toHttpError } from './normalize';
import { addExtensions, problemDetails, stringifyProblem } from './problem';
import { requestId, requestPath } from './request';
import { type HttpResponse, isHttpResponse } from './responses';
import { PROBLEM_JSON, sendResponse, writeProblem } from './send';

/**
 * Sees each error as it is answered (to record it on a trace, say) and may return members for its
 * problem body, such as `traceId`. `express-typed-errors/opentelemetry` provides one.
 */
export type ErrorObserver = (error: HttpError, original: unknown, req: Request) => Readonly<Record<string, unknown>> | undefined;

export interface ErrorHandlerOptions {
  /** Put the stack and the `cause` chain in problem bodies. Never in production. Default: `false`. */
  debug?: boolean;
  /**
   * Where errors are logged; `false` for nowhere. Default: pino-http's `req.log` when it is mounted,
   * else the console.
   */
  log?: ErrorLogger | false;
  /** Which errors are logged, at which level. Default: `{ '5xx': 'error', '4xx': false }`. */
  logLevel?: LogLevelOption;
  /** The app's own mappers (and opt-in adapters such as `fromZod`), tried in order before the built-in ones. */
  map?: readonly ErrorMapper[];
  /**
   * The header a request id is read from when `req.id` is not set; `false` to read none.
   * Default: `'x-request-id'`. A valid id is sent as the `requestId` member.
   */
  requestIdHeader?: string | false;
  /** Records each error on a trace and adds its members (e.g. `traceId`), as `openTelemetry()` does. */
  tracing?: ErrorObserver;
}

/** The body sent when even building the problem failed: static, so it cannot fail itself. */
const LAST_RESORT = '{"type":"about:blank","title":"Internal Server Error","status":500}';

/**
 * The final middleware: whatever was thrown, the client gets a well-formed answer. A thrown
 * `HttpResponse` is sent as a success; anything else becomes an RFC 9457 problem. Mount it last.
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const debug = options.debug === true;
  const logging = options.log !== false;
  const log = options.log === false ? undefined : options.log;
  const mappers = options.map ?? [];
  const idHeader = options.requestIdHeader === false ? false : (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const { logLevel, tracing } = options;

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
      const level = logging && levelFor(logLevel, err, req);
      if (level) logError(log, level, failure, err.status, req);
      const problem = problemDetails(err, requestPath(req), debug);
      const id = requestId(req, idHeader);
      if (id !== undefined) problem.requestId = id;
      if (tracing) addExtensions(problem, observe(tracing, err, failure, req));
      const dropped = writeProblem(req, res, problem, err.headers, stringifyProblem(problem));
      if (logging && dropped.length > 0) {
        const warning = new Error(`express-typed-errors: dropped invalid header(s) ${dropped.join(', ')}`, { cause: failure });
        logError(log, 'warn', warning, err.status, req);
      }
    } catch (error) {
      if (logging) logError(log, 'error', error, 500, req);
      lastResort(res);
    }
  };
}

/** Runs the tracing hook; one that throws adds nothing and changes nothing for the response. */
function observe(tracing: ErrorObserver, err: HttpError, original: unknown, req: Request): Readonly<Record<string, unknown>> {
  try {
    return tracing(err, original, req) ?? {};
  } catch {
    return {};
  }
}

/** Answers a bare 500 when building the problem itself failed; closes the socket if even that fails. */
function lastResort(res: Response): void {
  try {
    if (res.headersSent) throw new Error('headers already sent');
    res.statusCode = 500;
    res.setHeader('Content-Type', PROBLEM_JSON);
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
