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
import { routeSpec } from './handle';
import type { ErrorClass, RouteSpec, SecurityRequirement } from './spec';
import { problemType } from './problem';
import { read } from './read';
import type { HttpResponseClass } from './responses';
import { type RouteEntry, listRoutes } from './routes';
import { type ErrorStatus, STATUS_HEADERS, reasonPhrase, statusHeader } from './status';
import { INPUT_PARTS } from './validation';

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
          in: { enum: ['path', 'query', 'header'], description: 'Where the parameter or header at fault is, as OpenAPI names it' },
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
 * `status`; a subclass names its `code` (or `type`) with a static, its `title` and `description`, and
 * may declare `static extensions` (a Standard Schema) — or `static extensionSchema` (JSON Schemas by
 * member) — for the extension members it adds.
 */
export interface DocumentedErrorClass {
  /** The class's name, shown beside the status in the response's description (`Conflict (EmailTaken)`). */
  readonly name: string;
  /** The status of every instance: the response it is documented under. */
  readonly status: ErrorStatus;
  /** The `code` of every instance, shown as a `const`; with `typeBase`, it gives the `type` URI too. */
  readonly code?: string;
  /** The problem type URI of every instance, shown as a `const`. */
  readonly type?: string;
  /** The class's `static title`: the schema's title. */
  readonly title?: string;
  /** The class's `static description`: what the problem means and what a client should do. */
  readonly description?: string;
  /** The class's `static extensions`: a Standard Schema of the extension members it adds. */
  readonly extensions?: StandardSchemaV1;
  /** The JSON Schema of each extension member the class adds, by member name. */
  readonly extensionSchema?: Readonly<Record<string, JsonSchema>>;
}

/** An OpenAPI 3.1 Header Object. */
export interface HeaderObject {
  /** What the header says. */
  description: string;
  /** Whether every response of its status carries it. */
  required?: boolean;
  /** The JSON Schema of its value. */
  schema: JsonSchema;
}

/** An OpenAPI 3.1 Response Object. */
export interface ResponseObject {
  /** The status's reason phrase, and what the response means. */
  description: string;
  /** The headers of the response, by name. */
  headers?: Record<string, HeaderObject>;
  /** The body's schema by media type (`application/json`, `application/problem+json`); none for no body. */
  content?: Record<string, { schema: JsonSchema }>;
}

/** An OpenAPI 3.1 Parameter Object. */
export interface ParameterObject {
  /** The parameter's name: a route parameter, a query key or a header. */
  name: string;
  /** Where the parameter is. */
  in: 'path' | 'query' | 'header';
  /** Whether a request must carry it (always, for a path parameter). */
  required: boolean;
  /** The JSON Schema of its value. */
  schema: JsonSchema;
  /** `deepObject` for a nested query value (`filter[status]`). */
  style?: 'deepObject';
  /** Set with `style: 'deepObject'`, as OpenAPI asks. */
  explode?: boolean;
}

/** An OpenAPI 3.1 Operation Object, as `openApi()` writes it. */
export interface OperationObject {
  /** A one-line summary of the operation, from `spec.summary`. */
  summary?: string;
  /** The operation's description (CommonMark), from `spec.description`. */
  description?: string;
  /** The operation's id, from `spec.operationId`. */
  operationId?: string;
  /** The tags that group the operation, from `spec.tags`. */
  tags?: string[];
  /** Present when the route's spec marks it deprecated. */
  deprecated?: true;
  /** The path, query and header parameters. */
  parameters?: ParameterObject[];
  /** The JSON body, from `spec.body`. */
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  /** The responses by status (`'201'`, `'404'`, `'2XX'`, `'default'`). */
  responses: Record<string, ResponseObject>;
  /** The security requirements of the operation, from its spec or the nearest scope's. */
  security?: Record<string, string[]>[];
}

/** An OpenAPI 3.1 Security Scheme Object: how a client authenticates. */
export type SecuritySchemeObject = { readonly description?: string } & (
  | { readonly type: 'http'; readonly scheme: string; readonly bearerFormat?: string }
  | { readonly type: 'apiKey'; readonly name: string; readonly in: 'query' | 'header' | 'cookie' }
  | { readonly type: 'oauth2'; readonly flows: Readonly<Record<string, unknown>> }
  | { readonly type: 'openIdConnect'; readonly openIdConnectUrl: string }
  | { readonly type: 'mutualTLS' }
);

