/**
 * `express-typed-errors/client`: for browser apps, and for services that call another service, whose
 * API answers with RFC 9457 problem details (`errorHandler()`, or any other server). A problem answer
 * becomes an error of the class the server threw (`NotFound`, `Conflict`, an app's `EmailTaken`), so
 * `instanceof` and `isHttpError()` mean the same on both sides of the wire.
 *
 * Browser-safe: its module graph is this file and the error classes' own (errors, status table,
 * header rules); no Node built-in, no Express, no dependency.
 */
import { HttpError, type HttpErrorOptions, createHttpError, isHttpError } from './errors';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ProblemDetails, ValidationIssue } from './problem';
import { type ProblemStatus, isProblemStatus, reasonPhrase } from './status';

// The very classes the server throws and returns, so that a browser app and a module of route
// contracts shared with the server import them from here alone.
export * from './errors';
export * from './responses';
export {
  route,
  call,
  callSafe,
  isRouteContract,
  type AnyRouteStatus,
  type CallData,
  type CallError,
  type CallInput,
  type CallOptions,
  type CallResult,
  type ContractSpec,
  type ExtensionsOf,
  type Fetch,
  type Method,
  type ProblemErrorOf,
  type RouteContract,
  type Scalar,
} from './contract';
export type { ProblemDetails, ValidationIssue } from './problem';
export type { ErrorStatus, ProblemStatus } from './status';

/**
 * What the client reads of an answer: a fetch `Response` (browsers, Node, undici, Deno, Bun) fits,
 * and so does anything shaped like one.
 */
