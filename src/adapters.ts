/**
 * Opt-in mappers for libraries that are used for request validation and also for internal checks:
 * `errorHandler({ map: [fromZod] })` says that in this app a `ZodError` is the client's fault.
 * Each is duck-typed; none of these libraries is a dependency.
 */
import { type HttpError, Unauthorized } from './errors';
import { bearerChallenge } from './normalize';
import { read, readArray, safeString } from './read';
import { type ValidationIssue, jsonPointer, validationError, withoutInput } from './validation';

/**
 * The values a zod issue says the client sent: its `input` (zod 4 with `reportInput`), the keys it
 * did not expect (`unrecognized_keys`), and the option it did not know (zod 3's `invalid_enum_value`).
 */
function zodRejected(issue: unknown): unknown[] {
  const code = read(issue, 'code');
  return [
    read(issue, 'input'),
    ...(code === 'unrecognized_keys' ? (readArray(issue, 'keys') ?? []) : []),
    ...(code === 'invalid_enum_value' ? [read(issue, 'received')] : []),
  ];
}

/** zod 3 and 4: `ZodError.issues` (not enumerable in zod 4) with a `path` each. */
export function fromZod(value: unknown): HttpError | undefined {
  const issues = read(value, 'name') === 'ZodError' ? readArray(value, 'issues') : undefined;
  if (!issues) return undefined;
  return validationError(
    issues.map((issue) => ({
      detail: withoutInput(read(issue, 'message'), zodRejected(issue), 'Invalid value'),
      pointer: jsonPointer(readArray(issue, 'path') ?? []),
    })),
    value,
  );
}

/** The failures of one joi `ValidationError`, each with its message made safe and its path. */
function joiFailures(error: unknown): { detail: string; path: unknown[] }[] {
  return (readArray(error, 'details') ?? []).map((detail) => {
    const context = read(detail, 'context');
    const path = readArray(detail, 'path') ?? [];
    // an unknown key is the client's own text, like a value: neither it nor its label may be quoted
    if (read(detail, 'type') === 'object.unknown') return { detail: 'This key is not allowed', path };
    const label = safeString(read(context, 'label') ?? 'value');
    return { detail: withoutInput(read(detail, 'message'), [read(context, 'value')], `"${label}" is not valid`), path };
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
      const detail = withoutInput(read(failure, 'msg'), [read(failure, 'value')], 'Invalid value');
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
