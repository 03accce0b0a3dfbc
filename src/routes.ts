import { METHODS } from 'node:http';

/*
 * Reading an Express app's routing table, on Express 4 and Express 5. Internal: `openApi(app)` lists
 * the routes, `methodNotAllowed()` asks which methods a request path has.
 *
 * Express keeps no public routing table, so this reads the router's internals, which differ:
 *
 * - Where the router lives. Express 4: `app._router`, created by the first `app.use`/`app.route`/VERB
 *   call (`app.lazyrouter()`); `app.router` is a getter that throws. Express 5: `app.router`, a getter
 *   that creates the router on first read with the settings of that moment.
 * - Layers. Express 4 (express/lib/router, path-to-regexp 0.1): `regexp` and `keys` (the param names),
 *   no path string; `regexp.fast_slash` marks `use('/')`, `regexp.fast_star` the path `'*'`.
 *   router 2.0–2.2 (path-to-regexp 8): `matchers` (closures) and `slash`, no path and no regexp.
 *   router 2.3+: also `rawPath`, the path as registered (arrays flattened). In all three a route layer
 *   has `route`, whose `path` is the path as written and whose `stack` holds one layer per handler.
 * - Mount paths (`app.use('/v1', router)`). Express 4 keeps only the regexp: read back exactly when it
 *   is the form path-to-regexp 0.1 gives a plain path (checked by regenerating it). router 2.3 keeps
 *   `rawPath`. router 2.0–2.2 keep nothing but `slash` (mounted at '/'), so the routes of a router
 *   mounted elsewhere are skipped there: Express 5.0 and 5.1 installs that still lock router 2.2.
 * - Sub-applications (`app.use('/admin', adminApp)`): both versions mount a `mounted_app` closure over
 *   the sub-app; the sub-app's routes are unreachable from the parent.
 * - `app.all(path, fn)` registers `fn` once for every method Node knows, in both versions;
 *   `router.all`/`route.all` register one method-less layer (`route.methods._all`).
 * - `layer.match(path)`: Express 4 and router < 2.3 return a boolean and store `params`/`path` (and,
 *   in 2.2, `keys`) on the layer; router 2.3 returns `{ params, path, keys, pattern }` or `false` and
 *   stores nothing.
 */

/** A function Express runs for a route: the `handle` of a layer in the route's own stack. */
export type RouteHandler = (...args: never[]) => unknown;

/** One endpoint of the app: a route's full path, in Express and OpenAPI form, and its handlers. */
export interface RouteEntry {
  /**
   * The full path in Express syntax as written: mount paths joined with the route's path
   * (`/v1/users/:id`). Express 4 mount paths are read back from their regexp (`'/v1/'` reads `'/v1'`,
   * which matches the same requests). A route with an optional part gives one entry per variant; they
   * share this `path`.
   */
  readonly path: string;
  /** The same path as an OpenAPI path template (`/v1/users/{id}`), for one variant of optional parts. */
  readonly openApiPath: string;
  /**
   * The path parameters of `openApiPath`, in order, mount paths' included, whether or not the handler
   * sees them in `req.params` (a router without `mergeParams` does not).
   */
  readonly params: readonly string[];
  /**
   * Per method (uppercase), the handlers Express runs for it, in order: the method's own and the route's
   * `.all()` handlers, interleaved as registered. `'*'` holds the handlers of any other method: the
   * `.all()` handlers, or for an `app.all()` route (which registers every method) its handlers alone.
   * A HEAD request without its own entry runs the GET entry, as Express does.
   */
  readonly methods: Readonly<Record<string, readonly RouteHandler[]>>;
  /**
   * The middleware that runs before the route for every request it answers, in order: the functions of
   * the `app.use`/`router.use` layers registered before it (in its router and the routers it is mounted
   * in) whose mount path covers its path. Middleware mounted at a pattern, or at a path router < 2.3
   * does not keep, is not listed (it cannot be told which routes it covers).
   */
  readonly middleware: readonly RouteHandler[];
}

/** A route (or a mount) that cannot be listed as an OpenAPI path, and why. */
export interface SkippedRoute {
  /** The best description of the full path; `' + '` joins a part that is a pattern or unknown. */
  readonly path: string;
  /** The route's methods as in `RouteEntry.methods` (empty for a sub-application). */
  readonly methods: readonly string[];
  readonly reason: string;
}

