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
