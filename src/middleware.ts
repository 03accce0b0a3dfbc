/**
 * The two middlewares an app mounts after its routes: `notFoundHandler()` for unmatched paths, and
 * `errorHandler()`, which answers whatever was thrown as an RFC 9457 problem.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { type HttpError, NotFound } from './errors';
import type { Headers } from './headers';
import { type ErrorLogger, type LogLevel, type LogLevelOption, logFailure, logNote, rangeLevel } from './log';
import { type ErrorMapper, normalize } from './normalize';
import { addExtensions, problemDetails, stringifyProblem } from './problem';
import { failedRoute } from './handle';
import { read, safeString } from './read';
import { requestId, requestPath } from './request';
import { isHttpResponse } from './responses';
import { sendResponse, writeLastResort, writeProblem } from './send';
import { type Challenge, statusHeader } from './status';
import { isValidationFailure } from './validation';

/**
 * Sees each error as it is answered (to record it on a trace, say) and may return members for its
 * problem body, such as `traceId`. `express-typed-errors/opentelemetry` provides one.
 */
export type ErrorObserver = (error: HttpError, original: unknown, req: Request) => Readonly<Record<string, unknown>> | undefined;

/** How `errorHandler()` answers and logs. Every function given here is contained: one that throws is logged and changes nothing. */
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
  /**
   * The level at which a `handle(spec, fn)` route that throws a 4xx its spec's `errors` does not
   * declare (the class or a parent) is logged, so that its documentation cannot drift from its code;
   * `false` for never. 5xx errors and the automatic 422 are always allowed. Default: `'warn'`, and
   * `false` when `NODE_ENV` is `production`.
   */
  undeclaredErrors?: LogLevel | false;
  /**
   * The `WWW-Authenticate` challenge sent with a 401 that has none of its own (RFC 9110 requires one on
   * every 401), e.g. `'Bearer realm="api"'`. Without it, such a 401 is logged once as a warning.
   */
  challenge?: Challenge;
}

/** True when Express called a factory as if it were the middleware: `app.use(errorHandler)`, without the call. */
function isMiddlewareCall(req: unknown, next: unknown): boolean {
  return typeof next === 'function' && typeof read(req, 'method') === 'string' && typeof read(req, 'res') === 'object';
}

/** Logs a factory mounted without its call, each time it answers: the app runs, but its options are not the app's. */
function reportMissingCall(name: string, req: Request): void {
  logNote(
    undefined,
    'error',
    `app.use(${name}) is missing its call: write app.use(${name}()). Answered with the defaults.`,
    undefined,
    req,
  );
}

/**
 * The final middleware: whatever was thrown, the client gets a well-formed answer. A thrown
 * `HttpResponse` is sent as a success; anything else becomes an RFC 9457 problem. Mount it last.
 *
 * @example
 * app.use(notFoundHandler());
 * app.use(errorHandler({ logLevel: { '4xx': 'warn' } }));
 */
export function errorHandler(options?: ErrorHandlerOptions): ErrorRequestHandler;
// Four parameters, so that Express also takes `app.use(errorHandler)` — the call forgotten — for an
// error handler, and the mistake can be reported and answered rather than leave Express's HTML page.
export function errorHandler(options?: unknown, req?: unknown, res?: unknown, next?: unknown): ErrorRequestHandler | void {
  if (isMiddlewareCall(req, next)) {
    reportMissingCall('errorHandler', req as Request);
    return DEFAULT_ERROR_HANDLER(options, req as Request, res as Response, next as NextFunction) as void;
  }
  return createErrorHandler(options ?? {});
}

