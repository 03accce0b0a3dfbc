/**
 * Reading the routing table (src/routes.ts) on Express 5 and 4: every shape a real app uses, what is
 * skipped and why, the methods of a request path, and routing left untouched by that reading.
 */
import type { RequestHandler } from 'express';
import express5 from 'express';
import Router22 from 'router-2.2';
import request from 'supertest';
import { type RouteEntry, type RouteListing, allowedMethods, listRoutes } from '../src/routes';
import { EXPRESS_VERSIONS, type ExpressFactory } from './apps';

const REGEXP = 'a regular expression path: an OpenAPI path is a template, not a pattern';
const WILDCARD = 'a wildcard matches across "/"; an OpenAPI path parameter cannot';
const SUB_APP =
  'a sub-application (app.use(path, app)): Express keeps it inside a closure, so its routes cannot be read from the parent; list the sub-application itself';
const EXPRESS4_MOUNT =
  'Express 4 keeps a mount path only as a regular expression, and this one is not the form path-to-regexp 0.1 gives a plain path (a RegExp or a pattern)';
const UNKNOWN_MOUNT =
  'the router package before 2.3 (Express 5.0 and 5.1 installs) does not keep the path of app.use(path, router); update router to 2.3 or later';
const NO_SLASH = 'does not start with "/": Express never matches it';

/** A route handler that answers which handler ran, with the params and base URL it saw. */
function named(name: string): RequestHandler {
  const handler: RequestHandler = (req, res) => {
    res.json({ handler: name, params: req.params, baseUrl: req.baseUrl });
  };
  Object.defineProperty(handler, 'name', { value: name });
  return handler;
}

function passing(): RequestHandler {
  return (_req, _res, next) => next();
}

/**
 * A realistic app: every shape the listing must read. `spy` runs as a middleware before the routes,
 * inside the nested routers and in the `router.param` callback (which yields before routing goes on).
 */
function buildApp(express: ExpressFactory, v4: boolean, spy: () => void = () => undefined) {
  const h = {
    health: named('health'),
    createUser: named('createUser'),
    getUser: named('getUser'),
    putUser: named('putUser'),
    patchUser: named('patchUser'),
    deleteUser: named('deleteUser'),
    ping: named('ping'),
    auth: passing(),
    getSession: named('getSession'),
    endSession: named('endSession'),
    about: named('about'),
    posts: named('posts'),
    files: named('files'),
    upload: named('upload'),
    legacy: named('legacy'),
    listProjects: named('listProjects'),
    getProject: named('getProject'),
    listTasks: named('listTasks'),
    createTask: named('createTask'),
    getTask: named('getTask'),
    status: named('status'),
    regexpMounted: named('regexpMounted'),
    stats: named('stats'),
  };
  const spying: RequestHandler = (_req, _res, next) => {
    spy();
    next();
  };
  const paramCalls: string[] = [];

  const app = express();
  app.use(spying);
  app.use(express.json());
  app.get('/health', h.health);
  app.post('/users', h.createUser);
  app.route('/users/:id').get(h.getUser).put(h.putUser).patch(h.patchUser).delete(h.deleteUser);
  app.all('/ping', h.ping);
  app.route('/session').all(h.auth).get(h.getSession).delete(h.endSession);
  app.get(['/about', '/info'], h.about);
  app.get(v4 ? '/posts/:slug?' : '/posts{/:slug}', h.posts);
  app.get(v4 ? '/files/*' : '/files/*path', h.files);
  app.put(v4 ? '/files/*' : '/files/*path', h.upload);
  app.get(/^\/legacy\/(\d+)$/, h.legacy);

  const tasks = express.Router({ mergeParams: true });
  tasks.use(spying);
  tasks.route('/').get(h.listTasks).post(h.createTask);
  tasks.get('/:taskId', h.getTask);
  const projects = express.Router({ mergeParams: true });
  projects.param('projectId', (_req, _res, next, id: string) => {
    paramCalls.push(id);
    spy();
    setTimeout(next, 2);
  });
  projects.get('/', h.listProjects);
  projects.get('/:projectId', h.getProject);
  projects.use('/:projectId/tasks', tasks);
  const v1 = express.Router();
  v1.use('/orgs/:orgId/projects', projects);
  app.use('/v1', v1);

  const status = express.Router();
  status.get('/status', h.status);
  app.use(['/v2', '/latest/'], status);
  const regexpMounted = express.Router();
  regexpMounted.get('/x', h.regexpMounted);
  app.use(/^\/re\d/, regexpMounted);
  const admin = express();
  admin.get('/stats', h.stats);
  app.use('/admin', admin);
  return { app, h, paramCalls };
}

