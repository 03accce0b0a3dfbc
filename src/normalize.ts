import type { Request } from 'express';
import { type HttpError, type HttpErrorOptions, createHttpError, isHttpError } from './errors';
import type { HeaderValue } from './headers';
import { containPromise, read, readString } from './read';
import { type ProblemStatus, isProblemStatus } from './status';

/**
 * Turns one thrown value into an `HttpError` for the response; returns `undefined` when it does
 * not recognize the value. The app's own mappers run first, then the built-in ones. `errorHandler()`
 * also gives the request (`toHttpError()` has none): the adapters read what the client sent there,
 * so that no message quotes it.
 */
export type ErrorMapper = (value: unknown, req?: Request) => HttpError | undefined;

/** The class for a status when it has one (a 413 is a `ContentTooLarge`), else the base class. */
function errorFor(status: ProblemStatus, detail: string | undefined, options: HttpErrorOptions): HttpError {
  return (createHttpError as (status: ProblemStatus, detail?: string, options?: HttpErrorOptions) => HttpError)(status, detail, options);
}

/** A status we keep from a foreign error: a number (never a numeric string) in 400–599. */
function errorStatus(value: unknown): ProblemStatus | undefined {
  return isProblemStatus(value) ? value : undefined;
}

/**
 * The headers of a foreign error, copied into a fresh object of valid-looking entries (a key such as
 * `__proto__` is only data here). Values Node would refuse are dropped later, when they are set.
 */
function readHeaders(value: unknown): Record<string, HeaderValue> | undefined {
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
    else if (Array.isArray(v) && v.every((item) => typeof item === 'string')) copy[key] = v;
  }
  return copy;
}

/**
 * `@hapi/boom`: the status and headers live under `output`. A 4xx keeps the message Boom itself
 * would send (`output.payload.message`); a 5xx message is never shown, as in Boom.
 */
function fromBoom(value: unknown): HttpError | undefined {
  if (read(value, 'isBoom') !== true) return undefined;
  const output = read(value, 'output');
  const status = errorStatus(read(output, 'statusCode'));
  if (status === undefined) return undefined;
  const message = read(read(output, 'payload'), 'message');
  return errorFor(status, status < 500 && typeof message === 'string' ? message : undefined, {
    cause: value,
    headers: readHeaders(output),
  });
}

/** multer has no status of its own: its `code` says which limit or field the upload broke. */
const MULTER_LIMITS = new Set([
  'LIMIT_PART_COUNT',
  'LIMIT_FILE_SIZE',
  'LIMIT_FILE_COUNT',
  'LIMIT_FIELD_KEY',
  'LIMIT_FIELD_VALUE',
  'LIMIT_FIELD_COUNT',
]);

/**
 * multer's `MulterError`: a broken limit is 413, anything else about the form (an unexpected file
 * field, a missing or malformed field name) is 400. Its messages are multer's own fixed strings;
 * the offending `field` is kept as an extension, the client's file name is not echoed.
 */
function fromMulter(value: unknown): HttpError | undefined {
  const code = read(value, 'code');
  if (read(value, 'name') !== 'MulterError' || typeof code !== 'string') return undefined;
  const field = read(value, 'field');
  return errorFor(MULTER_LIMITS.has(code) ? 413 : 400, readString(value, 'message'), {
    cause: value,
    code,
    extensions: typeof field === 'string' ? { field } : undefined,
  });
}

/** The codes express-jwt gives its `UnauthorizedError`, with the RFC 6750 error code each stands for. */
const EXPRESS_JWT_CODES = new Map<string, string | undefined>([
  // no token, or another scheme (Basic …): a bare challenge, no error code (RFC 6750 §3.1)
  ['credentials_required', undefined],
  ['credentials_bad_scheme', undefined],
  ['credentials_bad_format', 'invalid_request'],
  ['invalid_token', 'invalid_token'],
  ['revoked_token', 'invalid_token'],
]);

