import type { HttpError } from './errors';
import { describe, read } from './read';

/** An RFC 9457 problem details object, as the error handler sends it. */
export interface ProblemDetails {
  /** The problem type URI; `about:blank` when the error has none. */
  type: string;
  /** The reason phrase of the status (or the subclass's own title). */
  title: string;
  /** Always equal to the status line. */
  status: number;
  /** The error's message, only when it is exposed. */
  detail?: string;
  /** The request path, without its query string. */
  instance: string;
  /** The error's machine-readable code, when it has one. */
  code?: string;
  /** Extension members (`errors`, `requestId`, `traceId`, the error's `extensions` …). */
  [extension: string]: unknown;
}

/** The members RFC 9457 defines; an extension may never replace them. */
const STANDARD = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** How many links of a `cause` chain debug output follows before it stops. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Builds the problem body for an error. What a client may see is decided here and only here:
 * `detail` when the error is exposed, the stack and cause only in debug mode.
 */
export function problemDetails(err: HttpError, instance: string, debug: boolean): ProblemDetails {
  const type = err.type ?? 'about:blank';
  // Two literals rather than a `delete`, which would slow every later access and the serialization;
  // either way the members come out in RFC 9457's order.
  const problem: ProblemDetails =
    err.expose && err.detail !== undefined
      ? { type, title: err.title, status: err.status, detail: err.detail, instance }
      : { type, title: err.title, status: err.status, instance };
  if (err.code !== undefined) problem.code = err.code;
  if (err.extensions) addExtensions(problem, err.extensions);
  if (debug) {
    problem.stack = read(err, 'stack');
    if (err.cause !== undefined) problem.cause = describe(err.cause, MAX_CAUSE_DEPTH);
  }
  return problem;
}

/** Copies extension members that do not collide with the standard ones. */
export function addExtensions(problem: ProblemDetails, extensions: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(extensions)) {
    // defineProperty keeps a `__proto__` key as plain data instead of a prototype change
    if (!STANDARD.has(key))
      Object.defineProperty(problem, key, { value: extensions[key], enumerable: true, writable: true, configurable: true });
  }
}

/**
 * `JSON.stringify` that always returns a string: a body that cannot be serialized (a circular or
 * BigInt extension) falls back to its standard members, which always can.
 */
export function stringifyProblem(problem: ProblemDetails): string {
  try {
    return JSON.stringify(problem);
  } catch {
    const { type, title, status, detail, instance } = problem;
    return JSON.stringify({ type, title, status, detail, instance });
  }
}
