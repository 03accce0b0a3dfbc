import type { Request } from 'express';
import { read } from './read';

/** The request path without its query string, for the problem `instance` and the log. */
export function requestPath(req: Request): string {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // an absolute-form target (`GET http://host/path`, RFC 9112 §3.2.2) names a host the client chose: the path alone
  return path.startsWith('/') ? path : absolutePath(path);
}

/**
 * The longest problem `instance`, in characters: the path of a request can be as long as Node's
 * header limit lets it be (a 15,000-character one came back whole).
 */
export const MAX_INSTANCE_LENGTH = 1000;

/** A path made only of what RFC 3986 allows in a path as it is (`pchar` and "/"), without "%". */
const PLAIN_PATH = /^\/(?!\/)[\w\-.~!$&'()*+,;=:@/]*$/;

/** What a path may not carry as it is: "%" before anything but two hex digits, and every character outside `pchar` and "/". */
const NOT_PATH = /%(?![0-9A-Fa-f]{2})|[^\w\-.~!$&'()*+,;=:@/%]+/g;

/**
 * The problem `instance`: the request path as a relative reference that can only name a path of this
 * server, at most `MAX_INSTANCE_LENGTH` characters. Characters a URI may not hold are percent-encoded
 * (a "\" would be read as "/" by browsers), and a path that begins with "//" — which a client would
 * read as another host, `//evil.example/phish` — gets "/." before it, as WHATWG URL serialization does:
 * it resolves to the same path (RFC 3986 §5.2.4 removes the dot segment).
 */
export function problemInstance(req: Request): string {
  const path = requestPath(req);
  if (path.length <= MAX_INSTANCE_LENGTH && PLAIN_PATH.test(path)) return path;
  const encoded = path.replace(NOT_PATH, percentEncoded);
  return cut(encoded.startsWith('//') ? `/.${encoded}` : encoded);
}

/** Characters as UTF-8 percent-escapes; a lone surrogate (only an app rewriting `req.url` can make one) as U+FFFD's. */
function percentEncoded(text: string): string {
  let escaped = '';
  for (const byte of Buffer.from(text, 'utf8')) escaped += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
  return escaped;
}

/**
 * A reference cut to `MAX_INSTANCE_LENGTH`, never in the middle of a percent-escape nor of the escapes of
 * one UTF-8 character, so that a client can still decode it.
 */
function cut(reference: string): string {
  if (reference.length <= MAX_INSTANCE_LENGTH) return reference;
  let end = MAX_INSTANCE_LENGTH;
  const escape = reference.lastIndexOf('%', end - 1);
  if (escape > end - 3) end = escape;
  // back over the trailing escapes of a character whose bytes do not all fit
  for (let start = end - 3, continuations = 0; start >= 0 && reference[start] === '%'; start -= 3) {
    const byte = parseInt(reference.slice(start + 1, start + 3), 16);
    if (byte < 0x80) break;
    if (byte < 0xc0) {
      continuations++;
      continue;
    }
    if (continuations + 1 < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2)) end = start;
    break;
  }
  return reference.slice(0, end);
}

/** The path of an absolute-form request target, or `/` when it is none. */
function absolutePath(target: string): string {
  try {
    return new URL(target).pathname;
  } catch {
    return '/';
  }
}

/**
 * What a request id may look like before it is echoed into a body and a log: UUIDs, ULIDs, trace
 * ids and the like. Anything longer or with other characters (quotes, CR/LF, markup) is refused.
 */
const REQUEST_ID = /^[\w.:/+=@-]{1,128}$/;

/**
 * The request's id: `req.id` as pino-http sets it, else the `header` the client or a proxy sent,
 * when it passes the limits; `undefined` otherwise.
 */
export function requestId(req: Request, header: string | false): string | undefined {
  const own = read(req, 'id');
  const candidate = typeof own === 'string' || typeof own === 'number' ? String(own) : header === false ? undefined : req.headers[header];
  return typeof candidate === 'string' && REQUEST_ID.test(candidate) ? candidate : undefined;
}
