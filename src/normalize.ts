import { type ErrorOptions, HttpError, type HeaderValue, createHttpError, isHttpError } from './errors';
import { isErrorStatus } from './status';

/**
 * Turns one thrown value into an `HttpError` for the response; returns `undefined` when it does
 * not recognize the value. The app's own mappers run first, then the built-in ones.
 */
export type ErrorMapper = (value: unknown) => HttpError | undefined;

/** Reads a property without trusting it: a getter or Proxy that throws reads as `undefined`. */
export function read(value: unknown, key: PropertyKey): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The class for a status when it has one (a 413 is a `ContentTooLarge`), else the base class. */
export function errorFor(status: number, detail: string | undefined, options: ErrorOptions<number>): HttpError {
  return isErrorStatus(status) ? createHttpError(status, detail, options) : new HttpError(status, detail, options);
}

/** A status we keep from a foreign error: a number (never a numeric string) in 400–599. */
function errorStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599 ? value : undefined;
}

/** The string message of a foreign error, or `undefined` when there is none that can be read. */
function readMessage(value: unknown): string | undefined {
  const message = read(value, 'message');
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/**
 * The headers of a foreign error, copied into a fresh object of valid-looking entries (a key such as
 * `__proto__` is only data here). Values Node would refuse are dropped later, when they are set.
 */
export function readHeaders(value: unknown): Record<string, HeaderValue> | undefined {
  const headers = read(value, 'headers');
  if (typeof headers !== 'object' || headers === null) return undefined;
  const copy: Record<string, HeaderValue> = Object.create(null) as Record<string, HeaderValue>;
  let keys: string[];
  try {
    keys = Object.keys(headers);
  } catch {
    return undefined;
  }
  for (const key of keys) {
    const v = read(headers, key);
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) copy[key] = v;
    else if (Array.isArray(v) && v.every((item) => typeof item === 'string')) copy[key] = v as string[];
  }
  return copy;
}

/**
 * The `http-errors` family and anything shaped like it (body-parser, raw-body, send, serve-static,
 * express-jwt …): a numeric `status` or `statusCode` in 400–599, on the object or its prototype.
 * Its message is shown only when the error itself says `expose: true`: send's 404 for a missing
 * file says `false`, and its message holds an absolute path.
 */
function fromStatusBearing(value: unknown): HttpError | undefined {
  const status = errorStatus(read(value, 'status')) ?? errorStatus(read(value, 'statusCode'));
  if (status === undefined) return undefined;
  const expose = read(value, 'expose') === true;
  return errorFor(status, expose ? readMessage(value) : undefined, {
    cause: value,
    expose,
    headers: readHeaders(value),
  });
}

/** The built-in recognizers, most specific first. */
const BUILT_IN: readonly ErrorMapper[] = [fromStatusBearing];

/**
 * Anything in, an `HttpError` out: ours as they are, the ecosystem's recognized by shape, and
 * anything else as a 500 whose `cause` is the original value. Never throws, never mutates `value`.
 */
export function toHttpError(value: unknown, mappers: readonly ErrorMapper[] = []): HttpError {
  if (isHttpError(value)) return value;
  for (const mapper of mappers.length === 0 ? BUILT_IN : [...mappers, ...BUILT_IN]) {
    let mapped: HttpError | undefined;
    try {
      mapped = mapper(value);
    } catch {
      mapped = undefined; // a faulty mapper must not turn one failure into a crash
    }
    if (mapped !== undefined && isHttpError(mapped)) return mapped;
  }
  return createHttpError(500, undefined, { cause: value });
}