export interface ResponseLike {
  /** The HTTP status. */
  readonly status: number;
  /** The headers, read by name (`Content-Type`, `Content-Length`). */
  readonly headers: {
    /** The value of the header `name`, or `null` when the answer has none. */
    get(name: string): string | null;
  };
  /** The body, read as a stream (at most 1 MiB of it); `null` for none. */
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * An app's error class that the client can rebuild. It says which answers are its own with a static
 * `code` or `type`, equal to the `code` or `type` the server sends for it, because the client never
 * calls an app's constructor: its parameters are the app's own (`new EmailTaken(email)`).
 *
 * ```ts
 * class EmailTaken extends Conflict {
 *   static readonly code = 'email_taken';
 *   override readonly code = EmailTaken.code;
 *   constructor(email: string) { super(`The email ${email} is already registered`); }
 * }
 * ```
 */
export type ProblemClass = (abstract new (...args: never) => HttpError) & { readonly status: number } & (
    { readonly code: string } | { readonly type: string }
  );

/** Options of `throwIfProblem()` and `ok()`. */
export interface ProblemOptions {
  /**
   * The app's own error classes. The first whose `status` is the answer's and whose static `type` or
   * `code` is the problem's is the class of the error; otherwise it is the class for the status.
   */
  classes?: readonly ProblemClass[];
}

/**
 * The error `throwIfProblem()` and `ok()` throw for a 4xx or 5xx answer: an instance of the class for
 * its status (or of a matching `classes` entry), with the server's `title`, `detail`, `code` and `type`,
 * and these members read from the problem. `expose` is false: a service that lets it reach its own
 * `errorHandler()` answers with the same status, title and code, never another service's `detail` or
 * extension members.
 */
export type ProblemError<S extends ProblemStatus = ProblemStatus> = HttpError<S> & {
  /**
   * The problem document as read (see `readProblem()`), with every extension member the server sent;
   * `undefined` when the answer had none (HTML from a proxy, an empty 502, a body over the cap).
   */
  readonly problem: ProblemDetails | undefined;
  /** The validation issues of a 422 (its `errors` member), the well-formed ones only. */
  readonly errors: readonly ValidationIssue[] | undefined;
  /** The server's id for the request, to quote when reporting the error. */
  readonly requestId: string | undefined;
  /** The trace the server recorded the request in. */
  readonly traceId: string | undefined;
  /** The answer, for its headers (`Retry-After`, `WWW-Authenticate` …); its body has been read. Not enumerable: loggers leave it out. */
  readonly response: ResponseLike;
};

/**
 * The most of a body `readProblem()` reads: 1 MiB. A problem is a small document (a 422 with a
 * thousand issues of 100 bytes each is 100 KB); a larger or endless body is not one, and stops being
 * read there, so that it can neither hang the caller on a body that never ends nor fill its memory.
 */
const MAX_BODY_BYTES = 1024 * 1024;

/** Members a JSON body may not bring in: merged into an object by careless code, they reach its prototype. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Where a validation issue may point, and in which part: each a string when present. */
const ISSUE_LOCATIONS = ['pointer', 'parameter', 'header', 'in'];

/** The standard members (and `code`) that a problem may leave out, and that are strings when present. */
const OPTIONAL_STRINGS = ['detail', 'instance', 'code'] as const;

/** Marks the errors this module builds, for `isProblemError()`; `Symbol.for` so that a second copy agrees. */
const PROBLEM_ERROR_BRAND: unique symbol = Symbol.for('express-typed-errors.ProblemError');

/**
 * True when `value` has the shape `readProblem()` gives: an object whose `type` and `title` are
 * strings, `status` an integer, and `detail`, `instance` and `code`, when present, strings. A getter
 * or Proxy that throws makes it false, never a throw.
 */
export function isProblemDetails(value: unknown): value is ProblemDetails {
  try {
    const problem = value as Record<string, unknown>;
    return (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof problem.type === 'string' &&
      typeof problem.title === 'string' &&
      Number.isInteger(problem.status) &&
      OPTIONAL_STRINGS.every((key) => ['string', 'undefined'].includes(typeof problem[key]))
    );
  } catch {
    return false;
  }
}

/**
 * The problem a 4xx or 5xx answer carries, or `undefined`; never a throw or a rejection. Reads a body
 * of type `application/problem+json`, or `application/json` when it has a string `type` or `title` (a
 * plain `{ "error": … }` is not a problem). It consumes an error answer's body: the JSON one is read,
 * up to 1 MiB (a larger or endless one is cancelled there: `undefined`), any other is cancelled unread;
 * `clone()` the response first to read it yourself too. Another status gives `undefined` and leaves
 * the body alone. Pass fetch an `AbortSignal` to bound the time as well.
 *
 * What comes back is plain data, made safe and complete as RFC 9457 §3.1 says: `__proto__`,
 * `constructor` and `prototype` members are dropped at every depth; a standard member of the wrong
 * type is ignored; `type` defaults to `about:blank` and `title` to the reason phrase; `status` is the
 * status line's, whatever the body says. Every other member is kept as sent.
 */
export async function readProblem(response: ResponseLike): Promise<ProblemDetails | undefined> {
  try {
    if (!isErrorAnswer(response)) return undefined;
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const problemJson = mediaType === 'application/problem+json';
    if (!problemJson && mediaType !== 'application/json') {
      await response.body?.cancel();
      return undefined;
    }
    const text = await readText(response);
    if (text === undefined) return undefined;
    return toProblem(
      JSON.parse(text, (key, value: unknown) => (PROTOTYPE_KEYS.has(key) ? undefined : value)),
      response.status,
      problemJson,
    );
  } catch {
    return undefined; // a broken or aborted body, invalid JSON, something that is not a response
  }
}

/**
 * Resolves for an answer whose status is not 4xx or 5xx; for one that is, reads its problem and
 * rejects with a `ProblemError` of the class the server threw:
 *
 * ```ts
 * const res = await fetch('/api/users/42');
 * await throwIfProblem(res);   // throws NotFound: err.detail === 'No user 42'
 * ```
 *
 * An error answer without a problem (HTML from a proxy, an empty 502) is still the class for its
 * status, without a detail. The body of an error answer is consumed (see `readProblem()`).
 */
export async function throwIfProblem(response: ResponseLike, options?: ProblemOptions): Promise<void> {
  if (isErrorAnswer(response)) throw await problemError(response, await readProblem(response), options?.classes ?? []);
}

/**
 * The answer when its status is 2xx; otherwise a rejection: a `ProblemError` for a 4xx or 5xx (as
 * `throwIfProblem()`), an `Error` for any other (a 304, an opaque redirect). Takes the response or
 * fetch's promise of it, so that one `await` does:
 *
 * ```ts
 * const user: User = await (await ok(fetch(`/api/users/${id}`))).json();
 * ```
 */
export async function ok<R extends ResponseLike>(response: R | PromiseLike<R>, options?: ProblemOptions): Promise<R> {
  const answer = await response;
  await throwIfProblem(answer, options);
  if (answer.status < 200 || answer.status > 299) throw new Error(`express-typed-errors: expected a 2xx answer, got ${answer.status}`);
  return answer;
}

/**
 * True when `value` is an error that `throwIfProblem()` or `ok()` built from an answer (from this copy
 * of the package or another) and, with `status`, has that status; narrows to `ProblemError` for it,
 * whose `errors`, `requestId` and `traceId` are typed.
 */
export function isProblemError<S extends ProblemStatus>(value: unknown, status: S): value is ProblemError<S>;
export function isProblemError(value: unknown): value is ProblemError;
export function isProblemError(value: unknown, status?: number): boolean {
  try {
    return (
      isHttpError(value) &&
      (value as { [PROBLEM_ERROR_BRAND]?: unknown })[PROBLEM_ERROR_BRAND] === true &&
      (status === undefined || value.status === status)
    );
  } catch {
    return false; // a Proxy or getter that throws is not one of ours
  }
}

/** A 4xx or 5xx: the answers that may carry a problem, and that become errors. */
function isErrorAnswer(response: ResponseLike): response is ResponseLike & { readonly status: ProblemStatus } {
  return isProblemStatus(response.status);
}

/** Reads the body as UTF-8 text (RFC 8259), up to `MAX_BODY_BYTES`; `undefined` when there is none or more. */
async function readText(response: ResponseLike): Promise<string | undefined> {
  const { body } = response;
  if (!body) return undefined;
  // A declared length over the cap is refused before a byte is read.
  if (Number(response.headers.get('content-length')) > MAX_BODY_BYTES) {
    await body.cancel();
    return undefined;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel(); // frees the connection rather than draining a body that may never end
      return undefined;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * A parsed body as a problem: `undefined` unless it is an object (and, for plain JSON, one with a
 * `type` or `title`). Standard members of the wrong type are ignored, as RFC 9457 §3.1 asks.
 */
function toProblem(value: unknown, status: number, problemJson: boolean): ProblemDetails | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const body = value as Record<string, unknown>;
  const type = stringOrUndefined(body.type);
  const title = stringOrUndefined(body.title);
  if (!problemJson && type === undefined && title === undefined) return undefined;
  // The spread defines own members (never a prototype change); the status line wins over the body.
  const problem: ProblemDetails = { ...body, type: type ?? 'about:blank', title: title ?? reasonPhrase(status), status };
  for (const key of OPTIONAL_STRINGS) if (typeof problem[key] !== 'string') delete problem[key];
  return problem;
}

/**
 * The error for an error answer. It is made through the base constructor with the class as
 * `new.target` (its prototype, so `instanceof` and `name`), because an app's constructor has its own
 * parameters: a registered class's constructor body and field initializers do not run, and its
 * members are what the answer says (`code` is the problem's, which is the class's own when it matched),
 * with the extension members its `static extensions` schema declares.
 */
async function problemError(
  response: ResponseLike & { readonly status: ProblemStatus },
  problem: ProblemDetails | undefined,
  classes: readonly ProblemClass[],
): Promise<ProblemError> {
  const { status } = response;
  let cls: ProblemClass | undefined;
  let members: Readonly<Record<string, unknown>> = {};
  for (const candidate of problem ? classes : []) {
    const read = matches(candidate, status, problem!) ? await extensionMembers(candidate, problem!) : undefined;
    if (read) {
      [cls, members] = [candidate, read];
      break;
    }
  }
  const detail = problem?.detail;
  const options: HttpErrorOptions = {
    title: problem?.title,
    code: problem?.code,
    type: problem?.type === 'about:blank' ? undefined : problem?.type,
    expose: false,
  };
  const error = (
    cls ? Reflect.construct(HttpError, [status, detail, options], cls) : (createHttpError as CreateAny)(status, detail, options)
  ) as ProblemError;
  Object.defineProperties(error, {
    problem: { value: problem, enumerable: true },
    errors: { value: validationIssues(problem?.errors), enumerable: true },
    requestId: { value: stringOrUndefined(problem?.requestId), enumerable: true },
    traceId: { value: stringOrUndefined(problem?.traceId), enumerable: true },
    response: { value: response },
    [PROBLEM_ERROR_BRAND]: { value: true },
  });
  // never over a member the error has: the standard ones, and those above, are the answer's
  for (const [key, value] of Object.entries(members)) {
    if (!(key in error) && !PROTOTYPE_KEYS.has(key)) Object.defineProperty(error, key, { value, enumerable: true });
  }
  return error;
}

/**
 * The extension members a class declares with a `static extensions` schema, as the schema parses them
 * from the problem: `{}` when it declares none, `undefined` when the problem does not fit (then the
 * answer is not one of the class's, and gets the class of its status), or when the schema throws.
 */
async function extensionMembers(cls: ProblemClass, problem: ProblemDetails): Promise<Readonly<Record<string, unknown>> | undefined> {
  try {
    const schema = (cls as { extensions?: unknown }).extensions as StandardSchemaV1 | undefined;
    if (typeof schema?.['~standard']?.validate !== 'function') return {};
    const result = await schema['~standard'].validate(problem);
    if (result.issues || typeof result.value !== 'object' || result.value === null) return undefined;
    return result.value as Readonly<Record<string, unknown>>;
  } catch {
    return undefined;
  }
}

/** `createHttpError` for a status known only at run time; its own typing asks for a literal status. */
type CreateAny = (status: ProblemStatus, detail?: string, options?: HttpErrorOptions) => HttpError;

/** Whether a registered class is the one for this answer; a class that declares nothing to match is a mistake, said loudly. */
function matches(cls: ProblemClass, status: number, problem: ProblemDetails): boolean {
  const { code, type } = cls as { code?: unknown; type?: unknown };
  if (typeof code !== 'string' && typeof type !== 'string') {
    throw new TypeError(`express-typed-errors: ${cls.name} has no static code or type, so no answer can match it`);
  }
  return (
    cls.status === status && ((typeof type === 'string' && type === problem.type) || (typeof code === 'string' && code === problem.code))
  );
}

/** The well-formed entries of an `errors` member; `undefined` when it is not an array. */
function validationIssues(value: unknown): ValidationIssue[] | undefined {
  return Array.isArray(value) ? value.filter(isValidationIssue) : undefined;
}

/** An object with a string `detail`, and strings for whichever of `pointer`, `parameter`, `header`, `in` it has. */
function isValidationIssue(value: unknown): value is ValidationIssue {
  if (typeof value !== 'object' || value === null) return false;
  const issue = value as Record<string, unknown>;
  return typeof issue.detail === 'string' && ISSUE_LOCATIONS.every((key) => ['string', 'undefined'].includes(typeof issue[key]));
}

/** The value when it is a string: a member of another type is ignored, as RFC 9457 §3.1 asks. */
function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