/** What `listRoutes` finds. */
export interface RouteListing {
  readonly routes: RouteEntry[];
  readonly skipped: SkippedRoute[];
}

/** The layer fields read here; which ones exist depends on the version (see above). */
interface Layer {
  readonly handle: unknown;
  readonly route?: unknown;
  readonly method?: unknown;
  readonly match?: unknown;
  readonly path?: unknown;
  readonly regexp?: unknown;
  readonly keys?: unknown;
  readonly matchers?: unknown;
  readonly rawPath?: unknown;
  readonly slash?: unknown;
}

interface Router {
  readonly stack: readonly Layer[];
}

interface Route {
  readonly path: unknown;
  readonly stack: readonly Layer[];
  readonly methods: Readonly<Record<string, unknown>>;
}

/** A path, or a set of paths a piece of the table stands for, in Express and OpenAPI form. */
interface Readable {
  readonly written: string;
  readonly openApi: string;
  readonly params: readonly string[];
}

/** A piece of the table that is no OpenAPI path; `pattern` when `written` is not a path (a RegExp). */
interface Unreadable {
  readonly written: string;
  readonly reason: string;
  readonly pattern: boolean;
}

type Part = Readable | Unreadable;

/** A middleware and the full path it is mounted at: it runs before the routes under that path registered after it. */
interface Scope {
  readonly mount: Readable;
  readonly handle: RouteHandler;
}

const ROOT: Readable = { written: '', openApi: '', params: [] };
const LOWER_METHODS = METHODS.map((method) => method.toLowerCase());

const REGEXP_REASON = 'a regular expression path: an OpenAPI path is a template, not a pattern';
const WILDCARD_REASON = 'a wildcard matches across "/"; an OpenAPI path parameter cannot';
const SUB_APP_REASON =
  'a sub-application (app.use(path, app)): Express keeps it inside a closure, so its routes cannot be read from the parent; list the sub-application itself';
const UNKNOWN_MOUNT_REASON =
  'the router package before 2.3 (Express 5.0 and 5.1 installs) does not keep the path of app.use(path, router); update router to 2.3 or later';
const EXPRESS4_MOUNT_REASON =
  'Express 4 keeps a mount path only as a regular expression, and this one is not the form path-to-regexp 0.1 gives a plain path (a RegExp or a pattern)';

/**
 * Every route of an Express 4 or 5 app (or a Router), nested routers included, with its full path in
 * Express and OpenAPI form and its handlers per method. What cannot be an OpenAPI path is in `skipped`
 * with the reason, never in `routes` with a wrong path: regular expression paths and mount paths,
 * wildcards, sub-applications, Express 4 string patterns, mount paths router < 2.3 does not keep, a
 * parameter name used twice in one path.
 *
 * Optional parts (`/:id?` in Express 4, `{/:id}` in 5) give one entry per variant (`/posts`,
 * `/posts/{slug}`): OpenAPI path parameters are always required, and each variant is a real endpoint
 * with the same handlers, so the variants describe the route exactly where one path could not.
 *
 * A route without handlers is left out: Express never dispatches to it. On Express 5, reading an app
 * that has no route or middleware yet creates its router with the settings of that moment.
 *
 * @throws Error when the value is not an Express 4 or 5 app or Router, or a layer has an unknown shape.
 */
export function listRoutes(app: unknown): RouteListing {
  const listing: RouteListing = { routes: [], skipped: [] };
  const router = routerOf(app);
  if (router !== undefined) walk(router, [ROOT], listing, [], []);
  return listing;
}

/**
 * The methods of the routes whose path matches `path` (a request path without query string, relative
 * to `app`), `HEAD` wherever `GET` is; `undefined` when no route with a method matches. Matching is the
 * layers' own (`layer.match`), so the app's and each router's case sensitivity and strict routing
 * apply, and a nested router sees the path with its mount path stripped, as Express gives it.
 *
 * `.all()` and `app.all()` routes add no method: they run for every method, so they say nothing about
 * which methods the resource has, and when a request reaches a later middleware they passed it on (the
 * common `app.all('*', auth)` would otherwise allow every method everywhere). A sub-application's routes
 * are not seen (see `listRoutes`). A matching route of the request's own method may be listed too (its
 * handler called `next()`): a caller answering 405 checks that the method is not in the list.
 *
 * Cheap for the unmatched-request path: it matches only route and router layers (never plain
 * middleware), allocates only what a matching layer's own `match()` does and the answer, and calls no
 * handler or `router.param` callback.
 *
 * `layer.match()` stores `params`/`path` (router 2.2 also `keys`) on Express 4 and router < 2.3 layers.
 * Calling it here cannot disturb routing: the router reads those fields only synchronously right after
 * its own `match()` call, in the same tick (it copies them into `req.params`, a local `layerPath` and,
 * router 2.2, the local `keys` array that `match()` replaces rather than mutates), and nothing else can
 * run in between. A route RegExp with the `g` or `y` flag keeps `lastIndex` between calls, which makes
 * Express's own matching depend on request order already; such routes are not protected here.
 *
 * @throws Error when the value is not an Express 4 or 5 app or Router, or a layer has an unknown shape.
 */
