/**
 * Writing answers: a problem with the status line, headers and framing the handler owns, a success
 * result through Express's own `res.json()`, and the static last resort when even that fails.
 */
import type { Request, Response } from 'express';
import { type Headers, setHeaders } from './headers';
import type { HttpResponse } from './responses';
import { reasonPhrase } from './status';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const PLAIN_JSON = 'application/json; charset=utf-8';

/** The framing of a problem body is the handler's alone: an error's own value for these is ignored. */
const FRAMING_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'content-encoding']);

/**
 * Headers a failed route may have set for the answer it meant to give, which would misdescribe the
 * problem (a cacheable 500, a Location on a 409); with every `Content-*` header but the security policies.
 */
const STALE_HEADERS = new Set(['etag', 'last-modified', 'cache-control', 'expires', 'location']);

/** True for a header the route set that must not go out with a problem. */
function isStale(name: string): boolean {
  return STALE_HEADERS.has(name) || (name.startsWith('content-') && !name.startsWith('content-security-policy'));
}

/** The body sent when even building the problem failed: static, so it cannot fail itself. */
const LAST_RESORT = '{"type":"about:blank","title":"Internal Server Error","status":500}';

/**
 * The media type for a problem: `application/problem+json`, unless the client's `Accept` names
 * plain JSON ahead of it (a client that only knows `application/json` still gets JSON).
 */
function problemContentType(req: Request): string {
  const accept = req.headers.accept;
  if (accept === undefined || accept === '*/*') return PROBLEM_JSON;
  return req.accepts(['application/problem+json', 'application/json']) === 'application/json' ? PLAIN_JSON : PROBLEM_JSON;
}

/** Takes back what a failed route had begun to describe, before the problem is written over it. */
function removeStaleHeaders(res: Response): void {
  for (const name of res.getHeaderNames()) if (isStale(name)) res.removeHeader(name);
}

/**
 * Writes a serialized problem: the registered reason phrase on the status line (a Unicode `title`
 * goes in the body only: Node refuses it there), the error's headers (they win over what the route
 * had set), and the framing. A body reshaped by `format` that no longer has the problem shape goes
 * out as plain `application/json`. `vary` names the request headers the answer was chosen by, added to
 * the `Vary` the route or the error set: a 404, 405 or 410 is cacheable by default, and a cache must not
 * give a problem negotiated for one client to another. The body is left out for HEAD. Returns the
 * header names Node refused.
 */
export function writeProblem(
  req: Request,
  res: Response,
  status: number,
  headers: Headers,
  body: string,
  problemShaped = true,
  vary?: string,
): string[] {
  removeStaleHeaders(res);
  res.statusCode = status;
  res.statusMessage = reasonPhrase(status);
  const dropped = setHeaders(res, headers, FRAMING_HEADERS);
  res.setHeader('Content-Type', problemShaped ? problemContentType(req) : PLAIN_JSON);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (vary !== undefined) addVary(res, vary);
  res.end(req.method === 'HEAD' ? undefined : body);
  return dropped;
}

/** Adds `fields` (`'Accept, Accept-Language'`) to the response's `Vary`, keeping what it names already; `*` stays `*`. */
function addVary(res: Response, fields: string): void {
  const current = res.getHeader('Vary');
  if (current === undefined) return void res.setHeader('Vary', fields);
  const value = Array.isArray(current) ? current.join(', ') : String(current);
  const named = value.split(',').map((name) => name.trim().toLowerCase());
  if (named.includes('*')) return;
  const missing = fields.split(', ').filter((name) => !named.includes(name.toLowerCase()));
  if (missing.length !== 0) res.setHeader('Vary', value.trim() === '' ? missing.join(', ') : `${value}, ${missing.join(', ')}`);
}

/** Answers a bare 500 when building the problem itself failed; closes the socket if even that fails. */
export function writeLastResort(res: Response): void {
  try {
    if (res.headersSent) throw new Error('headers already sent');
    removeStaleHeaders(res);
    res.statusCode = 500;
    res.statusMessage = reasonPhrase(500);
    res.setHeader('Content-Type', PROBLEM_JSON);
    res.setHeader('Content-Length', LAST_RESORT.length);
    res.end(LAST_RESORT);
  } catch {
    res.destroy();
  }
}

/**
 * Sends a success result; returns the header names Node refused. A JSON body goes through
 * `res.json()`, so the app's `json spaces`, `json replacer` and ETag settings apply as they do to any
 * Express route; 204 and 205 carry no body and no `Content-Type`. If the body cannot be serialized,
 * the headers set here are taken back before the error is rethrown, so the 500 that follows does not
 * carry them.
 */
export function sendResponse(res: Response, response: HttpResponse): string[] {
  res.status(response.status);
  const dropped = setHeaders(res, response.headers);
  if (response.status === 204 || response.status === 205 || response.body === undefined) {
    res.removeHeader('Content-Type');
    if (response.status === 204) res.removeHeader('Content-Length');
    else res.setHeader('Content-Length', 0);
    res.end();
    return dropped;
  }
  try {
    res.json(response.body);
  } catch (error) {
    for (const name of Object.keys(response.headers)) res.removeHeader(name);
    throw error;
  }
  return dropped;
}
