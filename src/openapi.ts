/**
 * `express-typed-errors/openapi`: the OpenAPI 3.1 document of an app, read from the app itself — its
 * routes, and for each `handle(spec, fn)` route its parameters, request body, result and the errors it
 * declares — and the pieces for a document written by hand.
 *
 * @example
 * import { openApi } from 'express-typed-errors/openapi';
 *
 * app.get('/openapi.json', (_req, res) => {
 *   res.json(openApi(app, { info: { title: 'Users', version: '1.0.0' } }));
 * });
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { type RouteSpec, routeSpec } from './handle';
import { problemType } from './problem';
import { read } from './read';
import type { HttpResponseClass } from './responses';
import { type RouteEntry, listRoutes } from './routes';
import { type ErrorStatus, STATUS_HEADERS, reasonPhrase, statusHeader } from './status';

/** A JSON Schema (2020-12) object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The problem details object as `errorHandler()` sends it: RFC 9457's members, plus `code`,
 * `errors` (validation failures), `requestId` and `traceId`. JSON Schema 2020-12, usable as an
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
    detail: { type: 'string', maxLength: 1000, description: 'What went wrong with this request; only for errors the client may see' },
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

/** Where the documents made here keep the problem schema: one component, referenced by every error response. */
const PROBLEM_REF = '#/components/schemas/ProblemDetails';

/**
 * An error class as the document reads it: every generated class and subclass has the static
 * `status`; a subclass names its `code` (or `type`) with a static, and may declare
 * `static extensionSchema` for the extension members it adds.
 */
export interface DocumentedErrorClass {
  readonly name: string;
  readonly status: ErrorStatus;
  readonly code?: string;
  readonly type?: string;
  readonly extensionSchema?: Readonly<Record<string, JsonSchema>>;
}

/** An OpenAPI 3.1 Header Object. */
export interface HeaderObject {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

/** An OpenAPI 3.1 Response Object. */
export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema: JsonSchema }>;
}

/** An OpenAPI 3.1 Parameter Object. */
export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
  style?: 'deepObject';
  explode?: boolean;
}

/** An OpenAPI 3.1 Operation Object, as `openApi()` writes it. */
export interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, ResponseObject>;
}

/** The OpenAPI 3.1 document `openApi()` returns. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiOptions['info'];
  servers?: OpenApiOptions['servers'];
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, JsonSchema> };
  /** The routes an OpenAPI path cannot express (a regular expression, a wildcard, a sub-application), and why. */
  'x-skipped-routes'?: { path: string; methods: readonly string[]; reason: string }[];
}

/** What the document says of the API itself. */
export interface OpenApiOptions {
  /** The OpenAPI Info Object: `title` and `version` at least. */
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  /** The OpenAPI Server Objects, e.g. `[{ url: 'https://api.example.com' }]`. */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /** The same `typeBase` as the error handler's: each declared code's `type` URI is shown. */
  readonly typeBase?: string;
  /** The same `validationStatus` as the error handler's: the automatic validation failure is shown with it. Default: `422`. */
  readonly validationStatus?: 400 | 422;
}

/** The problem schema without `$schema`, which belongs at a document's root, not inside a component. */
const { $schema: _dialect, ...problemComponent } = problemDetailsSchema;

/** The schema of a problem with a given status, and the members its classes add, by reference to the one component. */
function problemSchema(status: number, extensions: Readonly<Record<string, JsonSchema>>, required: readonly string[] = []): JsonSchema {
  return {
    allOf: [
      { $ref: PROBLEM_REF },
      { type: 'object', properties: { status: { const: status }, ...extensions }, ...(required.length > 0 ? { required } : {}) },
    ],
  };
}

/** What the header of each status says, for the document (the rules themselves are in the status table). */
const HEADER_DESCRIPTIONS: Readonly<Record<keyof typeof STATUS_HEADERS, string>> = {
  201: 'The URL of the new resource',
  202: 'Where to follow the queued request',
  206: 'The range the body holds',
  401: 'The authentication challenge(s) for the target (RFC 9110 §11.6.1)',
  405: 'The methods the target supports (RFC 9110 §10.2.1)',
  407: 'The proxy authentication challenge(s) (RFC 9110 §11.7.1)',
  413: 'When the condition is temporary: seconds, or an HTTP-date',
  416: 'The current length of the representation, as bytes */length',
  426: 'The protocol(s) to switch to (RFC 9110 §7.8)',
  429: 'How long to wait before a new request: seconds, or an HTTP-date',
  503: 'How long the service is expected to be unavailable: seconds, or an HTTP-date',
};

/** The header a status carries (`Retry-After`, `Allow`, `WWW-Authenticate` …), required where RFC 9110 or the class requires it. */
function statusHeaders(status: number, required: boolean): Record<string, HeaderObject> | undefined {
  const rule = statusHeader(status);
  if (!rule) return undefined;
  return {
    [rule.header]: {
      description: HEADER_DESCRIPTIONS[status as keyof typeof STATUS_HEADERS],
      ...(required || rule.required ? { required: true } : {}),
      schema: { type: 'string' },
    },
  };
}

