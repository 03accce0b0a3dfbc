/**
 * `express-typed-errors/testing`: assertions for an app's own test suite (jest, vitest, node:test,
 * mocha …) over the answers supertest gives. `expectProblem(res, NotFound)` checks a problem answer
 * and its class; `expectDocumented(document, res)` checks any answer against its operation in the
 * app's OpenAPI document. Each throws an `AssertionError` (node:assert's) that says what is off, and
 * needs no test framework.
 *
 * @example
 * import request from 'supertest';
 * import { expectDocumented, expectProblem } from 'express-typed-errors/testing';
 *
 * const res = await request(app).get('/users/999');
 * const problem = expectProblem(res, UserNotFound);
 * expectDocumented(document, res);
 */
import { AssertionError } from 'node:assert';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ExtensionsOf, HttpError } from './errors';
import type { ProblemDetails } from './problem';

/**
 * An answer as a test client gives it: supertest's and superagent's responses fit. `body` is the
 * parsed JSON (supertest parses `application/problem+json` too); `text` is read when it is not there.
 * `req` (supertest's request) gives the method and path `expectDocumented()` looks the operation up by.
 */
export interface TestResponse {
  /** The status code of the answer. */
  readonly status: number;
  /** The headers of the answer, by name in lower case (as supertest and Node give them). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed JSON body, when the client parsed one. */
  readonly body?: unknown;
  /** The body as text: read when `body` is not given. */
  readonly text?: string;
  /** The request it answered (supertest's `res.req`): where `expectDocumented()` looks for its operation. */
  readonly req?: { readonly method?: string; readonly path?: string };
}

/** An error class as `expectProblem()` identifies it: its `status`, and its `static code` or `static type` when it has one. */
export type ExpectedClass = (abstract new (...args: never) => HttpError) & {
  readonly status: number;
  readonly name: string;
  readonly code?: string;
  readonly type?: string;
};

/** The problem `expectProblem()` read: the standard members, and the class's extension members typed by its `static extensions`. */
export type ExpectedProblem<C> = ProblemDetails & ExtensionsOf<C>;

const PROBLEM_MEDIA_TYPES = ['application/problem+json', 'application/json'];

/** The members RFC 9457 defines, and `code`: what is not an extension member. */
const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

/** Throws an AssertionError with `message`, showing `actual` against `expected` where there are two values to compare. */
function fail(message: string, actual?: unknown, expected?: unknown): never {
  throw new AssertionError({ message, actual, expected });
}

