/**
 * The one table every error class is generated from: each 4xx and 5xx status that RFC 9110,
 * RFC 6585, RFC 4918, RFC 8470, RFC 7725, RFC 2295, RFC 2774 and RFC 5842 register, plus 418.
 * Class names are the RFC 9110 reason phrases in PascalCase.
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

/**
 * The header HTTP asks for with a status, and the constructor option that sets it (see `StatusOptions`).
 * RFC 9110 says MUST for `WWW-Authenticate` on 401, `Allow` on 405, `Proxy-Authenticate` on 407 and
 * `Upgrade` on 426; `Retry-After` and 416's `Content-Range` are what a client acts on.
 */
export const STATUS_HEADERS = {
  401: {
    option: 'challenge',
    header: 'WWW-Authenticate',
    description: 'The authentication challenge(s) for the target (RFC 9110 §11.6.1)',
  },
  405: { option: 'allow', header: 'Allow', description: 'The methods the target supports (RFC 9110 §10.2.1)' },
  407: { option: 'challenge', header: 'Proxy-Authenticate', description: 'The proxy authentication challenge(s) (RFC 9110 §11.7.1)' },
  413: { option: 'retryAfter', header: 'Retry-After', description: 'When the condition is temporary: seconds, or an HTTP-date' },
  416: { option: 'size', header: 'Content-Range', description: 'The current length of the representation, as bytes */length' },
  426: { option: 'upgrade', header: 'Upgrade', description: 'The protocol(s) to switch to (RFC 9110 §7.8)' },
  429: { option: 'retryAfter', header: 'Retry-After', description: 'How long to wait before a new request: seconds, or an HTTP-date' },
  503: {
    option: 'retryAfter',
    header: 'Retry-After',
    description: 'How long the service is expected to be unavailable: seconds, or an HTTP-date',
  },
} as const;

/** One row of `STATUS_HEADERS`. */
export type StatusHeader = (typeof STATUS_HEADERS)[keyof typeof STATUS_HEADERS];

/** The header rule of a status, if HTTP asks for a header with it. */
export function statusHeader(status: number): StatusHeader | undefined {
  return Object.prototype.hasOwnProperty.call(STATUS_HEADERS, status) ? STATUS_HEADERS[status as keyof typeof STATUS_HEADERS] : undefined;
}

/** A status that has an error class: 400 … 511. */
export type ErrorStatus = keyof typeof ERROR_STATUSES;

/** The class name for a status, e.g. `ErrorName<404>` is `'NotFound'`. */
export type ErrorName<S extends ErrorStatus> = (typeof ERROR_STATUSES)[S][0];

/** True when `value` is a status that has an error class. */
export function isErrorStatus(value: unknown): value is ErrorStatus {
  return typeof value === 'number' && Object.prototype.hasOwnProperty.call(ERROR_STATUSES, value);
}

/** The reason phrase of a status, for the problem `title`. Unregistered codes get a generic one. */
export function reasonPhrase(status: number): string {
  return isErrorStatus(status) ? ERROR_STATUSES[status][1] : status < 500 ? 'Client Error' : 'Server Error';
}
