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

/** Letters and digits: a rejected value is quoted only where it stands as a token, not inside a longer word or number. */
const WORD = /[\p{L}\p{N}_]/u;

/** The texts a rejected value could appear as in a message: itself, or the keys of an object (an unknown key is input too). */
function rejectedTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return [String(value)];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    try {
      return Object.keys(value).slice(0, 100);
    } catch {
      return [];
    }
  }
  return [];
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
    for (const candidate of rejectedTexts(value)) if (candidate.length > 1 && quotes(text, candidate)) return fallback;
  }
  return text;
}

/** The 422 every validation adapter answers with. */
export function validationError(errors: ValidationIssue[], cause: unknown): HttpError {
  return new UnprocessableContent('The request is not valid', { cause, extensions: { errors } });
}
