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
