/**
 * The two middlewares an app mounts after its routes: `notFoundHandler()` for unmatched paths, and
 * `errorHandler()`, which answers whatever was thrown as an RFC 9457 problem.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { type HttpError, MethodNotAllowed, NotFound } from './errors';
import type { Headers } from './headers';
import { type ErrorLogger, type LogLevel, type LogLevelOption, droppedHeaders, logFailure, logNote, rangeLevel } from './log';
import { type ErrorMapper, normalize } from './normalize';
import {
  MAX_PROBLEM_BYTES,
  type Omission,
  type ProblemDetails,
  addExtensions,
  capped,
  fits,
  isProblemShaped,
  problemDetails,
  stringifyProblem,
} from './problem';
import { checkExtensions, defaultExtensionsLevel } from './checks';
import { failedRoute } from './handle';
import type { ErrorClass } from './spec';
import { containPromise, read, safeString } from './read';
import { problemInstance, requestId, requestPath } from './request';
import { NoContent, isHttpResponse } from './responses';
import { allowedMethods } from './routes';
import { sendResponse, writeLastResort, writeProblem } from './send';
import { type Challenge, statusHeader } from './status';
import { asBadRequest, isValidationFailure } from './validation';

/**
 * Sees each error as it is answered (to record it on a trace, say) and may return members for its
 * problem body, such as `traceId`. `express-typed-errors/opentelemetry` provides one.
 */
export type ErrorObserver = (error: HttpError, original: unknown, req: Request) => Readonly<Record<string, unknown>> | undefined;

/** How `errorHandler()` answers and logs. Every function given here is contained: one that throws is logged and changes nothing. */
export interface ErrorHandlerOptions {
  /**
   * Put the stack and the `cause` chain in problem bodies, and the cause's stack under each warning on
   * the console. Never in production. Default: `false`.
   */
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
   * The level at which an error whose extension members do not fit its class's `static extensions`
   * schema is logged, with the route, after its answer went out (never changed); `false` for never.
   * Default: `'warn'`, and `false` when `NODE_ENV` is `production`.
   */
  invalidExtensions?: LogLevel | false;
  /**
   * The error classes any route of the app may throw (an authentication middleware's `Unauthorized`, a
   * rate limiter's `TooManyRequests`), which no route declares itself: the check of `undeclaredErrors`
   * allows them everywhere. Give `openApi()` the same, so that the document shows them on every operation.
   */
  errors?: readonly ErrorClass[];
  /**
   * The `WWW-Authenticate` challenge sent with a 401 that has none of its own (RFC 9110 requires one on
   * every 401), e.g. `'Bearer realm="api"'`. Without it, such a 401 is logged once as a warning.
   */
  challenge?: Challenge;
  /**
   * The status of every validation failure the package produces (`handle(spec)`, `validate()`, the
   * adapters): 422 Unprocessable Content, or 400 Bad Request for an app whose clients expect it.
   * Default: `422`.
   */
  validationStatus?: 400 | 422;
  /**
   * The base of a stable problem `type` URI for each error that has a `code` and no `type` of its own:
   * `'https://errors.example.com/'` gives `https://errors.example.com/email_taken`. Give `openApi()`
   * the same, so the document shows the same URIs.
   */
  typeBase?: string;
  /**
   * Localizes a problem: receives a copy of the problem as it would be sent (its detail only if exposed) and the
   * request, and returns the `title` and `detail` in the language it chose (by `req.acceptsLanguages()`,
   * say) with that `language`, sent as `Content-Language` — or nothing to leave the problem as it is.
   * The status line keeps the registered reason phrase.
   */
  translate?: (problem: Readonly<ProblemDetails>, req: Request) => Translation | undefined;
  /**
   * Reshapes the body for an app's existing error contract (`{ error: { code, message } }`): receives a
   * copy of the problem as it would be sent — never a hidden detail — the error and the request, and
   * returns the body to send. Status and headers stay the handler's. A body without the problem shape
   * goes out as `application/json`; one that cannot be serialized, or is over `MAX_PROBLEM_BYTES`, is
   * logged and the problem is sent instead.
   */
  format?: (problem: Readonly<ProblemDetails>, error: HttpError, req: Request) => unknown;
}