export function allowedMethods(app: unknown, path: string): string[] | undefined {
  const router = routerOf(app);
  if (router === undefined) return undefined;
  const options = { matched: false };
  const found = collectMethods(router, path, undefined, options);
  // An OPTIONS-only route (the cors pre-flight line, `app.options('*', cors())`) matches paths the app
  // has no resource at: it names a method only of a path that other routes give one.
  return found !== undefined && options.matched ? addMethod(found, 'OPTIONS') : found;
}

/** The app's router; `undefined` for an Express 4 app without any route or middleware yet. */
function routerOf(value: unknown): Router | undefined {
  if ((typeof value === 'function' || typeof value === 'object') && value !== null) {
    const app = value as { lazyrouter?: unknown; _router?: unknown; router?: unknown; handle?: unknown; set?: unknown };
    if (typeof app.lazyrouter === 'function') {
      // Express 4: `app.router` throws; `_router` is created lazily, so none yet means no routes yet
      if (app._router === undefined) return undefined;
      if (isRouter(app._router)) return app._router;
    } else if (typeof app.handle === 'function' && typeof app.set === 'function' && 'router' in app) {
      if (isRouter(app.router)) return app.router;
    } else if (isRouter(value)) {
      return value;
    }
  }
  throw new Error(
    'express-typed-errors: cannot find the router of this value: expected an Express 4 app (app._router), an Express 5 app (app.router) or a Router',
  );
}

/** A Router of either version (a function with `stack`, `route` and `use`); not an app, not connect. */
function isRouter(value: unknown): value is Router {
  if (typeof value !== 'function') return false;
  const router = value as unknown as { stack?: unknown; route?: unknown; use?: unknown };
  return Array.isArray(router.stack) && typeof router.route === 'function' && typeof router.use === 'function';
}

function isRoute(value: unknown): value is Route {
  const route = value as Partial<Route> | null | undefined;
  return (
    typeof route === 'object' && route !== null && Array.isArray(route.stack) && typeof route.methods === 'object' && route.methods !== null
  );
}

/** Fails loudly on a layer neither version makes, rather than reading it wrongly. */
function checkLayer(layer: Layer): void {
  if (typeof layer.match !== 'function' || !(layer.regexp instanceof RegExp || Array.isArray(layer.matchers))) unknownLayer();
}

function unknownLayer(): never {
  throw new Error('express-typed-errors: unknown Express router layer (neither Express 4 nor router 2.x): routes cannot be read');
}

function walk(
  router: Router,
  prefixes: readonly Part[],
  listing: RouteListing,
  ancestors: readonly Router[],
  inherited: readonly Scope[],
): void {
  // what this router's own middleware adds stays in it: a sibling router mounted before it never runs it
  const scopes = [...inherited];
  for (const layer of router.stack) {
    checkLayer(layer);
    if (isRoute(layer.route)) {
      addRoute(layer, layer.route, prefixes, listing, scopes);
      continue;
    }
    const handle = layer.handle;
    if (isRouter(handle)) {
      const mounted = combine(prefixes, mountParts(layer));
      if (ancestors.includes(handle) || handle === router) {
        for (const part of mounted) listing.skipped.push({ path: part.written, methods: [], reason: 'a router mounted inside itself' });
      } else {
        walk(handle, mounted, listing, [...ancestors, router], scopes);
      }
    } else if (typeof handle === 'function' && handle.name === 'mounted_app') {
      for (const part of combine(prefixes, mountParts(layer)))
        listing.skipped.push({ path: part.written || '/', methods: [], reason: SUB_APP_REASON });
    } else if (typeof handle === 'function') {
      for (const mount of combine(prefixes, mountParts(layer)))
        if (!('reason' in mount)) scopes.push({ mount, handle: handle as RouteHandler });
    }
  }
}

