/**
 * Success results: what a `handle()` handler returns (or a route throws) to have the package send a
 * status, its headers and a JSON body.
 *
 * @example
 * app.post('/users', handle(async (req) => {
 *   const user = await users.create(req.body);
 *   return new Created(user, { location: `/users/${user.id}` });
 * }));
 */
import { type Headers, statusHeaders } from './headers';
import type { StatusOptions } from './status';

/** The success statuses that have a class. */
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;

/**
 * The options of the result class for status `S`: more `headers`, and the option that sets the header
 * of the status (`location` for 201 and 202, `range` for 206).
 */
export type ResponseOptions<S extends SuccessStatus = SuccessStatus> = {
  /** More response headers. */
  headers?: Headers;
} & (S extends keyof StatusOptions ? StatusOptions[S] : unknown);

/** Lets a second copy of the package (or its other module format) recognize our results. */
const HTTP_RESPONSE_BRAND: unique symbol = Symbol.for('express-typed-errors.HttpResponse');

/**
 * The base class of success results, sent by the package as JSON with their status and headers.
 * Not constructed directly: use the class of the status (`new Ok(body)`).
 */
export class HttpResponse<S extends SuccessStatus = SuccessStatus, B = unknown> {
  /** The brand `isHttpResponse()` recognizes, from this copy of the package or another one. */
  declare readonly [HTTP_RESPONSE_BRAND]: true;
  /** The HTTP status. */
  readonly status: S;
  /** The JSON body; `undefined` for none. */
  readonly body: B;
  /** The headers sent with it, the status option's header included (`Location` for `Created`). */
  readonly headers: Headers;

  protected constructor(status: S, body: B, options?: ResponseOptions<S>) {
    this.headers = statusHeaders(status, options);
    this.status = status;
    this.body = body;
  }
}
Object.defineProperty(HttpResponse.prototype, HTTP_RESPONSE_BRAND, { value: true });

/**
 * 200 OK with a JSON body.
 * @example return new Ok(user);
 */
export class Ok<B> extends HttpResponse<200, B> {
  /** The status of every instance. */
  static readonly status = 200;
  constructor(body: B, options?: ResponseOptions<200>) {
    super(200, body, options);
  }
}

/**
 * 201 Created: the new resource as the body, and its URL in `Location` (required).
 * @example return new Created(user, { location: `/users/${user.id}` });
 */
export class Created<B> extends HttpResponse<201, B> {
  /** The status of every instance. */
  static readonly status = 201;
  constructor(body: B, options: ResponseOptions<201>) {
    super(201, body, options);
  }
}

/**
 * 202 Accepted: the request is queued; `location` may point at where to follow it.
 * @example return new Accepted({ job: job.id }, { location: `/jobs/${job.id}` });
 */
export class Accepted<B = undefined> extends HttpResponse<202, B> {
  /** The status of every instance. */
  static readonly status = 202;
  constructor(body: B, options?: ResponseOptions<202>) {
    super(202, body, options);
  }
}

/**
 * 203 Non-Authoritative Information: a transformed copy of the origin's 200 answer.
 * @example return new NonAuthoritativeInformation(cachedProfile);
 */
export class NonAuthoritativeInformation<B> extends HttpResponse<203, B> {
  /** The status of every instance. */
  static readonly status = 203;
  constructor(body: B, options?: ResponseOptions<203>) {
    super(203, body, options);
  }
}

/**
 * 204 No Content: no body and no `Content-Type`.
 * @example return new NoContent();
 */
export class NoContent extends HttpResponse<204, undefined> {
  /** The status of every instance. */
  static readonly status = 204;
  constructor(options?: ResponseOptions<204>) {
    super(204, undefined, options);
  }
}

/**
 * 205 Reset Content: the client should reset its form; no body.
 * @example return new ResetContent();
 */
export class ResetContent extends HttpResponse<205, undefined> {
  /** The status of every instance. */
  static readonly status = 205;
  constructor(options?: ResponseOptions<205>) {
    super(205, undefined, options);
  }
}

/**
 * 206 Partial Content: part of a collection or representation; `range` (required) is sent as `Content-Range`.
 * @example return new PartialContent(page, { range: `items 0-24/${total}` });
 */
export class PartialContent<B> extends HttpResponse<206, B> {
  /** The status of every instance. */
  static readonly status = 206;
  constructor(body: B, options: ResponseOptions<206>) {
    super(206, body, options);
  }
}

/** A success result class (`Created`, `NoContent` …), as a route spec names it: its static `status` says what it answers. */
export interface HttpResponseClass<S extends SuccessStatus = SuccessStatus> {
  /** The class's name (`Created`). */
  readonly name: string;
  /** What its instances are. */
  readonly prototype: HttpResponse<S>;
  /** The status every instance answers with. */
  readonly status: S;
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