/** What `translate` returns: the language it chose, and the problem's `title` and `detail` in it. */
export interface Translation {
  /** The language tag of the translation (`'fr'`, `'pt-BR'`), sent as `Content-Language`. */
  readonly language: string;
  /** The problem's `title` in that language; the status line keeps the registered reason phrase. */
  readonly title?: string;
  /** The problem's `detail` in that language, sent only when the error's own detail would be. */
  readonly detail?: string;
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
  const problemOptions = { debug: options.debug === true, typeBase: options.typeBase };
  const logging = options.log !== false;
  const log = options.log === false ? undefined : options.log;
  const mappers = options.map ?? [];
  const idHeader = options.requestIdHeader === false ? false : (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const { logLevel, tracing, challenge, translate, format } = options;
  const validationStatus = options.validationStatus ?? 422;
  const appErrors = options.errors ?? [];
  const undeclared = logging && (options.undeclaredErrors ?? (process.env.NODE_ENV === 'production' ? false : 'warn'));
  const invalidExtensions = logging && (options.invalidExtensions ?? defaultExtensionsLevel());
  /** Statuses already reported as sent without the header RFC 9110 requires: once each is enough. */
  const missingReported = new Set<number>();

  return function errorHandler(thrown: unknown, req: Request, res: Response, next: NextFunction): void {
    const warn = (message: string, cause: unknown): void => {
      if (logging) logNote(log, 'warn', message, cause, req, problemOptions.debug);
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
        if (dropped.length > 0) warn(droppedHeaders(dropped, `a ${thrown.status} result`), thrown);
        return;
      } catch (error) {
        failure = error; // its body could not be serialized: answer 500 for that
      }
    }
    let logged = false;
    try {
      const normalized = normalize(failure, mappers, (error) => warn(MAPPER_THREW, error), req);
      const err = validationStatus === 400 && isValidationFailure(normalized) ? asBadRequest(normalized) : normalized;
      // Read once, and the problem built, before any hook sees the error: a hook that changes it
      // (`err.status = 200`) cannot make the status line and the body disagree.
      const status = err.status;
      const omit = (member: string, why: string, cause?: unknown): void =>
        warn(`left "${member}" out of a ${status} problem: ${why}`, cause);
      let problem = problemDetails(err, problemInstance(req), problemOptions, omit, failure);
      const id = requestId(req, idHeader);
      if (id !== undefined) problem.requestId = id;
      let headers = withChallenge(err, challenge);
      const level = logging && levelOf(logLevel, err, req, warn);
      if (level) logFailure(log, level, failure, status, req, res);
      logged = true;
      if (undeclared)
        checkDeclared(err, req, appErrors, (message) => logNote(log, undeclared, message, failure, req, problemOptions.debug));
      if (tracing) addExtensions(problem, observe(tracing, err, failure, req, warn), omit);
      const translation = translate && translated(translate, problem, req, warn);
      if (translation) [problem, headers] = [translation.problem, { ...headers, 'Content-Language': translation.language }];
      const [body, problemShaped] = format
        ? formatted(format, problem, status, err, req, warn, omit)
        : [stringifyProblem(problem, omit), true];
      const vary = problemShaped ? (translate ? 'Accept, Accept-Language' : 'Accept') : translate ? 'Accept-Language' : undefined;
      const dropped = writeProblem(req, res, status, headers, body, problemShaped, vary);
      if (invalidExtensions) checkExtensions(err, req, (message) => logNote(log, invalidExtensions, message, failure, req));
      if (dropped.length > 0) warn(droppedHeaders(dropped, `a ${status} problem`), failure);
      const rule = statusHeader(status);
      if (rule?.required && !res.hasHeader(rule.header) && !missingReported.has(status)) {
        missingReported.add(status);
        const fix = status === 401 ? `its \`challenge\` option or errorHandler({ challenge })` : `its \`${rule.option}\` option`;
        warn(`a ${status} went out without the ${rule.header} header RFC 9110 requires: set ${fix} (reported once)`, failure);
      }
    } catch (error) {
      if (logging && !logged) logFailure(log, 'error', failure, 500, req, res);
      if (logging) logNote(log, 'error', 'building the problem failed; a bare 500 was sent', error, req, problemOptions.debug);
      writeLastResort(res);
    }
  };
}

