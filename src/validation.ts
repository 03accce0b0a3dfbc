/**
 * Validation failures as problem details: the `errors` member RFC 9457 §3 shows, each issue pointing
 * at the body (JSON Pointer), a parameter or a header, and never quoting what the client sent.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Request } from 'express';
import { BadRequest, type HttpError, UnprocessableContent } from './errors';
import { MAX_PROBLEM_BYTES, type ValidationIssue } from './problem';
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

/**
 * How many values (strings, numbers, keys, containers) of a rejected value are looked at: a message
 * about more than this is replaced whole rather than searched. It also bounds the depth walked.
 */
const MAX_VALUES_CHECKED = 1000;

/** Where a text is cut into parts a transform may have made of it: commas, semicolons, pipes, white space. */
const SEPARATORS = /[\s,;|]+/u;

/** A text as it is compared: case and Unicode compatibility forms folded (`ＡＢ`, `AB` and `ab` are one). */
function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Adds the texts a message could quote of a rejected value, folded, to `texts`: a string and the
 * parts a trim or a split makes of it, a number, the keys and the values inside an object or an array
 * (a message may be built from `value.join(' ')`). False when there is too much to look at.
 */
function addTexts(value: unknown, texts: Set<string>, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  if (typeof value === 'string') {
    const text = folded(value);
    texts.add(text).add(text.trim());
    for (const part of text.split(SEPARATORS)) texts.add(part);
    return true;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    texts.add(String(value));
    return true;
  }
  if (typeof value !== 'object' || value === null) return true;
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return true; // a Proxy that refuses to list its keys gives nothing to look for
  }
  for (const key of keys) {
    // an unknown key is input too; an array's indexes are not
    if (!Array.isArray(value) && !addTexts(key, texts, budget)) return false;
    if (!addTexts(read(value, key), texts, budget)) return false;
  }
  return true;
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
 * read from the request. A transform may have changed a value before the message quoted it, so the
 * message is searched for each text inside a value (an array's items, an object's keys and values),
 * trimmed, in any case, and each part of it split at commas or spaces. A one-character text says
 * nothing and is not looked for.
 */
export function withoutInput(message: unknown, rejected: readonly unknown[], fallback: string): string {
  const text = typeof message === 'string' && message !== '' ? message : fallback;
  const texts = new Set<string>();
  const budget = { left: MAX_VALUES_CHECKED };
  for (const value of rejected) if (!addTexts(value, texts, budget)) return fallback;
  const searched = folded(text);
  for (const candidate of texts) {
    if (candidate.length > 1 && quotedForms(candidate).some((form) => quotes(searched, form))) return fallback;
  }
  return text;
}

/** The validation failures the package made, which the error handler may answer with another status. */
const VALIDATION_FAILURES = new WeakSet<object>();

/**
 * The most issues a validation failure lists: a 100 KB body of 49,000 wrong items would otherwise
 * answer megabytes. Past it, `totalErrors` says how many there were.
 */
export const MAX_ISSUES = 100;

/**
 * The longest issue `detail`, `pointer`, `parameter` and `header`, in UTF-16 code units: with
 * `MAX_ISSUES`, a 422's issues stay far under the 1 MiB the package's client reads.
 */
export const MAX_ISSUE_TEXT = 300;

/**
 * The bytes a 422's issues may take together: long issues in a script of 3-byte characters are fewer
 * than `MAX_ISSUES`, so that the whole problem stays within `MAX_PROBLEM_BYTES` and keeps its `errors`.
 */
const MAX_ISSUES_BYTES = MAX_PROBLEM_BYTES - 16 * 1024;

/**
 * The 422 of a validation failure the package produces (`handle(spec)`, `validate()`, the adapters),
 * from all its `failures`: only the first `MAX_ISSUES` (fewer when they would pass `MAX_ISSUES_BYTES`) are made into issues by `issueOf` (the rest
 * are counted, not built), and `totalErrors` is added when some were left out.
 */