function addRoute(layer: Layer, route: Route, prefixes: readonly Part[], listing: RouteListing, scopes: readonly Scope[]): void {
  const methods = handlersByMethod(route);
  if (methods === undefined) return;
  const names = Object.keys(methods);
  // router 2.3 matches its snapshot of the path (`rawPath`), the same as `route.path` unless mutated
  const path = 'rawPath' in layer ? layer.rawPath : route.path;
  const grammar = layer.regexp instanceof RegExp ? express4Parts : express5Parts;
  // variants of one route can share a description and a reason: listed once for the route
  const skipped = new Set<string>();
  for (const part of combine(prefixes, partsOf(path, grammar))) {
    if (!('reason' in part)) {
      const middleware = scopes.filter((scope) => covers(scope.mount.openApi, part.openApi)).map((scope) => scope.handle);
      listing.routes.push({ path: part.written || '/', openApiPath: part.openApi || '/', params: part.params, methods, middleware });
    } else if (!skipped.has(`${part.written}\n${part.reason}`)) {
      skipped.add(`${part.written}\n${part.reason}`);
      listing.skipped.push({ path: part.written, methods: names, reason: part.reason });
    }
  }
}

/**
 * True when a middleware mounted at `mount` runs for requests to `path` (both OpenAPI templates): the
 * mount is the path or a whole-segment prefix of it. Parameters match whatever their names.
 */
function covers(mount: string, path: string): boolean {
  const [head, full] = [mount, path].map((template) => template.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, ''));
  return head === '' || full === head || full!.startsWith(`${head}/`);
}

/** Per method, what Express's `route.dispatch` runs for it (see `RouteEntry.methods`). */
function handlersByMethod(route: Route): Record<string, RouteHandler[]> | undefined {
  const methods: Record<string, RouteHandler[]> = {};
  const any: RouteHandler[] = [];
  for (const layer of route.stack) {
    const handle = layer.handle as RouteHandler;
    if (layer.method === undefined) {
      any.push(handle);
      for (const key in methods) methods[key]!.push(handle);
    } else if (typeof layer.method === 'string') {
      (methods[layer.method.toUpperCase()] ??= [...any]).push(handle);
    } else {
      unknownLayer();
    }
  }
  const lists = Object.values(methods);
  const first = lists[0];
  if (first !== undefined && answersEveryMethod(route) && lists.every((list) => sameHandlers(list, first))) return { '*': first };
  if (any.length !== 0) methods['*'] = any;
  return lists.length === 0 && any.length === 0 ? undefined : methods;
}

/** `app.all()` registers every method Node knows; a route with all of them was made that way. */
function answersEveryMethod(route: Route): boolean {
  for (const method of LOWER_METHODS) if (route.methods[method] !== true) return false;
  return true;
}

function sameHandlers(a: readonly RouteHandler[], b: readonly RouteHandler[]): boolean {
  return a.length === b.length && a.every((handle, i) => handle === b[i]);
}

/** The mount path of a `use` layer, by version (see above). */
function mountParts(layer: Layer): Part[] {
  if (layer.regexp instanceof RegExp) return express4MountParts(layer.regexp, layer.keys);
  if (layer.slash === true) return [ROOT];
  if ('rawPath' in layer) return partsOf(layer.rawPath, express5Parts);
  return [{ written: '(mount path not kept)', reason: UNKNOWN_MOUNT_REASON, pattern: true }];
}

function partsOf(path: unknown, grammar: (path: string) => Part[]): Part[] {
  if (Array.isArray(path)) return path.flatMap((item: unknown) => partsOf(item, grammar));
  if (path instanceof RegExp) return [{ written: String(path), reason: REGEXP_REASON, pattern: true }];
  if (typeof path !== 'string') return [{ written: String(path), reason: 'not a path string', pattern: true }];
  return grammar(path).map((part) =>
    'reason' in part || part.openApi === '' || part.openApi.startsWith('/')
      ? part
      : { written: path, reason: 'does not start with "/": Express never matches it', pattern: false },
  );
}

