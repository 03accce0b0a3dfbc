import { ERROR_STATUSES, type ErrorName, type ErrorStatus, type StatusHeader, reasonPhrase, statusHeader } from './status';

/** A header value as Node's `res.setHeader()` takes it. */
export type HeaderValue = string | number | readonly string[];

/** Options every error class takes. */
export interface HttpErrorOptions {
  /** A machine-readable code for clients, sent as the `code` member (e.g. `'email_taken'`). */
  code?: string;
  /** The problem type URI; `about:blank` when left out. */
  type?: string;
  /**
   * A short summary of the problem type, in any language, sent as the problem `title`. Default: the
   * status's reason phrase. The status line always carries the registered reason phrase.
   */
  title?: string;
  /** The underlying error: logged, never sent to a client unless `debug` is on. */
  cause?: unknown;
  /** Extra response headers. */
  headers?: Readonly<Record<string, HeaderValue>>;
  /** Extension members of the problem body; they never overwrite the standard members. */
  extensions?: Readonly<Record<string, unknown>>;
  /** Whether the client may see the detail. Default: `status < 500`. */
  expose?: boolean;
}

/** The status-specific options, which set the headers HTTP asks for with that status. */
export interface StatusOptions {
  401: { /** `WWW-Authenticate` challenge(s), e.g. `'Bearer realm="api"'`. */ challenge?: string | readonly string[] };
  405: { /** The methods the target supports, sent as `Allow`. */ allow?: readonly string[] };
  407: { /** `Proxy-Authenticate` challenge(s). */ challenge?: string | readonly string[] };
  413: { /** Seconds to wait, or the moment to retry at, sent as `Retry-After`. */ retryAfter?: number | Date };
  416: { /** The current length of the representation, sent as `Content-Range: bytes *\/size`. */ size?: number };
  426: { /** The protocol(s) to switch to, sent as `Upgrade`. */ upgrade?: string | readonly string[] };
  429: { /** Seconds to wait, or the moment to retry at, sent as `Retry-After`. */ retryAfter?: number | Date };
  503: { /** Seconds to wait, or the moment to retry at, sent as `Retry-After`. */ retryAfter?: number | Date };
}

/** The options of the class for status `S`: the common ones plus that status's own. */
export type ErrorOptions<S extends number> = HttpErrorOptions & (S extends keyof StatusOptions ? StatusOptions[S] : unknown);

/** Lets a second copy of the package (or its other module format) recognize our errors. */
export const HTTP_ERROR_BRAND: unique symbol = Symbol.for('express-typed-errors.HttpError');

/**
 * The base class of every error. `status` and `statusCode` carry the literal status type, and the
 * shape satisfies `http-errors`' `isHttpError()`, so Express's own final handler answers it right.
 */
export class HttpError<S extends number = number> extends Error {
  declare readonly [HTTP_ERROR_BRAND]: true;
  readonly status: S;
  readonly statusCode: S;
  /** The reason phrase, used as the problem `title`. */
  readonly title: string;
  /** The detail given to the constructor, if any; `message` falls back to the title. */
  readonly detail: string | undefined;
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;

  constructor(status: S, detail?: string, options?: ErrorOptions<S>) {
    const title = reasonPhrase(status);
    // A 4xx is the client's doing and expected: capturing its stack was the largest cost of the
    // error path (see bench/). A 5xx keeps its full stack for the log.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    try {
      super(detail ?? title, options && 'cause' in options ? { cause: options.cause } : undefined);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = new.target.name;
    this.status = status;
    this.statusCode = status;
    this.title = options?.title ?? title;
    this.detail = detail;
    this.expose = options?.expose ?? status < 500;
    this.headers = statusHeaders(status, options);
    this.code = options?.code;
    this.type = options?.type;
    this.extensions = options?.extensions;
  }
}
Object.defineProperty(HttpError.prototype, HTTP_ERROR_BRAND, { value: true });

