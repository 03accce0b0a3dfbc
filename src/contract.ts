/**
 * Route contracts: one declaration of a route — its method, path, input schemas, result and errors —
 * shared by the server that implements it (`app.get(getUser.path, handle(getUser, fn))`) and the
 * client that calls it (`await call(getUser, { params: { id: 42 } })`).
 *
 * Browser-safe, as the rest of `express-typed-errors/client`: it imports only the error classes and
 * the client's reading of answers; the schemas are the app's own (zod, valibot, arktype …).
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type ProblemClass, type ProblemError, type ResponseLike, isProblemError, throwIfProblem } from './client';
import { type HttpError, createHttpError } from './errors';
import type { HttpResponseClass } from './responses';
import type { ErrorClass, RouteSpec } from './spec';
import { type ProblemStatus, isProblemStatus } from './status';

/** The methods a contract may have, as Express routes them (`app.get`, `app.post` …). */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

const METHODS: ReadonlySet<string> = new Set<Method>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * What `route()` takes: a route spec, as `handle(spec, fn)` takes it, with the method and the path the
 * route is mounted at. The path is literal segments and `:name` parameters, the syntax Express 4 and 5
 * read the same.
 */
export interface ContractSpec extends RouteSpec {
  /** The method, in upper case. */
  readonly method: Method;
  /** The path, from where the API is mounted (the client's `baseUrl`): `/users/:id`. */
  readonly path: string;
}

/** Marks the values `route()` makes; `Symbol.for` so that the server's copy of the package knows the client's. */
const CONTRACT_BRAND: unique symbol = Symbol.for('express-typed-errors.RouteContract');

/** A route contract: what `route()` returned for `C`, frozen. */
export type RouteContract<C extends ContractSpec = ContractSpec> = C & { readonly [CONTRACT_BRAND]: true };

