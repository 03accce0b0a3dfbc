import type { Request, Response } from 'express';
import type { HeaderValue } from './errors';
import type { HttpResponse } from './responses';

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const PLAIN_JSON = 'application/json; charset=utf-8';

/** Headers that describe content a failed route may have begun; they would misdescribe the problem body. */
const CONTENT_HEADERS = ['Content-Encoding', 'Content-Language', 'Content-Range', 'Content-Disposition', 'ETag', 'Last-Modified'];

/** Headers the package computes itself for a problem body; an error's own value for them is ignored. */
const FRAMING_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding']);

/**
 * Sets each header Node accepts. One it refuses (a CR or LF in the value, a bad name) is dropped
 * rather than crashing the response or splitting it; the names dropped are returned for the log.
 */
function setHeaders(res: Response, headers: Readonly<Record<string, HeaderValue>>, skip?: ReadonlySet<string>): string[] {
  const dropped: string[] = [];
  for (const name of Object.keys(headers)) {
    if (skip?.has(name.toLowerCase())) continue;
    try {
      res.setHeader(name, headers[name] as string | number | string[]);
    } catch {
      dropped.push(name);
    }
  }
  return dropped;
}

/**
 * The media type for a problem: `application/problem+json`, unless the client's `Accept` names
 * plain JSON ahead of it (a client that only knows `application/json` still gets JSON).
 */
function problemContentType(req: Request): string {
  const accept = req.headers.accept;
  if (accept === undefined || accept === '*/*') return PROBLEM_JSON;
  return req.accepts(['application/problem+json', 'application/json']) === 'application/json' ? PLAIN_JSON : PROBLEM_JSON;
}

/** Writes a serialized problem with its status and headers; the body is left out for HEAD. */
export function writeProblem(
  req: Request,
  res: Response,
  problem: { status: number; title: string },
  headers: Readonly<Record<string, HeaderValue>>,
  body: string,
): string[] {
  for (const name of CONTENT_HEADERS) res.removeHeader(name);
  res.statusCode = problem.status;
  // the status line carries the same reason phrase as the body (RFC 9110's, not Node's older table)
  res.statusMessage = problem.title;
  const dropped = setHeaders(res, headers, FRAMING_HEADERS);
  res.setHeader('Content-Type', problemContentType(req));
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(req.method === 'HEAD' ? undefined : body);
  return dropped;
}

/**
 * Sends a success result. A JSON body goes through `res.json()`, so the app's `json spaces`,
 * `json replacer` and ETag settings apply as they do to any Express route; 204 and 205 carry no
 * body and no `Content-Type`. If the body cannot be serialized, the headers set here are taken
 * back before the error is rethrown, so that the 500 that follows does not carry them.
 */
export function sendResponse(res: Response, response: HttpResponse): void {
  res.status(response.status);
  setHeaders(res, response.headers);
  // res.location() percent-encodes the URL exactly as Express does everywhere else, CR and LF included
  if (response.location !== undefined) res.location(response.location);
  if (response.status === 204 || response.status === 205 || response.body === undefined) {
    res.removeHeader('Content-Type');
    if (response.status === 204) res.removeHeader('Content-Length');
    else res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  try {
    res.json(response.body);
  } catch (error) {
    for (const name of Object.keys(response.headers)) res.removeHeader(name);
    res.removeHeader('Location');
    throw error;
  }
}
