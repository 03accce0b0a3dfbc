/**
 * Validation failures as problem details: the `errors` member RFC 9457 §3 shows, each issue pointing
 * at the body (JSON Pointer), a parameter or a header, and never quoting what the client sent.
 */
import { type HttpError, UnprocessableContent } from './errors';
import { safeString } from './read';

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
export function withoutInput(message: unknown, input: unknown, fallback: string): string {
  const text = typeof message === 'string' && message !== '' ? message : fallback;
  if ((typeof input === 'string' && input !== '') || typeof input === 'number' || typeof input === 'bigint') {
    return text.includes(String(input)) ? fallback : text;
  }
  return text;
}

/** The 422 every validation adapter answers with. */
export function validationError(errors: ValidationIssue[], cause: unknown): HttpError {
  return new UnprocessableContent('The request is not valid', { cause, extensions: { errors } });
}
