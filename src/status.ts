/**
 * The status tables every class is generated from, and the per-status options that set the headers
 * HTTP asks for with a status. Free of Node and Express: the client bundle imports it too.
 */

/**
 * Each 4xx and 5xx status that RFC 9110, RFC 6585, RFC 4918, RFC 8470, RFC 7725, RFC 2295, RFC 2774
 * and RFC 5842 register, plus 418: its class name (the reason phrase in PascalCase) and the reason
 * phrase itself, which is ASCII and so always fits a status line.
 */
export const ERROR_STATUSES = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthorized', 'Unauthorized'],
  402: ['PaymentRequired', 'Payment Required'],
  403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  405: ['MethodNotAllowed', 'Method Not Allowed'],
  406: ['NotAcceptable', 'Not Acceptable'],
  407: ['ProxyAuthenticationRequired', 'Proxy Authentication Required'],
  408: ['RequestTimeout', 'Request Timeout'],
  409: ['Conflict', 'Conflict'],
  410: ['Gone', 'Gone'],
  411: ['LengthRequired', 'Length Required'],
  412: ['PreconditionFailed', 'Precondition Failed'],
  413: ['ContentTooLarge', 'Content Too Large'],
  414: ['URITooLong', 'URI Too Long'],
  415: ['UnsupportedMediaType', 'Unsupported Media Type'],
  416: ['RangeNotSatisfiable', 'Range Not Satisfiable'],
  417: ['ExpectationFailed', 'Expectation Failed'],
  418: ['ImATeapot', "I'm a teapot"],
  421: ['MisdirectedRequest', 'Misdirected Request'],
  422: ['UnprocessableContent', 'Unprocessable Content'],
  423: ['Locked', 'Locked'],
  424: ['FailedDependency', 'Failed Dependency'],
  425: ['TooEarly', 'Too Early'],
  426: ['UpgradeRequired', 'Upgrade Required'],
  428: ['PreconditionRequired', 'Precondition Required'],
  429: ['TooManyRequests', 'Too Many Requests'],
  431: ['RequestHeaderFieldsTooLarge', 'Request Header Fields Too Large'],
  451: ['UnavailableForLegalReasons', 'Unavailable For Legal Reasons'],
  500: ['InternalServerError', 'Internal Server Error'],
  501: ['NotImplemented', 'Not Implemented'],
  502: ['BadGateway', 'Bad Gateway'],
  503: ['ServiceUnavailable', 'Service Unavailable'],
  504: ['GatewayTimeout', 'Gateway Timeout'],
  505: ['HTTPVersionNotSupported', 'HTTP Version Not Supported'],
  506: ['VariantAlsoNegotiates', 'Variant Also Negotiates'],
  507: ['InsufficientStorage', 'Insufficient Storage'],
  508: ['LoopDetected', 'Loop Detected'],
  510: ['NotExtended', 'Not Extended'],
  511: ['NetworkAuthenticationRequired', 'Network Authentication Required'],
} as const;

/** A status that has an error class: 400 … 511. */
export type ErrorStatus = keyof typeof ERROR_STATUSES;

/** The class name for a status, e.g. `ErrorName<404>` is `'NotFound'`. */
export type ErrorName<S extends ErrorStatus> = (typeof ERROR_STATUSES)[S][0];

/** The integers below `N`, counted out in a tuple. */
type Below<N extends number, Count extends number[] = []> = Count['length'] extends N
  ? Count[number]
  : Below<N, [...Count, Count['length']]>;

/** Every status a problem can go out with: an integer from 400 to 599. */
export type ProblemStatus = Exclude<Below<600>, Below<400>>;

/** A status in 400–599 that has no class of its own (499, 599 …): `createHttpError(499)` makes one. */
export type UnregisteredStatus = Exclude<ProblemStatus, ErrorStatus>;

/** True when `value` is a status that has an error class. */
export function isErrorStatus(value: unknown): value is ErrorStatus {
  return typeof value === 'number' && Object.prototype.hasOwnProperty.call(ERROR_STATUSES, value);
}

