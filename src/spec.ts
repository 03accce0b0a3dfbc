/**
 * What a route declares, shared by the server (`handle(spec, fn)`) and the client (`route()`): types
 * only, so that a browser bundle of a contract holds nothing of Express or Node.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { HttpError } from './errors';
import type { HttpResponseClass } from './responses';

/** An error class a route declares it may throw: `NotFound`, or an app's subclass such as `EmailTaken`. */
export type ErrorClass = abstract new (...args: never[]) => HttpError;

/** An OpenAPI Security Requirement: each scheme `openApi(app, { securitySchemes })` names, with the scopes it needs. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/**
 * What a route receives and may throw. Each schema is any Standard Schema v1 validator (zod, valibot,
 * arktype …); the handler sees its parsed output. Used as middleware (`app.use(handle(spec, fn))`, or
 * before the handler in a route's chain), its `errors` are added to every route it runs before.
 */
export interface RouteSpec {
  /** The request body, as parsed by `express.json()` or another body parser. A failure points at it with `pointer`. */
  readonly body?: StandardSchemaV1;
  /** The query string, as Express parses it (strings, arrays and nested objects). A failure names the `parameter`. */
  readonly query?: StandardSchemaV1;
  /** The route parameters (`/users/:id`), as strings. A failure names the `parameter`. */
  readonly params?: StandardSchemaV1;
  /** The request headers, names in lower case. Headers the schema does not name stay readable. A failure names the `header`. */
  readonly headers?: StandardSchemaV1;
  /** The error classes the route may throw: they type it (`ErrorsOf`) and document it. */
  readonly errors?: readonly ErrorClass[];
  /**
   * The result class the handler returns (`Created`), or the classes it may return (`[Ok, Created]`):
   * the handler must return one of them, and `openApi()` documents each status and its headers.
   */
  readonly result?: HttpResponseClass | readonly HttpResponseClass[];
  /**
   * The schema of the result's body, for `openApi()`; the handler's result body must fit its input type.
   * Outside production, a body sent that does not fit it is logged at `warn` (the answer is unchanged).
   */
  readonly resultBody?: StandardSchemaV1;
  /**
   * How long async schemas (a refinement that looks something up) may take, in milliseconds, before
   * the request is answered 503 Service Unavailable and the wait is logged; `Infinity` for no bound.
   * Schemas that answer at once are never timed. Default: `10_000`.
   */
  readonly validationTimeout?: number;
  /** The operation's one-line summary in the OpenAPI document. */
  readonly summary?: string;
  /** The operation's description in the OpenAPI document (CommonMark). */
  readonly description?: string;
  /** The operation's tags in the OpenAPI document, which group operations. */
  readonly tags?: readonly string[];
  /** The operation's id in the OpenAPI document: unique in the app; clients generated from it name their functions after it. */
  readonly operationId?: string;
  /** Marks the operation deprecated in the OpenAPI document. */
  readonly deprecated?: boolean;
  /**
   * The security requirements of the operation, by the names of `openApi(app, { securitySchemes })`:
   * `[{ bearer: [] }]`. A middleware's spec gives them to the routes it runs before that set none;
   * `[]` says a route needs none.
   */
  readonly security?: readonly SecurityRequirement[];
}
