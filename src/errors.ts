/**
 * The error classes: `HttpError`, and one class per 4xx/5xx status, generated from the status table
 * in `status.ts`. Free of Node and Express, so the client (`express-typed-errors/client`) shares them.
 *
 * @example
 * import { NotFound, Conflict } from 'express-typed-errors';
 *
 * throw new NotFound(`No user ${id}`);
 * class EmailTaken extends Conflict {
 *   static readonly code = 'email_taken';
 *   static readonly title = 'Email taken';
 * }
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type Headers, statusHeaders } from './headers';
import {
  ERROR_STATUSES,
  type ErrorName,
  type ErrorStatus,
  type ProblemStatus,
  type StatusOptions,
  isErrorStatus,
  isProblemStatus,
  reasonPhrase,
} from './status';

/** Options every error class takes. */
export interface HttpErrorCommonOptions {
  /**
   * A machine-readable code for clients, sent as the `code` member (e.g. `'email_taken'`). It is the
   * only source of `code`: an `extensions.code` is never sent. Default: the class's `static code`.
   */
  code?: string;
  /** The problem type URI, sent as `type`; `about:blank` when left out. Default: the class's `static type`. */
  type?: string;
  /**
   * A short summary of the problem type, in any language, sent as the problem `title`. Default: the
   * class's `static title`, else the status's reason phrase. The status line always carries the
   * registered reason phrase.
   */
  title?: string;
  /** The underlying error: logged, and never sent to a client unless `errorHandler({ debug: true })`. */
  cause?: unknown;
  /** More response headers. The handler alone sets `Content-Type`, `Content-Length`, `Transfer-Encoding` and `Content-Encoding`. */
  headers?: Headers;
  /**
   * Extension members of the problem body, sent at its top level; they never replace `type`, `title`,
   * `status`, `detail`, `instance` or `code`. A class's `static extensions` schema describes them
   * (`ErrorOptionsOf` types them by it).
   */
  extensions?: Readonly<Record<string, unknown>>;
  /** Whether the client may see the detail. Default: `true` for a 4xx, `false` for a 5xx. */
  expose?: boolean;
}

/**
 * The options of the error class for status `S`: the common ones and, for a status HTTP asks a header
 * of, the option that sets it (`challenge` for 401, `allow` for 405, `retryAfter` for 429 …).
 */
export type HttpErrorOptions<S extends number = ProblemStatus> = HttpErrorCommonOptions &
  (S extends keyof StatusOptions ? StatusOptions[S] : unknown);

/** The constructor arguments of the class for `S`: the options are required when the status has a required one (405, 407, 426). */
export type HttpErrorArguments<S extends ErrorStatus> = object extends (S extends keyof StatusOptions ? StatusOptions[S] : object)
  ? [detail?: string, options?: HttpErrorOptions<S>]
  : [detail: string | undefined, options: HttpErrorOptions<S>];

/** Lets a second copy of the package (or its other module format) recognize our errors. */
const HTTP_ERROR_BRAND: unique symbol = Symbol.for('express-typed-errors.HttpError');

/**
 * A 4xx is the client's doing and expected: capturing its stack was the largest cost of the error path
 * (see bench/), so in production a 4xx captures none. Elsewhere it does, so that `debug: true` shows
 * where a 404 was thrown. A 5xx always keeps its full stack for the log.
 */
const CLIENT_ERROR_STACKS =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV !== 'production';

/**
 * The base class of every error. `status` and `statusCode` carry the literal status type, and the
 * shape satisfies `http-errors`' `isHttpError()`, so Express's own final handler answers it right.
 *
 * Not constructed directly: use the class of the status (`new NotFound()`), `createHttpError(status)`,
 * or subclass a status class (`class EmailTaken extends Conflict {}`), so that `instanceof` and the
 * type always agree.
 */