/** Every prefix joined with every part. */
function combine(prefixes: readonly Part[], parts: readonly Part[]): Part[] {
  return prefixes.flatMap((prefix) => parts.map((part) => join(prefix, part)));
}

function join(prefix: Part, part: Part): Part {
  const written =
    prefix.written === ''
      ? part.written
      : isPattern(prefix) || isPattern(part)
        ? `${prefix.written} + ${part.written}`
        : joinPath(prefix.written, part.written);
  if ('reason' in prefix) return { written, reason: prefix.reason, pattern: isPattern(part) };
  if ('reason' in part) return { written, reason: part.reason, pattern: part.pattern };
  const params = [...prefix.params, ...part.params];
  const twice = params.find((name, i) => params.indexOf(name) !== i);
  if (twice !== undefined) {
    return {
      written,
      reason: `the path parameter "${twice}" appears twice in the full path; OpenAPI cannot tell them apart`,
      pattern: false,
    };
  }
  return { written, openApi: joinPath(prefix.openApi, part.openApi), params };
}

function isPattern(part: Part): boolean {
  return 'reason' in part && part.pattern;
}

/** A mount path and what is under it; Express strips the mount path, and `/` under `/v1` is `/v1`. */
function joinPath(prefix: string, path: string): string {
  const head = prefix.replace(/\/+$/, '');
  return path === '' || path === '/' ? head || '/' : head + path;
}

/** Text path-to-regexp 0.1 leaves as text; other characters are RegExp syntax in an Express 4 path. */
const EXPRESS4_TEXT = /^[\w\-.~!&',;=@%/]$/;
/** `:name`, a custom capture, `*` (across segments) and `?` (optional), as path-to-regexp 0.1 reads them. */
const EXPRESS4_PARAM = /^:(\w+)(\([^)]*\))?(\*)?(\?)?/;
/** Custom captures kept as a parameter: classes, digits and words that cannot match "/" (no `*`, which 0.1 rewrites). */
const EXPRESS4_CAPTURE = /^\((?:\\[dw]|\[(?:\\[dw]|[\w-])+\]|[\w-]|\+|\?|\{\d+(?:,\d*)?\})+\)$/;

/**
 * An Express 4 string path (path-to-regexp 0.1): text, `:name`, `:name(capture)`, and `:name?` whose
 * optional unit includes the `/` or `.` before it. Wildcards and RegExp syntax make it unreadable.
 */
function express4Parts(path: string): Part[] {
  let variants: Readable[] = [{ written: path, openApi: '', params: [] }];
  let text = '';
  for (let i = 0; i < path.length;) {
    const char = path[i]!;
    const param = char === ':' ? EXPRESS4_PARAM.exec(path.slice(i)) : null;
    if (param !== null) {
      const [unit, name, capture, star, optional] = param as unknown as [string, string, string?, string?, string?];
      if (star !== undefined) return [{ written: path, reason: WILDCARD_REASON, pattern: false }];
      if (capture !== undefined && !EXPRESS4_CAPTURE.test(capture)) {
        return [{ written: path, reason: `the capture ${capture} may match across "/"; an OpenAPI path parameter cannot`, pattern: false }];
      }
      const lead = optional === undefined ? '' : (/\/?\.?$/.exec(text)?.[0] ?? '');
      const before = text.slice(0, text.length - lead.length);
      const required = variants.map((v) => ({ written: path, openApi: v.openApi + before, params: v.params }));
      const withParam = required.map((v) => ({ written: path, openApi: `${v.openApi}${lead}{${name}}`, params: [...v.params, name] }));
      variants = optional === undefined ? withParam : required.flatMap((variant, n) => [variant, withParam[n]!]);
      text = '';
      i += unit.length;
    } else if (char === '*') {
      return [{ written: path, reason: WILDCARD_REASON, pattern: false }];
    } else if (EXPRESS4_TEXT.test(char) || char === ':') {
      text += char;
      i++;
    } else {
      return [{ written: path, reason: `"${char}" is RegExp syntax in an Express 4 path: a pattern, not a template`, pattern: false }];
    }
  }
  return variants.map((v) => ({ written: path, openApi: v.openApi + text, params: v.params }));
}

/** The group path-to-regexp 0.1 makes of `/:name` (V8 writes the class's "/" unescaped). */
const EXPRESS4_MOUNT_PARAM = /\(\?:\\\/\(\[\^\\?\/\]\+\?\)\)(\?)?/g;
/** A non-ending, non-strict 0.1 regexp: `^…` then an optional "/" before "/" or the end. */
const EXPRESS4_MOUNT = /^\^(.*)\\\/\?\(\?=\\\/\|\$\)$/;

