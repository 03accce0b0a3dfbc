/**
 * The problem body: what a client may see of an error is decided here and only here, and the body
 * always serializes, member by member if it must.
 */
import { type HttpError, isHttpError } from './errors';
import { describe, read } from './read';
import { reasonPhrase } from './status';

/** An RFC 9457 problem details object, as the error handler sends it. */
export interface ProblemDetails {
  /** The problem type URI; `about:blank` when the error has none. */
  type: string;
  /** The reason phrase of the status, or the error's own title. */
  title: string;
  /** Always equal to the status line: an integer from 400 to 599. */
  status: number;
  /** The error's message, only when it is exposed; at most 1,000 characters. */
  detail?: string;
  /**
   * The request path, without its query string, as a reference to this server (a leading `//` gets `/.`
   * before it), at most `MAX_INSTANCE_LENGTH` characters: `errorHandler()` always sends it; RFC 9457
   * makes it optional.
   */
  instance?: string;
  /** The error's machine-readable code, when it has one. */
  code?: string;
  /** Extension members (`errors`, `requestId`, `traceId`, the error's `extensions` …). */
  [extension: string]: unknown;
}

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
  /** Where a `parameter` or `header` is, as OpenAPI names it (`GET /u/:id?id=…` has an `id` in each); absent for the body. */
  in?: 'path' | 'query' | 'header' | 'cookie';
}

/** The members no extension may replace: RFC 9457's, and `code`, which only the error's `code` sets. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

/** How many links of a `cause` chain debug output follows before it stops. */
const MAX_CAUSE_DEPTH = 5;

/**
 * The longest `detail` sent, in UTF-16 code units: an exposed message can be as long as a thrown
 * message is (a 5 MB one became a 5 MB body), and `notFoundHandler()` quotes the request path.
 */
export const MAX_DETAIL_LENGTH = 1000;

/**
 * The most a problem body takes, in bytes of UTF-8: 64 KiB. A body that would be larger goes out
 * with its standard members (the `title` cut to `MAX_DETAIL_LENGTH`) and as many extension members, in
 * order, as fit; each one left out is logged. Well under the 1 MiB the client reads.
 */
export const MAX_PROBLEM_BYTES = 64 * 1024;

/** Told of each member of an app's value that had to be left out: which, why, and the error that said so. */
export type Omission = (member: string, why: string, cause?: unknown) => void;

/** Why a member was left out because it failed. */
const UNSERIALIZABLE = 'it could not be read or serialized: make it plain JSON data (no BigInt, cycle or throwing getter)';

/** Why a member was left out because the body would pass the bound. */
const TOO_LARGE = `the body would pass ${MAX_PROBLEM_BYTES / 1024} KiB (MAX_PROBLEM_BYTES): send less in it`;

/** A detail cut to `MAX_DETAIL_LENGTH`, never in the middle of a surrogate pair, marked with an ellipsis. */
export function capped(detail: string): string {
  if (detail.length <= MAX_DETAIL_LENGTH) return detail;
  const end = MAX_DETAIL_LENGTH - 1;
  const code = detail.charCodeAt(end - 1);
  return detail.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end) + '…';
}