/** True when `value` is an integer from 400 to 599, the only statuses a problem may carry. */
export function isProblemStatus(value: unknown): value is ProblemStatus {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/** The registered reason phrase of a status; unregistered codes get a generic, equally ASCII one. */
export function reasonPhrase(status: number): string {
  return isErrorStatus(status) ? ERROR_STATUSES[status][1] : status < 500 ? 'Client Error' : 'Server Error';
}

/** An authentication challenge, or several (sent as separate header lines). */
export type Challenge = string | readonly string[];

/**
 * The options that set the header HTTP asks for with a status, for errors and results alike. A
 * MUST of RFC 9110 is a required option (405's `allow`, 407's `challenge`, 426's `upgrade`), as
 * `Created`'s `location` is; 401's `challenge` is optional because `errorHandler({ challenge })`
 * supplies an app-wide one.
 */
export interface StatusOptions {
  /** The options of `Created`. */
  201: {
    /** The URL of the new resource, sent as `Location`. Taken literally and percent-encoded as `res.location()` does. */
    location: string;
  };
  /** The options of `Accepted`. */
  202: {
    /** Where the client can follow the queued request, sent as `Location`. */
    location?: string;
  };
  /** The options of `PartialContent`. */
  206: {
    /** The range the body holds, sent as `Content-Range`, e.g. `'items 0-24/100'`. */
    range: string;
  };
  /** The options of `Unauthorized`. */
  401: {
    /** The `WWW-Authenticate` challenge(s), e.g. `'Bearer realm="api"'`. RFC 9110 §11.6.1 requires one on every 401. */
    challenge?: Challenge;
  };
  /** The options of `MethodNotAllowed`. */
  405: {
    /** The methods the target supports, sent as `Allow` (RFC 9110 §10.2.1 requires it on every 405), e.g. `['GET', 'HEAD']`. */
    allow: readonly string[];
  };
  /** The options of `ProxyAuthenticationRequired`. */
  407: {
    /** The `Proxy-Authenticate` challenge(s). RFC 9110 §11.7.1 requires one on every 407. */
    challenge: Challenge;
  };
  /** The options of `ContentTooLarge`. */
  413: {
    /** When the client may retry, sent as `Retry-After`: seconds (rounded up), or a `Date`. */
    retryAfter?: number | Date;
  };
  /** The options of `RangeNotSatisfiable`. */
  416: {
    /** The current length of the representation in bytes, sent in `Content-Range` (RFC 9110 §14.4). */
    size?: number;
  };
  /** The options of `UpgradeRequired`. */
  426: {
    /** The protocol(s) to switch to, sent as `Upgrade` (RFC 9110 §7.8 requires it on every 426), e.g. `'HTTP/3.0'`. */
    upgrade: string | readonly string[];
  };
  /** The options of `TooManyRequests`. */
  429: {
    /** How long to wait before the next request, sent as `Retry-After`: seconds (rounded up), or a `Date`. */
    retryAfter?: number | Date;
  };
  /** The options of `ServiceUnavailable`. */
  503: {
    /** How long the service is expected to be unavailable, sent as `Retry-After`: seconds (rounded up), or a `Date`. */
    retryAfter?: number | Date;
  };
}

/** A row of `STATUS_HEADERS`: the option, the header it becomes, and whether RFC 9110 requires that header with the status. */
interface StatusHeaderRule<Option extends string> {
  readonly option: Option;
  readonly header: string;
  readonly required: boolean;
}

/**
 * The header each option of `StatusOptions` becomes. Typed by `StatusOptions`, so a status missing
 * here, an extra one, or a row naming an option its status does not take fails to compile.
 */
export const STATUS_HEADERS = {
  201: { option: 'location', header: 'Location', required: false },
  202: { option: 'location', header: 'Location', required: false },
  206: { option: 'range', header: 'Content-Range', required: false },
  401: { option: 'challenge', header: 'WWW-Authenticate', required: true },
  405: { option: 'allow', header: 'Allow', required: true },
  407: { option: 'challenge', header: 'Proxy-Authenticate', required: true },
  413: { option: 'retryAfter', header: 'Retry-After', required: false },
  416: { option: 'size', header: 'Content-Range', required: false },
  426: { option: 'upgrade', header: 'Upgrade', required: true },
  429: { option: 'retryAfter', header: 'Retry-After', required: false },
  503: { option: 'retryAfter', header: 'Retry-After', required: false },
} as const satisfies { readonly [S in keyof StatusOptions]: StatusHeaderRule<keyof StatusOptions[S] & string> };

/** One row of `STATUS_HEADERS`. */
export type StatusHeader = (typeof STATUS_HEADERS)[keyof typeof STATUS_HEADERS];

/** The header rule of a status, if HTTP asks for a header with it. */
export function statusHeader(status: number): StatusHeader | undefined {
  return Object.prototype.hasOwnProperty.call(STATUS_HEADERS, status) ? STATUS_HEADERS[status as keyof typeof STATUS_HEADERS] : undefined;
}
