/**
 * Logging: every failure reaches a log once — the app's `log` function, pino-http, or the console —
 * and nothing a logger does can change or stop the response.
 */
import type { Request, Response } from 'express';
import type { HttpError } from './errors';
import { containPromise, describe, read, safeString } from './read';
import { requestPath } from './request';

/** pino's levels, which most Node loggers share. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Receives what was thrown — the original value, not the normalized error — the request, and the level. */
export type ErrorLogger = (error: unknown, req: Request, level: LogLevel) => void;

/** The level for an error's status range, or `false` for not logged. */
export type LogLevels = Readonly<{ '4xx'?: LogLevel | false; '5xx'?: LogLevel | false }>;

/** Which errors are logged, and how loudly: by status range, or decided per error. */
export type LogLevelOption = LogLevels | ((error: HttpError, req: Request) => LogLevel | false);

const DEFAULT_LEVELS = { '4xx': false, '5xx': 'error' } as const;

/** The level of the status range by the app's table, or by the default one: 5xx at `error`, 4xx not at all. */
export function rangeLevel(levels: LogLevels | undefined, status: number): LogLevel | false {
  const range = status >= 500 ? '5xx' : '4xx';
  return levels?.[range] ?? DEFAULT_LEVELS[range];
}

/** The default logger: the request line and the original error, whose stack the console prints. */
const consoleLogger: ErrorLogger = (error, req, level) => {
  consoleMethod(level)(`express-typed-errors: ${req.method} ${requestPath(req)}`, error);
};

/** The console method for a level: `error` for fatal and error, `warn`, else `log`. */
function consoleMethod(level: LogLevel): (...data: unknown[]) => void {
  return level === 'fatal' || level === 'error' ? console.error : level === 'warn' ? console.warn : console.log;
}

/** pino's level methods, as pino-http puts a child logger on `req.log`. */
type PinoLike = Record<LogLevel, (object: object, message: string) => void>;

/** `req.log` when pino-http (or a logger shaped like it) is mounted. */
function requestLogger(req: Request, level: LogLevel): PinoLike | undefined {
  const log = read(req, 'log');
  return typeof read(log, level) === 'function' ? (log as PinoLike) : undefined;
}

/**
 * True when pino-http's automatic request logging will log this response when it ends: then the
 * error is handed to it as `res.err`, which it logs in its own entry instead of a synthetic
 * "failed with status code 500", so that a failed request makes one entry, not two.
 */
function pinoHttpLogsResponse(res: Response): boolean {
  try {
    return res.listeners('finish').some((listener) => listener.name === 'onResponseComplete');
  } catch {
    return false;
  }
}

/**
 * Writes one entry: through the app's `log` function when it gave one, else through pino-http's
 * `req.log` (under `err`, so pino's serializer writes the stack and the cause chain), else to the
 * console. A logger that throws — or an error that cannot be printed — changes nothing for the response.
 */
function write(log: ErrorLogger | undefined, level: LogLevel, error: unknown, message: string, req: Request): void {
  try {
    const pino = log ? undefined : requestLogger(req, level);
    // an async logger's rejection is as contained as a throw
    const result: unknown = pino
      ? pino[level]({ err: error }, `express-typed-errors: ${message}`)
      : (log ?? consoleLogger)(error, req, level);
    containPromise(result, (logFailure) => loggerFailed(error, logFailure));
  } catch (logFailure) {
    loggerFailed(error, logFailure);
  }
}

/** Reports a logger that failed, with what can still be read of the error, as plain data that printing cannot trip over. */
function loggerFailed(error: unknown, logFailure: unknown): void {
  try {
    console.error('express-typed-errors: the logger threw while logging', describe(error, 3), safeString(logFailure));
  } catch {
    // nowhere left to report to; the response must still go out
  }
}

/**
 * Logs what a failed request threw, once. When pino-http will log the response itself (and the app
 * gave no `log` function), the error is handed to it as `res.err` instead of a second entry.
 */
export function logFailure(
  log: ErrorLogger | undefined,
  level: LogLevel,
  thrown: unknown,
  status: number,
  req: Request,
  res: Response,
): void {
  if (!log && requestLogger(req, level) && read(res, 'err') === undefined && pinoHttpLogsResponse(res)) {
    (res as unknown as { err?: unknown }).err = thrown;
    return;
  }
  write(log, level, thrown, `${status} on ${req.method} ${requestPath(req)}`, req);
}

/**
 * Logs a note about the app's own code rather than the request — a dropped header, a hook that threw,
 * a handler misused — with what caused it. The app's `log` function and pino get it as an error whose
 * `cause` is that value; the console gets one line, with the cause's stack below it only in `debug`.
 */
export function logNote(log: ErrorLogger | undefined, level: LogLevel, message: string, cause: unknown, req: Request, debug = false): void {
  const text = message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message;
  if (!log && !requestLogger(req, level)) return writeLine(level, noteLine(text, cause, req, debug), cause);
  // The note is about the app's code, not ours: a stack of this package's frames would only hide that.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let note: Error;
  try {
    note = new Error(PREFIX + text, cause === undefined ? undefined : { cause });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  write(log, level, note, `${text} (${req.method} ${requestPath(req)})`, req);
}

const PREFIX = 'express-typed-errors: ';

/** The note for headers Node refused (`of`: "a 404 problem", "a 200 result"), and what to change. */
export function droppedHeaders(names: readonly string[], of: string): string {
  return `dropped invalid header(s) ${names.join(', ')} of ${of}: a header name is a token, a value has no CR, LF or NUL`;
}

/** The longest a cause's `name: message` or the path runs in a console note, so that the note stays one line a reader can take in. */
const MAX_NOTE_PART = 200;

/**
 * A note as the console gets it: `express-typed-errors: GET /path: what happened, what to change (TypeError: why)`,
 * on one line; in debug, the cause's stack follows on the lines below.
 */
function noteLine(message: string, cause: unknown, req: Request, debug: boolean): string {
  const why = errorSummary(cause);
  const line = `${PREFIX}${req.method} ${oneLine(requestPath(req))}: ${message}${why === undefined ? '' : ` (${why})`}`;
  const stack = debug ? read(cause, 'stack') : undefined;
  return typeof stack === 'string' ? `${line}\n${stack}` : line;
}

/** `Name: message` of an error-like cause, on one line and capped; `undefined` for any other value (a result, a returned object). */
function errorSummary(cause: unknown): string | undefined {
  if (!(cause instanceof Error) && typeof read(cause, 'stack') !== 'string') return undefined;
  const name = safeString(read(cause, 'name'));
  const message = safeString(read(cause, 'message'));
  return oneLine(message === '' ? name : `${name}: ${message}`);
}

/** Text with its control characters (line breaks first of all) made spaces, cut to `MAX_NOTE_PART`. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > MAX_NOTE_PART ? `${flat.slice(0, MAX_NOTE_PART - 1)}…` : flat;
}

/** Writes one console line at the level's method; a console that throws changes nothing for the response. */
function writeLine(level: LogLevel, line: string, cause: unknown): void {
  try {
    consoleMethod(level)(line);
  } catch (logFailure) {
    loggerFailed(cause, logFailure);
  }
}