function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  const debug = options.debug === true;
  const logging = options.log !== false;
  const log = options.log === false ? undefined : options.log;
  const mappers = options.map ?? [];
  const idHeader = options.requestIdHeader === false ? false : (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const { logLevel, tracing, challenge } = options;
  const undeclared = logging && (options.undeclaredErrors ?? (process.env.NODE_ENV === 'production' ? false : 'warn'));
  /** Statuses already reported as sent without the header RFC 9110 requires: once each is enough. */
  const missingReported = new Set<number>();

  return function errorHandler(thrown: unknown, req: Request, res: Response, next: NextFunction): void {
    const warn = (message: string, cause: unknown): void => {
      if (logging) logNote(log, 'warn', message, cause, req);
    };
    if (res.headersSent) {
      // Too late for a status line: log it, then hand it over so that Express ends the connection, as its own handler does.
      if (logging) logFailure(log, 'error', thrown, res.statusCode, req, res);
      return next(thrown);
    }
    let failure = thrown;
    if (isHttpResponse(thrown)) {
      try {
        const dropped = sendResponse(res, thrown);
        if (dropped.length > 0) warn(`dropped invalid header(s) ${dropped.join(', ')} of a ${thrown.status} result`, thrown);
        return;
      } catch (error) {
        failure = error; // its body could not be serialized: answer 500 for that
      }
    }
    let logged = false;
    try {
      const err = normalize(failure, mappers, (error) => warn('a map function threw; it was skipped', error));
      const level = logging && levelOf(logLevel, err, req, warn);
      if (level) logFailure(log, level, failure, err.status, req, res);
      logged = true;
      if (undeclared) checkDeclared(err, req, (message) => logNote(log, undeclared, message, failure, req));
      const omit = (member: string, reason: unknown): void =>
        warn(`left "${member}" out of a ${err.status} problem: it could not be read or serialized`, reason);
      const problem = problemDetails(err, requestPath(req), debug, omit);
      const id = requestId(req, idHeader);
      if (id !== undefined) problem.requestId = id;
      if (tracing) addExtensions(problem, observe(tracing, err, failure, req, warn), omit);
      const headers = withChallenge(err, challenge);
      const dropped = writeProblem(req, res, err.status, headers, stringifyProblem(problem, omit));
      if (dropped.length > 0) warn(`dropped invalid header(s) ${dropped.join(', ')} of a ${err.status} problem`, failure);
      const rule = statusHeader(err.status);
      if (rule?.required && !res.hasHeader(rule.header) && !missingReported.has(err.status)) {
        missingReported.add(err.status);
        const fix = err.status === 401 ? `its \`challenge\` option or errorHandler({ challenge })` : `its \`${rule.option}\` option`;
        warn(`a ${err.status} went out without the ${rule.header} header RFC 9110 requires: set ${fix} (reported once)`, failure);
      }
    } catch (error) {
      if (logging && !logged) logFailure(log, 'error', failure, 500, req, res);
      if (logging) logNote(log, 'error', 'building the problem failed; a bare 500 was sent', error, req);
      writeLastResort(res);
    }
  };
}

/** What answers when the factory was mounted without its call. */
const DEFAULT_ERROR_HANDLER = createErrorHandler({});

/** The level an error is logged at; a `logLevel` function that throws is reported, and the default level used. */
function levelOf(
  option: LogLevelOption | undefined,
  err: HttpError,
  req: Request,
  warn: (message: string, cause: unknown) => void,
): LogLevel | false {
  if (typeof option !== 'function') return rangeLevel(option, err.status);
  try {
    return option(err, req);
  } catch (error) {
    warn('the logLevel function threw; the default level was used', error);
    return rangeLevel(undefined, err.status);
  }
}

/** Runs the tracing hook; one that throws is reported, adds nothing and changes nothing for the response. */
function observe(
  tracing: ErrorObserver,
  err: HttpError,
  original: unknown,
  req: Request,
  warn: (message: string, cause: unknown) => void,
): Readonly<Record<string, unknown>> {
  try {
    return tracing(err, original, req) ?? {};
  } catch (error) {
    warn('the tracing function threw; its members were left out', error);
    return {};
  }
}

/**
 * Tells of a 4xx that a `handle(spec, fn)` route threw without declaring its class (or a parent) in
 * `errors`: the route's documentation would not show it.
 */
function checkDeclared(err: HttpError, req: Request, report: (message: string) => void): void {
  const failed = failedRoute(req);
  if (!failed || err.status >= 500 || isValidationFailure(err)) return;
  const declared = failed.spec.errors ?? [];
  if (declared.some((cls) => err instanceof cls)) return;
  const name = safeString(read(err, 'name'));
  report(
    `${failed.route} threw a ${err.status} ${name} that its handle() spec does not declare: add ${name} (or a parent class) to its errors`,
  );
}

/** The error's headers, with the app-wide challenge for a 401 that has none. */
function withChallenge(err: HttpError, challenge: Challenge | undefined): Headers {
  const headers = read(err, 'headers');
  const own: Headers = typeof headers === 'object' && headers !== null ? (headers as Headers) : {};
  if (err.status !== 401 || challenge === undefined || Object.keys(own).some((name) => name.toLowerCase() === 'www-authenticate'))
    return own;
  return { ...own, 'WWW-Authenticate': challenge };
}

/** The middleware `notFoundHandler()` returns: a 404 problem for the request's method and path. */
const notFound: RequestHandler = function notFoundHandler(req, _res, next) {
  next(new NotFound(`Cannot ${req.method} ${requestPath(req)}`));
};

/**
 * Answers unmatched routes with a 404 problem (`Cannot GET /path`). Mount it after the routes,
 * before `errorHandler()`.
 */
export function notFoundHandler(): RequestHandler;
// Three parameters, so that `app.use(notFoundHandler)` — the call forgotten — still answers, and says so.
export function notFoundHandler(req?: unknown, res?: unknown, next?: unknown): RequestHandler | void {
  if (!isMiddlewareCall(req, next)) return notFound;
  reportMissingCall('notFoundHandler', req as Request);
  return notFound(req as Request, res as Response, next as NextFunction) as void;
}