/** A header of the answer, by its name in any case. */
function header(res: TestResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(res.headers).find((candidate) => candidate.toLowerCase() === lower);
  const value = key === undefined ? undefined : res.headers[key];
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/** The media type of the answer, lower case, without its parameters; `undefined` when it has no `Content-Type`. */
function mediaType(res: TestResponse): string | undefined {
  return header(res, 'content-type')?.split(';')[0]!.trim().toLowerCase();
}

/** The JSON body of the answer: the parsed `body` when the client parsed it, else `text` parsed; `undefined` when there is none. */
function jsonBody(res: TestResponse, what: string): unknown {
  if (typeof res.text === 'string' && res.text !== '') {
    try {
      return JSON.parse(res.text);
    } catch {
      fail(`${what}: the body is not JSON: ${res.text.slice(0, 200)}`);
    }
  }
  return res.text === '' ? undefined : res.body;
}

/** The name an answer is quoted by in messages: its request line when supertest gives it, else its status. */
function answerName(res: TestResponse): string {
  const method = res.req?.method;
  const path = res.req?.path;
  return typeof method === 'string' && typeof path === 'string' ? `${method} ${path} answered ${res.status}` : `the ${res.status} answer`;
}

/**
 * Asserts that `res` is a problem answer of class `cls` (any class of its status when it is left out):
 * the status (the class's), a problem content type (`application/problem+json`, or `application/json`
 * as negotiation can choose), a well-formed RFC 9457 body whose `status` is the answer's, and, for a
 * class with a `static code` or `static type`, that code or type. A class's `static extensions`
 * schema, when it answers at once (sync), is run on the body's extension members. Returns the problem.
 *
 * @example
 * const problem = expectProblem(await request(app).post('/orders').send(order), OutOfStock);
 * expect(problem.sku).toBe('A-1');
 */
export function expectProblem<C extends ExpectedClass>(res: TestResponse, cls: C): ExpectedProblem<C>;
export function expectProblem(res: TestResponse): ProblemDetails;
export function expectProblem(res: TestResponse, cls?: ExpectedClass): ProblemDetails {
  const what = answerName(res);
  const name = cls?.name ?? 'a problem';
  if (cls !== undefined && res.status !== cls.status) fail(`${what}, not ${cls.status} (${cls.name})`, res.status, cls.status);
  if (!Number.isInteger(res.status) || res.status < 400 || res.status > 599) fail(`${what}: a problem has a 4xx or 5xx status`);
  const type = mediaType(res);
  if (type === undefined || !PROBLEM_MEDIA_TYPES.includes(type))
    fail(`${what} with Content-Type ${String(header(res, 'content-type'))}, not application/problem+json (or application/json)`);
  const body = jsonBody(res, what);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(`${what}: the body is not a JSON object`, body);
  const problem = body as ProblemDetails;
  if (typeof problem.type !== 'string') fail(`${what}: the problem has no string "type"`, problem);
  if (typeof problem.title !== 'string') fail(`${what}: the problem has no string "title"`, problem);
  if (problem.status !== res.status)
    fail(`${what}: the problem's "status" is ${String(problem.status)}, not the answer's`, problem.status, res.status);
  for (const member of ['detail', 'instance', 'code'])
    if (problem[member] !== undefined && typeof problem[member] !== 'string')
      fail(`${what}: the problem's "${member}" is not a string`, problem);
  if (cls === undefined) return problem;
  if (typeof cls.code === 'string' && problem.code !== cls.code)
    fail(`${what} with code ${String(problem.code)}, not ${name}'s ${cls.code}`, problem.code, cls.code);
  if (typeof cls.type === 'string' && problem.type !== cls.type)
    fail(`${what} with type ${problem.type}, not ${name}'s ${cls.type}`, problem.type, cls.type);
  checkExtensions(cls, problem, what);
  return problem;
}

/** Runs a class's `static extensions` schema on a problem's extension members, when the schema answers at once. */
function checkExtensions(cls: ExpectedClass, problem: ProblemDetails, what: string): void {
  const schema = (cls as { extensions?: StandardSchemaV1 }).extensions;
  if (typeof schema?.['~standard']?.validate !== 'function') return;
  const extensions = Object.fromEntries(Object.entries(problem).filter(([key]) => !STANDARD_MEMBERS.has(key)));
  const result = schema['~standard'].validate(extensions);
  if (result instanceof Promise || !result.issues) return;
  const issues = result.issues.map((issue) => {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('/');
    return path === '' ? issue.message : `at /${path}: ${issue.message}`;
  });
  fail(`${what}: its extension members do not fit ${cls.name}.extensions (${issues.join('; ')})`, extensions);
}

// ---------------------------------------------------------------------------------------------------------------------
// expectDocumented

/** An OpenAPI 3.x document, as much of it as `expectDocumented()` reads: `openApi()`'s output fits. */
export interface DocumentLike {
  /** The operations by path template (`/users/{id}`) and method. */
  readonly paths: Readonly<Record<string, object | undefined>>;
  /** The components that `$ref`s point into (`#/components/schemas/ProblemDetails`). */
  readonly components?: object;
  /** The servers: a path of theirs is the prefix the document's paths are under. */
  readonly servers?: readonly { readonly url: string }[];
}

/** Where an answer came from, when the response does not say (supertest's does, as `res.req`). */
export interface AnswerOf {
  /** The request method: `'GET'`. */
  readonly method: string;
  /** The request path, with or without its query string: `/users/42?fields=name`. */
  readonly path: string;
}

/** A compiled schema, as ajv gives it: a predicate that keeps the errors of its last call. */
type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** What expectDocumented needs of ajv: a JSON Schema 2020-12 validator. */
interface Validator {
  compile(schema: object): Validate;
}

/** One validator per document, and the schemas of its responses compiled once each. */
const VALIDATORS = new WeakMap<object, { ajv: Validator; compiled: WeakMap<object, Validate> }>();

/**
 * ajv, loaded when a body is first checked: an optional peer dependency of this entry alone, so that
 * the package itself depends on no validator, and a suite that only uses `expectProblem()` needs none.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, which ajv implements in full; `ajv-formats`, when
 * installed, checks formats (`email`, `uri` …), else formats are not checked.
 */
function validatorFor(document: DocumentLike): { ajv: Validator; compiled: WeakMap<object, Validate> } {
  const cached = VALIDATORS.get(document);
  if (cached) return cached;
  let Ajv2020: new (options: object) => Validator;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer: loaded only when a body is checked
    Ajv2020 = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
  } catch {
    throw new Error(
      'express-typed-errors/testing: expectDocumented() checks bodies with ajv, which is not installed: npm install --save-dev ajv ajv-formats',
    );
  }
  let addFormats: ((ajv: Validator) => void) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional too
    addFormats = (require('ajv-formats') as { default: typeof addFormats }).default;
  } catch {
    addFormats = undefined;
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: addFormats !== undefined });
  addFormats?.(ajv);
  const validator = { ajv, compiled: new WeakMap<object, Validate>() };
  VALIDATORS.set(document, validator);
  return validator;
}

