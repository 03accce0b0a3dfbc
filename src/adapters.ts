/**
 * Opt-in mappers for libraries that are used for request validation and also for internal checks:
 * `errorHandler({ map: [fromZod] })` says that in this app a `ZodError` is the client's fault.
 * Each is duck-typed; none of these libraries is a dependency.
 */
import type { Request } from 'express';
import { type HttpError, Unauthorized } from './errors';
import { bearerChallenge } from './normalize';
import { read, readArray, safeString } from './read';
import { type ValidationIssue, jsonPointer, requestInputs, sentAt, validationError, withoutInput } from './validation';

/**
 * The values a zod issue says the client sent: its `input` (zod 4 with `reportInput`), the keys it
 * did not expect (`unrecognized_keys`), and the option it did not know (zod 3's `invalid_enum_value`);
 * and, since zod 4 keeps no `input` by default, what the request holds at the issue's path.
 */
function zodRejected(issue: unknown, inputs: readonly unknown[]): unknown[] {
  const code = read(issue, 'code');
  return [
    read(issue, 'input'),
    ...sentAt(inputs, readArray(issue, 'path') ?? []),
    ...(code === 'unrecognized_keys' ? (readArray(issue, 'keys') ?? []) : []),
    ...(code === 'invalid_enum_value' ? [read(issue, 'received')] : []),
  ];
}

/** zod 3 and 4: `ZodError.issues` (not enumerable in zod 4) with a `path` each. */
export function fromZod(value: unknown, req?: Request): HttpError | undefined {
  const issues = read(value, 'name') === 'ZodError' ? readArray(value, 'issues') : undefined;
  if (!issues) return undefined;
  const inputs = requestInputs(req);
  return validationError(
    issues,
    (issue) => ({
      detail: withoutInput(read(issue, 'message'), zodRejected(issue, inputs), 'Invalid value'),
      pointer: jsonPointer(readArray(issue, 'path') ?? []),
    }),
    value,
  );
}

/** One failure of a joi `ValidationError`, its message made safe (`inputs`: what the request holds), and its path. */
function joiFailure(detail: unknown, inputs: readonly unknown[]): { detail: string; path: unknown[] } {
  const context = read(detail, 'context');
  const path = readArray(detail, 'path') ?? [];
  // an unknown key is the client's own text, like a value: neither it nor its label may be quoted
  if (read(detail, 'type') === 'object.unknown') return { detail: 'This key is not allowed', path };
  const label = safeString(read(context, 'label') ?? 'value');
  const rejected = [read(context, 'value'), ...sentAt(inputs, path)];
  return { detail: withoutInput(read(detail, 'message'), rejected, `"${label}" is not valid`), path };
}

/** joi's `ValidationError` (`isJoi`), from `schema.validateAsync()` or `Joi.assert()` on a body. */
export function fromJoi(value: unknown, req?: Request): HttpError | undefined {
  const details = read(value, 'isJoi') === true ? readArray(value, 'details') : undefined;
  if (!details) return undefined;
  const inputs = requestInputs(req);
  return validationError(
    details,
    (item) => {
      const { detail, path } = joiFailure(item, inputs);
      return { detail, pointer: jsonPointer(path) };
    },
    value,
  );
}

/** Where a request part is, as OpenAPI names it: celebrate's segments and express-validator's locations. */
const LOCATIONS: Readonly<Record<string, ValidationIssue['in']>> = {
  params: 'path',
  query: 'query',
  headers: 'header',
  cookies: 'cookie',
  signedCookies: 'cookie',
};

/** Where a failure outside the body points: the header or parameter by name, and in which part. */
function locatedIssue(location: string, detail: string, name: string): ValidationIssue {
  const where = Object.hasOwn(LOCATIONS, location) ? LOCATIONS[location] : undefined;
  const issue: ValidationIssue = location === 'headers' ? { detail, header: name } : { detail, parameter: name };
  return where === undefined ? issue : { ...issue, in: where };
}

/** celebrate's `CelebrateError`: one joi error per request segment (`body`, `query` …), kept in a `Map`. */
export function fromCelebrate(value: unknown, req?: Request): HttpError | undefined {
  const details = read(value, 'details');
  if (!(details instanceof Map)) return undefined;
  const failures: { segment: string; detail: unknown; input: unknown }[] = [];
  for (const [segment, joiError] of details as Map<unknown, unknown>) {
    if (read(joiError, 'isJoi') !== true) return undefined;
    const input = read(req, safeString(segment));
    for (const detail of readArray(joiError, 'details') ?? []) failures.push({ segment: safeString(segment), detail, input });
  }
  return validationError(
    failures,
    ({ segment, detail: item, input }) => {
      const { detail, path } = joiFailure(item, [input]);
      return segment === 'body' ? { detail, pointer: jsonPointer(path) } : locatedIssue(segment, detail, path.map(safeString).join('.'));
    },
    value,
  );
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
    failures,
    (failure): ValidationIssue => {
      const detail = withoutInput(read(failure, 'msg'), [read(failure, 'value')], 'Invalid value');
      const path = safeString(read(failure, 'path') ?? '');
      const location = read(failure, 'location');
      if (location === 'body') return { detail, pointer: jsonPointer(validatorPath(path)) };
      return typeof location === 'string' ? locatedIssue(location, detail, path) : { detail };
    },
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