/** The OpenAPI 3.1 document `openApi()` returns. */
export interface OpenApiDocument {
  /** The OpenAPI version of the document. */
  openapi: '3.1.0';
  /** The Info Object given in the options. */
  info: OpenApiOptions['info'];
  /** The Server Objects given in the options. */
  servers?: OpenApiOptions['servers'];
  /** The operations by OpenAPI path (`/users/{id}`) and method. */
  paths: Record<string, Record<string, OperationObject>>;
  /** The `ProblemDetails` schema every error response refers to, and the security schemes given in the options. */
  components: { schemas: Record<string, JsonSchema>; securitySchemes?: Record<string, SecuritySchemeObject> };
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
  /**
   * The error classes any route may throw (an authentication middleware's `Unauthorized`): shown on
   * every documented operation. Give `errorHandler()` the same, so that its check of undeclared errors
   * allows them.
   */
  readonly errors?: readonly ErrorClass[];
  /** The Security Scheme Objects the routes' `security` names, by name: `{ bearer: { type: 'http', scheme: 'bearer' } }`. */
  readonly securitySchemes?: Readonly<Record<string, SecuritySchemeObject>>;
}

/** The problem schema without `$schema`, which belongs at a document's root, not inside a component. */
const { $schema: _dialect, ...problemComponent } = problemDetailsSchema;

/** The members of a problem that only the package sets: an extension of the same name is never sent. */
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

/**
 * One kind of answer under an error status (a declared class, the automatic validation failure …):
 * its schema, and the members that tell it from the others — `undefined` where it leaves a member
 * open, `null` for `code` where it never has one.
 */
interface ProblemKind {
  readonly what: string;
  readonly schema: JsonSchema;
  readonly type: string | undefined;
  readonly code: string | null | undefined;
}

/** A problem schema: the one component, with the status fixed and the members the kind adds, and the kind's own keywords. */
function problemSchema(
  status: number,
  properties: Record<string, JsonSchema>,
  required: readonly string[] = [],
  outer: JsonSchema = {},
): JsonSchema {
  return {
    ...outer,
    allOf: [
      { $ref: PROBLEM_REF },
      {
        type: 'object',
        properties: { status: { const: status }, ...properties },
        ...(required.length > 0 ? { required: [...required] } : {}),
      },
    ],
  };
}