/**
 * An Express 4 mount path, read back from the only thing Express 4 keeps: the layer's regexp. Only
 * literal segments, `/:name` and `/:name?` (and arrays of them) are read, and only when regenerating
 * the regexp from the result gives the layer's own source again, so a read-back path is exact.
 */
function express4MountParts(regexp: RegExp & { fast_slash?: unknown }, keys: unknown): Part[] {
  if (regexp.fast_slash === true) return [ROOT];
  const names = Array.isArray(keys) ? keys.map((key) => (key as { name?: unknown } | null)?.name) : [];
  const unreadable: Part[] = [{ written: String(regexp), reason: EXPRESS4_MOUNT_REASON, pattern: true }];
  let used = 0;
  const paths: string[] = [];
  for (const alternative of regexp.source.split('|^')) {
    const body = EXPRESS4_MOUNT.exec(paths.length === 0 ? alternative : `^${alternative}`)?.[1];
    if (body === undefined) return unreadable;
    const path = body.replace(EXPRESS4_MOUNT_PARAM, (_group, optional?: string) => `/:${String(names[used++])}${optional ?? ''}`);
    paths.push(path.replace(/\\([/.])/g, '$1'));
  }
  if (!names.every((name) => typeof name === 'string') || used !== names.length) return unreadable;
  try {
    if (new RegExp(paths.map(express4MountSource).join('|'), regexp.flags).source !== regexp.source) return unreadable;
  } catch {
    return unreadable; // what was read back is not even a RegExp source: it was no plain path
  }
  return paths.flatMap(express4Parts);
}

/** path-to-regexp 0.1's source for a `use()` path of literal segments, `/:name` and `/:name?`. */
function express4MountSource(path: string): string {
  const body = path.replace(/\./g, '\\.').replace(/\/:\w+(\?)?/g, (_param, optional?: string) => `(?:/([^/]+?))${optional ?? ''}`);
  return `^${body}${path.endsWith('/') ? '?' : '/?'}(?=/|$)`;
}

type FlatToken = { readonly type: 'text'; readonly value: string } | { readonly type: 'param' | 'wildcard'; readonly name: string };
type Token = FlatToken | { readonly type: 'group'; readonly tokens: readonly Token[] };

const ID_START = /^[$_\p{ID_Start}]$/u;
const ID_CONTINUE = /^[$\u200c\u200d\p{ID_Continue}]$/u;

/**
 * An Express 5 path (path-to-regexp 8): text with `\` escapes, `:name`, `*name` (across segments),
 * `:"quoted name"`, and `{…}` optional groups, which expand into the variants without and with them.
 */