/**
 * The `responses` entries for error classes, keyed by status: `application/problem+json` content that
 * refers to the `ProblemDetails` component (put `problemDetailsSchema` under
 * `components.schemas.ProblemDetails`), with the status fixed, the header the status carries, and
 * the extension members the classes declare. Classes that share a status share one entry. With the
 * error handler's `typeBase`, the `type` URI of each declared code is shown too.
 */
export function errorResponses(classes: readonly DocumentedErrorClass[], typeBase?: string): Record<string, ResponseObject> {
  const byStatus = new Map<number, DocumentedErrorClass[]>();
  for (const cls of classes) byStatus.set(cls.status, [...(byStatus.get(cls.status) ?? []), cls]);
  const responses: Record<string, ResponseObject> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const extensions = Object.assign({}, ...group.map((cls) => cls.extensionSchema ?? {})) as Record<string, JsonSchema>;
    const codes = group.map(staticOf('code'));
    const types = group.map(
      (cls, i) => staticOf('type')(cls) ?? (typeBase !== undefined && codes[i] !== undefined ? problemType(typeBase, codes[i]) : undefined),
    );
    Object.assign(extensions, oneOf('code', codes), oneOf('type', types));
    const headers = statusHeaders(status, false);
    responses[String(status)] = {
      description: `${reasonPhrase(status)} (${group.map((cls) => cls.name).join(', ')})`,
      ...(headers ? { headers } : {}),
      content: { 'application/problem+json': { schema: problemSchema(status, extensions) } },
    };
  }
  return responses;
}

/** Reads the `static code` or `static type` of a class. */
function staticOf(key: 'code' | 'type'): (cls: DocumentedErrorClass) => string | undefined {
  return (cls) => {
    const value = read(cls, key);
    return typeof value === 'string' ? value : undefined;
  };
}

/**
 * The schema of a member that every class of a status declares: its one value, or the values it may
 * take. Nothing when one class of the status leaves it open (a plain `Conflict` beside `EmailTaken`).
 */
function oneOf(member: string, values: readonly (string | undefined)[]): Record<string, JsonSchema> {
  if (values.length === 0 || values.some((value) => value === undefined)) return {};
  const distinct = [...new Set(values)];
  return { [member]: distinct.length === 1 ? { const: distinct[0] } : { enum: distinct } };
}

/** The answer every validated route may give: a 422 (or 400) listing each issue. */
function validationResponse(status: 400 | 422): ResponseObject {
  return {
    description: `${reasonPhrase(status)}: the request did not pass validation; \`errors\` lists each issue`,
    content: { 'application/problem+json': { schema: problemSchema(status, {}, ['errors']) } },
  };
}

/** What a route with a body may answer before it runs: the body parser's 400 for a body that is not JSON. */
const UNPARSABLE_BODY_RESPONSE: ResponseObject = {
  description: 'Bad Request: the body could not be parsed',
  content: { 'application/problem+json': { schema: problemSchema(400, {}) } },
};

/** The answer any route may give: a 500, whose detail is never shown. */
const SERVER_ERROR_RESPONSE: ResponseObject = {
  description: 'Internal Server Error',
  content: { 'application/problem+json': { schema: problemSchema(500, {}) } },
};

/**
 * The JSON Schema of a validator, for one direction: from Standard JSON Schema when the validator
 * offers it (zod 4, arktype), else a schema that accepts anything and says why (valibot needs
 * `@valibot/to-json-schema`). A conversion that throws (a transform JSON Schema cannot express) is
 * the same fallback.
 */
