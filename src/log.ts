import type { Request } from 'express';
import type { HttpError } from './errors';
import { describe, read, safeString } from './read';

/** pino's levels, which most Node loggers share. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Receives what was thrown — the original value, not the normalized error — the request, and the level. */
export type ErrorLogger = (error: unknown, req: Request, level: LogLevel) => void;

/** The level for an error's status range, or `false` for not logged. */
export type LogLevels = Readonly<{ '4xx'?: LogLevel | false; '5xx'?: LogLevel | false }>;

/** Which errors are logged, and how loudly: by status range, or decided per error. */
export type LogLevelOption = LogLevels | ((error: HttpError, req: Request) => LogLevel | false);

const DEFAULT_LEVELS = { '4xx': false, '5xx': 'error' } as const;

/** The level an error is logged at, or `false`: 5xx at `error`, 4xx not at all, unless the app says otherwise. */
export function levelFor(option: LogLevelOption | undefined, error: HttpError, req: Request): LogLevel | false {
  if (typeof option === 'function') return option(error, req);
  const range = error.status >= 500 ? '5xx' : '4xx';
  return option?.[range] ?? DEFAULT_LEVELS[range];
}

/** The default logger: the request line and the original error, whose stack the console prints. */
const consoleLogger: ErrorLogger = (error, req, level) => {
  const write = level === 'fatal' || level === 'error' ? console.error : level === 'warn' ? console.warn : console.log;
  write(`express-typed-errors: ${req.method} ${req.originalUrl}`, error);
};

/** pino's level methods, as pino-http puts a child logger on `req.log`. */
type PinoLike = Record<LogLevel, (object: object, message: string) => void>;

/** `req.log` when pino-http (or a logger shaped like it) is mounted. */
function requestLogger(req: Request, level: LogLevel): PinoLike | undefined {
  const log = read(req, 'log');
  return typeof read(log, level) === 'function' ? (log as PinoLike) : undefined;
}

/**
 * Logs an error once: through the app's `log` function when it gave one, else through pino-http's
 * `req.log` (under `err`, so pino's serializer writes the stack and the cause chain), else to the
 * console. A logger that throws — or an error that cannot be printed — changes nothing for the response.
 */
export function logError(log: ErrorLogger | undefined, level: LogLevel, error: unknown, status: number, req: Request): void {
  try {
    const pino = log ? undefined : requestLogger(req, level);
    if (pino) pino[level]({ err: error }, `express-typed-errors: ${status} on ${req.method} ${req.originalUrl}`);
    else (log ?? consoleLogger)(error, req, level);
  } catch (logFailure) {
    try {
      // what can still be read of the error, as plain data that printing cannot trip over
      console.error('express-typed-errors: the logger threw while logging', describe(error, 3), safeString(logFailure));
    } catch {
      // nowhere left to report to; the response must still go out
    }
  }
}
