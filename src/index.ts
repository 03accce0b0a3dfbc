/**
 * express-typed-errors: typed HTTP errors and success results for Express, and the one final
 * middleware that answers them as RFC 9457 problem details.
 */
export * from './errors';
export { ERROR_STATUSES, type ErrorStatus, type ErrorName } from './status';
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
  type ResponseOptions,
  type SuccessStatus,
} from './responses';
export {
  errorHandler,
  notFoundHandler,
  handle,
  type ErrorHandlerOptions,
  type ErrorObserver,
  type HandlerResult,
  type ResponseBody,
} from './middleware';
export type { ErrorLogger, LogLevel, LogLevelOption, LogLevels } from './log';
export { toHttpError, type ErrorMapper } from './normalize';
export type { ProblemDetails } from './problem';
export { fromZod, fromJoi, fromCelebrate, fromExpressValidator, fromJsonWebToken } from './adapters';
export { jsonPointer, type ValidationIssue } from './validation';