export function validationError<T>(failures: readonly T[], issueOf: (failure: T) => ValidationIssue, cause: unknown): HttpError {
  const errors: ValidationIssue[] = [];
  let bytes = 0;
  for (const failure of failures.slice(0, MAX_ISSUES)) {
    const issue = bounded(issueOf(failure));
    bytes += Buffer.byteLength(JSON.stringify(issue)) + 1;
    if (bytes > MAX_ISSUES_BYTES) break;
    errors.push(issue);
  }
  const extensions = errors.length < failures.length ? { errors, totalErrors: failures.length } : { errors };
  const error = new UnprocessableContent('The request is not valid', { cause, extensions });
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

/** Where an issue outside the body is, as OpenAPI names it: a `GET /u/:id?id=…` has an `id` in the path and one in the query. */
const LOCATIONS = { params: 'path', query: 'query', headers: 'header' } as const;

/** A Standard Schema path segment, as a key: a segment may be the key itself or a `{ key }` object. */
function keyOf(segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment;
}

/**
 * How far `path` goes into what the client sent: the value at it (`undefined` for a key the client
 * did not send), how many of its keys exist there, and whether the whole path was found. A path that
 * goes on into a string (`tags[1]` of a `tags=a,b` a transform split) stops at that string.
 */
function walk(input: unknown, path: readonly PropertyKey[]): { value: unknown; depth: number; found: boolean } {
  let value = input;
  for (let depth = 0; depth < path.length; depth++) {
    if (typeof value !== 'object' || value === null) return { value, depth, found: false };
    const next = read(value, path[depth]!);
    if (next === undefined) return { value: undefined, depth: path.length, found: false };
    value = next;
  }
  return { value, depth: path.length, found: value !== undefined };
}

/**
 * What the client sent that a message may quote, at `path` of each of `inputs`: the adapters do not
 * know which part of the request a library checked, so they look in each (body, query, params).
 */
export function sentAt(inputs: readonly unknown[], path: readonly unknown[]): unknown[] {
  const keys = path.filter((key): key is string | number => typeof key === 'string' || typeof key === 'number');
  return inputs.map((input) => walk(input, keys).value);
}

/** The parts of the request a library may have checked: for the adapters' no-echo check. */
export function requestInputs(req: Request | undefined): unknown[] {
  return req === undefined ? [] : [read(req, 'body'), read(req, 'query'), read(req, 'params')];
}

/**
 * What the client sent that an issue's message may quote: the value at its path, and the key the path
 * ends at if the client sent it, in quotes — valibot and arktype report an unknown key so (`received
 * "<b>"`, `value at ["<b>"] must be removed`). Unquoted, a key is the schema's own word (arktype's
 * `name must be …`), and so is a key the client did not send. Header names are left out: no schema
 * rejects the headers it does not name.
 */
function rejectedAt(part: InputPart, value: unknown, path: readonly PropertyKey[], found: boolean): unknown[] {
  const key = path[path.length - 1];
  return part !== 'headers' && typeof key === 'string' && found ? [value, `"${key}"`, `'${key}'`] : [value];
}

/** A text cut to `MAX_ISSUE_TEXT`, never in the middle of a surrogate pair, marked with an ellipsis. */
function short(text: string): string {
  if (text.length <= MAX_ISSUE_TEXT) return text;
  const end = MAX_ISSUE_TEXT - 1;
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end) + '…';
}

/** A name cut before its last `separator` that fits (`#/a/b` to `#/a`, `f[a][b]` to `f[a]`): it still names where the fault is. */
function ancestor(name: string, separator: string): string {
  if (name.length <= MAX_ISSUE_TEXT) return name;
  const cut = name.lastIndexOf(separator, MAX_ISSUE_TEXT);
  return cut > 0 ? name.slice(0, cut) : short(name);
}

/** An issue with each member within `MAX_ISSUE_TEXT`. */
function bounded(issue: ValidationIssue): ValidationIssue {
  const copy = { ...issue, detail: short(safeString(issue.detail)) };
  if (typeof issue.pointer === 'string') copy.pointer = ancestor(issue.pointer, '/');
  if (typeof issue.parameter === 'string') copy.parameter = ancestor(issue.parameter, '[');
  if (typeof issue.header === 'string') copy.header = short(issue.header);
  return copy;
}

/** What may stand in a parameter or header name as it is sent back: anything else is percent-encoded (`<svg` is `%3Csvg`). */
const UNSAFE_IN_NAME = /[^\w.~-]/gu;

/** A parameter or header name as it is sent back: client-written, so encoded. */
function safeName(key: unknown): string {
  return safeString(key).toWellFormed().replace(UNSAFE_IN_NAME, encodeURIComponent);
}

/**
 * Where one Standard Schema issue points in `part`, with its message made safe. A path that goes
 * on past what the client sent (into a string a transform split) is cut where the input ends: a
 * name the client never wrote (`tags[1]` of `?tags=a,b`) would point nowhere it can look.
 */
function issueFor(part: InputPart, issue: StandardSchemaV1.Issue, input: unknown): ValidationIssue {
  const fullPath = (issue.path ?? []).map(keyOf);
  const { value, depth, found } = walk(input, fullPath);
  const path = fullPath.slice(0, depth);
  const detail = withoutInput(issue.message, rejectedAt(part, value, fullPath, found), 'Invalid value');
  if (part === 'body') return { detail, pointer: jsonPointer(path) };
  const where = LOCATIONS[part];
  if (path.length === 0) return { detail, in: where };
  // a name the client wrote (an unknown query key) is input too: what is not a plain name character is percent-encoded
  const [name, ...rest] = path.map(safeName);
  // a nested query value is named as the client wrote it: filter[status]
  return part === 'headers'
    ? { detail, header: name!, in: where }
    : { detail, parameter: name! + rest.map((key) => `[${key}]`).join(''), in: where };
}

/** The input of a request part: what Express parsed (`req.query`), the raw headers. */
function inputOf(req: Request, part: InputPart): unknown {
  return req[part];
}

