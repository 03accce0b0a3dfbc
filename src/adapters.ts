/**
 * Opt-in mappers for libraries that are used for request validation and also for internal checks:
 * `errorHandler({ map: [fromZod] })` says that in this app a `ZodError` is the client's fault.
 * Each is duck-typed; none of these libraries is a dependency.
 */
import { type HttpError, UnprocessableContent, Unauthorized } from './errors';
import { bearerChallenge, read } from './normalize';
import { safeString } from './problem';

/** One entry of a validation problem's `errors`: where in the body, and what is wrong there. */
export interface ValidationIssue {
  /** What is wrong, without the rejected value. */
  detail: string;
  /** A JSON Pointer into the request body in URI fragment form, as RFC 9457 §3 shows (`#/items/0/name`). */
  pointer?: string;
  /** The query or route parameter at fault, for input that is not in the body. */
  parameter?: string;
  /** The request header at fault. */
  header?: string;
}

/** The RFC 6901 pointer for a path of keys, in URI fragment form (`['a/b', 0]` is `#/a~1b/0`). */
export function jsonPointer(path: readonly unknown[]): string {
  return '#' + path.map((key) => '/' + encodeURIComponent(safeString(key).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}

/**
 * A message that quotes the value the client sent is replaced by a neutral one: a problem body
 * must not echo input (a password that failed a pattern, markup that will be rendered).
 */
function withoutInput(message: unknown, input: unknown, fallback: string): string {
  const text = typeof message === 'string' && message !== '' ? message : fallback;
  if ((typeof input === 'string' && input !== '') || typeof input === 'number' || typeof input === 'bigint') {
    return text.includes(String(input)) ? fallback : text;
  }
  return text;
}

/** The 422 every validation adapter answers with. */
function validationError(errors: ValidationIssue[], cause: unknown): HttpError {
  return new UnprocessableContent('The request is not valid', { cause, extensions: { errors } });
}

/** An array read off an untrusted object, or `undefined`. */
function readArray(value: unknown, key: string): unknown[] | undefined {
  const array = read(value, key);
  return Array.isArray(array) ? array : undefined;
}

/** zod 3 and 4: `ZodError.issues` (not enumerable in zod 4) with a `path` each. */
export function fromZod(value: unknown): HttpError | undefined {
  const issues = read(value, 'name') === 'ZodError' ? readArray(value, 'issues') : undefined;
  if (!issues) return undefined;
  return validationError(
    issues.map((issue) => ({
      detail: withoutInput(read(issue, 'message'), read(issue, 'input'), 'Invalid value'),
      pointer: jsonPointer(readArray(issue, 'path') ?? []),
    })),
    value,
  );
}

/** The failures of one joi `ValidationError`, each with its message made safe and its path. */
function joiFailures(error: unknown): { detail: string; path: unknown[] }[] {
  return (readArray(error, 'details') ?? []).map((detail) => {
    const context = read(detail, 'context');
    const label = safeString(read(context, 'label') ?? 'value');
    return {
      detail: withoutInput(read(detail, 'message'), read(context, 'value'), `"${label}" is not valid`),
      path: readArray(detail, 'path') ?? [],
    };
  });
}

/** joi's `ValidationError` (`isJoi`), from `schema.validateAsync()` or `Joi.assert()` on a body. */
export function fromJoi(value: unknown): HttpError | undefined {
  if (read(value, 'isJoi') !== true || !readArray(value, 'details')) return undefined;
  return validationError(
    joiFailures(value).map(({ detail, path }) => ({ detail, pointer: jsonPointer(path) })),
    value,
  );
}

/** Where a failure outside the body points: the header or parameter by name. */
function locatedIssue(location: string, detail: string, name: string): ValidationIssue {
  return location === 'headers' ? { detail, header: name } : { detail, parameter: name };
}

/** celebrate's `CelebrateError`: one joi error per request segment (`body`, `query` …), kept in a `Map`. */
export function fromCelebrate(value: unknown): HttpError | undefined {
  const details = read(value, 'details');
  if (!(details instanceof Map)) return undefined;
  const errors: ValidationIssue[] = [];
  for (const [segment, joiError] of details as Map<unknown, unknown>) {
    if (read(joiError, 'isJoi') !== true) return undefined;
    for (const { detail, path } of joiFailures(joiError)) {
      errors.push(
        segment === 'body'
          ? { detail, pointer: jsonPointer(path) }
          : locatedIssue(safeString(segment), detail, path.map(safeString).join('.')),
      );
    }
  }
  return validationError(errors, value);
}

/** express-validator's path syntax (`items[0].name`) as keys. */
function validatorPath(path: string): string[] {
  return path.split(/\.|\[(\d+)\]/).filter((key): key is string => key !== undefined && key !== '');
}

/**
 * express-validator's `validationResult(req).throw()`: an `Error` with an empty message that carries
 * the result's methods; `array()` lists the failures with their `location` and `path`.
 */
export function fromExpressValidator(value: unknown): HttpError | undefined {
  const array = read(value, 'array');
  if (!(value instanceof Error) || typeof array !== 'function' || typeof read(value, 'mapped') !== 'function') return undefined;
  const failures: unknown = array.call(value);
  if (!Array.isArray(failures)) return undefined;
  return validationError(
    failures.map((failure): ValidationIssue => {
      const detail = withoutInput(read(failure, 'msg'), read(failure, 'value'), 'Invalid value');
      const path = safeString(read(failure, 'path') ?? '');
      const location = read(failure, 'location');
      if (location === 'body') return { detail, pointer: jsonPointer(validatorPath(path)) };
      return typeof location === 'string' ? locatedIssue(location, detail, path) : { detail };
    }),
    value,
  );
}

/**
 * jsonwebtoken's `JsonWebTokenError`, `TokenExpiredError` and `NotBeforeError` from verifying the
 * client's token: 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750). Its messages
 * can name the expected audience or issuer, so the detail is a fixed one.
 */
export function fromJsonWebToken(value: unknown): HttpError | undefined {
  const name = read(value, 'name');
  if (name !== 'JsonWebTokenError' && name !== 'TokenExpiredError' && name !== 'NotBeforeError') return undefined;
  return new Unauthorized(name === 'TokenExpiredError' ? 'The access token has expired' : 'The access token is not valid', {
    cause: value,
    code: 'invalid_token',
    challenge: bearerChallenge('invalid_token'),
  });
}