/** An answer the package gives by itself: `about:blank`, never a `code`. */
function automaticKind(status: number, what: string, required: readonly string[] = []): ProblemKind {
  const properties = { type: { const: 'about:blank' }, code: { not: {}, description: 'Never sent with this answer' } };
  return { what, schema: problemSchema(status, properties, required), type: 'about:blank', code: null };
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

/** Reads a string static of a class (`code`, `type`, `title`, `description`), defensively. */
function staticString(cls: DocumentedErrorClass, key: 'code' | 'type' | 'title' | 'description'): string | undefined {
  const value = read(cls, key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * The extension members a class declares: its `static extensions` (a Standard Schema, converted as
 * the route schemas are), else its `static extensionSchema`; members only the package sets are left out.
 */
function extensionMembers(cls: DocumentedErrorClass): { properties: Record<string, JsonSchema>; required: string[] } {
  const extensions = read(cls, 'extensions');
  let properties: Record<string, JsonSchema>;
  let required: string[] = [];
  if (isStandardSchema(extensions)) {
    const converted = propertiesOf(jsonSchemaOf(extensions, 'input'));
    properties = converted.properties;
    required = [...converted.required];
  } else {
    const legacy = read(cls, 'extensionSchema');
    properties = typeof legacy === 'object' && legacy !== null ? { ...(legacy as Record<string, JsonSchema>) } : {};
  }
  for (const member of RESERVED_MEMBERS) delete properties[member];
  return { properties, required: required.filter((member) => !RESERVED_MEMBERS.has(member)) };
}

/** True for a Standard Schema (`~standard` with a `validate` function). */
function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof read(read(value, '~standard'), 'validate') === 'function';
}

/**
 * The kind of answer of one error class: its status fixed, its `code` (required) and `type` where it
 * declares them, its extension members, its `static title` and `static description`, and with
 * `typeBase`, a link to the page of its problem type.
 */
function classKind(cls: DocumentedErrorClass, typeBase: string | undefined): ProblemKind {
  const code = staticString(cls, 'code');
  const page = typeBase !== undefined && code !== undefined ? problemType(typeBase, code) : undefined;
  const type = staticString(cls, 'type') ?? page;
  const extensions = extensionMembers(cls);
  const title = staticString(cls, 'title');
  const description = staticString(cls, 'description');
  const schema = problemSchema(
    cls.status,
    {
      ...(type !== undefined ? { type: { const: type } } : {}),
      ...(code !== undefined ? { code: { const: code } } : {}),
      ...extensions.properties,
    },
    [...(code !== undefined ? ['code'] : []), ...extensions.required],
    {
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(page !== undefined ? { externalDocs: { description: `The ${code!} problem type`, url: page } } : {}),
    },
  );
  return { what: cls.name, schema, type, code };
}

/** True when no answer can fit two of the kinds: each pair differs in a member both fix. */
function exclusive(kinds: readonly ProblemKind[]): boolean {
  const differ = <T>(a: T | undefined, b: T | undefined): boolean => a !== undefined && b !== undefined && a !== b;
  return kinds.every((a, i) => kinds.slice(i + 1).every((b) => differ(a.type, b.type) || differ(a.code, b.code)));
}

/**
 * The response of one error status: each kind of answer it may be (`oneOf` when they exclude one
 * another, else `anyOf`), as `application/problem+json` and as `application/json`, which a client
 * that prefers plain JSON gets; the header the status carries.
 */
function errorResponse(status: number, kinds: readonly ProblemKind[]): ResponseObject {
  const schema: JsonSchema =
    kinds.length === 1 ? kinds[0]!.schema : { [exclusive(kinds) ? 'oneOf' : 'anyOf']: kinds.map((kind) => kind.schema) };
  const headers = statusHeaders(status, false);
  return {
    description: `${reasonPhrase(status)}: ${kinds.map((kind) => kind.what).join('; ')}`,
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema }, 'application/json': { schema } },
  };
}

/** The error responses of kinds grouped by status, in status order. */
function errorResponsesOf(byStatus: ReadonlyMap<number, readonly ProblemKind[]>): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  for (const [status, kinds] of [...byStatus].sort(([a], [b]) => a - b)) responses[String(status)] = errorResponse(status, kinds);
  return responses;
}

/** Adds a kind under its status. */
function addKind(byStatus: Map<number, ProblemKind[]>, status: number, kind: ProblemKind): void {
  const kinds = byStatus.get(status);
  if (kinds === undefined) byStatus.set(status, [kind]);
  else kinds.push(kind);
}

/**
 * The `responses` entries for error classes, keyed by status: `application/problem+json` (and
 * `application/json`) content that refers to the `ProblemDetails` component (put
 * `problemDetailsSchema` under `components.schemas.ProblemDetails`), with the status fixed, the
 * header the status carries, and for each class its own schema — its `code`, `type` and extension
 * members — several under one status as `oneOf`. With the error handler's `typeBase`, the `type`
 * URI of each declared code is shown and linked.
 */
export function errorResponses(classes: readonly DocumentedErrorClass[], typeBase?: string): Record<string, ResponseObject> {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const cls of new Set(classes)) addKind(byStatus, cls.status, classKind(cls, typeBase));
  return errorResponsesOf(byStatus);
}

/**
 * The JSON Schema of a validator, for one direction: from Standard JSON Schema when the validator
 * offers it (zod 4, arktype), else a schema that accepts anything and says why (valibot needs
 * `@valibot/to-json-schema`). A conversion that throws (a transform JSON Schema cannot express) is
 * the same fallback.
 */
function jsonSchemaOf(schema: StandardSchemaV1, direction: 'input' | 'output'): JsonSchema {
  const vendor = schema['~standard'].vendor;
  try {
    return (
      convert(schema, direction) ?? {
        description: `A ${vendor} schema: it offers no JSON Schema (Standard JSON Schema), so any value is shown here`,
      }
    );
  } catch (error) {
    return { description: unconvertible(vendor, error) };
  }
}