/** The constructor of the class for status `S`, e.g. `typeof NotFound`. */
export interface HttpErrorClass<S extends ErrorStatus> {
  new (detail?: string, options?: ErrorOptions<S>): HttpError<S>;
  readonly prototype: HttpError<S>;
  readonly status: S;
}

/** Shared by every error that has no headers, instead of an empty object each. */
const NO_HEADERS: Readonly<Record<string, HeaderValue>> = Object.freeze({});

/** How each status-specific option becomes its header's value; `undefined` for a value that cannot be sent. */
const FORMAT_OPTION: Record<StatusHeader['option'], (value: never) => HeaderValue | undefined> = {
  challenge: (value: string | readonly string[]) => value,
  allow: commaList,
  upgrade: commaList,
  size: (value: number) => (Number.isSafeInteger(value) && value >= 0 ? `bytes */${value}` : undefined),
  retryAfter: formatRetryAfter,
};

/** Builds the headers of an error from its general `headers` and the option of its status, if it has one. */
function statusHeaders(status: number, options: ErrorOptions<number> | undefined): Readonly<Record<string, HeaderValue>> {
  if (!options) return NO_HEADERS;
  const headers: Record<string, HeaderValue> = { ...options.headers };
  const rule = statusHeader(status);
  const value: unknown = rule && (options as Record<string, unknown>)[rule.option];
  if (rule && value !== undefined) {
    const formatted = FORMAT_OPTION[rule.option](value as never);
    if (formatted !== undefined) headers[rule.header] = formatted;
  }
  return headers;
}

/** A list header's value; a lone string (from an untyped caller) is taken as it is. */
function commaList(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(', ');
}

/** `Retry-After` is delay-seconds (a non-negative integer) or an HTTP-date (RFC 9110 §10.2.3). */
function formatRetryAfter(value: number | Date): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toUTCString();
  return Number.isFinite(value) ? String(Math.max(0, Math.ceil(value))) : undefined;
}

/** Makes the class for one row of the status table, named after it so `err.name` and stacks read well. */
function defineErrorClass<S extends ErrorStatus>(status: S): HttpErrorClass<S> & { readonly name: ErrorName<S> } {
  const name = ERROR_STATUSES[status][0];
  // A computed key names the class expression (`NotFound.name === 'NotFound'`).
  const cls = {
    [name]: class extends HttpError<S> {
      static readonly status = status;
      constructor(detail?: string, options?: ErrorOptions<S>) {
        super(status, detail, options);
      }
    },
  }[name]!;
  return cls as HttpErrorClass<S> & { readonly name: ErrorName<S> };
}

/** Every class, made from the status table. */
const CLASSES = Object.fromEntries(
  (Object.keys(ERROR_STATUSES) as `${ErrorStatus}`[]).map((key) => [key, defineErrorClass(Number(key) as ErrorStatus)]),
) as { readonly [S in ErrorStatus]: HttpErrorClass<S> & { readonly name: ErrorName<S> } };