/** One failure of a part: the part, its input and the issue, made into a `ValidationIssue` only if it is sent. */
interface Failure {
  readonly part: InputPart;
  readonly input: unknown;
  readonly issue: StandardSchemaV1.Issue;
}

/**
 * The parsed values of every part, or the 422 of all their issues together (the first `MAX_ISSUES`).
 * A failure that is the app's mistake, not the client's, is thrown as a plain error (a 500, logged):
 * see `specMistake`. `req` is absent for `validate()`.
 */
function settle(
  parts: readonly InputPart[],
  inputs: readonly unknown[],
  results: readonly StandardSchemaV1.Result<unknown>[],
  req?: Request,
): unknown[] {
  let failures: Failure[] | undefined;
  results.forEach((result, i) => {
    if (!result.issues) return;
    const part = parts[i]!;
    const input = inputs[i];
    if (req !== undefined) {
      const mistake = specMistake(part, input, result.issues, req);
      if (mistake) throw mistake;
      if (part === 'body' && input === undefined) {
        (failures ??= []).push({ part, input, issue: { message: missingBody(req) } });
        return;
      }
    }
    failures ??= [];
    for (const issue of result.issues) failures.push({ part, input, issue });
  });
  if (failures)
    throw validationError(
      failures,
      ({ part, input, issue }) => issueFor(part, issue, input),
      results.flatMap((result) => result.issues ?? []),
    );
  return results.map((result) => (result as StandardSchemaV1.SuccessResult<unknown>).value);
}

/** True when the request carries a body (RFC 9112 §6.3: a `Transfer-Encoding`, or a `Content-Length` above 0). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}

/** What a request whose `req.body` is undefined is missing, said to the client. */
function missingBody(req: Request): string {
  return hasBody(req)
    ? 'The request body is not JSON: send it with Content-Type: application/json'
    : 'The request has no body: send a JSON body with Content-Type: application/json';
}

/** The names of a path's parameters as Express 4 and 5 write them: `:id`, `:id?`, `{/:id}`, `*splat`, `:"quoted name"`. */
const PATH_PARAMETER = /[:*](?:"((?:[^"\\]|\\.)*)"|([A-Za-z_$][\w$]*))/g;

/**
 * The keys of a `params` schema that a route path does not have: such a schema can never pass. Keys
 * that are indexes (`0`, an unnamed group's) are not looked for.
 */
export function paramsNotInPath(keys: readonly string[], path: string): string[] {
  const names = new Set([...path.matchAll(PATH_PARAMETER)].map((match) => match[1] ?? match[2]));
  return keys.filter((key) => !names.has(key) && !/^\d+$/.test(key));
}

/**
 * An error for issues that are the app's mistake, which no request could avoid, so that they answer
 * 500 and are logged instead of blaming the client with a 422: a `headers` schema that names a header
 * in capitals (Node gives every name in lower case), a `params` schema with a key the route's path does
 * not have, and a body schema on a route where no body parser read a JSON body.
 */
function specMistake(part: InputPart, input: unknown, issues: readonly StandardSchemaV1.Issue[], req: Request): Error | undefined {
  const route = `${req.method} ${req.baseUrl}${safeString(read(req.route, 'path'))}`;
  const firstKeys = issues.map((issue) => (issue.path?.[0] === undefined ? undefined : keyOf(issue.path[0])));
  if (part === 'headers') {
    const name = firstKeys.find((key): key is string => typeof key === 'string' && key !== key.toLowerCase());
    if (name !== undefined)
      return new Error(
        `express-typed-errors: the headers schema of ${route} names "${name}", which no request has: Node gives header names in lower case; write "${name.toLowerCase()}"`,
      );
  }
  if (part === 'params') {
    const path = read(req.route, 'path');
    const sent = Object.keys(input ?? {});
    const keys = firstKeys.filter((key): key is string => typeof key === 'string' && !sent.includes(key));
    const missing = typeof path === 'string' ? paramsNotInPath(keys, path) : [];
    if (missing.length > 0)
      return new Error(
        `express-typed-errors: the params schema of ${route} has ${missing.map((key) => `"${key}"`).join(', ')}, which the route's path does not: rename the key or the path's parameter (one of the router's mount path needs express.Router({ mergeParams: true }))`,
      );
  }
  if (part === 'body' && input === undefined && hasBody(req) && typeof req.is === 'function' && req.is('json') !== false)
    return new Error(
      `express-typed-errors: ${route} has a body schema, but no body parser read the request's JSON body (req.body is undefined): mount app.use(express.json()) before the route`,
    );
  return undefined;
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
  if (!results.some(isThenable)) return settle(parts, inputs, results as StandardSchemaV1.Result<unknown>[], req);
  // all at once, not one await after another: a schema that rejects while an earlier one is still
  // pending would be an unhandled rejection, which ends the process. Promise.resolve() takes any
  // thenable, a promise of another realm's included.
  return Promise.all(results.map((result) => Promise.resolve(result))).then((settled) => settle(parts, inputs, settled, req));
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