/** A `WWW-Authenticate: Bearer` challenge with an RFC 6750 error code, when there is one. */
export function bearerChallenge(error: string | undefined): string {
  return error === undefined ? 'Bearer' : `Bearer error="${error}"`;
}

/**
 * express-jwt's `UnauthorizedError`: 401 with the Bearer challenge RFC 6750 asks for. Its message
 * can carry jsonwebtoken's details of the expected audience or issuer, so only its code is shown.
 */
function fromExpressJwt(value: unknown): HttpError | undefined {
  const code = read(value, 'code');
  if (read(value, 'name') !== 'UnauthorizedError' || typeof code !== 'string' || !EXPRESS_JWT_CODES.has(code)) return undefined;
  return errorFor(401, undefined, {
    cause: value,
    code,
    headers: { 'WWW-Authenticate': bearerChallenge(EXPRESS_JWT_CODES.get(code)) },
  });
}

/**
 * body-parser's errors whose message quotes what the client sent (its malformed JSON, its charset or
 * content coding): their `type` gets a fixed detail instead.
 */
const BODY_PARSER_DETAILS = new Map([
  ['entity.parse.failed', 'The request body could not be parsed'],
  ['charset.unsupported', 'The charset of the request body is not supported'],
  ['encoding.unsupported', 'The content coding of the request body is not supported'],
]);

/**
 * The `http-errors` family and anything shaped like it (body-parser, raw-body, send, serve-static …):
 * a numeric `status` or `statusCode` in 400–599, on the object or its prototype, with its `headers`.
 * Its message is shown only when the error itself says `expose: true`: send's 404 for a missing
 * file says `false`, and its message holds an absolute path.
 */
function fromStatusBearing(value: unknown): HttpError | undefined {
  const status = errorStatus(read(value, 'status')) ?? errorStatus(read(value, 'statusCode'));
  if (status === undefined) return undefined;
  const expose = read(value, 'expose') === true;
  const type = read(value, 'type');
  const fixed = typeof type === 'string' ? BODY_PARSER_DETAILS.get(type) : undefined;
  return errorFor(status, expose ? (fixed ?? readString(value, 'message')) : undefined, {
    cause: value,
    expose,
    headers: readHeaders(value),
  });
}

/** The built-in recognizers, most specific first. */
const BUILT_IN: readonly ErrorMapper[] = [fromBoom, fromMulter, fromExpressJwt, fromStatusBearing];

/**
 * Anything in, an `HttpError` out: ours as they are, the ecosystem's recognized by shape, and
 * anything else — one of ours with a status outside 400–599 included — as a 500 whose `cause` is
 * the original value. Never throws, never mutates `value`.
 */
export function toHttpError(value: unknown, mappers: readonly ErrorMapper[] = []): HttpError {
  return normalize(value, mappers, undefined);
}

/** `toHttpError`, telling `onMapperError` of an app mapper that threw (it is skipped). */
export function normalize(
  value: unknown,
  mappers: readonly ErrorMapper[],
  onMapperError: ((error: unknown) => void) | undefined,
  req?: Request,
): HttpError {
  if (isHttpError(value)) return isProblemStatus(read(value, 'status')) ? value : createHttpError(500, undefined, { cause: value });
  for (const mapper of mappers.length === 0 ? BUILT_IN : [...mappers, ...BUILT_IN]) {
    let mapped: HttpError | undefined;
    try {
      mapped = mapper(value, req);
      // a mapper answers at once: an async one is a mistake, and its rejection must not end the process
      if (containPromise(mapped, (error) => onMapperError?.(error))) mapped = undefined;
    } catch (error) {
      onMapperError?.(error); // a faulty mapper must not turn one failure into a crash
    }
    if (mapped !== undefined && isHttpError(mapped) && isProblemStatus(read(mapped, 'status'))) return mapped;
  }
  return createHttpError(500, undefined, { cause: value });
}