// Named exports must be spelled out for TypeScript; each picks its class from the table.
export const BadRequest = CLASSES[400];
export type BadRequest = HttpError<400>;
export const Unauthorized = CLASSES[401];
export type Unauthorized = HttpError<401>;
export const PaymentRequired = CLASSES[402];
export type PaymentRequired = HttpError<402>;
export const Forbidden = CLASSES[403];
export type Forbidden = HttpError<403>;
export const NotFound = CLASSES[404];
export type NotFound = HttpError<404>;
export const MethodNotAllowed = CLASSES[405];
export type MethodNotAllowed = HttpError<405>;
export const NotAcceptable = CLASSES[406];
export type NotAcceptable = HttpError<406>;
export const ProxyAuthenticationRequired = CLASSES[407];
export type ProxyAuthenticationRequired = HttpError<407>;
export const RequestTimeout = CLASSES[408];
export type RequestTimeout = HttpError<408>;
export const Conflict = CLASSES[409];
export type Conflict = HttpError<409>;
export const Gone = CLASSES[410];
export type Gone = HttpError<410>;
export const LengthRequired = CLASSES[411];
export type LengthRequired = HttpError<411>;
export const PreconditionFailed = CLASSES[412];
export type PreconditionFailed = HttpError<412>;
export const ContentTooLarge = CLASSES[413];
export type ContentTooLarge = HttpError<413>;
export const URITooLong = CLASSES[414];
export type URITooLong = HttpError<414>;
export const UnsupportedMediaType = CLASSES[415];
export type UnsupportedMediaType = HttpError<415>;
export const RangeNotSatisfiable = CLASSES[416];
export type RangeNotSatisfiable = HttpError<416>;
export const ExpectationFailed = CLASSES[417];
export type ExpectationFailed = HttpError<417>;
export const ImATeapot = CLASSES[418];
export type ImATeapot = HttpError<418>;
export const MisdirectedRequest = CLASSES[421];
export type MisdirectedRequest = HttpError<421>;
export const UnprocessableContent = CLASSES[422];
export type UnprocessableContent = HttpError<422>;
export const Locked = CLASSES[423];
export type Locked = HttpError<423>;
export const FailedDependency = CLASSES[424];
export type FailedDependency = HttpError<424>;
export const TooEarly = CLASSES[425];
export type TooEarly = HttpError<425>;
export const UpgradeRequired = CLASSES[426];
export type UpgradeRequired = HttpError<426>;
export const PreconditionRequired = CLASSES[428];
export type PreconditionRequired = HttpError<428>;
export const TooManyRequests = CLASSES[429];
export type TooManyRequests = HttpError<429>;
export const RequestHeaderFieldsTooLarge = CLASSES[431];
export type RequestHeaderFieldsTooLarge = HttpError<431>;
export const UnavailableForLegalReasons = CLASSES[451];
export type UnavailableForLegalReasons = HttpError<451>;
export const InternalServerError = CLASSES[500];
export type InternalServerError = HttpError<500>;
export const NotImplemented = CLASSES[501];
export type NotImplemented = HttpError<501>;
export const BadGateway = CLASSES[502];
export type BadGateway = HttpError<502>;
export const ServiceUnavailable = CLASSES[503];
export type ServiceUnavailable = HttpError<503>;
export const GatewayTimeout = CLASSES[504];
export type GatewayTimeout = HttpError<504>;
export const HTTPVersionNotSupported = CLASSES[505];
export type HTTPVersionNotSupported = HttpError<505>;
export const VariantAlsoNegotiates = CLASSES[506];
export type VariantAlsoNegotiates = HttpError<506>;
export const InsufficientStorage = CLASSES[507];
export type InsufficientStorage = HttpError<507>;
export const LoopDetected = CLASSES[508];
export type LoopDetected = HttpError<508>;
export const NotExtended = CLASSES[510];
export type NotExtended = HttpError<510>;
export const NetworkAuthenticationRequired = CLASSES[511];
export type NetworkAuthenticationRequired = HttpError<511>;

/** The `http-errors` era names, kept as the very same classes. */
export const PayloadTooLarge = ContentTooLarge;
export type PayloadTooLarge = ContentTooLarge;
export const UnprocessableEntity = UnprocessableContent;
export type UnprocessableEntity = UnprocessableContent;

/** An instance of the class for `status`, typed by the literal status: `createHttpError(404)` is a `NotFound`. */
export function createHttpError<S extends ErrorStatus>(status: S, detail?: string, options?: ErrorOptions<S>): HttpError<S> {
  const cls = CLASSES[status] as HttpErrorClass<S> | undefined;
  if (!cls) throw new RangeError(`createHttpError: ${String(status)} is not a 4xx or 5xx status with a class`);
  return new cls(detail, options);
}

/**
 * True when `value` is one of our errors — from this copy of the package or any other (brand) —
 * and, with `status`, has that status; narrows to the class for it.
 */
export function isHttpError<S extends ErrorStatus>(value: unknown, status: S): value is HttpError<S>;
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