function express5Parts(path: string): Part[] {
  let tokens: Token[];
  try {
    tokens = parseExpress5(path);
  } catch {
    return [{ written: path, reason: 'not a path path-to-regexp 8 reads', pattern: false }];
  }
  return expand(tokens).map((sequence) => {
    let openApi = '';
    const params: string[] = [];
    for (const token of sequence) {
      if (token.type === 'wildcard') return { written: path, reason: WILDCARD_REASON, pattern: false };
      const text = token.type === 'text' ? token.value : token.name;
      // a brace or "?"/"#" would be read as OpenAPI template or URL syntax
      if (/[{}?#]/.test(text) || (token.type === 'param' && text.includes('/'))) {
        return { written: path, reason: `"${text}" cannot be written in an OpenAPI path`, pattern: false };
      }
      if (token.type === 'param') params.push(text);
      openApi += token.type === 'param' ? `{${text}}` : text;
    }
    return { written: path, openApi, params };
  });
}

/** Flat token sequences, one per choice of optional groups: without a group first. */
function expand(tokens: readonly Token[]): FlatToken[][] {
  let sequences: FlatToken[][] = [[]];
  for (const token of tokens) {
    if (token.type === 'group') {
      const inner = expand(token.tokens);
      sequences = sequences.flatMap((sequence) => [sequence, ...inner.map((choice) => [...sequence, ...choice])]);
    } else {
      for (const sequence of sequences) sequence.push(token);
    }
  }
  return sequences;
}

/** path-to-regexp 8's `parse`; Express already refused what it refuses, so this throws on it too. */
function parseExpress5(path: string): Token[] {
  const chars = [...path];
  let index = 0;
  const until = (end: string): Token[] => {
    const tokens: Token[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') tokens.push({ type: 'text', value: text });
      text = '';
    };
    while (index < chars.length) {
      const char = chars[index++]!;
      if (char === end) {
        flush();
        return tokens;
      }
      if (char === '\\') {
        if (index === chars.length) throw new Error('escape at end');
        text += chars[index++]!;
      } else if (char === ':' || char === '*') {
        flush();
        tokens.push({ type: char === ':' ? 'param' : 'wildcard', name: readName() });
      } else if (char === '{') {
        flush();
        tokens.push({ type: 'group', tokens: until('}') });
      } else if ('}()[]+?!'.includes(char)) {
        throw new Error(`reserved ${char}`);
      } else {
        text += char;
      }
    }
    if (end !== '') throw new Error(`missing ${end}`);
    flush();
    return tokens;
  };
  const readName = (): string => {
    let name = '';
    if (ID_START.test(chars[index] ?? '')) {
      do name += chars[index++]!;
      while (ID_CONTINUE.test(chars[index] ?? ''));
    } else if (chars[index] === '"') {
      index++;
      while (chars[index] !== '"') {
        if (index >= chars.length) throw new Error('unterminated quote');
        if (chars[index] === '\\') index++;
        name += chars[index++] ?? '';
      }
      index++;
    }
    if (name === '') throw new Error('missing name');
    return name;
  };
  return until('');
}

function collectMethods(router: Router, path: string, found: string[] | undefined, options: { matched: boolean }): string[] | undefined {
  const stack = router.stack;
  for (let i = 0; i < stack.length; i++) {
    const layer = stack[i]!;
    const route = layer.route;
    const handle = layer.handle;
    // plain middleware is never matched: it holds no route, and matching it would only cost
    if (isRoute(route)) {
      if (matchedPath(layer, path) === undefined) continue;
      if (answersOnlyOptions(route)) options.matched = true;
      else found = addMethods(route, found);
    } else if (isRouter(handle)) {
      const matched = matchedPath(layer, path);
      const rest = matched === undefined ? undefined : strip(path, matched, layer);
      if (rest !== undefined) found = collectMethods(handle, rest, found, options);
    }
  }
  return found;
}

/** The part of `path` the layer matched, by the layer's own `match()`; `undefined` when it does not. */
function matchedPath(layer: Layer, path: string): string | undefined {
  if (typeof layer.match !== 'function') unknownLayer();
  let result: unknown;
  try {
    result = (layer.match as (path: string) => unknown)(path);
  } catch (error) {
    // a malformed %-escape in a parameter: Express makes it a 400 before any later middleware runs
    if (error instanceof URIError) return undefined;
    throw error;
  }
  if (result === false) return undefined;
  // Express 4 and router < 2.3 return `true` and keep the matched path on the layer
  const matched = result === true ? layer.path : (result as { path?: unknown } | null)?.path;
  return typeof matched === 'string' ? matched : unknownLayer();
}

/** Express's `trim_prefix`: the path a mounted router sees, or `undefined` if Express would not enter. */
function strip(path: string, matched: string, layer: Layer): string | undefined {
  if (matched.length === 0) return path;
  if (!path.startsWith(matched)) return undefined;
  const next = path[matched.length];
  // Express 4 also lets a mount path end before a "."
  if (next !== undefined && next !== '/' && !(next === '.' && layer.regexp instanceof RegExp)) return undefined;
  const rest = path.slice(matched.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function addMethods(route: Route, found: string[] | undefined): string[] | undefined {
  if (answersEveryMethod(route)) return found;
  for (const method in route.methods) {
    if (method === '_all' || route.methods[method] !== true) continue;
    found = addMethod(found, method.toUpperCase());
    if (method === 'get') found = addMethod(found, 'HEAD');
  }
  return found;
}

function answersOnlyOptions(route: Route): boolean {
  let options = false;
  for (const method in route.methods) {
    if (method === '_all' || route.methods[method] !== true) continue;
    if (method !== 'options') return false;
    options = true;
  }
  return options;
}

function addMethod(found: string[] | undefined, method: string): string[] {
  if (found === undefined) return [method];
  if (!found.includes(method)) found.push(method);
  return found;
}