export class HttpError<S extends ProblemStatus = ProblemStatus> extends Error {
  /** The brand `isHttpError()` recognizes, from this copy of the package or another one. */
  declare readonly [HTTP_ERROR_BRAND]: true;
  /** The HTTP status, 400–599. */
  readonly status: S;
  /** The same as `status`, as `http-errors` and Express read it. */
  readonly statusCode: S;
  /** The problem `title`: the `title` option, else the class's `static title`, else the reason phrase. */
  readonly title: string;
  /** The detail given to the constructor, if any; `message` falls back to the title. */
  readonly detail: string | undefined;
  /** Whether the client may see `detail`. */
  readonly expose: boolean;
  /** The headers sent with the problem, the status option's header included. */
  readonly headers: Headers;
  /** The machine-readable `code` member. */
  readonly code: string | undefined;
  /** The problem type URI. */
  readonly type: string | undefined;
  /** Extension members of the problem body. */
  readonly extensions: HttpErrorCommonOptions['extensions'];

  /** For subclasses. An error of a status without a class of its own (499 …) is `createHttpError(499)`. */
  protected constructor(status: S extends ErrorStatus ? never : S, detail?: string, options?: HttpErrorOptions<S>) {
    // before super(): an option that cannot become its header throws here, at the caller's line
    const headers = statusHeaders(status, options);
    const title = options?.title ?? staticString(new.target, 'title') ?? reasonPhrase(status);
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500 && !CLIENT_ERROR_STACKS) Error.stackTraceLimit = 0;
    try {
      super(detail ?? title, options && 'cause' in options ? { cause: options.cause } : undefined);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = new.target.name;
    this.status = status;
    this.statusCode = status;
    this.title = title;
    this.detail = detail;
    this.expose = options?.expose ?? status < 500;
    this.headers = headers;
    this.code = options?.code ?? staticString(new.target, 'code');
    this.type = options?.type ?? staticString(new.target, 'type');
    this.extensions = options?.extensions;
  }
}
Object.defineProperty(HttpError.prototype, HTTP_ERROR_BRAND, { value: true });

/**
 * A `static code`, `type` or `title` a subclass declares (`class EmailTaken extends Conflict { static
 * readonly code = 'email_taken' }`), or inherits from a parent: the default of its instances, which
 * the client and the OpenAPI document read from the class too, so it is written once.
 */