/** A literal segment character of a path, or a `:name` parameter; no wildcard, optional or regular-expression syntax. */
const PATH = /^(?:\/(?:[\w\-.~$&',;=@]|:[A-Za-z_]\w*)*)+$/;
const PARAMETER = /:([A-Za-z_]\w*)/g;

/**
 * Declares a route, once, for the server and the client: a frozen value that a module both import
 * exports. It is a spec as `handle(spec, fn)` takes it, with its method and path.
 *
 * ```ts
 * export const getUser = route({ method: 'GET', path: '/users/:id',
 *   params: z.object({ id: z.coerce.number() }), result: Ok, resultBody: User, errors: [NotFound] });
 * ```
 *
 * Throws a TypeError for what could never work: a method Express has no router method for, a path
 * with syntax other than literal segments and `:name` parameters, a body on a GET or HEAD, or an
 * error class a client cannot tell from its parent (a subclass without a `static code` or `type`).
 */
export function route<const C extends ContractSpec>(spec: C): RouteContract<C> {
  const { method, path } = spec;
  const name = `route() of ${String(method)} ${String(path)}`;
  if (!METHODS.has(method)) throw new TypeError(`express-typed-errors: ${name}: the method must be one of ${[...METHODS].join(', ')}`);
  if (typeof path !== 'string' || !PATH.test(path)) {
    throw new TypeError(
      `express-typed-errors: ${name}: the path must be literal segments and :name parameters (no *, ?, ( ), { }), which Express 4 and 5 read alike`,
    );
  }
  if (spec.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`express-typed-errors: ${name}: a ${method} request has no body`);
  }
  for (const cls of spec.errors ?? []) {
    if (!isRecognizable(cls)) {
      throw new TypeError(
        `express-typed-errors: ${name}: ${cls.name} has no static code or type, so a client cannot tell its answers from its parent's: declare one`,
      );
    }
  }
  return Object.freeze(Object.defineProperty({ ...spec }, CONTRACT_BRAND, { value: true })) as RouteContract<C>;
}

/** True when `value` is a contract `route()` made, from this copy of the package or another. */
export function isRouteContract(value: unknown): value is RouteContract {
  try {
    return typeof value === 'object' && value !== null && (value as { [CONTRACT_BRAND]?: unknown })[CONTRACT_BRAND] === true;
  } catch {
    return false;
  }
}

/** A class the client can rebuild: the package's own class for its status, or one with a static code or type. */
function isRecognizable(cls: ErrorClass): boolean {
  if (isRegistrable(cls)) return true;
  const { status } = cls as unknown as { status?: unknown };
  return isProblemStatus(status) && (createHttpError as (status: number) => HttpError)(status).constructor === cls;
}

/** A class with a static `code` or `type`, which `throwIfProblem()` matches answers against. */
function isRegistrable(cls: ErrorClass): cls is ErrorClass & ProblemClass {
  const { code, type } = cls as unknown as { code?: unknown; type?: unknown };
  return typeof code === 'string' || typeof type === 'string';
}

// ---------------------------------------------------------------------------------------------------
// Types of a call: its input from the schemas' input types, its data from resultBody, its errors.

/** A value the client can put in a path, a query string or a header. */
export type Scalar = string | number | boolean | bigint;

/** The input type of a schema, `never` without one. */
type InputOf<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferInput<S> : never;

/** A value as a schema accepts it, and as a URL or a header can carry it: a coercing schema accepts anything (`unknown`), so it takes any scalar. */
type Carried<T, Carrier> = unknown extends T ? Carrier : T & Carrier;

/** The `:name` parameters of a path template. */
type PathParameters<P extends string> = P extends `${string}:${infer Rest}`
  ? ParameterName<Rest extends `${infer Segment}/${string}` ? Segment : Rest> | PathParameters<Rest>
  : never;
type ParameterName<S extends string> = S extends `${infer Name}.${string}` ? Name : S extends `${infer Name}-${string}` ? Name : S;

/** The path parameters of a call: one scalar for each `:name` of the path, of the type the `params` schema accepts. */
type ParamsInput<C extends ContractSpec> = { readonly [K in PathParameters<C['path']>]: Scalar } & {
  readonly [K in keyof InputOf<C['params']>]: Carried<InputOf<C['params']>[K], Scalar>;
};

/** The query of a call: each member a scalar or an array of them, of the type the `query` schema accepts. */
type QueryInput<C extends ContractSpec> = {
  readonly [K in keyof InputOf<C['query']>]: Carried<InputOf<C['query']>[K], Scalar | readonly Scalar[] | undefined>;
};

/** The headers of a call, of the type the `headers` schema accepts. */
type HeadersInput<C extends ContractSpec> = {
  readonly [K in keyof InputOf<C['headers']>]: Carried<InputOf<C['headers']>[K], Scalar | undefined>;
};

/** A member of the input: absent without a schema (or parameters), optional when it may be left out, required otherwise. */
type Member<K extends string, Has, T> = [Has] extends [never]
  ? { readonly [P in K]?: never }
  : object extends T
    ? { readonly [P in K]?: T }
    : { readonly [P in K]: T };

/** What `call(contract, input)` sends: `params`, `query`, `body` and `headers`, typed from the contract's schemas' input types. */
export type CallInput<C extends ContractSpec> = Member<'params', PathParameters<C['path']> | InputOf<C['params']>, ParamsInput<C>> &
  Member<'query', InputOf<C['query']>, QueryInput<C>> &
  Member<'body', C['body'] extends StandardSchemaV1 ? true : never, InputOf<C['body']>> &
  Member<'headers', InputOf<C['headers']>, HeadersInput<C>>;

/** The input argument: optional when nothing in it is required. */
type InputArgument<C extends ContractSpec> = object extends CallInput<C> ? [input?: CallInput<C>] : [input: CallInput<C>];

/** The statuses of a contract's result classes. */
type ResultStatus<C extends ContractSpec> = C['result'] extends readonly (infer R)[]
  ? R extends HttpResponseClass<infer S>
    ? S
    : never
  : C['result'] extends HttpResponseClass<infer S>
    ? S
    : never;

/** The body of a success answer: the input type of `resultBody` as sent, its output type when checked. */
type BodyOf<C extends ContractSpec, Checked extends boolean> = C['resultBody'] extends StandardSchemaV1
  ? Checked extends true
    ? StandardSchemaV1.InferOutput<C['resultBody']>
    : StandardSchemaV1.InferInput<C['resultBody']>
  : unknown;

/**
 * What `call()` resolves to: the result body (see `BodyOf`); `undefined` for a 204 or 205 result and
 * for a HEAD, which have none.
 */
export type CallData<C extends ContractSpec, Checked extends boolean = false> = C['method'] extends 'HEAD'
  ? undefined
  : [ResultStatus<C>] extends [never]
    ? BodyOf<C, Checked>
    : | ([Exclude<ResultStatus<C>, 204 | 205>] extends [never] ? never : BodyOf<C, Checked>)
      | ([Extract<ResultStatus<C>, 204 | 205>] extends [never] ? never : undefined);

/**
 * The error `call()` rejects with for an error class: its instance, a `ProblemError` of its status
 * (`requestId`, `problem`, `response` …), and the extension members its `static extensions` schema
 * declares, typed by the schema's output.
 */
export type ProblemErrorOf<C> = C extends abstract new (...args: never) => infer E
  ? E extends HttpError<infer S>
    ? E & ProblemError<S> & ExtensionsOf<C>
    : never
  : never;

/** The members a class's `static extensions` schema declares. */
export type ExtensionsOf<C> = C extends { readonly extensions: infer S }
  ? S extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<S>
    : unknown
  : unknown;

/**
 * The statuses any route can be answered with, declared or not: a bug (500) and what stands between
 * the client and the server — a proxy or gateway (502, 504), and overload or maintenance (503).
 */
export type AnyRouteStatus = 500 | 502 | 503 | 504;
const ANY_ROUTE_STATUSES: readonly number[] = [500, 502, 503, 504] satisfies readonly AnyRouteStatus[];

/** One `ProblemError` per status of a union, so that a switch on `status` narrows. */
type EachStatus<S> = S extends ProblemStatus ? ProblemError<S> : never;

/** Whether the contract validates input, and so may answer 422. */
type ValidatesInput<C extends ContractSpec> = C extends
  | { readonly params: StandardSchemaV1 }
  | { readonly query: StandardSchemaV1 }
  | { readonly body: StandardSchemaV1 }
  | { readonly headers: StandardSchemaV1 }
  ? true
  : false;

/**
 * The error of `callSafe()`: one of the route's declared classes, `UnprocessableContent` when the
 * route validates input, or the class of a status any route can answer (`AnyRouteStatus`).
 */
export type CallError<C extends ContractSpec> =
  | (C['errors'] extends readonly (infer E)[] ? ProblemErrorOf<E> : never)
  | (ValidatesInput<C> extends true ? ProblemError<422> : never)
  | EachStatus<AnyRouteStatus>;

/** What `callSafe()` resolves to: the data, or the error, each under its own `ok`. */
export type CallResult<C extends ContractSpec, Checked extends boolean = false> =
  { readonly ok: true; readonly data: CallData<C, Checked> } | { readonly ok: false; readonly error: CallError<C> };

/** What the client asks of `fetch`: the global one fits, and so does any wrapper of it. */
export type Fetch = (
  url: string,
  init: {
    /** The contract's method. */
    method: string;
    /** `Accept`, `Content-Type` with a body, and the headers of the options and of the input. */
    headers: Record<string, string>;
    /** The JSON body, when the contract has one. */
    body?: string;
    /** The options' `signal`. */
    signal?: AbortSignal;
  },
) => Promise<
  ResponseLike & {
    /** The body as text. */
    text(): Promise<string>;
  }
>;

/** How to call: where the API is, and what to send with every request. */
export interface CallOptions {
  /** Where the API is mounted, prefixed to the contract's path: `https://api.example.com/v1`. Default: none (a relative URL, for a browser page). */
  readonly baseUrl?: string;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: Fetch;
  /** Aborts the request: `call()` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Headers sent with the request (`authorization` …); the contract's `headers` input wins over them. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Checks the result body with `resultBody`, and resolves to its parsed output; a body that does not fit rejects with a TypeError. */
  readonly check?: boolean;
}

/**
 * Calls the route of a contract: builds the URL from its path (parameters percent-encoded) and the
 * query, sends the body as JSON, and resolves to the result body. A 4xx or 5xx answer rejects with
 * the error the server threw, its class rebuilt (the contract's `errors` are registered), as
 * `throwIfProblem()` does; a network failure or an abort rejects as `fetch` does.
 *
 * ```ts
 * const user = await call(getUser, { params: { id: 42 } }, { baseUrl: '/api' }); // typed from resultBody
 * ```
 */
export function call<const C extends RouteContract>(
  contract: C,
  input: InputArgument<C>[0],
  options: CallOptions & {
    /** Checked: the body is parsed by `resultBody`, and its output is what the call resolves to. */
    readonly check: true;
  },
): Promise<CallData<C, true>>;
export function call<const C extends RouteContract>(
  contract: C,
  ...args: [...InputArgument<C>, options?: CallOptions]
): Promise<CallData<C>>;
export async function call(contract: RouteContract, input?: CallInputValue, options: CallOptions = {}): Promise<unknown> {
  const { fetch: fetcher = globalThis.fetch, check = false } = options;
  const response = await fetcher(urlOf(contract, input ?? {}, options.baseUrl), requestOf(contract, input ?? {}, options));
  await throwIfProblem(response, { classes: (contract.errors ?? []).filter(isRegistrable) });
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    throw new Error(`express-typed-errors: ${routeName(contract)} was answered ${response.status}, not a 2xx`);
  }
  const data = await dataOf(contract, response);
  return check && contract.resultBody ? checked(contract, contract.resultBody, data) : data;
}

/**
 * `call()` for code that must not throw on an answer: resolves to `{ ok: true, data }`, or to
 * `{ ok: false, error }` for an error the contract describes (`CallError`), so that a `switch` on
 * `error.status` narrows. What the contract does not describe still rejects: a network failure or an
 * abort (there was no answer), an error the route does not declare (the error, as `call()` rejects).
 */
export function callSafe<const C extends RouteContract>(
  contract: C,
  input: InputArgument<C>[0],
  options: CallOptions & {
    /** Checked: the body is parsed by `resultBody`, and its output is what the call resolves to. */
    readonly check: true;
  },
): Promise<CallResult<C, true>>;
export function callSafe<const C extends RouteContract>(
  contract: C,
  ...args: [...InputArgument<C>, options?: CallOptions]
): Promise<CallResult<C>>;
export async function callSafe(contract: RouteContract, input?: CallInputValue, options?: CallOptions): Promise<unknown> {
  try {
    return { ok: true, data: await (call as Untyped)(contract, input, options) };
  } catch (error) {
    if (isDescribed(contract, error)) return { ok: false, error };
    throw error;
  }
}

/** `call()` as it runs, whatever the contract. */
type Untyped = (contract: RouteContract, input?: CallInputValue, options?: CallOptions) => Promise<unknown>;

/** The input as it comes at run time: anything, read defensively. */
interface CallInputValue {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
  readonly headers?: unknown;
}

/** Whether an error is one the contract describes: an instance of a declared class, its 422, or a status any route can answer. */
function isDescribed(contract: RouteContract, error: unknown): boolean {
  if (!isProblemError(error)) return false;
  if (ANY_ROUTE_STATUSES.includes(error.status)) return true;
  if (error.status === 422 && (contract.params ?? contract.query ?? contract.body ?? contract.headers) !== undefined) return true;
  return (contract.errors ?? []).some((cls) => error instanceof cls);
}

/** `GET /users/:id`, for messages. */
function routeName(contract: RouteContract): string {
  return `${contract.method} ${contract.path}`;
}

/** The URL of a call: the base, the path with its parameters, and the query. */
function urlOf(contract: RouteContract, input: CallInputValue, baseUrl = ''): string {
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = contract.path.replace(PARAMETER, (_match, name: string) => pathParameter(contract, name, params[name]));
  const query = queryOf(contract, input.query);
  return `${baseUrl.replace(/\/+$/, '')}${path}${query === '' ? '' : `?${query}`}`;
}

/**
 * A path parameter, percent-encoded: `/`, `?`, `#`, `%`, spaces and any non-ASCII character reach the
 * route as they were (Express decodes them). `.` and `..` cannot: a URL resolves them as segments.
 */
function pathParameter(contract: RouteContract, name: string, value: unknown): string {
  const text = isScalar(value) ? String(value) : undefined;
  if (text === undefined || text === '' || text === '.' || text === '..') {
    throw new TypeError(
      `express-typed-errors: ${routeName(contract)}: the parameter ${name} must be a string or number other than '', '.' and '..'`,
    );
  }
  return encodeURIComponent(text);
}

/**
 * The query string, as both Express parsers read it — Express 5's `simple` one (node:querystring) and
 * Express 4's `extended` one (qs): a scalar is `key=value`, an array repeats its key, `undefined` and
 * `null` are left out. A nested object, or a key with `[` or `]`, has no form both read alike, and
 * throws a TypeError.
 */
function queryOf(contract: RouteContract, query: unknown): string {
  if (query === undefined) return '';
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new TypeError(`express-typed-errors: ${routeName(contract)}: the query must be an object`);
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined || item === null) continue;
      if (!isScalar(item) || /[[\]]/.test(key)) {
        throw new TypeError(
          `express-typed-errors: ${routeName(contract)}: the query member ${key} must be a scalar or an array of scalars, its key without [ or ]`,
        );
      }
      search.append(key, String(item));
    }
  }
  return search.toString();
}