/** The Standard JSON Schema of a schema, without `$schema`; `undefined` when it offers none. Throws what the converter throws. */
function convert(
  schema: StandardSchemaV1,
  direction: 'input' | 'output',
  libraryOptions?: Record<string, unknown>,
): JsonSchema | undefined {
  const converter = read(schema['~standard'], 'jsonSchema') as StandardJSONSchemaV1.Converter | undefined;
  if (typeof read(converter, direction) !== 'function') return undefined;
  const { $schema: _dialect, ...converted } = converter![direction]({
    target: 'draft-2020-12',
    ...(libraryOptions ? { libraryOptions } : {}),
  });
  return converted;
}

function unconvertible(vendor: string, error: unknown): string {
  return `The ${vendor} schema could not be converted to JSON Schema: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The JSON Schema of an object schema whose members are parameters. When one member cannot be
 * converted (`z.bigint()`), the others still are: the conversion is asked again to leave what it
 * cannot express open (zod's `unrepresentable: 'any'`), and each member that cannot be converted on
 * its own (read from the schema's `shape`) says why.
 */
function parametersSchemaOf(schema: StandardSchemaV1): JsonSchema {
  try {
    // a validator without Standard JSON Schema gets the fallback that says so
    return convert(schema, 'input') ?? jsonSchemaOf(schema, 'input');
  } catch (error) {
    const vendor = schema['~standard'].vendor;
    let open: JsonSchema | undefined;
    try {
      open = convert(schema, 'input', { unrepresentable: 'any' });
    } catch {
      open = undefined;
    }
    if (open === undefined) return { description: unconvertible(vendor, error) };
    const shape = read(schema, 'shape');
    const properties = { ...((open.properties ?? {}) as Record<string, JsonSchema>) };
    for (const name of Object.keys(properties)) {
      const member = read(shape, name);
      if (!isStandardSchema(member)) continue;
      try {
        convert(member, 'input');
      } catch (memberError) {
        properties[name] = { description: unconvertible(member['~standard'].vendor, memberError) };
      }
    }
    return { ...open, properties };
  }
}

/** The properties of an object JSON Schema, and which are required; none for any other shape. */
function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: ReadonlySet<string> } {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return { properties: { ...properties }, required: new Set((schema.required ?? []) as string[]) };
}

/** Headers OpenAPI describes elsewhere (RFC: "If in is header and the name is Accept, Content-Type or Authorization, … ignored"). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * The Parameter Objects of a route: its path parameters, and the query and header parameters the
 * schemas of its specs name (a later spec's — the route's own — over a middleware's of the same name).
 */
function parametersOf(entry: RouteEntry, specs: readonly RouteSpec[]): ParameterObject[] {
  const byName = new Map<string, ParameterObject>();
  const paramSchemas: Record<string, JsonSchema> = {};
  for (const spec of specs) if (spec.params) Object.assign(paramSchemas, propertiesOf(parametersSchemaOf(spec.params)).properties);
  for (const name of entry.params) {
    byName.set(`path ${name}`, {
      name,
      in: 'path',
      required: true,
      schema: (Object.hasOwn(paramSchemas, name) ? paramSchemas[name] : undefined) ?? { type: 'string' },
    });
  }
  for (const spec of specs) {
    for (const [part, where] of [
      ['query', 'query'],
      ['headers', 'header'],
    ] as const) {
      const schema = spec[part];
      if (!schema) continue;
      const { properties, required } = propertiesOf(parametersSchemaOf(schema));
      for (const [name, property] of Object.entries(properties)) {
        if (where === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
        const nested = where === 'query' && property.type === 'object' ? { style: 'deepObject' as const, explode: true } : {};
        const key = `${where} ${where === 'header' ? name.toLowerCase() : name}`;
        byName.delete(key); // a later spec's parameter of the same name is the one in force: it comes last
        byName.set(key, { name, in: where, required: required.has(name), schema: property, ...nested });
      }
    }
  }
  return [...byName.values()];
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

/** The success statuses whose class requires its header: `Created` its `location`, `PartialContent` its `range`. */
const REQUIRED_RESULT_HEADERS: ReadonlySet<number> = new Set([201, 206]);

/** The success responses of a route: the status and headers of each of its `result` classes, the body of its `resultBody`. */
function successResponses(spec: RouteSpec): Record<string, ResponseObject> {
  const body = spec.resultBody ? { content: { 'application/json': { schema: jsonSchemaOf(spec.resultBody, 'output') } } } : {};
  const results: readonly HttpResponseClass[] =
    spec.result === undefined ? [] : Array.isArray(spec.result) ? spec.result : [spec.result as HttpResponseClass];
  if (results.length === 0) return { '2XX': { description: 'Success: the route spec declares no `result` class', ...body } };
  const responses: Record<string, ResponseObject> = {};
  for (const result of results) {
    const headers = statusHeaders(result.status, REQUIRED_RESULT_HEADERS.has(result.status));
    const empty = result.status === 204 || result.status === 205;
    responses[String(result.status)] = {
      description: SUCCESS_PHRASES[result.status],
      ...(headers ? { headers } : {}),
      ...(empty ? {} : body.content ? body : { content: { 'application/json': { schema: {} } } }),
    };
  }
  return responses;
}

/** True when a spec validates any part of the request. */
function validates(spec: RouteSpec): boolean {
  return INPUT_PARTS.some((part) => spec[part] !== undefined);
}

/** What a plain Express route may answer: anything, as far as the document can tell. */
const PLAIN_ROUTE_RESPONSE: ResponseObject = {
  description: 'Not described: a plain Express route (handle(spec, fn) routes are documented)',
  content: { '*/*': { schema: {} } },
};

/** The methods an OpenAPI Path Item has a field for; a route of another method is listed under `x-skipped-routes`. */
const OPENAPI_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** What the operations of one document share: its options, and the operation ids already given. */
interface DocumentContext {
  readonly options: OpenApiOptions;
  readonly operationIds: Set<string>;
}

/**
 * The operation of one method of a route: what its `handle(spec, fn)` declares, with the errors of
 * the `handle(spec, fn)` middlewares it runs after and the app's, and the answers the package and
 * Express give by themselves; for a plain route, what can be known.
 */
function operationOf(entry: RouteEntry, handlers: readonly unknown[], context: DocumentContext): OperationObject {
  const { options } = context;
  // the last handler with a spec is the route's own; any before it, and the app's middleware, are its scopes
  const own = [...handlers]
    .reverse()
    .map(routeSpec)
    .find((found) => found !== undefined);
  const specs = [...entry.middleware, ...handlers].map(routeSpec).filter((spec) => spec !== undefined);
  const parameters = parametersOf(entry, specs);
  const byStatus = new Map<number, ProblemKind[]>();
  const classes = new Set([...(options.errors ?? []), ...specs.flatMap((spec) => spec.errors ?? [])] as unknown as DocumentedErrorClass[]);
  for (const cls of classes) addKind(byStatus, cls.status, classKind(cls, options.typeBase));
  const validationStatus = options.validationStatus ?? 422;
  const body = specs.find((spec) => spec.body !== undefined)?.body;
  if (own) {
    if (specs.some(validates))
      addKind(
        byStatus,
        validationStatus,
        automaticKind(validationStatus, 'the request did not pass validation; `errors` lists each issue', ['errors']),
      );
    if (body || entry.params.length > 0)
      addKind(
        byStatus,
        400,
        automaticKind(
          400,
          body ? 'the body could not be parsed, or a path parameter could not be decoded' : 'a path parameter could not be decoded',
        ),
      );
    if (body) {
      addKind(byStatus, 413, automaticKind(413, "the body is larger than the body parser's limit"));
      addKind(byStatus, 415, automaticKind(415, 'the charset or the content coding of the body is not supported'));
    }
    addKind(byStatus, 500, {
      what: 'an unexpected failure; its detail is never shown',
      schema: problemSchema(500, {}),
      type: undefined,
      code: undefined,
    });
  }
  const responses = own
    ? { ...successResponses(own), ...errorResponsesOf(byStatus) }
    : {
        ...errorResponsesOf(byStatus),
        default: PLAIN_ROUTE_RESPONSE,
      };
  const security = own?.security ?? specs.findLast((spec) => spec.security !== undefined)?.security;
  return {
    ...metadataOf(own, context),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(own && body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(body, 'input') } } } } : {}),
    responses,
    ...(security !== undefined ? { security: securityOf(security, options) } : {}),
  };
}

/** The operation's `summary`, `description`, `tags`, `operationId` and `deprecated`, from its own spec. */
function metadataOf(spec: RouteSpec | undefined, context: DocumentContext): Partial<OperationObject> {
  if (!spec) return {};
  const { summary, description, tags, deprecated } = spec;
  let operationId = spec.operationId;
  // one spec can serve several paths (an array path, the variants of an optional part): ids stay unique
  for (let n = 2; operationId !== undefined && context.operationIds.has(operationId); n++) operationId = `${spec.operationId!}_${n}`;
  if (operationId !== undefined) context.operationIds.add(operationId);
  return {
    ...(typeof summary === 'string' ? { summary } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    ...(operationId !== undefined ? { operationId } : {}),
    ...(tags !== undefined ? { tags: [...tags] } : {}),
    ...(deprecated === true ? { deprecated: true } : {}),
  };
}

/** A route's security requirements, each scheme checked against `securitySchemes`: a misspelt name would document no security at all. */
function securityOf(security: readonly SecurityRequirement[], options: OpenApiOptions): Record<string, string[]>[] {
  return security.map((requirement) =>
    Object.fromEntries(
      Object.entries(requirement).map(([name, scopes]) => {
        if (!Object.hasOwn(options.securitySchemes ?? {}, name))
          throw new Error(
            `express-typed-errors: a route's security names "${name}", which openApi(app, { securitySchemes }) does not define`,
          );
        return [name, [...scopes]];
      }),
    ),
  );
}