/** A member of the error that must be a string to be sent, read without trusting a subclass's getter. */
function stringMember(err: HttpError, key: string): string | undefined {
  const value = read(err, key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * The stable problem type URI of a code under `typeBase`: `https://errors.example.com/` and
 * `email_taken` give `https://errors.example.com/email_taken`.
 */
export function problemType(typeBase: string, code: string): string {
  return (typeBase.endsWith('/') || typeBase.endsWith('#') ? typeBase : `${typeBase}/`) + encodeURIComponent(code);
}

/** How the error handler builds problems. */
export interface ProblemOptions {
  /** Put the stack and the cause chain in the body. */
  readonly debug: boolean;
  /** The base of the `type` URI of a coded error that has no `type` of its own. */
  readonly typeBase: string | undefined;
}

/**
 * Builds the problem body of an error whose status was already checked: `detail` only when the error
 * is exposed, the stack and cause only in debug mode (those of `thrown`, when the error stands for a
 * foreign one), extensions that never replace a reserved member.
 */
export function problemDetails(
  err: HttpError,
  instance: string,
  options: ProblemOptions,
  omit: Omission,
  thrown: unknown = err,
): ProblemDetails {
  const status = err.status;
  const code = stringMember(err, 'code');
  const type =
    stringMember(err, 'type') ??
    (options.typeBase !== undefined && code !== undefined ? problemType(options.typeBase, code) : 'about:blank');
  const title = stringMember(err, 'title') ?? reasonPhrase(status);
  const detail = read(err, 'expose') === true ? stringMember(err, 'detail') : undefined;
  // Two literals rather than a `delete`, which would slow every later access and the serialization;
  // either way the members come out in RFC 9457's order.
  const problem: ProblemDetails =
    detail !== undefined ? { type, title, status, detail: capped(detail), instance } : { type, title, status, instance };
  if (code !== undefined) problem.code = code;
  const extensions = read(err, 'extensions');
  if (typeof extensions === 'object' && extensions !== null) addExtensions(problem, extensions, omit);
  if (options.debug) {
    // what was thrown: for a foreign error, itself, not the error it was answered as (whose stack is the normalizer's)
    const source = isHttpError(thrown) || typeof thrown !== 'object' || thrown === null ? err : thrown;
    problem.stack = read(source, 'stack');
    const cause = read(source, 'cause');
    if (cause !== undefined) problem.cause = describe(cause, MAX_CAUSE_DEPTH);
  }
  return problem;
}

/** Copies extension members that do not collide with the reserved ones; one whose getter throws is left out alone. */
export function addExtensions(problem: ProblemDetails, extensions: object, omit: Omission): void {
  let keys: string[];
  try {
    keys = Object.keys(extensions);
  } catch (error) {
    return omit('extensions', UNSERIALIZABLE, error);
  }
  for (const key of keys) {
    if (RESERVED.has(key)) continue;
    let value: unknown;
    try {
      value = (extensions as Record<string, unknown>)[key];
    } catch (error) {
      omit(key, UNSERIALIZABLE, error);
      continue;
    }
    // defineProperty keeps a `__proto__` key as plain data instead of a prototype change
    Object.defineProperty(problem, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** True when a body keeps the problem shape: the members a problem+json client relies on, with the status of the answer. */
export function isProblemShaped(body: unknown, status: number): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof read(body, 'type') === 'string' &&
    typeof read(body, 'title') === 'string' &&
    read(body, 'status') === status
  );
}

/**
 * The body as JSON, at most `MAX_PROBLEM_BYTES`. A member that cannot be serialized (a BigInt, a cycle,
 * a `toJSON` that throws) is left out alone, and so is one that would take the body past the bound;
 * `omit` is told of each. The standard members always go out.
 */
export function stringifyProblem(problem: ProblemDetails, omit: Omission): string {
  try {
    const json = JSON.stringify(problem);
    if (fits(json)) return json;
  } catch {
    // a member cannot be serialized: the body is built member by member
  }
  return memberByMember(problem, omit);
}

/** True when a serialized body is within `MAX_PROBLEM_BYTES` (a UTF-16 code unit takes at most 3 bytes of UTF-8). */
export function fits(json: string): boolean {
  return json.length * 3 <= MAX_PROBLEM_BYTES || Buffer.byteLength(json) <= MAX_PROBLEM_BYTES;
}

/**
 * The body built one member at a time, each serialized once: the standard members first, bounded,
 * then each extension member that serializes and still fits.
 */
function memberByMember(problem: ProblemDetails, omit: Omission): string {
  const head = JSON.stringify(standardMembers(problem, omit));
  let size = Buffer.byteLength(head);
  let members = '';
  for (const key of Object.keys(problem)) {
    if (RESERVED.has(key)) continue;
    let member: string;
    try {
      const value = JSON.stringify(problem[key]) as string | undefined;
      if (value === undefined) continue; // JSON leaves it out too: a function, a symbol, undefined
      member = `,${JSON.stringify(key)}:${value}`;
    } catch (error) {
      omit(key, UNSERIALIZABLE, error);
      continue;
    }
    const bytes = Buffer.byteLength(member);
    if (size + bytes > MAX_PROBLEM_BYTES) {
      omit(key, TOO_LARGE);
      continue;
    }
    members += member;
    size += bytes;
  }
  return head.slice(0, -1) + members + '}';
}

/**
 * The reserved members, which always go out and always fit: `title` cut as `detail` is (`detail` and
 * `instance` already are); a `type` or `code` longer than that is no identifier a client can use, and
 * is left out (`about:blank` for the type).
 */
function standardMembers(problem: ProblemDetails, omit: Omission): ProblemDetails {
  const { title, status, detail, instance, code } = problem;
  let type = problem.type;
  if (type.length > MAX_DETAIL_LENGTH) {
    omit('type', `${TOO_LARGE}; about:blank was sent`);
    type = 'about:blank';
  }
  const standard: ProblemDetails = { type, title: capped(title), status, detail, instance };
  if (typeof code === 'string' && code.length <= MAX_DETAIL_LENGTH) standard.code = code;
  else if (code !== undefined) omit('code', TOO_LARGE);
  return standard;
}