const MAPPER_THREW = 'a map function threw; it was skipped: a mapper returns undefined for what it does not know';

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
    const level = option(err, req);
    if (!containPromise(level, (error) => warn('the logLevel function rejected', error))) return level;
    warn('the logLevel function returned a promise, not a level; the default level was used: it must answer at once', undefined);
  } catch (error) {
    warn('the logLevel function threw; the default level was used', error);
  }
  return rangeLevel(undefined, err.status);
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
    const members = tracing(err, original, req);
    if (!containPromise(members, (error) => warn('the tracing function rejected', error))) return members ?? {};
    warn('the tracing function returned a promise, not members; they were left out: it must answer at once', undefined);
  } catch (error) {
    warn('the tracing function threw; its members were left out', error);
  }
  return {};
}

/**
 * Tells of a 4xx that a `handle(spec, fn)` route threw without declaring its class (or a parent) in
 * `errors` — its own, those of the `handle(spec, fn)` middlewares the request ran through, or the
 * app's: the route's documentation would not show it.
 */
function checkDeclared(err: HttpError, req: Request, appErrors: readonly ErrorClass[], report: (message: string) => void): void {
  const failed = failedRoute(req);
  if (!failed || err.status >= 500 || isValidationFailure(err)) return;
  if (failed.errors.some((cls) => err instanceof cls) || appErrors.some((cls) => err instanceof cls)) return;
  const name = safeString(read(err, 'name'));
  report(
    `${failed.route} threw a ${err.status} ${name} that its handle() spec does not declare: add ${name} (or a parent class) to its errors, to those of a handle() middleware before it, or to errorHandler({ errors }) and openApi(app, { errors })`,
  );
}

/** A language tag as `Content-Language` carries it (RFC 5646, loosely: letters, digits and hyphens, at most 71 characters). */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,7}$/;

/**
 * Runs `translate` on a copy of the problem: the problem in the language it chose, or nothing when it
 * gave none, or a bad one, or threw. What the hook does to its copy is never sent.
 */
function translated(
  translate: NonNullable<ErrorHandlerOptions['translate']>,
  problem: ProblemDetails,
  req: Request,
  warn: (message: string, cause: unknown) => void,
): { problem: ProblemDetails; language: string } | undefined {
  let translation: Translation | undefined;
  try {
    translation = translate({ ...problem }, req);
  } catch (error) {
    warn('the translate function threw; the problem was sent untranslated', error);
    return undefined;
  }
  if (containPromise(translation, (error) => warn('the translate function rejected', error))) {
    warn(
      'the translate function returned a promise, not a translation; the problem was sent untranslated: it must answer at once',
      undefined,
    );
    return undefined;
  }
  if (translation === undefined || translation === null) return undefined;
  const language = read(translation, 'language');
  if (typeof language !== 'string' || !LANGUAGE_TAG.test(language)) {
    warn(
      `the translate function gave no valid language tag (${safeString(language).slice(0, 80)}); the problem was sent untranslated: give one such as 'fr' or 'pt-BR'`,
      undefined,
    );
    return undefined;
  }
  const title = read(translation, 'title');
  const detail = read(translation, 'detail');
  const { type, status, instance, title: _title, detail: _detail, ...rest } = problem;
  return {
    language,
    problem: {
      type,
      title: typeof title === 'string' ? title : problem.title,
      status,
      ...(typeof detail === 'string' ? { detail: capped(detail) } : problem.detail !== undefined ? { detail: problem.detail } : {}),
      instance,
      ...rest,
    },
  };
}