function staticString(cls: object, key: 'code' | 'type' | 'title'): string | undefined {
  const value = (cls as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * What an error class may say of its problem type, once, as statics: the defaults of its instances
 * (`code`, `type`, `title`), and what the client, the OpenAPI document and the problem catalog read
 * from the class. Every one is optional, and a subclass inherits its parent's.
 *
 * They are not members of `HttpErrorClass`: there, a subclass's `static code` would need `override`
 * under `noImplicitOverride`. Code that reads a class's statics types it with this interface.
 *
 * @example
 * class OutOfStock extends Conflict {
 *   static readonly code = 'out_of_stock';
 *   static readonly title = 'Out of stock';
 *   static readonly description = 'The item is sold out. Remove it from the order, or wait for a restock.';
 *   static readonly extensions = z.object({ sku: z.string() });
 * }
 */
export interface ProblemTypeStatics {
  /** The machine-readable `code` of every instance (`'out_of_stock'`): the client matches the class by it, and with `typeBase` it makes the `type` URI. */
  readonly code?: string;
  /** The problem type URI of every instance, when the app gives one itself rather than through `typeBase`. */
  readonly type?: string;
  /** The problem `title` of every instance, in any language (a body member: the status line keeps the reason phrase). */
  readonly title?: string;
  /** Documentation only, never sent in a problem: one or two sentences of what the problem means and what the client should do. */
  readonly description?: string;
  /**
   * A Standard Schema v1 (zod, valibot, arktype …) of the instances' extension members: it types them
   * (`ErrorOptionsOf`, `ExtensionsOf`), documents them, and outside production the error handler
   * warns of an error whose members do not fit it.
   */
  readonly extensions?: StandardSchemaV1;
}

/** An object type with no members: the extensions of a class that declares no schema. */
export type NoExtensions = Record<never, never>;

/**
 * The extension members of class `C` by its `static extensions` schema, as the schema outputs them:
 * `ExtensionsOf<typeof OutOfStock>` is `{ sku: string }`. `NoExtensions` for a class without one.
 */
export type ExtensionsOf<C> = C extends { readonly extensions: infer Schema extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<Schema>
  : NoExtensions;

/** The `extensions` option for a schema's input: required unless every member is optional. */
type ExtensionsOption<Input> = object extends Input ? { extensions?: Input } : { extensions: Input };

/**
 * The constructor options of class `C`, with `extensions` typed by its `static extensions` schema
 * (the schema's input). A constructor cannot see the static side of the subclass it builds, so the
 * inherited `new OutOfStock(detail, options)` takes any extensions; a subclass that declares a schema
 * types its own constructor with this:
 *
 * @example
 * class OutOfStock extends Conflict {
 *   static readonly code = 'out_of_stock';
 *   static readonly extensions = z.object({ sku: z.string() });
 *   declare readonly extensions: ExtensionsOf<typeof OutOfStock>;
 *   constructor(detail: string, options: ErrorOptionsOf<typeof OutOfStock>) {
 *     super(detail, options);
 *   }
 * }
 * new OutOfStock('Sold out', { extensions: { sku: 'A-1' } });
 */
export type ErrorOptionsOf<C extends { readonly status: ErrorStatus }> = Omit<HttpErrorOptions<C['status']>, 'extensions'> &
  (C extends { readonly extensions: infer Schema extends StandardSchemaV1 }
    ? ExtensionsOption<StandardSchemaV1.InferInput<Schema>>
    : Pick<HttpErrorCommonOptions, 'extensions'>);

/** The class of a status, e.g. `typeof NotFound`: `new NotFound(detail?, options?)`, with the literal `status` as a static. */
export interface HttpErrorClass<S extends ErrorStatus> {
  new (...args: HttpErrorArguments<S>): HttpError<S>;
  /** What its instances are. */
  readonly prototype: HttpError<S>;
  /** The status of every instance. */
  readonly status: S;
}

/** Makes the class for one row of the status table, named after it so `err.name` and stacks read well. */
function defineErrorClass<S extends ErrorStatus>(status: S): HttpErrorClass<S> & { readonly name: ErrorName<S> } {
  const name = ERROR_STATUSES[status][0];
  // A computed key names the class expression (`NotFound.name === 'NotFound'`).
  const cls = {
    [name]: class extends HttpError<S> {
      static readonly status = status;
      constructor(detail?: string, options?: HttpErrorOptions<S>) {
        super(status as never, detail, options);
      }
    },
  }[name]!;
  return cls as unknown as HttpErrorClass<S> & { readonly name: ErrorName<S> };
}

/** Every class, made from the status table. */
const CLASSES = Object.fromEntries(
  (Object.keys(ERROR_STATUSES) as `${ErrorStatus}`[]).map((key) => [key, defineErrorClass(Number(key) as ErrorStatus)]),
) as { readonly [S in ErrorStatus]: HttpErrorClass<S> & { readonly name: ErrorName<S> } };

// Each class is spelled out for TypeScript (and for its hover text); each picks its class from the table.
/**
 * 400 Bad Request — the request is malformed: bad syntax, invalid framing, or input the server will not process.
 * @example throw new BadRequest('The cursor is not valid');
 */
export const BadRequest = CLASSES[400];
export type BadRequest = HttpError<400>;
/**
 * 401 Unauthorized — the request lacks valid credentials; `challenge` is sent as `WWW-Authenticate`, which RFC 9110 requires (or set `errorHandler({ challenge })`).
 * @example throw new Unauthorized('The token has expired', { challenge: 'Bearer error="invalid_token"' });
 */
export const Unauthorized = CLASSES[401];
export type Unauthorized = HttpError<401>;
/**
 * 402 Payment Required — reserved by RFC 9110; APIs use it for a payment that is required, or a plan that is used up.
 * @example throw new PaymentRequired('Your trial has ended');
 */
export const PaymentRequired = CLASSES[402];
export type PaymentRequired = HttpError<402>;
/**
 * 403 Forbidden — the server understood the request and refuses it: other credentials would not change that.
 * @example throw new Forbidden('Only admins can delete users');
 */
export const Forbidden = CLASSES[403];
export type Forbidden = HttpError<403>;
/**
 * 404 Not Found — there is no current representation of the target, or the server will not say that there is.
 * @example throw new NotFound(`No user ${id}`);
 */
export const NotFound = CLASSES[404];
export type NotFound = HttpError<404>;
/**
 * 405 Method Not Allowed — the target does not support the method; `allow` (required) lists the methods it does, sent as `Allow`.
 * @example throw new MethodNotAllowed(undefined, { allow: ['GET', 'HEAD'] });
 */
export const MethodNotAllowed = CLASSES[405];
export type MethodNotAllowed = HttpError<405>;
/**
 * 406 Not Acceptable — no representation of the target matches the request's `Accept` headers.
 * @example throw new NotAcceptable('Only application/json is available');
 */
export const NotAcceptable = CLASSES[406];
export type NotAcceptable = HttpError<406>;
/**
 * 407 Proxy Authentication Required — like 401, for a proxy: `challenge` (required) is sent as `Proxy-Authenticate`.
 * @example throw new ProxyAuthenticationRequired(undefined, { challenge: 'Basic realm="proxy"' });
 */
export const ProxyAuthenticationRequired = CLASSES[407];
export type ProxyAuthenticationRequired = HttpError<407>;
/**
 * 408 Request Timeout — the server did not receive a complete request in the time it was prepared to wait.
 * @example throw new RequestTimeout();
 */
export const RequestTimeout = CLASSES[408];
export type RequestTimeout = HttpError<408>;
/**
 * 409 Conflict — the request conflicts with the current state of the target: a duplicate, an edit race.
 * @example throw new Conflict('Email taken', { code: 'email_taken' });
 */
export const Conflict = CLASSES[409];
export type Conflict = HttpError<409>;
/**
 * 410 Gone — the target existed, and is gone for good.
 * @example throw new Gone('This invitation was withdrawn');
 */
export const Gone = CLASSES[410];
export type Gone = HttpError<410>;
/**
 * 411 Length Required — the request needs a `Content-Length`.
 * @example throw new LengthRequired();
 */
export const LengthRequired = CLASSES[411];
export type LengthRequired = HttpError<411>;
/**
 * 412 Precondition Failed — a precondition in the request's headers (`If-Match`, `If-Unmodified-Since` …) is false.
 * @example throw new PreconditionFailed('The order changed since you read it');
 */
export const PreconditionFailed = CLASSES[412];
export type PreconditionFailed = HttpError<412>;
/**
 * 413 Content Too Large — the request content is larger than the server will process; `retryAfter` when the limit is temporary.
 * @example throw new ContentTooLarge('Uploads are limited to 10 MB');
 */
export const ContentTooLarge = CLASSES[413];
export type ContentTooLarge = HttpError<413>;
/**
 * 414 URI Too Long — the target URI is longer than the server will interpret.
 * @example throw new URITooLong();
 */
export const URITooLong = CLASSES[414];
export type URITooLong = HttpError<414>;
/**
 * 415 Unsupported Media Type — the request content's media type or encoding is not supported.
 * @example throw new UnsupportedMediaType('Send application/json');
 */
export const UnsupportedMediaType = CLASSES[415];
export type UnsupportedMediaType = HttpError<415>;
/**
 * 416 Range Not Satisfiable — none of the requested ranges overlaps the representation; `size`, the representation's length in bytes, is sent in `Content-Range` (RFC 9110 §14.4).
 * @example throw new RangeNotSatisfiable(undefined, { size: file.length });
 */
export const RangeNotSatisfiable = CLASSES[416];
export type RangeNotSatisfiable = HttpError<416>;
/**
 * 417 Expectation Failed — the request's `Expect` cannot be met.
 * @example throw new ExpectationFailed();
 */
export const ExpectationFailed = CLASSES[417];
export type ExpectationFailed = HttpError<417>;
/**
 * 418 I'm a teapot — RFC 2324's teapot, reserved by RFC 9110; some APIs answer it to a request they refuse on purpose.
 * @example throw new ImATeapot('I refuse to brew coffee');
 */
export const ImATeapot = CLASSES[418];
export type ImATeapot = HttpError<418>;
/**
 * 421 Misdirected Request — the request reached a server that cannot answer for its target URI.
 * @example throw new MisdirectedRequest();
 */
export const MisdirectedRequest = CLASSES[421];
export type MisdirectedRequest = HttpError<421>;
/**
 * 422 Unprocessable Content — the content is well-formed but not valid: the validation failures of `handle(spec)` and the adapters.
 * @example throw new UnprocessableContent('The order has no items');
 */
export const UnprocessableContent = CLASSES[422];
export type UnprocessableContent = HttpError<422>;
/**
 * 423 Locked — the target is locked (WebDAV, RFC 4918).
 * @example throw new Locked('The document is being edited');
 */
export const Locked = CLASSES[423];
export type Locked = HttpError<423>;
/**
 * 424 Failed Dependency — the method could not be performed because a step it depended on failed (WebDAV, RFC 4918).
 * @example throw new FailedDependency();
 */
export const FailedDependency = CLASSES[424];
export type FailedDependency = HttpError<424>;
/**
 * 425 Too Early — the server will not risk processing a request that might be replayed (RFC 8470).
 * @example throw new TooEarly();
 */
export const TooEarly = CLASSES[425];
export type TooEarly = HttpError<425>;
/**
 * 426 Upgrade Required — the client must switch protocols; `upgrade` (required) names them, sent as `Upgrade`.
 * @example throw new UpgradeRequired(undefined, { upgrade: 'HTTP/2.0' });
 */
export const UpgradeRequired = CLASSES[426];
export type UpgradeRequired = HttpError<426>;
/**
 * 428 Precondition Required — the server requires the request to be conditional, to prevent lost updates (RFC 6585).
 * @example throw new PreconditionRequired('Send If-Match with the ETag you read');
 */
export const PreconditionRequired = CLASSES[428];
export type PreconditionRequired = HttpError<428>;
/**
 * 429 Too Many Requests — the client sent too many requests in a given time; `retryAfter` is sent as `Retry-After`.
 * @example throw new TooManyRequests('Slow down', { retryAfter: 30 });
 */
export const TooManyRequests = CLASSES[429];
export type TooManyRequests = HttpError<429>;
/**
 * 431 Request Header Fields Too Large — a request header field, or all of them together, is too large (RFC 6585).
 * @example throw new RequestHeaderFieldsTooLarge();
 */
export const RequestHeaderFieldsTooLarge = CLASSES[431];
export type RequestHeaderFieldsTooLarge = HttpError<431>;
/**
 * 451 Unavailable For Legal Reasons — access is denied as a consequence of a legal demand (RFC 7725).
 * @example throw new UnavailableForLegalReasons('Not available in your country');
 */
export const UnavailableForLegalReasons = CLASSES[451];
export type UnavailableForLegalReasons = HttpError<451>;
/**
 * 500 Internal Server Error — an unexpected condition. Its detail is never shown to the client; the original reaches the log.
 * @example throw new InternalServerError('Ledger out of balance', { cause: err });
 */
export const InternalServerError = CLASSES[500];
export type InternalServerError = HttpError<500>;
/**
 * 501 Not Implemented — the server does not support what the request needs.
 * @example throw new NotImplemented('Bulk export is not available yet');
 */
export const NotImplemented = CLASSES[501];
export type NotImplemented = HttpError<501>;
/**
 * 502 Bad Gateway — an upstream server sent an invalid response.
 * @example throw new BadGateway('The payment provider answered garbage', { cause: err });
 */
export const BadGateway = CLASSES[502];
export type BadGateway = HttpError<502>;
/**
 * 503 Service Unavailable — the server cannot answer for now (overload, maintenance); `retryAfter` is sent as `Retry-After`.
 * @example throw new ServiceUnavailable('Down for maintenance', { retryAfter: 600 });
 */
export const ServiceUnavailable = CLASSES[503];
export type ServiceUnavailable = HttpError<503>;
/**
 * 504 Gateway Timeout — an upstream server did not answer in time.
 * @example throw new GatewayTimeout('The search backend timed out', { cause: err });
 */
export const GatewayTimeout = CLASSES[504];
export type GatewayTimeout = HttpError<504>;
/**
 * 505 HTTP Version Not Supported — the server does not support the major HTTP version of the request.
 * @example throw new HTTPVersionNotSupported();
 */
export const HTTPVersionNotSupported = CLASSES[505];
export type HTTPVersionNotSupported = HttpError<505>;
/**
 * 506 Variant Also Negotiates — a configuration error in transparent content negotiation (RFC 2295).
 * @example throw new VariantAlsoNegotiates();
 */
export const VariantAlsoNegotiates = CLASSES[506];
export type VariantAlsoNegotiates = HttpError<506>;
/**
 * 507 Insufficient Storage — the server cannot store what the request needs (WebDAV, RFC 4918).
 * @example throw new InsufficientStorage('The workspace quota is used up');
 */
export const InsufficientStorage = CLASSES[507];
export type InsufficientStorage = HttpError<507>;
/**
 * 508 Loop Detected — the server met an infinite loop while processing the request (RFC 5842).
 * @example throw new LoopDetected();
 */
export const LoopDetected = CLASSES[508];
export type LoopDetected = HttpError<508>;
/**
 * 510 Not Extended — the request needs an extension the server does not have (RFC 2774, historic).
 * @example throw new NotExtended();
 */
export const NotExtended = CLASSES[510];
export type NotExtended = HttpError<510>;
/**
 * 511 Network Authentication Required — the client must authenticate to gain network access, as a captive portal asks (RFC 6585).
 * @example throw new NetworkAuthenticationRequired();
 */
export const NetworkAuthenticationRequired = CLASSES[511];
export type NetworkAuthenticationRequired = HttpError<511>;

/** The `http-errors` name of `ContentTooLarge` (413): the very same class. */
export const PayloadTooLarge = ContentTooLarge;
export type PayloadTooLarge = ContentTooLarge;
/** The `http-errors` name of `UnprocessableContent` (422): the very same class. */
export const UnprocessableEntity = UnprocessableContent;
export type UnprocessableEntity = UnprocessableContent;

/**
 * An error for a status known only at run time: the class of the status when it has one
 * (`createHttpError(404)` is a `NotFound`), else an `HttpError` with that status (499). Throws a
 * `RangeError` for anything that is not an integer from 400 to 599.
 */
export function createHttpError<S extends ProblemStatus>(
  status: S,
  ...args: S extends ErrorStatus ? HttpErrorArguments<S> : [detail?: string, options?: HttpErrorOptions<S>]
): HttpError<S>;
export function createHttpError(status: ProblemStatus, detail?: string, options?: HttpErrorOptions<ProblemStatus>): HttpError {
  if (isErrorStatus(status))
    return new (CLASSES[status] as unknown as new (detail?: string, options?: object) => HttpError)(detail, options);
  if (!isProblemStatus(status))
    throw new RangeError(`createHttpError: ${String(status)} is not an error status (an integer from 400 to 599)`);
  return Reflect.construct(HttpError, [status, detail, options]) as HttpError;
}

/**
 * True when `value` is one of our errors — from this copy of the package or any other (brand) —
 * and, with `status`, has that status; narrows to the class of it.
 */
export function isHttpError<S extends ProblemStatus>(value: unknown, status: S): value is HttpError<S>;
export function isHttpError(value: unknown): value is HttpError;
export function isHttpError(value: unknown, status?: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (
      (value as { [HTTP_ERROR_BRAND]?: unknown })[HTTP_ERROR_BRAND] === true &&
      (status === undefined || (value as HttpError).status === status)
    );
  } catch {
    return false; // a Proxy or getter that throws is not one of ours
  }
}