/** The request init: the method, the headers (the options', then the contract's), the body as JSON. */
function requestOf(contract: RouteContract, input: CallInputValue, options: CallOptions): Parameters<Fetch>[1] {
  const headers: Record<string, string> = { ...options.headers };
  for (const [name, value] of Object.entries((input.headers ?? {}) as Record<string, unknown>)) {
    if (isScalar(value)) headers[name.toLowerCase()] = String(value);
  }
  const init: Parameters<Fetch>[1] = { method: contract.method, headers };
  if (contract.body !== undefined && input.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(input.body);
  }
  if (options.signal) init.signal = options.signal;
  return init;
}

function isScalar(value: unknown): value is Scalar {
  return ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** Members a JSON body may not bring in, as in problems: dropped at every depth. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The result body: `undefined` for a 204, a 205, a HEAD or an empty body; else the JSON. */
async function dataOf(contract: RouteContract, response: ResponseLike & { text(): Promise<string> }): Promise<unknown> {
  if (contract.method === 'HEAD' || response.status === 204 || response.status === 205) {
    await response.body?.cancel();
    return undefined;
  }
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || !(type === 'application/json' || type.endsWith('+json'))) {
    throw new TypeError(
      `express-typed-errors: ${routeName(contract)} was answered ${response.status} with ${type ?? 'no Content-Type'}, not JSON`,
    );
  }
  return JSON.parse(text, (key, value: unknown) => (PROTOTYPE_KEYS.has(key) ? undefined : value));
}

/** The result body checked with `resultBody`: its parsed output, or a TypeError naming the issues. */
async function checked(contract: RouteContract, schema: StandardSchemaV1, data: unknown): Promise<unknown> {
  const result = await schema['~standard'].validate(data);
  if (!result.issues) return result.value;
  throw new TypeError(
    `express-typed-errors: the answer of ${routeName(contract)} does not fit its resultBody: ${result.issues.map((issue) => issue.message).join('; ')}`,
  );
}