/**
 * The OpenAPI 3.1 document of an app (or a router), read from its routes on Express 4 and 5, nested
 * routers and mount paths included. A `handle(spec, fn)` route is documented from its spec: path,
 * query and header parameters and the request body from its schemas (as JSON Schema where the
 * validator provides it), the success responses from its `result` classes and `resultBody`, its
 * metadata, and its error responses from `errors` — its own, those of the `handle(spec, fn)`
 * middlewares that run before it (`app.use`, `router.use`, earlier in its chain) and the app's
 * (`options.errors`) — plus what the package and Express answer by themselves: the automatic 422
 * when it validates, the body parser's 400, 413 and 415, the 400 of an undecodable path parameter,
 * and the 500 every route may give; each as `application/problem+json` and `application/json`,
 * all referring to one `ProblemDetails` component. A plain Express route appears with its path
 * parameters. What OpenAPI cannot express is listed under `x-skipped-routes` with the reason.
 * Throws when the app's router cannot be read at all, or a route's `security` names a scheme
 * `securitySchemes` does not define.
 */
export function openApi(app: unknown, options: OpenApiOptions): OpenApiDocument {
  const listing = listRoutes(app);
  const skipped = [...listing.skipped];
  const paths: Record<string, Record<string, OperationObject>> = {};
  const context: DocumentContext = { options, operationIds: new Set() };
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
    const unknown: string[] = [];
    for (const [method, handlers] of Object.entries(entry.methods)) {
      // an .all() route answers any method: it is no operation of its own
      if (method === '*') continue;
      const field = method.toLowerCase();
      if (!OPENAPI_METHODS.has(field)) {
        unknown.push(method);
        continue;
      }
      // as Express does, the first route registered for a path and method is the one that answers
      item[field] ??= operationOf(entry, handlers, context);
    }
    if (unknown.length > 0) skipped.push({ path: entry.path, methods: unknown, reason: 'OpenAPI 3.1 has no field for these methods' });
    if (Object.keys(item).length === 0) delete paths[entry.openApiPath];
  }
  return {
    openapi: '3.1.0',
    info: { ...options.info },
    ...(options.servers ? { servers: options.servers.map((server) => ({ ...server })) } : {}),
    paths,
    components: {
      schemas: { ProblemDetails: problemComponent },
      ...(options.securitySchemes ? { securitySchemes: structuredClone(options.securitySchemes) } : {}),
    },
    ...(skipped.length > 0 ? { 'x-skipped-routes': skipped.map(({ path, methods, reason }) => ({ path, methods, reason })) } : {}),
  };
}