/**
 * Runs `format` on a copy of the problem, serializes what it returns, and says whether that still has
 * the problem shape. A `format` that throws, or returns what cannot be serialized or what is over
 * `MAX_PROBLEM_BYTES`, is reported, and the problem is sent: the problem as built, whatever the hook
 * did to its copy.
 */
function formatted(
  format: NonNullable<ErrorHandlerOptions['format']>,
  problem: ProblemDetails,
  status: number,
  err: HttpError,
  req: Request,
  warn: (message: string, cause: unknown) => void,
  omit: Omission,
): [string, boolean] {
  try {
    const body = format({ ...problem }, err, req);
    if (containPromise(body, (error) => warn('the format function rejected', error))) {
      warn('the format function returned a promise, not a body; the problem was sent instead: it must answer at once', undefined);
      return [stringifyProblem(problem, omit), true];
    }
    const json = JSON.stringify(body) as string | undefined;
    // the shape is judged on what was serialized: a getter read twice cannot make it say two things
    if (json !== undefined && fits(json)) return [json, isProblemShaped(JSON.parse(json), status)];
    if (json !== undefined)
      warn(`the format function returned a body over ${MAX_PROBLEM_BYTES / 1024} KiB; the problem was sent instead`, undefined);
    else warn('the format function returned nothing that can be sent; the problem was sent instead', body);
  } catch (error) {
    warn('the format function threw, or returned what cannot be serialized; the problem was sent instead', error);
  }
  return [stringifyProblem(problem, omit), true];
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

/**
 * The path of a request within `req.app`, where `allowedMethods()` looks it up: the mount paths of the
 * routers it passed through joined with the rest, less the mount path of a sub-application.
 */
function pathInApp(req: Request): string {
  const path = req.baseUrl + req.path;
  const mount = read(req.app, 'mountpath');
  return typeof mount === 'string' && mount !== '/' && path.startsWith(mount) ? path.slice(mount.length) || '/' : path;
}

/** The middleware `methodNotAllowed()` returns. */
const methodsOfPath: RequestHandler = function methodNotAllowed(req, res, next) {
  let methods: string[] | undefined;
  try {
    methods = allowedMethods(req.app, pathInApp(req));
  } catch (error) {
    return next(error); // an app whose router cannot be read: said loudly, not answered wrong
  }
  // no route has this path, or one of this method passed it on: not a 405, the 404 comes next; an
  // OPTIONS that a route passed on (cors with `preflightContinue`) is answered, as Express's router does
  if (methods === undefined || (methods.includes(req.method) && req.method !== 'OPTIONS')) return next();
  const allow = methods.includes('OPTIONS') ? methods : [...methods, 'OPTIONS'];
  if (req.method === 'OPTIONS') {
    sendResponse(res, new NoContent({ headers: { Allow: allow.join(', ') } }));
    return;
  }
  next(new MethodNotAllowed(undefined, { allow }));
};

/**
 * Answers a request whose path has routes only for other methods: 405 Method Not Allowed with `Allow`
 * listing them (HEAD wherever GET is, and OPTIONS), and `OPTIONS` with 204 and `Allow`. A path no route
 * has falls through to `notFoundHandler()`. Mount it after the routes, on Express 4 and 5: it reads the
 * app's routes, nested routers and `app.route()` included (a sub-application's routes are its own:
 * mount one in it too).
 *
 * @example
 * app.use(methodNotAllowed());
 * app.use(notFoundHandler());
 * app.use(errorHandler());
 */
export function methodNotAllowed(): RequestHandler;
// Three parameters, so that `app.use(methodNotAllowed)` — the call forgotten — still answers, and says so.
export function methodNotAllowed(req?: unknown, res?: unknown, next?: unknown): RequestHandler | void {
  if (!isMiddlewareCall(req, next)) return methodsOfPath;
  reportMissingCall('methodNotAllowed', req as Request);
  return methodsOfPath(req as Request, res as Response, next as NextFunction) as void;
}