/** ajv's errors in one line, each with where it is in the body and, for a `const` or an `enum`, the values allowed. */
function schemaErrors(errors: unknown): string {
  const list = Array.isArray(errors) ? (errors as { instancePath?: string; message?: string; params?: Record<string, unknown> }[]) : [];
  const lines = list.map(({ instancePath, message, params }) => {
    const allowed =
      params?.allowedValue !== undefined ? [params.allowedValue] : Array.isArray(params?.allowedValues) ? params.allowedValues : [];
    return `body${instancePath ?? ''} ${message ?? 'is invalid'}${allowed.length > 0 ? ` ${allowed.map((value) => JSON.stringify(value)).join(', ')}` : ''}`;
  });
  return [...new Set(lines)].join('; ');
}

/** The members of an object read as a record, or an empty one. */
function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The path template of the document that a request path falls under: literal segments before templated ones (`/users/me` before `/users/{id}`). */
function templateOf(document: DocumentLike, path: string): string | undefined {
  const templates = Object.keys(document.paths).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const matches = (candidate: string): string | undefined =>
    templates.find((template) =>
      new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}/]+\\?\}/g, '[^/]+')}/?$`).test(candidate),
    );
  const found = matches(path);
  if (found !== undefined) return found;
  // a server URL with a path (`https://api.example.com/v1`): the document's paths are below it
  for (const server of document.servers ?? []) {
    const base = new URL(server.url, 'http://localhost').pathname.replace(/\/$/, '');
    if (base !== '' && path.startsWith(`${base}/`)) return matches(path.slice(base.length));
  }
  return undefined;
}

/**
 * Asserts that an answer is one the app's OpenAPI document promises for its request: the operation
 * for its method and path (the path matched against the document's templates), the response for its
 * status (else its range, `4XX`, else `default`), a content type the response lists, every header it
 * marks `required`, and the body against the schema of that content type (JSON Schema 2020-12,
 * references into the document's `components` followed). A response without content must come with
 * no body, except a `default` one, which promises nothing. Needs `ajv` (an optional peer dependency) for the body.
 *
 * @example
 * const document = openApi(app, { info: { title: 'Shop', version: '1.0.0' } });
 * expectDocumented(document, await request(app).get('/orders/7'));
 */
export function expectDocumented(document: DocumentLike, res: TestResponse, answerOf?: AnswerOf): void {
  const method = (answerOf?.method ?? res.req?.method)?.toLowerCase();
  const fullPath = answerOf?.path ?? res.req?.path;
  if (method === undefined || fullPath === undefined)
    throw new TypeError('express-typed-errors/testing: expectDocumented() needs the request method and path: pass { method, path }');
  const path = fullPath.split('?')[0]!;
  const what = `${method.toUpperCase()} ${path} answered ${res.status}`;
  const template = templateOf(document, path);
  if (template === undefined) fail(`${what}, and the document has no path for ${path}`);
  const operation = record(record(document.paths[template])[method]);
  if (Object.keys(operation).length === 0) fail(`${what}, and the document has no ${method.toUpperCase()} operation for ${template}`);
  const where = `${method.toUpperCase()} ${template}`;
  const responses = record(operation.responses);
  const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((candidate) => candidate in responses);
  if (key === undefined)
    fail(
      `${what}, which its operation ${where} does not document (it lists ${Object.keys(responses).join(', ')})`,
      res.status,
      Object.keys(responses),
    );
  const response = record(responses[key]);
  for (const [name, spec] of Object.entries(record(response.headers)))
    if (record(spec).required === true && header(res, name) === undefined)
      fail(`${what} without the ${name} header that ${where} marks required for ${key}`);
  const content = record(response.content);
  // a default response that describes no content (a plain Express route, in `openApi()`) promises nothing to check
  if (key === 'default' && response.content === undefined) return;
  if (Object.keys(content).length === 0) {
    if (typeof res.text === 'string' && res.text !== '')
      fail(`${what} with a body, and ${where} documents no content for ${key}: ${res.text.slice(0, 200)}`);
    return;
  }
  const type = mediaType(res);
  // the media type itself, else the range that covers it (`text/*`, `*/*`), as OpenAPI matches them
  const documented = type === undefined ? undefined : [type, `${type.split('/')[0]}/*`, '*/*'].find((range) => range in content);
  if (type === undefined || documented === undefined)
    fail(
      `${what} with Content-Type ${String(header(res, 'content-type'))}, and ${where} documents ${Object.keys(content).join(', ')} for ${key}`,
    );
  const schema = record(content[documented]).schema;
  if (typeof schema !== 'object' || schema === null) return;
  // a range that took a body other than JSON: there is no JSON to hold against the schema
  if (documented !== type && !/[/+]json$/.test(type)) return;
  const { ajv, compiled } = validatorFor(document);
  // the schema as a resource of its own with the document's components, so that `#/components/...` resolves
  const validate = compiled.get(schema) ?? ajv.compile({ ...schema, components: document.components ?? {} });
  compiled.set(schema, validate);
  const body = jsonBody(res, what);
  if (!validate(body)) fail(`${what} with a body off its schema in ${where} (${key}, ${type}): ${schemaErrors(validate.errors)}`, body);
}
