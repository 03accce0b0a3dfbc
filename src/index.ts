/**
 * express-typed-errors: typed HTTP errors and success results for Express, and the one final
 * middleware that answers them as RFC 9457 problem details. Every export is named here on purpose.
 */

// Errors: the base class, one class per 4xx/5xx status, and the http-errors era names of two of them.
export {
  HttpError,
  BadRequest,
  Unauthorized,
  PaymentRequired,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  NotAcceptable,
  ProxyAuthenticationRequired,
  RequestTimeout,
  Conflict,
  Gone,
  LengthRequired,
  PreconditionFailed,
  ContentTooLarge,
  URITooLong,
  UnsupportedMediaType,
  RangeNotSatisfiable,
  ExpectationFailed,
  ImATeapot,
  MisdirectedRequest,
  UnprocessableContent,
  Locked,
  FailedDependency,
  TooEarly,
  UpgradeRequired,
  PreconditionRequired,
  TooManyRequests,
  RequestHeaderFieldsTooLarge,
  UnavailableForLegalReasons,
  InternalServerError,
  NotImplemented,
  BadGateway,
  ServiceUnavailable,
  GatewayTimeout,
  HTTPVersionNotSupported,
  VariantAlsoNegotiates,
  InsufficientStorage,
  LoopDetected,
  NotExtended,
  NetworkAuthenticationRequired,
  PayloadTooLarge,
  UnprocessableEntity,
  createHttpError,
  isHttpError,
  type HttpErrorClass,
  type ProblemTypeStatics,
  type ExtensionsOf,
  type ErrorOptionsOf,
  type NoExtensions,
  type HttpErrorArguments,
  type HttpErrorCommonOptions,
  type HttpErrorOptions,
} from './errors';
export {
  ERROR_STATUSES,
  type Challenge,
  type ErrorName,
  type ErrorStatus,
  type ProblemStatus,
  type StatusOptions,
  type UnregisteredStatus,
} from './status';
export type { HeaderValue, Headers } from './headers';

// Success results.
export {
  HttpResponse,
  Ok,
  Created,
  Accepted,
  NonAuthoritativeInformation,
  NoContent,
  ResetContent,
  PartialContent,
  isHttpResponse,
  type HttpResponseClass,
  type ResponseOptions,
  type SuccessStatus,
} from './responses';

// Middleware.
export {
  errorHandler,
  methodNotAllowed,
  notFoundHandler,
  type ErrorHandlerOptions,
  type ErrorObserver,
  type Translation,
} from './middleware';
export {
  handle,
  rawRequest,
  type ErrorsOf,
  type HandlerResult,
  type ResponseBody,
  type SpecResult,
  type ValidatedHandler,
  type ValidatedRequest,
} from './handle';
export type { ErrorClass, RouteSpec, SecurityRequirement } from './spec';
export type { ErrorLogger, LogLevel, LogLevelOption, LogLevels } from './log';

// Turning what was thrown into an error, and the problem body.
export { toHttpError, type ErrorMapper } from './normalize';
export { MAX_DETAIL_LENGTH, MAX_PROBLEM_BYTES, type ProblemDetails } from './problem';
export { MAX_INSTANCE_LENGTH } from './request';
export { MAX_ISSUES, jsonPointer, validate, type InputPart, type ValidationIssue } from './validation';
export { fromZod, fromJoi, fromCelebrate, fromExpressValidator, fromJsonWebToken } from './adapters';
export { fromPrisma, fromMongoose, fromSequelize, fromTypeORM } from './orm';
