/**
 * Validation failures as problem details: the `errors` member RFC 9457 §3 shows, each issue pointing
 * at the body (JSON Pointer), a parameter or a header, and never quoting what the client sent.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Request } from 'express';
import { BadRequest, type HttpError, UnprocessableContent } from './errors';
import type { ValidationIssue } from './problem';
import { isThenable, read, safeString } from './read';

// Declared with the problem body, so that the client's types need nothing of Express.
export type { ValidationIssue } from './problem';

/** The RFC 6901 pointer for a path of keys, in URI fragment form (`['a/b', 0]` is `#/a~1b/0`). */
export function jsonPointer(path: readonly unknown[]): string {
  // a lone surrogate (JSON can carry one) cannot be percent-encoded: it becomes U+FFFD
  return (
    '#' + path.map((key) => '/' + encodeURIComponent(safeString(key).toWellFormed().replace(/~/g, '~0').replace(/\//g, '~1'))).join('')
  );
}

/** Letters and digits: a rejected value is quoted only where it stands as a token, not inside a longer word or number. */
const WORD = /[\p{L}\p{N}_]/u;

/** More keys than this in a rejected object are not looked for one by one: the message is replaced whole. */
const MAX_KEYS_CHECKED = 100;

/**
 * The texts a rejected value could appear as in a message: itself, or the keys of an object (an
 * unknown key is input too); `undefined` when there are too many keys to look for each.
 */
function rejectedTexts(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return [String(value)];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    try {
      const keys = Object.keys(value);
      return keys.length > MAX_KEYS_CHECKED ? undefined : keys;
    } catch {
      return [];
    }
  }
  return [];
}

/** A text as a message may quote it: as it is, or escaped as in a JSON string (arktype writes `(was "a\"b")`). */
function quotedForms(text: string): string[] {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped === text ? [text] : [text, escaped];
}

/** True when `text` occurs in `message` as a token of its own: `1` is not in "expected >=18", `'hunter2'` is in "'hunter2' is weak". */
function quotes(message: string, text: string): boolean {
  for (let at = message.indexOf(text); at !== -1; at = message.indexOf(text, at + 1)) {
    const before = message[at - 1];
    const after = message[at + text.length];
    if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after))) return true;
  }
  return false;
}

/**
 * A validation message, unless it quotes a value the client sent: then the neutral `fallback`. A
 * problem body must not echo input (a password that failed a pattern, markup that will be rendered).
 * `rejected` are the values the client sent at the issue's path, as the library reports them or as
 * read from the request; a one-character value says nothing and is not looked for.
 */
export function withoutInput(message: unknown, rejected: readonly unknown[], fallback: string): string {
  const text = typeof message === 'string' && message !== '' ? message : fallback;
  for (const value of rejected) {
    const candidates = rejectedTexts(value);
    if (candidates === undefined) return fallback;
    for (const candidate of candidates) {
      if (candidate.length > 1 && quotedForms(candidate).some((form) => quotes(text, form))) return fallback;
    }
  }
  return text;
}

/** The validation failures the package made, which the error handler may answer with another status. */
const VALIDATION_FAILURES = new WeakSet<object>();

/** The 422 of every validation failure the package produces: `handle(spec)`, `validate()` and the adapters. */
export function validationError(errors: ValidationIssue[], cause: unknown): HttpError {
  const error = new UnprocessableContent('The request is not valid', { cause, extensions: { errors } });
  VALIDATION_FAILURES.add(error);
  return error;
}

/** A validation failure answered 400 Bad Request, for `errorHandler({ validationStatus: 400 })`: the same detail, issues and cause. */
export function asBadRequest(error: HttpError): HttpError {
  const bad = new BadRequest(error.detail, { cause: error.cause, extensions: error.extensions });
  VALIDATION_FAILURES.add(bad);
  return bad;
}

/** True for a validation failure made by `validationError()`. */
export function isValidationFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && VALIDATION_FAILURES.has(error);
}

/** The parts of a request a route spec can validate, in the order their issues are listed. */
export const INPUT_PARTS = ['params', 'query', 'headers', 'body'] as const;

/** A part of the request: where a validation issue points. */
export type InputPart = (typeof INPUT_PARTS)[number];

/** A Standard Schema path segment, as a key: a segment may be the key itself or a `{ key }` object. */
function keyOf(segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment;
}

