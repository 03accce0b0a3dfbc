/**
 * `express-typed-errors/catalog`: the problem catalog, a router that documents every problem type an
 * app can answer, mounted where its `typeBase` points, so that a problem's `type` URI opens its page
 * (RFC 9457 §3.1.1). Read from the app itself: the classes its `handle(spec)` routes declare, their
 * statics (`code`, `title`, `description`, `extensions`), and the problems the package answers on
 * its own (validation, not found, method not allowed, the body parser's, 500).
 *
 * @example
 * import { problemCatalog } from 'express-typed-errors/catalog';
 *
 * app.use('/problems', problemCatalog(app, { typeBase: 'https://api.example.com/problems/' }));
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { NotAcceptable, NotFound } from './errors';
import { routeSpec } from './handle';
import type { ErrorClass } from './spec';
import { type CatalogText, renderIndex, renderPage } from './catalog-html';
import { logNote } from './log';
import { methodNotAllowed } from './middleware';
import type { JsonSchema } from './openapi';
import { type ProblemDetails, problemType } from './problem';
import { read } from './read';
import { type RouteEntry, listRoutes } from './routes';
import { isProblemStatus, reasonPhrase, statusHeader } from './status';

/** What `problemCatalog()` needs to know beyond the app's routes. */
export interface ProblemCatalogOptions {
  /** The error handler's `typeBase`: the catalog is mounted at its path (`https://api.example.com/problems/` → `/problems`). */
  readonly typeBase: string;
  /** The heading of the index. Default: `'Problem types'`. */
  readonly title?: string;
  /** A paragraph under the heading of the index, about the API. */
  readonly description?: string;
  /** Error classes any route may answer (an authentication or rate-limit middleware's), besides those each route declares. */
  readonly errors?: readonly ErrorClass[];
  /** The error handler's `validationStatus`: where the validation failure is listed. Default: `422`. */
  readonly validationStatus?: 400 | 422;
}

/** A route that may answer a problem: its method and its path as the app wrote it. */
export interface CatalogRoute {
  /** The method, in upper case. */
  readonly method: string;
  /** The path as the app declares it (`/users/:id`). */
  readonly path: string;
}

/** One problem type as the index lists it. */
export interface CatalogEntry {
  /** Its page under the catalog: the code, or the status of an answer whose type is `about:blank`. */
  readonly page: string;
  /** The `type` member problems of it carry: a URI under `typeBase`, the class's own `type`, or `about:blank`. */
  readonly type: string;
  /** The status every problem of the type is answered with. */
  readonly status: number;
  /** Its title: the class's `static title`, else the status's reason phrase. */
  readonly title: string;
  /** The `code` member, for a coded class. */
  readonly code?: string;
  /** What it means, in one line. */
  readonly summary: string;
}

/** A header that comes with a problem. */
export interface CatalogHeader {
  /** The header's name (`Retry-After`). */
  readonly name: string;
  /** True when every problem of the type carries it. */
  readonly required: boolean;
  /** What it says. */
  readonly description: string;
}

/** An extension member of a problem type, from its class's `static extensions`. */
export interface CatalogMember {
  /** The member's name in the problem body. */
  readonly name: string;
  /** True when every problem of the type carries it. */
  readonly required: boolean;
  /** Its JSON Schema, as the class's schema converts (Standard JSON Schema). */
  readonly schema: JsonSchema;
}

/** One way the app comes to answer a problem type, and the routes it happens on. */
export interface CatalogCause {
  /** How it comes about, in one line. */
  readonly summary: string;
  /** The routes it may happen on; empty when `anyRoute`. */
  readonly routes: readonly CatalogRoute[];
  /** True when any request may get it (a path no route has, an unexpected failure, an app-wide class). */
  readonly anyRoute: boolean;
}

