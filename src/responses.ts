import type { HeaderValue } from './errors';

/** The success statuses that have a class. */
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;

/** Options every success class takes. */
export interface ResponseOptions {
  /** Extra response headers. */
  headers?: Readonly<Record<string, HeaderValue>>;
}

/** Lets a second copy of the package (or its other module format) recognize our responses. */
export const HTTP_RESPONSE_BRAND: unique symbol = Symbol.for('express-typed-errors.HttpResponse');

/**
 * A success result: returned from a `handle()` handler (or thrown) and sent by the package as
 * JSON with its status and headers. `location` is sent as `Location`, encoded as `res.location()` does.
 */
export class HttpResponse<S extends SuccessStatus = SuccessStatus, B = unknown> {
  declare readonly [HTTP_RESPONSE_BRAND]: true;
  readonly status: S;
  readonly body: B;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly location: string | undefined;

  constructor(status: S, body: B, options?: ResponseOptions & { location?: string }) {
    this.status = status;
    this.body = body;
    this.headers = options?.headers ?? {};
    this.location = options?.location;
  }
}
Object.defineProperty(HttpResponse.prototype, HTTP_RESPONSE_BRAND, { value: true });

/** 200 OK with a JSON body. */
export class Ok<B> extends HttpResponse<200, B> {
  constructor(body: B, options?: ResponseOptions) {
    super(200, body, options);
  }
}

/** 201 Created: the new resource as the body, and its URL in `Location`, which RFC 9110 expects. */
export class Created<B> extends HttpResponse<201, B> {
  declare readonly location: string;
  constructor(body: B, options: ResponseOptions & { location: string }) {
    super(201, body, options);
  }
}

/** 202 Accepted: the request is queued; `location` may point at a status monitor. */
export class Accepted<B = undefined> extends HttpResponse<202, B> {
  constructor(body: B, options?: ResponseOptions & { location?: string }) {
    super(202, body, options);
  }
}

/** 203 Non-Authoritative Information: a transformed copy of the origin's 200 answer. */
export class NonAuthoritativeInformation<B> extends HttpResponse<203, B> {
  constructor(body: B, options?: ResponseOptions) {
    super(203, body, options);
  }
}

/** 204 No Content: no body and no `Content-Type`. */
export class NoContent extends HttpResponse<204, undefined> {
  constructor(options?: ResponseOptions) {
    super(204, undefined, options);
  }
}

/** 205 Reset Content: the client should reset its form; no body. */
export class ResetContent extends HttpResponse<205, undefined> {
  constructor(options?: ResponseOptions) {
    super(205, undefined, options);
  }
}

/** 206 Partial Content: `range` is sent as `Content-Range` (e.g. `'items 0-24/100'`). */
export class PartialContent<B> extends HttpResponse<206, B> {
  constructor(body: B, options: ResponseOptions & { range: string }) {
    super(206, body, { ...options, headers: { ...options.headers, 'Content-Range': options.range } });
  }
}

/** True when `value` is one of our success results, from this copy of the package or any other. */
export function isHttpResponse(value: unknown): value is HttpResponse {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as { [HTTP_RESPONSE_BRAND]?: unknown })[HTTP_RESPONSE_BRAND] === true;
  } catch {
    return false;
  }
}