/** The value the client sent at `path`, read without trusting it, for the no-echo check. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = read(value, key);
  return value;
}

/**
 * What the client sent that an issue's message may quote: the value at its path, and the key the path
 * ends at if the client sent it, in quotes — valibot and arktype report an unknown key so (`received
 * "<b>"`, `value at ["<b>"] must be removed`). Unquoted, a key is the schema's own word (arktype's
 * `name must be …`). Header names are left out: no schema rejects the headers it does not name.
 */
function rejectedAt(part: InputPart, input: unknown, path: readonly PropertyKey[]): unknown[] {
  const value = valueAt(input, path);
  const key = path[path.length - 1];
  return part !== 'headers' && typeof key === 'string' && value !== undefined ? [value, `"${key}"`, `'${key}'`] : [value];
}

/** What may stand in a parameter or header name as it is sent back: anything else is percent-encoded (`<svg` is `%3Csvg`). */
const UNSAFE_IN_NAME = /[^\w.~-]/gu;

/** Where one Standard Schema issue points in `part`, with its message made safe. */
function issueFor(part: InputPart, issue: StandardSchemaV1.Issue, input: unknown): ValidationIssue {
  const path = (issue.path ?? []).map(keyOf);
  const detail = withoutInput(issue.message, rejectedAt(part, input, path), 'Invalid value');
  if (part === 'body') return { detail, pointer: jsonPointer(path) };
  if (path.length === 0) return { detail };
  // a name the client wrote (an unknown query key) is input too: what is not a plain name character is percent-encoded
  const [name, ...rest] = path.map((key) => safeString(key).toWellFormed().replace(UNSAFE_IN_NAME, encodeURIComponent));
  // a nested query value is named as the client wrote it: filter[status]
  return part === 'headers' ? { detail, header: name! } : { detail, parameter: name + rest.map((key) => `[${key}]`).join('') };
}

/** The input of a request part: what Express parsed (`req.query`), the raw headers. */
function inputOf(req: Request, part: InputPart): unknown {
  return req[part];
}

/** The parsed values of every part, or the 422 of all their issues together. */
function settle(parts: readonly InputPart[], inputs: readonly unknown[], results: readonly StandardSchemaV1.Result<unknown>[]): unknown[] {
  const issues: ValidationIssue[] = [];
  results.forEach((result, i) => {
    if (result.issues) for (const issue of result.issues) issues.push(issueFor(parts[i]!, issue, inputs[i]));
  });
  if (issues.length > 0)
    throw validationError(
      issues,
      results.flatMap((result) => result.issues ?? []),
    );
  return results.map((result) => (result as StandardSchemaV1.SuccessResult<unknown>).value);
}

/**
 * Validates the parts of a request a route spec has schemas for: their parsed values, in the order of
 * `parts`, or the 422 that lists every issue — thrown when every schema answered at once (the common
 * case: no promise, no turn of the event loop), else as the rejection of the promise returned. A
 * schema that throws throws.
 */
export function checkInput(
  spec: Readonly<Partial<Record<InputPart, StandardSchemaV1>>>,
  parts: readonly InputPart[],
  req: Request,
): unknown[] | Promise<unknown[]> {
  const inputs = parts.map((part) => inputOf(req, part));
  const results = parts.map((part, i) => spec[part]!['~standard'].validate(inputs[i]));
  if (!results.some(isThenable)) return settle(parts, inputs, results as StandardSchemaV1.Result<unknown>[]);
  // all at once, not one await after another: a schema that rejects while an earlier one is still
  // pending would be an unhandled rejection, which ends the process. Promise.resolve() takes any
  // thenable, a promise of another realm's included.
  return Promise.all(results.map((result) => Promise.resolve(result))).then((settled) => settle(parts, inputs, settled));
}

/**
 * Validates a value with any Standard Schema v1 validator, as `handle(spec, fn)` does a request part:
 * the parsed output, or a rejection with the same 422 (`where` says how its issues point: into a
 * body by `pointer`, at a `parameter` or at a `header`). For code outside `handle()`.
 *
 * @example
 * const input = await validate(NewUser, JSON.parse(message), 'body');
 */
export async function validate<Schema extends StandardSchemaV1>(
  schema: Schema,
  value: unknown,
  where: InputPart = 'body',
): Promise<StandardSchemaV1.InferOutput<Schema>> {
  const result = await schema['~standard'].validate(value);
  return settle([where], [value], [result])[0];
}