/** One problem type's page. */
export interface CatalogPage extends CatalogEntry {
  /** What it means and what the client should do: the class's `static description`, or what the status means. */
  readonly description: string;
  /** How the app comes to answer it, each with its routes. */
  readonly causes: readonly CatalogCause[];
  /** Its extension members, from the class's `static extensions`. */
  readonly extensions: readonly CatalogMember[];
  /** The headers it comes with (`Retry-After`, `WWW-Authenticate` …). */
  readonly headers: readonly CatalogHeader[];
  /** A body the error handler could send (the `detail` of one occurrence varies). */
  readonly example: ProblemDetails;
}

/** The catalog of an app, built once from its routes. */
interface Catalog {
  readonly pages: ReadonlyMap<string, CatalogPage>;
  readonly index: readonly CatalogEntry[];
}

/**
 * What each status means to a client, for a class that has no `static description` and for the
 * answers the package gives on its own.
 */
const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  400: 'The request is malformed: correct it before sending it again.',
  401: 'The request has no valid credentials: authenticate as `WWW-Authenticate` says, then send it again.',
  402: 'A payment is required, or a plan is used up, before the request can be served.',
  403: 'The request is understood and refused: other credentials would not change that.',
  404: 'There is nothing at this path, or the server will not say that there is.',
  405: 'The path does not support this method: `Allow` lists the methods it does.',
  406: 'No representation matches the `Accept` headers of the request.',
  407: 'Authenticate with the proxy first, as `Proxy-Authenticate` says.',
  408: 'The request did not arrive whole in time: it may be sent again.',
  409: 'The request conflicts with the current state of the resource: read it again, then decide.',
  410: 'The resource existed and is gone for good: do not ask again.',
  411: 'The request must carry a `Content-Length`.',
  412: 'A precondition of the request (`If-Match` …) is false: the resource changed since it was read.',
  413: 'The request body is larger than the server accepts: send less.',
  414: 'The URI is longer than the server accepts.',
  415: 'The media type, charset or content coding of the request body is not supported.',
  416: 'No requested range overlaps the representation: `Content-Range` gives its length.',
  417: 'The `Expect` of the request cannot be met.',
  418: 'The server refuses the request on purpose.',
  421: 'The request reached a server that cannot answer for its URI: send it on a new connection.',
  422: 'The request is well-formed but not valid: correct it before sending it again.',
  423: 'The resource is locked: wait, then try again.',
  424: 'The request depended on another action, which failed.',
  425: 'The server will not risk a request that might be replayed: send it again after the handshake.',
  426: 'Switch to the protocol `Upgrade` names, then send the request again.',
  428: 'The request must be conditional: send it again with `If-Match` and the ETag you read.',
  429: 'Too many requests: wait as long as `Retry-After` says, if it does, before the next one.',
  431: 'A header field of the request, or all of them together, is too large.',
  451: 'The resource is unavailable as a consequence of a legal demand.',
  500: 'The server failed unexpectedly: the failure is logged, and its details are never sent. Quote `requestId` when reporting it.',
  501: 'The server does not support what the request needs.',
  502: 'A server upstream answered with something invalid: trying again later may work.',
  503: 'The service cannot answer for now: wait as long as `Retry-After` says, if it does, then try again.',
  504: 'A server upstream did not answer in time: trying again later may work.',
  505: 'The HTTP version of the request is not supported.',
  506: 'The server is misconfigured (content negotiation).',
  507: 'The server cannot store what the request needs.',
  508: 'The server met an infinite loop while processing the request.',
  510: 'The request needs an extension the server does not have.',
  511: 'Authenticate with the network first, as a captive portal asks.',
};

/** What the header each status carries tells the client. */
const HEADER_MEANINGS: Readonly<Record<string, string>> = {
  'WWW-Authenticate': 'The authentication scheme(s) to use, and their parameters',
  Allow: 'The methods the path supports',
  'Proxy-Authenticate': 'How to authenticate with the proxy',
  'Retry-After': 'How long to wait before trying again: seconds, or an HTTP date',
  'Content-Range': 'The current length of the representation, as `bytes */length`',
  Upgrade: 'The protocol(s) to switch to',
};

