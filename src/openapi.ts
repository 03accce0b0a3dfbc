/**
 * `express-typed-errors/openapi`: the problem details schema and the OpenAPI 3.1 `responses`
 * entries for a route's error classes, so the document says what the middleware sends.
 */
import { type ErrorStatus, reasonPhrase, statusHeader } from './status';

/** A JSON Schema (2020-12) object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The problem details object as `errorHandler()` sends it: RFC 9457's members, plus `code`,
 * `errors` (validation adapters), `requestId` and `traceId`. JSON Schema 2020-12, usable as an
 * OpenAPI 3.1 component as it is.
 */
export const problemDetailsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'ProblemDetails',
  description: 'An RFC 9457 problem details object',
  type: 'object',
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description: 'The problem type; about:blank when it is the status alone',
      default: 'about:blank',
    },
    title: { type: 'string', description: 'A short summary: the reason phrase of the status for about:blank' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code, always that of the response' },
    detail: { type: 'string', description: 'What went wrong with this request; only for errors the client may see' },
    instance: { type: 'string', format: 'uri-reference', description: 'The request path' },
    code: { type: 'string', description: 'A machine-readable error code' },
    requestId: { type: 'string', description: 'The id of the request, to quote when reporting it' },
    traceId: { type: 'string', description: 'The trace the request was recorded in' },
    errors: {
      type: 'array',
      description: 'Each validation failure (RFC 9457 §3)',
      items: {
        type: 'object',
        properties: {
          detail: { type: 'string' },
          pointer: { type: 'string', description: 'A JSON Pointer into the request body, in URI fragment form' },
          parameter: { type: 'string', description: 'The query or path parameter at fault' },
          header: { type: 'string', description: 'The request header at fault' },
        },
        required: ['detail'],
      },
    },
  },
  required: ['type', 'title', 'status', 'instance'],
} as const satisfies JsonSchema;

/**
 * An error class as `errorResponses()` reads it: every generated class and subclass has the static
 * `status`; a subclass may declare `static extensionSchema` for the extension members it adds.
 */
export interface DocumentedErrorClass {
  readonly name: string;
  readonly status: ErrorStatus;
  readonly extensionSchema?: Readonly<Record<string, JsonSchema>>;
}

/** An OpenAPI 3.1 Response Object. */
export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content: { 'application/problem+json': { schema: JsonSchema } };
}

/** The problem schema without `$schema`, which belongs at a document's root, not inside another schema. */
const { $schema: _dialect, ...embeddedProblemSchema } = problemDetailsSchema;

/**
 * The `responses` entries for a route's error classes, keyed by status: `application/problem+json`
 * content with the status fixed, the header the status carries (`Retry-After`, `Allow`,
 * `WWW-Authenticate` …) and the extension members the classes declare. Classes that share a
 * status (`NotFound`, `UserNotFound`) share one entry.
 */
export function errorResponses(classes: readonly DocumentedErrorClass[]): Record<string, ResponseObject> {
  const byStatus = new Map<ErrorStatus, DocumentedErrorClass[]>();
  for (const cls of classes) byStatus.set(cls.status, [...(byStatus.get(cls.status) ?? []), cls]);
  const responses: Record<string, ResponseObject> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const extensions = Object.assign({}, ...group.map((cls) => cls.extensionSchema ?? {})) as Record<string, JsonSchema>;
    const response: ResponseObject = {
      description: `${reasonPhrase(status)} (${group.map((cls) => cls.name).join(', ')})`,
      content: {
        'application/problem+json': {
          schema: { allOf: [embeddedProblemSchema, { type: 'object', properties: { status: { const: status }, ...extensions } }] },
        },
      },
    };
    const rule = statusHeader(status);
    if (rule) response.headers = { [rule.header]: { description: rule.description, schema: { type: 'string' } } };
    responses[String(status)] = response;
  }
  return responses;
}