function jsonSchemaOf(schema: StandardSchemaV1, direction: 'input' | 'output'): JsonSchema {
  const converter = read(schema['~standard'], 'jsonSchema') as StandardJSONSchemaV1.Converter | undefined;
  const vendor = schema['~standard'].vendor;
  try {
    if (typeof read(converter, direction) === 'function') {
      const { $schema: _dialect, ...converted } = converter![direction]({ target: 'draft-2020-12' });
      return converted;
    }
  } catch (error) {
    return {
      description: `The ${vendor} schema could not be converted to JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return { description: `A ${vendor} schema: it offers no JSON Schema (Standard JSON Schema), so any value is shown here` };
}

/** The properties of an object JSON Schema, and which are required; none for any other shape. */
function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: ReadonlySet<string> } {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return { properties, required: new Set((schema.required ?? []) as string[]) };
}

/** Headers OpenAPI describes elsewhere (RFC: "If in is header and the name is Accept, Content-Type or Authorization, … ignored"). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** The Parameter Objects of a route: its path parameters, and the query and header parameters its spec's schemas name. */
function parametersOf(entry: RouteEntry, spec: RouteSpec | undefined): ParameterObject[] {
  const params = spec?.params ? propertiesOf(jsonSchemaOf(spec.params, 'input')).properties : {};
  const parameters: ParameterObject[] = entry.params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: (Object.hasOwn(params, name) ? params[name] : undefined) ?? { type: 'string' },
  }));
  for (const [part, where] of [
    ['query', 'query'],
    ['headers', 'header'],
  ] as const) {
    const schema = spec?.[part];
    if (!schema) continue;
    const { properties, required } = propertiesOf(jsonSchemaOf(schema, 'input'));
    for (const [name, property] of Object.entries(properties)) {
      if (where === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
      const nested = where === 'query' && property.type === 'object' ? { style: 'deepObject' as const, explode: true } : {};
      parameters.push({ name, in: where, required: required.has(name), schema: property, ...nested });
    }
  }
  return parameters;
}

/** The reason phrases of the success statuses, for the descriptions of success responses. */
const SUCCESS_PHRASES: Readonly<Record<HttpResponseClass['status'], string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
};

/** The success response of a route: the status and headers of its `result` class, the body of its `resultBody`. */
function successResponse(spec: RouteSpec): [string, ResponseObject] {
  const result: HttpResponseClass | undefined = spec.result;
  const body = spec.resultBody ? { content: { 'application/json': { schema: jsonSchemaOf(spec.resultBody, 'output') } } } : {};
  if (!result) return ['2XX', { description: 'Success: the route spec declares no `result` class', ...body }];
  const headers = statusHeaders(result.status, true);
  const empty = result.status === 204 || result.status === 205;
  return [
    String(result.status),
    {
      description: SUCCESS_PHRASES[result.status],
      ...(headers ? { headers } : {}),
      ...(empty ? {} : body.content ? body : { content: { 'application/json': { schema: {} } } }),
    },
  ];
}

/** The operation of one method of a route: all that its `handle(spec, fn)` declares, or what a plain route lets be known. */
function operationOf(entry: RouteEntry, handlers: readonly unknown[], options: OpenApiOptions): OperationObject {
  // the last handler with a spec is the route's own; any before it are middleware
  const spec = [...handlers]
    .reverse()
    .map(routeSpec)
    .find((found) => found !== undefined);
  const parameters = parametersOf(entry, spec);
  if (!spec) {
    return {
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: { default: { description: 'Not described: a plain Express route (handle(spec, fn) routes are documented)' } },
    };
  }
  const [status, success] = successResponse(spec);
  const responses: Record<string, ResponseObject> = {
    [status]: success,
    ...errorResponses((spec.errors ?? []) as unknown as DocumentedErrorClass[], options.typeBase),
  };
  const validationStatus = options.validationStatus ?? 422;
  if (spec.body || spec.query || spec.params || spec.headers) responses[validationStatus] ??= validationResponse(validationStatus);
  if (spec.body) responses['400'] ??= UNPARSABLE_BODY_RESPONSE;
  responses['500'] ??= SERVER_ERROR_RESPONSE;
  return {
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(spec.body, 'input') } } } }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of an app (or a router), read from its routes on Express 4 and 5, nested
 * routers and mount paths included. A `handle(spec, fn)` route is documented from its spec: path,
 * query and header parameters and the request body from its schemas (as JSON Schema where the
 * validator provides it), the success response from its `result` class and `resultBody`, and its
 * error responses from `errors`, plus the automatic 422 when it validates and the 500 every route
 * may give, all referring to one `ProblemDetails` component. A plain Express route appears with its
 * path parameters. What OpenAPI cannot express is listed under `x-skipped-routes` with the reason.
 * Throws when the app's router cannot be read at all.
 */
export function openApi(app: unknown, options: OpenApiOptions): OpenApiDocument {
  const listing = listRoutes(app);
  const skipped = [...listing.skipped];
  const paths: Record<string, Record<string, OperationObject>> = {};
  // OpenAPI forbids two templates that differ only in their parameters' names (/users/{id}, /users/{userId})
  const byShape = new Map<string, string>();
  for (const entry of listing.routes) {
    const shape = entry.openApiPath.replace(/\{[^}]*\}/g, '{}');
    const first = byShape.get(shape) ?? entry.openApiPath;
    byShape.set(shape, first);
    if (first !== entry.openApiPath) {
      const reason = `the same path as ${first} with other parameter names, which OpenAPI does not allow: name them alike`;
      skipped.push({ path: entry.path, methods: Object.keys(entry.methods), reason });
      continue;
    }
    const item = (paths[entry.openApiPath] ??= {});
    for (const [method, handlers] of Object.entries(entry.methods)) {
      // an .all() route answers any method: it is no operation of its own
      if (method === '*') continue;
      // as Express does, the first route registered for a path and method is the one that answers
      item[method.toLowerCase()] ??= operationOf(entry, handlers, options);
    }
    if (Object.keys(item).length === 0) delete paths[entry.openApiPath];
  }
  return {
    openapi: '3.1.0',
    info: { ...options.info },
    ...(options.servers ? { servers: options.servers.map((server) => ({ ...server })) } : {}),
    paths,
    components: { schemas: { ProblemDetails: problemComponent } },
    ...(skipped.length > 0 ? { 'x-skipped-routes': skipped.map(({ path, methods, reason }) => ({ path, methods, reason })) } : {}),
  };
}