/** A listing without each route's middleware, for the tests of paths and handlers (the middleware has its own). */
function withoutMiddleware(listing: RouteListing): { routes: Omit<RouteEntry, 'middleware'>[]; skipped: RouteListing['skipped'] } {
  return { routes: listing.routes.map(({ middleware: _middleware, ...route }) => route), skipped: listing.skipped };
}

/** The OpenAPI paths listed, and the skipped descriptions with their reasons. */
function summary(listing: RouteListing): { paths: string[]; skipped: string[][] } {
  return { paths: listing.routes.map((route) => route.openApiPath), skipped: listing.skipped.map((entry) => [entry.path, entry.reason]) };
}

describe.each(EXPRESS_VERSIONS)('%s', (label, express) => {
  const v4 = label === 'Express 4';

  describe('listRoutes', () => {
    it('lists every route of a realistic app with its full path, OpenAPI path, params and handlers', () => {
      const { app, h } = buildApp(express, v4);
      const posts = v4 ? '/posts/:slug?' : '/posts{/:slug}';
      const tasks = '/v1/orgs/:orgId/projects/:projectId/tasks';
      const tasksApi = '/v1/orgs/{orgId}/projects/{projectId}/tasks';
      expect(withoutMiddleware(listRoutes(app))).toEqual({
        routes: [
          { path: '/health', openApiPath: '/health', params: [], methods: { GET: [h.health] } },
          { path: '/users', openApiPath: '/users', params: [], methods: { POST: [h.createUser] } },
          {
            path: '/users/:id',
            openApiPath: '/users/{id}',
            params: ['id'],
            methods: { GET: [h.getUser], PUT: [h.putUser], PATCH: [h.patchUser], DELETE: [h.deleteUser] },
          },
          // app.all registers every method Node knows: one '*' entry, not 35 methods
          { path: '/ping', openApiPath: '/ping', params: [], methods: { '*': [h.ping] } },
          // route.all runs before each method's own handler, and alone for any other method
          {
            path: '/session',
            openApiPath: '/session',
            params: [],
            methods: { GET: [h.auth, h.getSession], DELETE: [h.auth, h.endSession], '*': [h.auth] },
          },
          { path: '/about', openApiPath: '/about', params: [], methods: { GET: [h.about] } },
          { path: '/info', openApiPath: '/info', params: [], methods: { GET: [h.about] } },
          // an optional segment: one entry per variant, both with the path as written
          { path: posts, openApiPath: '/posts', params: [], methods: { GET: [h.posts] } },
          { path: posts, openApiPath: '/posts/{slug}', params: ['slug'], methods: { GET: [h.posts] } },
          {
            path: '/v1/orgs/:orgId/projects',
            openApiPath: '/v1/orgs/{orgId}/projects',
            params: ['orgId'],
            methods: { GET: [h.listProjects] },
          },
          {
            path: '/v1/orgs/:orgId/projects/:projectId',
            openApiPath: '/v1/orgs/{orgId}/projects/{projectId}',
            params: ['orgId', 'projectId'],
            methods: { GET: [h.getProject] },
          },
          { path: tasks, openApiPath: tasksApi, params: ['orgId', 'projectId'], methods: { GET: [h.listTasks], POST: [h.createTask] } },
          {
            path: `${tasks}/:taskId`,
            openApiPath: `${tasksApi}/{taskId}`,
            params: ['orgId', 'projectId', 'taskId'],
            methods: { GET: [h.getTask] },
          },
          // a router mounted at two paths; '/latest/' is read as '/latest', which matches the same requests
          { path: '/v2/status', openApiPath: '/v2/status', params: [], methods: { GET: [h.status] } },
          { path: '/latest/status', openApiPath: '/latest/status', params: [], methods: { GET: [h.status] } },
        ],
        skipped: [
          { path: v4 ? '/files/*' : '/files/*path', methods: ['GET'], reason: WILDCARD },
          { path: v4 ? '/files/*' : '/files/*path', methods: ['PUT'], reason: WILDCARD },
          { path: '/^\\/legacy\\/(\\d+)$/', methods: ['GET'], reason: REGEXP },
          { path: '/^\\/re\\d/ + /x', methods: ['GET'], reason: v4 ? EXPRESS4_MOUNT : REGEXP },
          { path: '/admin', methods: [], reason: SUB_APP },
        ],
      });
    });

    it('lists the middleware that runs before each route: app.use and router.use, under their mount paths, in order, before the route', () => {
      const app = express();
      const mw = {
        early: passing(),
        all: passing(),
        admin: passing(),
        inner: passing(),
        org: passing(),
        sibling: passing(),
        late: passing(),
      };
      const ours = new Set<unknown>(Object.values(mw));
      app.get('/early', named('early'));
      app.use(mw.all);
      app.use('/admin', mw.admin);
      const admin = express.Router();
      admin.use(mw.inner);
      admin.get('/users/:id', named('adminUser'));
      app.use('/admin', admin);
      app.get('/admin', named('adminHome'));
      app.get('/administrators', named('administrators'));
      // a router's own middleware runs only for what reaches it: not for the routes of a sibling router
      const sibling = express.Router();
      sibling.use(mw.sibling);
      app.use('/admin', sibling);
      app.use('/orgs/:orgId', mw.org);
      const orgs = express.Router({ mergeParams: true });
      orgs.get('/projects', named('projects'));
      app.use('/orgs/:org', orgs);
      app.get('/after', named('after'));
      app.use(mw.late);
      const scopes = Object.fromEntries(
        listRoutes(app).routes.map((route) => [route.openApiPath, route.middleware.filter((handler) => ours.has(handler))]),
      );
      expect(scopes).toEqual({
        '/early': [],
        '/admin/users/{id}': [mw.all, mw.admin, mw.inner],
        '/admin': [mw.all, mw.admin],
        '/administrators': [mw.all],
        '/orgs/{org}/projects': [mw.all, mw.org],
        '/after': [mw.all],
      });
    });

    it("keeps each method's handlers in the order Express runs them, .all() interleaved", () => {
      const app = express();
      const [a, b, c] = [named('a'), named('b'), named('c')];
      app.route('/mixed').get(a).all(b).post(c);
      app.route('/no-handlers');
      expect(withoutMiddleware(listRoutes(app)).routes).toEqual([
        { path: '/mixed', openApiPath: '/mixed', params: [], methods: { GET: [a, b], POST: [b, c], '*': [b] } },
      ]);
    });

    it('skips a full path that names a parameter twice, and a router mounted inside itself', () => {
      const app = express();
      const friends = express.Router({ mergeParams: true });
      friends.get('/:id', named('friend'));
      app.use('/users/:id/friends', friends);
      const looping = express.Router();
      looping.get('/a', named('a'));
      looping.use('/loop', looping);
      app.use('/l', looping);
      expect(summary(listRoutes(app))).toEqual({
        paths: ['/l/a'],
        skipped: [
          ['/users/:id/friends/:id', 'the path parameter "id" appears twice in the full path; OpenAPI cannot tell them apart'],
          ['/l/loop', 'a router mounted inside itself'],
        ],
      });
    });

    it('reads a Router as well as an app, relative to the router', () => {
      const router = express.Router();
      const get = named('get');
      router.get('/items/:itemId', get);
      expect(listRoutes(router).routes).toEqual([
        { path: '/items/:itemId', openApiPath: '/items/{itemId}', params: ['itemId'], methods: { GET: [get] }, middleware: [] },
      ]);
    });

    it('lists nothing for an app without routes, without creating its Express 4 router', () => {
      const app = express();
      expect(listRoutes(app)).toEqual({ routes: [], skipped: [] });
      if (v4) expect((app as unknown as { _router?: unknown })._router).toBeUndefined();
    });

    it('fails loudly when the value is no Express app or router, or a layer has an unknown shape', () => {
      expect(() => listRoutes({})).toThrow(/cannot find the router of this value/);
      expect(() => allowedMethods(() => undefined, '/')).toThrow(/cannot find the router of this value/);
      const app = express();
      app.get('/a', named('a'));
      const router = v4 ? (app as unknown as { _router: { stack: object[] } })._router : (app.router as unknown as { stack: object[] });
      const layer = router.stack[router.stack.length - 1] as { route: unknown; handle: unknown };
      router.stack[router.stack.length - 1] = { route: layer.route, handle: layer.handle, path: '/a' };
      expect(() => listRoutes(app)).toThrow(/unknown Express router layer/);
      expect(() => allowedMethods(app, '/a')).toThrow(/unknown Express router layer/);
    });
  });

  describe('allowedMethods', () => {
    const { app, paramCalls } = buildApp(express, v4);

    it.each([
      ['/users/42', ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']],
      ['/users/42/', ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']], // not strict: a trailing slash matches
      ['/USERS/42', ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']], // not case sensitive
      ['/users', ['POST']],
      ['/session', ['GET', 'HEAD', 'DELETE']], // route.all adds no method
      ['/ping', undefined], // app.all answers every method: no method to allow or refuse
      ['/about', ['GET', 'HEAD']],
      ['/info', ['GET', 'HEAD']],
      ['/posts', ['GET', 'HEAD']],
      ['/posts/hello', ['GET', 'HEAD']],
      ['/files/a/b.txt', ['GET', 'HEAD', 'PUT']], // skipped from the listing, matched here
      ['/legacy/7', ['GET', 'HEAD']],
      ['/legacy/x', undefined],
      ['/v1/orgs/1/projects', ['GET', 'HEAD']],
      ['/v1/orgs/1/projects/2', ['GET', 'HEAD']],
      ['/v1/orgs/1/projects/2/tasks', ['GET', 'HEAD', 'POST']],
      ['/v1/orgs/1/projects/2/tasks/', ['GET', 'HEAD', 'POST']],
      ['/v1/orgs/1/projects/2/tasks/3', ['GET', 'HEAD']],
      ['/v1/orgs/1/projects/2/tasks/3/4', undefined],
      ['/v1/orgs/1', undefined],
      ['/v1', undefined],
      ['/v2/status', ['GET', 'HEAD']],
      ['/latest/status/', ['GET', 'HEAD']],
      ['/re5/x', ['GET', 'HEAD']],
      ['/admin/stats', undefined], // a sub-application's routes are out of reach
      ['/nope', undefined],
      ['/', undefined],
      ['/users/%E0%A4%A', undefined], // a malformed escape in a parameter is Express's 400, not a match
    ])('%s → %j', (path, expected) => {
      expect(allowedMethods(app, path)).toEqual(expected);
    });

    it('never calls a router.param callback', () => {
      allowedMethods(app, '/v1/orgs/1/projects/2');
      expect(paramCalls).toEqual([]);
    });

    it('honours strict routing and case-sensitive routing, in the app and in a router', () => {
      const strict = express();
      strict.set('strict routing', true);
      strict.get('/a', named('a'));
      const router = express.Router({ strict: true, caseSensitive: true });
      router.get('/B/', named('b'));
      strict.use('/r', router);
      expect([allowedMethods(strict, '/a'), allowedMethods(strict, '/a/')]).toEqual([['GET', 'HEAD'], undefined]);
      expect([allowedMethods(strict, '/r/B/'), allowedMethods(strict, '/r/B'), allowedMethods(strict, '/R/b/')]).toEqual([
        ['GET', 'HEAD'],
        undefined,
        undefined,
      ]);

      const sensitive = express();
      sensitive.set('case sensitive routing', true);
      sensitive.put('/Users/:id', named('put'));
      expect([allowedMethods(sensitive, '/Users/1'), allowedMethods(sensitive, '/users/1')]).toEqual([['PUT'], undefined]);
    });

    it('lists an explicit HEAD once, and OPTIONS when a route has it', () => {
      const app = express();
      app.head('/h', named('head'));
      app.get('/h', named('get'));
      app.options('/h', named('options'));
      expect(allowedMethods(app, '/h')).toEqual(['HEAD', 'GET', 'OPTIONS']);
    });

    it('counts an OPTIONS-only route only on a path that other routes give a method (the cors pre-flight line matches every path)', () => {
      const app = express();
      app.options(v4 ? '*' : '/{*splat}', named('preflight'));
      app.options('/only', named('options'));
      app.get('/users', named('get'));
      expect(allowedMethods(app, '/nowhere')).toBeUndefined();
      expect(allowedMethods(app, '/only')).toBeUndefined();
      expect(allowedMethods(app, '/users')).toEqual(['GET', 'HEAD', 'OPTIONS']);
    });
  });

  describe('over HTTP', () => {
    /** allowedMethods on paths that match the same layers as the requests, with other values. */
    const decoys = () => {
      for (const path of ['/users/spy', '/v1/orgs/spy/projects/spy/tasks/spy', '/v1/orgs/spy/projects/spy', '/posts/spy', '/legacy/0']) {
        allowedMethods(control.app, path);
        allowedMethods(spied.app, path);
      }
      spyCalls++;
    };
    let spyCalls = 0;
    const control = buildApp(express, v4);
    const spied = buildApp(express, v4, decoys);

    it('routes every request exactly as without allowedMethods running before and during routing', async () => {
      const paths = [
        '/users/42',
        '/users/42/',
        '/posts',
        '/posts/hello',
        '/files/a/b.txt',
        '/legacy/7',
        '/v1/orgs/o1/projects',
        '/v1/orgs/o1/projects/p1',
        '/v1/orgs/o1/projects/p1/tasks',
        '/v1/orgs/o1/projects/p1/tasks/t1',
        '/v2/status',
        '/latest/status',
        '/re5/x',
        '/admin/stats',
        '/nope',
      ];
      for (const path of paths) {
        const [expected, actual] = [await request(control.app).get(path), await request(spied.app).get(path)];
        expect({ path, status: actual.status, body: actual.body as unknown }).toEqual({
          path,
          status: expected.status,
          body: expected.body as unknown,
        });
      }
      expect(spyCalls).toBeGreaterThan(paths.length);
      expect(spied.paramCalls).toEqual(control.paramCalls);
      const deep = await request(spied.app).get('/v1/orgs/o1/projects/p1/tasks/t1');
      expect(deep.body).toEqual({
        handler: 'getTask',
        params: { orgId: 'o1', projectId: 'p1', taskId: 't1' },
        baseUrl: '/v1/orgs/o1/projects/p1/tasks',
      });
    });

    it('keeps concurrent requests apart while a param callback yields and allowedMethods runs meanwhile', async () => {
      const ids = ['1', '2', '3', '4', '5', '6'];
      const responses = await Promise.all(ids.map((id) => request(spied.app).get(`/v1/orgs/o${id}/projects/p${id}/tasks/t${id}`)));
      expect(responses.map((response) => response.body as unknown)).toEqual(
        ids.map((id) => ({
          handler: 'getTask',
          params: { orgId: `o${id}`, projectId: `p${id}`, taskId: `t${id}` },
          baseUrl: `/v1/orgs/o${id}/projects/p${id}/tasks`,
        })),
      );
    });

    it('gives a middleware after the routes the methods of the request path, nested routers included', async () => {
      const { app } = buildApp(express, v4);
      app.use((req, res, next) => {
        const allowed = allowedMethods(app, req.path);
        if (allowed === undefined || allowed.includes(req.method)) return next();
        res.set('Allow', allowed.join(', ')).status(405).end();
      });
      const refused = await request(app).delete('/v1/orgs/o1/projects/p1/tasks/t1');
      expect([refused.status, refused.headers.allow]).toEqual([405, 'GET, HEAD']);
      expect((await request(app).post('/users/7')).headers.allow).toBe('GET, HEAD, PUT, PATCH, DELETE');
      expect((await request(app).get('/nope')).status).toBe(404);
    });
  });
});

describe('Express 4 paths, read back from path-to-regexp 0.1', () => {
  const express4 = EXPRESS_VERSIONS[1][1];

  it.each([
    ['/items/:id(\\d+)', ['/items/{id}'], []],
    ['/file.:ext?', ['/file', '/file.{ext}'], []],
    ['/:from-:to', ['/{from}-{to}'], []],
    ['/a/:b?/c/:d?', ['/a/c', '/a/c/{d}', '/a/{b}/c', '/a/{b}/c/{d}'], []],
    ['/ab?cd', [], [['/ab?cd', '"?" is RegExp syntax in an Express 4 path: a pattern, not a template']]],
    ['/p/:path*', [], [['/p/:path*', WILDCARD]]],
    ['/p/:any(.*)', [], [['/p/:any(.*)', 'the capture (.*) may match across "/"; an OpenAPI path parameter cannot']]],
    ['*', [], [['*', WILDCARD]]],
    ['users', [], [['users', NO_SLASH]]],
  ])('route %s', (path, paths, skipped) => {
    const app = express4();
    app.get(path, named('h'));
    expect(summary(listRoutes(app))).toEqual({ paths, skipped });
  });

  it.each([
    ['/v1/', ['/v1/x'], []],
    ['/a.b', ['/a.b/x'], []],
    ['/:lang?/docs', ['/docs/x', '/{lang}/docs/x'], []],
    [['/a', '/b/:id'], ['/a/x', '/b/{id}/x'], []],
    // the very RegExp path-to-regexp 0.1 makes of '/v1': it matches what '/v1' matches
    [/^\/v1\/?(?=\/|$)/i, ['/v1/x'], []],
    ['/colou?r', [], [['/colou?r/x', '"?" is RegExp syntax in an Express 4 path: a pattern, not a template']]],
    [/^\/v\d+/, [], [['/^\\/v\\d+/ + /x', EXPRESS4_MOUNT]]],
    [/^\/v1.x\/?(?=\/|$)/i, [], [['/^\\/v1.x\\/?(?=\\/|$)/i + /x', EXPRESS4_MOUNT]]],
  ])('mount path %p', (mount, paths, skipped) => {
    const app = express4();
    const router = express4.Router();
    router.get('/x', named('x'));
    app.use(mount, router);
    expect(summary(listRoutes(app))).toEqual({ paths, skipped });
  });
});

describe('Express 5 paths (path-to-regexp 8)', () => {
  it.each([
    ['/files{/*rest}', ['/files'], [['/files{/*rest}', WILDCARD]]],
    ['{/:lang}/files/*rest', [], [['{/:lang}/files/*rest', WILDCARD]]], // both variants: one entry
    ['{/:lang}/docs', ['/docs', '/{lang}/docs'], []],
    ['/users/:id.:format', ['/users/{id}.{format}'], []],
    ['/:"quoted name"', ['/{quoted name}'], []],
    ['/a\\:b', ['/a:b'], []],
    ['/search\\?q', [], [['/search\\?q', '"/search?q" cannot be written in an OpenAPI path']]],
    ['users', [], [['users', NO_SLASH]]],
  ])('route %s', (path, paths, skipped) => {
    const app = express5();
    app.get(path, named('h'));
    expect(summary(listRoutes(app))).toEqual({ paths, skipped });
  });

  it.each([
    ['/v1/', ['/v1/x'], []],
    ['{/:lang}/docs', ['/docs/x', '/{lang}/docs/x'], []],
    [['/a', '/b/:id'], ['/a/x', '/b/{id}/x'], []],
    [/^\/v\d+/, [], [['/^\\/v\\d+/ + /x', REGEXP]]],
  ])('mount path %p', (mount, paths, skipped) => {
    const app = express5();
    const router = express5.Router();
    router.get('/x', named('x'));
    app.use(mount, router);
    expect(summary(listRoutes(app))).toEqual({ paths, skipped });
  });
});

describe('router 2.0–2.2 layers (Express 5.0 and 5.1 installs)', () => {
  /** An Express 5 app whose routers are router 2.2's: the mount layers inside `top` are 2.2 layers. */
  function legacyApp(spy: () => void = () => undefined) {
    const app = express5();
    const shop = Router22({ mergeParams: true });
    shop.param('itemId', (_req, _res, next) => {
      spy();
      setTimeout(next, 2);
    });
    shop.route('/items/:itemId').get(named('item')).delete(named('deleteItem'));
    const root = Router22();
    root.get('/ok', named('ok'));
    const top = Router22();
    top.use('/shop/:shopId', shop);
    top.use(root);
    app.use(top);
    return { app, shop };
  }

  it('lists routes under a router mounted at "/" and skips those whose mount path 2.2 does not keep', () => {
    const { app, shop } = legacyApp();
    expect(summary(listRoutes(app))).toEqual({
      paths: ['/ok'],
      skipped: [['(mount path not kept) + /items/:itemId', UNKNOWN_MOUNT]],
    });
    expect(summary(listRoutes(shop))).toEqual({ paths: ['/items/{itemId}'], skipped: [] });
  });

  it('matches through it, and routing stays unchanged while its layers store match state', async () => {
    const probe = legacyApp();
    expect([
      allowedMethods(probe.app, '/shop/s1/items/i1'),
      allowedMethods(probe.app, '/ok/'),
      allowedMethods(probe.app, '/shop/s1'),
    ]).toEqual([['GET', 'HEAD', 'DELETE'], ['GET', 'HEAD'], undefined]);
    const { app } = legacyApp(() => {
      allowedMethods(app, '/shop/spy/items/spy');
    });
    const ids = ['1', '2', '3', '4'];
    const responses = await Promise.all(ids.map((id) => request(app).get(`/shop/s${id}/items/i${id}`)));
    expect(responses.map((response) => response.body as unknown)).toEqual(
      ids.map((id) => ({ handler: 'item', params: { shopId: `s${id}`, itemId: `i${id}` }, baseUrl: `/shop/s${id}` })),
    );
  });
});