/** The meaning of a status; the reason phrase for a status the table does not have (499). */
function statusMeaning(status: number): string {
  return STATUS_MEANINGS[status] ?? `${reasonPhrase(status)}.`;
}

/** The header table of a page: the framing every problem has, then the one its status carries. */
function headersOf(status: number): CatalogHeader[] {
  const headers: CatalogHeader[] = [
    {
      name: 'Content-Type',
      required: true,
      description: '`application/problem+json`, or `application/json` when the request prefers it in `Accept`',
    },
  ];
  const rule = statusHeader(status);
  if (rule) headers.push({ name: rule.header, required: rule.required, description: HEADER_MEANINGS[rule.header] ?? '' });
  return headers;
}

/** A string static of a class, read without trusting it: `code`, `type`, `title`, `description`. */
function staticText(cls: unknown, key: string): string | undefined {
  const value = read(cls, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The JSON Schema of what a Standard Schema accepts, where it offers one (Standard JSON Schema: zod 4,
 * arktype); nothing where it does not, or cannot convert. (openapi.ts has its own, which says why in the document.)
 */
function inputJsonSchema(schema: StandardSchemaV1): JsonSchema | undefined {
  const converter = read(schema['~standard'], 'jsonSchema') as StandardJSONSchemaV1.Converter | undefined;
  try {
    return typeof read(converter, 'input') === 'function' ? converter!.input({ target: 'draft-2020-12' }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The extension members a class declares: its `static extensions` (a Standard Schema of an object),
 * by its JSON Schema where the schema offers one; else the older `static extensionSchema` (JSON
 * Schema properties).
 */
function extensionsOf(cls: unknown): CatalogMember[] {
  const schema = read(cls, 'extensions');
  if (typeof read(schema, '~standard') === 'object') {
    const converted = inputJsonSchema(schema as StandardSchemaV1);
    const properties = read(converted, 'properties');
    const required = read(converted, 'required');
    if (typeof properties !== 'object' || properties === null) return [];
    return Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) => ({
      name,
      required: Array.isArray(required) && required.includes(name),
      schema: property,
    }));
  }
  const legacy = read(cls, 'extensionSchema');
  if (typeof legacy !== 'object' || legacy === null) return [];
  return Object.entries(legacy as Record<string, JsonSchema>).map(([name, property]) => ({ name, required: false, schema: property }));
}

/** A value that fits a JSON Schema, for the example: its own example, default or constant, else one of its type. */
function exampleOf(schema: JsonSchema): unknown {
  const examples = read(schema, 'examples');
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  for (const key of ['const', 'default']) if (Object.hasOwn(schema, key)) return schema[key];
  const choices = read(schema, 'enum');
  if (Array.isArray(choices) && choices.length > 0) return choices[0];
  const type = Array.isArray(schema.type) ? (schema.type as unknown[])[0] : schema.type;
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}

/**
 * The error classes a route declares, for the method whose handlers these are: the `errors` of
 * every `handle(spec)` in its chain, its middleware's included, each class once. The document's
 * scopes (a `handle(spec)` in `app.use`, `openApi(app, { errors })`) are to be added here too.
 */
function declaredErrors(handlers: readonly unknown[]): ErrorClass[] {
  const classes = new Set<ErrorClass>();
  for (const handler of handlers) for (const cls of routeSpec(handler)?.errors ?? []) classes.add(cls);
  return [...classes];
}

/** What the automatic answers of one status come from, and which routes they may come on. */
type Automatic = { readonly status: number; readonly summary: string; readonly on: 'any' | 'input' | 'body' };

/** The answers the package gives on its own. */
function automaticAnswers(validationStatus: 400 | 422, answers405: boolean): Automatic[] {
  return [
    { status: 400, summary: 'The request body could not be parsed (the body parser).', on: 'body' },
    {
      status: validationStatus,
      summary:
        'The request did not pass validation: `errors` lists each issue, with a `pointer` into the body, or the `parameter` or `header` at fault.',
      on: 'input',
    },
    { status: 404, summary: 'No route has this path (`Cannot GET /path`).', on: 'any' },
    ...(answers405
      ? [{ status: 405, summary: 'The path has routes, for other methods only: `Allow` lists them.', on: 'any' } as const]
      : []),
    { status: 413, summary: 'The request body is larger than the body parser accepts.', on: 'body' },
    { status: 415, summary: 'The charset or the content coding of the request body is not supported (the body parser).', on: 'body' },
    { status: 500, summary: 'An unexpected failure: logged, its details never sent.', on: 'any' },
  ];
}

/** True when the app mounts `methodNotAllowed()` at its top level (or `app.use(methodNotAllowed)`, the call forgotten): only then does it answer 405. */
function mountsMethodNotAllowed(app: unknown): boolean {
  const router = read(app, 'router') ?? read(app, '_router');
  const stack = read(router, 'stack');
  const middleware: unknown = methodNotAllowed();
  return (
    Array.isArray(stack) &&
    stack.some((layer) => {
      const handle = read(layer, 'handle');
      return handle === middleware || handle === methodNotAllowed;
    })
  );
}

/** A route of the listing, with what it declares and the input its spec validates. */
interface ReadRoute extends CatalogRoute {
  readonly errors: readonly ErrorClass[];
  readonly input: boolean;
  readonly body: boolean;
}

/** Every route and method of the app (an `.all()` route as `ALL`), once each, with its declared errors. */
function readRoutes(app: unknown): ReadRoute[] {
  const routes = new Map<string, ReadRoute>();
  for (const entry of listRoutes(app).routes) {
    for (const [method, handlers] of methodsOf(entry)) {
      const key = `${method} ${entry.path}`;
      if (routes.has(key)) continue; // the variants of a path with optional parts
      const specs = handlers.map(routeSpec);
      routes.set(key, {
        method,
        path: entry.path,
        errors: declaredErrors(handlers),
        input: specs.some((spec) => spec && (spec.body || spec.query || spec.params || spec.headers)),
        body: specs.some((spec) => spec?.body),
      });
    }
  }
  return [...routes.values()];
}

/**
 * The methods of a route entry. An `.all()` route — whose every method runs the handlers of `'*'`
 * alone (`app.all()` registers each method Node knows) — is one `ALL`.
 */
function methodsOf(entry: RouteEntry): [string, readonly unknown[]][] {
  const any = Object.hasOwn(entry.methods, '*') ? entry.methods['*'] : undefined;
  const methods = Object.entries(entry.methods).filter(([method]) => method !== '*');
  const onlyAll =
    any !== undefined && methods.every(([, handlers]) => handlers.length === any.length && handlers.every((h, i) => h === any[i]));
  return onlyAll ? [['ALL', any]] : methods;
}

/** A route's path with its parameters filled in, for an example `instance`. */
function examplePath(path: string): string {
  return (
    path
      .replace(/:(\w+)\??/g, '1')
      .replace(/[{}]/g, '')
      .replace(/\*\w*/g, 'a') || '/'
  );
}

/** The page of a coded class (or one with its own `type`), from its statics. */
function classPage(cls: ErrorClass, page: string, type: string, status: number, causes: CatalogCause[]): CatalogPage {
  const code = staticText(cls, 'code');
  const title = staticText(cls, 'title') ?? reasonPhrase(status);
  const description = staticText(cls, 'description') ?? statusMeaning(status);
  const extensions = extensionsOf(cls);
  const route = causes.flatMap((cause) => cause.routes)[0];
  const example: ProblemDetails = { type, title, status, instance: examplePath(route?.path ?? '/'), ...(code ? { code } : {}) };
  for (const member of extensions) example[member.name] = exampleOf(member.schema);
  return {
    page,
    type,
    status,
    title,
    ...(code ? { code } : {}),
    summary: firstLine(description),
    description,
    causes,
    extensions,
    headers: headersOf(status),
    example,
  };
}

/** The first sentence or line of a description, for the index. */
function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(line);
  return sentence ? sentence[0] : line;
}

/** Builds the catalog of an app: its coded types by code, then one page per status answered with `about:blank`. */
function buildCatalog(app: unknown, options: ProblemCatalogOptions): Catalog {
  const routes = readRoutes(app);
  const appWide = options.errors ?? [];
  // each class once, with the routes that declare it (none for an app-wide class: it is answered anywhere)
  const declaring = new Map<ErrorClass, CatalogRoute[]>(appWide.map((cls) => [cls, []]));
  for (const route of routes) {
    for (const cls of route.errors) if (!appWide.includes(cls)) declaring.set(cls, [...(declaring.get(cls) ?? []), route]);
  }
  const pages = new Map<string, CatalogPage>();
  const plain = new Map<number, CatalogCause[]>();
  for (const [cls, declared] of declaring) {
    const status = read(cls, 'status');
    if (!isProblemStatus(status)) continue;
    const anyRoute = appWide.includes(cls);
    const code = staticText(cls, 'code');
    const ownType = staticText(cls, 'type');
    const cause = (summary: string): CatalogCause => ({
      summary,
      routes: declared.map(({ method, path }) => ({ method, path })),
      anyRoute,
    });
    if (code === undefined && ownType === undefined) {
      // no type of its own: its problems are `about:blank`, documented on the page of the status
      const description = staticText(cls, 'description');
      const name = String(read(cls, 'name'));
      plain.set(status, [
        ...(plain.get(status) ?? []),
        cause(description ? `${name}: ${firstLine(description)}` : `${name}, declared by these routes:`),
      ]);
      continue;
    }
    const type = ownType ?? problemType(options.typeBase, code!);
    const page = code ?? String(read(cls, 'name'));
    if (pages.has(page)) continue; // two classes with one code: the first declared documents it
    const name = String(read(cls, 'name'));
    pages.set(page, classPage(cls, page, type, status, [cause(anyRoute ? `${name}, on any route.` : `${name}, on these routes:`)]));
  }
  const byRoute = { any: [] as CatalogRoute[], input: routes.filter((r) => r.input), body: routes.filter((r) => r.body) };
  for (const answer of automaticAnswers(options.validationStatus ?? 422, mountsMethodNotAllowed(app))) {
    const on = answer.on === 'any' ? [] : byRoute[answer.on];
    if (answer.on !== 'any' && on.length === 0) continue;
    const cause: CatalogCause = {
      summary: answer.summary,
      routes: on.map(({ method, path }) => ({ method, path })),
      anyRoute: answer.on === 'any',
    };
    plain.set(answer.status, [cause, ...(plain.get(answer.status) ?? [])]);
  }
  const statusPages = [...plain].sort(([a], [b]) => a - b).map(([status, causes]) => statusPage(status, causes, options));
  for (const page of statusPages) if (!pages.has(page.page)) pages.set(page.page, page);
  const coded = [...pages.values()].filter((page) => page.type !== 'about:blank').sort(byStatusThenPage);
  return { pages, index: [...coded, ...statusPages].map(entryOf) };
}

function byStatusThenPage(a: CatalogEntry, b: CatalogEntry): number {
  return a.status - b.status || a.page.localeCompare(b.page);
}

/** The page of the answers of one status whose type is `about:blank`: the status says all there is. */
function statusPage(status: number, causes: CatalogCause[], options: ProblemCatalogOptions): CatalogPage {
  const validation =
    status === (options.validationStatus ?? 422) && causes.some((cause) => cause.summary.startsWith('The request did not pass'));
  const route = causes.flatMap((cause) => cause.routes)[0];
  const example: ProblemDetails = {
    type: 'about:blank',
    title: reasonPhrase(status),
    status,
    ...(validation ? { detail: 'The request is not valid' } : {}),
    instance: examplePath(route?.path ?? '/'),
    ...(validation ? { errors: [{ detail: 'Invalid email address', pointer: '#/email' }] } : {}),
  };
  return {
    page: String(status),
    type: 'about:blank',
    status,
    title: reasonPhrase(status),
    summary: firstLine(statusMeaning(status)),
    description: statusMeaning(status),
    causes,
    extensions: validation
      ? [
          {
            name: 'errors',
            required: true,
            schema: { type: 'array', description: 'Each validation issue: `detail`, and `pointer`, `parameter` or `header`' },
          },
        ]
      : [],
    headers: headersOf(status),
    example,
  };
}

/** The index line of a page. */
function entryOf(page: CatalogPage): CatalogEntry {
  const { page: name, type, status, title, code, summary } = page;
  return { page: name, type, status, title, ...(code !== undefined ? { code } : {}), summary };
}

/**
 * The problem catalog of an app: a router to mount where `typeBase` points, whose `GET /` lists
 * every problem type the app can answer and `GET /:code` documents one — its status, title, what it
 * means and what to do, its extension members, headers, an example, and the routes that may answer
 * it — as HTML (no script, no external asset) or, for `Accept: application/json`, as JSON. A problem
 * whose type is `about:blank` has no page of its own (the status says all there is): the page of its
 * status (`GET /404`) says when this app answers it. The routes are read on the first request (routes
 * added after the catalog is mounted are in it) and kept. An unknown code goes to the app's error
 * handler as a 404.
 *
 * @example
 * app.use('/problems', problemCatalog(app, { typeBase: 'https://api.example.com/problems/' }));
 * app.use(errorHandler({ typeBase: 'https://api.example.com/problems/' }));
 */
export function problemCatalog(app: unknown, options: ProblemCatalogOptions): Router {
  let catalog: Catalog | undefined;
  const current = (req: Request): Catalog => {
    if (catalog !== undefined) return catalog;
    checkMount(options.typeBase, req);
    return (catalog = buildCatalog(app, options));
  };
  const text: CatalogText = { title: options.title ?? 'Problem types', description: options.description };
  const router = Router();
  router.get('/', (req, res, next) => {
    negotiate(req, res, next, {
      json: () => ({
        title: text.title,
        ...(text.description ? { description: text.description } : {}),
        problems: current(req).index.map((entry) => ({ ...entry, href: pageHref(req, entry.page) })),
      }),
      html: () => renderIndex(text, current(req).index, (page) => pageHref(req, page)),
    });
  });
  router.get('/:code', (req: Request<{ code: string }>, res, next) => {
    const page = current(req).pages.get(req.params.code);
    if (!page) return next(new NotFound(`No problem type ${req.params.code} in this catalog`));
    negotiate(req, res, next, {
      json: () => ({ ...page, href: pageHref(req, page.page) }),
      html: () => renderPage(text, page, `${req.baseUrl}/`),
    });
  });
  return router;
}

/** Warns, on the first request, when the catalog is not mounted where `typeBase` points: the problems' `type` URIs would not open its pages. */
function checkMount(typeBase: string, req: Request): void {
  let path: string;
  try {
    path = new URL(typeBase, 'http://localhost').pathname.replace(/\/+$/, '');
  } catch {
    return;
  }
  if (path === req.baseUrl) return;
  const message = `the problem catalog is mounted at ${req.baseUrl || '/'}, and typeBase ${typeBase} points at ${path || '/'}: the type URIs of problems will not open its pages`;
  logNote(undefined, 'warn', message, undefined, req);
}

/** The path of a page, under wherever the catalog is mounted. */
function pageHref(req: Request, page: string): string {
  return `${req.baseUrl}/${encodeURIComponent(page)}`;
}

/** Answers HTML or JSON as the request's `Accept` prefers (HTML for a browser and for `*\/*`); neither is a 406. */
function negotiate(
  req: Request,
  res: Response,
  next: NextFunction,
  as: { json: () => unknown; html: () => { html: string; csp: string } },
): void {
  res.vary('Accept');
  const type = req.accepts(['html', 'json']);
  if (type === 'json') {
    res.json(as.json());
    return;
  }
  if (type !== 'html') return next(new NotAcceptable('The catalog is served as text/html and as application/json'));
  const { html, csp } = as.html();
  res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' });
  res.type('html').send(html);
}
