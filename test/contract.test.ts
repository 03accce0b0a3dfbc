/**
 * Route contracts over real HTTP, Express 5 and 4: the example API's contracts (examples/api.ts)
 * called with `call()` and `callSafe()` against the example app that implements them; path parameters
 * and queries through each Express's own parsers; aborts; a proxy's HTML answer; a contract mounted
 * where it does not belong.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import pino from 'pino';
import { z } from 'zod';
import { errorHandler, handle } from '../src';
import {
  BadGateway,
  Conflict,
  Created,
  HttpError,
  NotFound,
  Ok,
  UnprocessableContent,
  call,
  callSafe,
  isProblemError,
  route,
} from '../src/client';
import { EmailTaken, createUser, deleteUser, getUser, listUsers } from '../examples/api';
import { createApp } from '../examples/app';
import { EXPRESS_VERSIONS, recordingLogger } from './apps';
import { listen } from './client.apps';

/** A schema that takes any value as it is: the test sees what Express parsed. */
const asParsed: StandardSchemaV1<unknown, unknown> = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };

const echoParam = route({ method: 'GET', path: '/echo/:value/end', params: asParsed, result: Ok });
const echoQuery = route({ method: 'GET', path: '/query', query: asParsed, result: Ok });

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

let servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** Starts an app on a loopback port; closed after the test. */
async function started(app: Parameters<typeof listen>[0]): Promise<string> {
  const server = await listen(app);
  servers.push(server);
  return server.url;
}

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe("the example API's contracts, against the example app", () => {
    let baseUrl: string;
    beforeEach(async () => {
      baseUrl = await started(createApp({ logger: pino({ level: 'silent' }) }) as never);
    });

    it('calls each route and resolves to its result body', async () => {
      expect(await call(getUser, { params: { id: 1 } }, { baseUrl })).toEqual({ id: 1, email: 'ada@example.com', name: 'Ada' });
      const grace = await call(createUser, { body: { email: 'grace@example.com', name: 'Grace' }, query: { notify: 'true' } }, { baseUrl });
      expect(grace).toEqual({ id: 2, email: 'grace@example.com', name: 'Grace' });
      expect(await call(listUsers, { query: { limit: 1, offset: 1 } }, { baseUrl })).toEqual([grace]);
      expect(await call(listUsers, undefined, { baseUrl })).toHaveLength(2);
      expect(await call(deleteUser, { params: { id: 2 } }, { baseUrl })).toBeUndefined();
      expect(await call(getUser, { params: { id: '1' } }, { baseUrl, check: true })).toEqual({
        id: 1,
        email: 'ada@example.com',
        name: 'Ada',
      });
    });

    it('every declared error comes back as its class, with its members: NotFound, EmailTaken (and its email), 422', async () => {
      const missing = await rejection(call(getUser, { params: { id: 42 } }, { baseUrl, headers: { 'x-request-id': 'r-1' } }));
      expect(missing).toBeInstanceOf(NotFound);
      expect(missing).toMatchObject({ status: 404, detail: 'No user 42', requestId: 'r-1' });
      const gone = await rejection(call(deleteUser, { params: { id: 42 } }, { baseUrl }));
      expect(gone).toBeInstanceOf(NotFound);
      expect(gone).toMatchObject({ detail: 'No user 42' });

      const taken = await rejection(call(createUser, { body: { email: 'ada@example.com' } }, { baseUrl }));
      expect(taken).toBeInstanceOf(EmailTaken);
      expect(taken).toBeInstanceOf(Conflict);
      expect(taken).toMatchObject({
        name: 'EmailTaken',
        status: 409,
        code: 'email_taken',
        type: 'https://api.example.com/problems/email_taken',
        detail: 'The email ada@example.com is already registered',
        email: 'ada@example.com', // the member EmailTaken's static extensions declares
      });

      for (const [promise, issues] of [
        [call(getUser, { params: { id: 'abc' } }, { baseUrl }), [{ parameter: 'id' }]],
        [call(listUsers, { query: { limit: 0 } }, { baseUrl }), [{ parameter: 'limit' }]],
        [
          call(createUser, { body: { email: 'nope', name: '' }, query: { notify: 'maybe' } }, { baseUrl }),
          [{ parameter: 'notify' }, { pointer: '#/email' }, { pointer: '#/name' }],
        ],
      ] as const) {
        const invalid = await rejection(promise);
        expect(invalid).toBeInstanceOf(UnprocessableContent);
        expect(isProblemError(invalid, 422) && invalid.errors).toEqual(issues.map((issue) => expect.objectContaining(issue)));
      }
    });

    it('callSafe() gives the same errors as values, and the data under ok', async () => {
      expect(await callSafe(getUser, { params: { id: 1 } }, { baseUrl })).toEqual({
        ok: true,
        data: { id: 1, email: 'ada@example.com', name: 'Ada' },
      });
      const missing = await callSafe(getUser, { params: { id: 42 } }, { baseUrl });
      expect(missing.ok).toBe(false);
      expect(!missing.ok && missing.error).toBeInstanceOf(NotFound);
      const taken = await callSafe(createUser, { body: { email: 'ada@example.com' } }, { baseUrl });
      expect(!taken.ok && taken.error.status === 409 && taken.error.email).toBe('ada@example.com');
      const invalid = await callSafe(getUser, { params: { id: 0 } }, { baseUrl });
      expect(!invalid.ok && invalid.error).toBeInstanceOf(UnprocessableContent);
    });

    it('openApi() documents the contracts as any spec', async () => {
      const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      expect(Object.keys(document.paths['/users/{id}']!.get!.responses)).toEqual(expect.arrayContaining(['200', '404', '422', '500']));
      expect(Object.keys(document.paths['/users']!.post!.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    });
  });

  describe('the URL', () => {
    let baseUrl: string;
    beforeEach(async () => {
      const app = express();
      app.get(
        echoParam.path,
        handle(echoParam, (req) => new Ok(req.params)),
      );
      app.get(
        echoQuery.path,
        handle(echoQuery, (req) => new Ok(req.query)),
      );
      app.use(errorHandler({ log: false }));
      baseUrl = await started(app);
    });

    it('percent-encodes path parameters: /, ?, #, %, spaces, + and unicode reach the route as they were', async () => {
      for (const value of ['a/b', 'a?b=1', 'a#b', '100%', '%2F', 'a b', 'a+b', '&=;,', 'café ✓ 😀', "it's", '...', 42]) {
        expect(await call(echoParam, { params: { value } }, { baseUrl: `${baseUrl}/` })).toEqual({ value: String(value) });
      }
    });

    it("refuses a parameter that cannot be sent: '', '.', '..', an object, a missing one", async () => {
      for (const value of ['', '.', '..', { a: 1 }, undefined]) {
        await expect(call(echoParam, { params: { value } } as never, { baseUrl })).rejects.toThrow(
          /the parameter value must be a string or number other than '', '\.' and '\.\.'/,
        );
      }
    });

    it("sends the query as the server's own parser reads it: scalars, arrays as repeated keys, unicode, reserved characters", async () => {
      const many = Array.from({ length: 30 }, (_, i) => String(i));
      const query = { a: 'x', list: ['1', '2', '3'], text: 'a b&c=d+e?f#g%h/i', unicode: 'é✓😀', n: 42, yes: true, many, gone: undefined };
      expect(await call(echoQuery, { query }, { baseUrl })).toEqual({
        a: 'x',
        list: ['1', '2', '3'],
        text: 'a b&c=d+e?f#g%h/i',
        unicode: 'é✓😀',
        n: '42',
        yes: 'true',
        many,
      });
      // a one-element array is one value to both parsers: a schema reads it as a string or an array
      expect(await call(echoQuery, { query: { one: ['1'], none: [] } }, { baseUrl })).toEqual({ one: '1' });
    });

    it('refuses a nested object or a key with brackets, which the two parsers read differently', async () => {
      await expect(call(echoQuery, { query: { a: { b: 1 } } }, { baseUrl })).rejects.toThrow(/the query member a must be a scalar/);
      await expect(call(echoQuery, { query: { 'a[b]': 1 } }, { baseUrl })).rejects.toThrow(/its key without \[ or \]/);
    });
  });

  it('passes the AbortSignal through: an abort rejects call() and callSafe() with its reason, and the server sees the request end', async () => {
    const app = express();
    const closed: Promise<void>[] = [];
    const hang = route({ method: 'GET', path: '/slow' });
    app.get(hang.path, (req, _res) => {
      closed.push(new Promise((resolve) => req.socket.once('close', resolve)));
      controller.abort();
    });
    let controller = new AbortController();
    const baseUrl = await started(app);
    const error = await rejection(call(hang, undefined, { baseUrl, signal: controller.signal }));
    expect(error).toMatchObject({ name: 'AbortError' });
    controller = new AbortController();
    expect(await rejection(callSafe(hang, undefined, { baseUrl, signal: controller.signal }))).toMatchObject({ name: 'AbortError' });
    await Promise.all(closed);
    expect(closed).toHaveLength(2);
  });

  it('an HTML 502 from a proxy rejects with BadGateway; callSafe() gives it as a value', async () => {
    const proxy = express();
    proxy.use((_req, res) => {
      res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
    });
    const baseUrl = await started(proxy);
    const error = await rejection(call(getUser, { params: { id: 1 } }, { baseUrl }));
    expect(error).toBeInstanceOf(BadGateway);
    expect(error).toMatchObject({ status: 502, detail: undefined, problem: undefined });
    const result = await callSafe(getUser, { params: { id: 1 } }, { baseUrl });
    expect(!result.ok && result.error).toBeInstanceOf(BadGateway);
  });

  it('callSafe() rejects for what the contract does not describe: an undeclared error, an error of a declared status without its extensions, a failed network', async () => {
    const app = express();
    app.use(express.json());
    app.get('/users/:id', () => {
      throw new Conflict('not declared by getUser');
    });
    app.post('/users', () => {
      throw new Conflict('no email member', { code: 'email_taken' });
    });
    app.use(errorHandler({ log: false }));
    const baseUrl = await started(app);
    const undeclared = await rejection(callSafe(getUser, { params: { id: 1 } }, { baseUrl }));
    expect(undeclared).toBeInstanceOf(Conflict);
    const unfit = await rejection(callSafe(createUser, { body: { email: 'a@example.com' } }, { baseUrl }));
    expect(unfit).toBeInstanceOf(Conflict);
    expect(unfit).not.toBeInstanceOf(EmailTaken); // its problem has no email: not an EmailTaken's answer
    // fetch's own TypeError (of Node's realm, so by name)
    expect(await rejection(callSafe(getUser, { params: { id: 1 } }, { baseUrl: 'http://127.0.0.1:1' }))).toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
  });

  it('check: true parses the result body with resultBody; a body that does not fit rejects', async () => {
    const stamped = route({
      method: 'GET',
      path: '/now',
      result: Ok,
      resultBody: z.object({ at: z.iso.datetime().transform((s) => new Date(s)) }),
    });
    const app = express();
    let at = '2026-01-02T03:04:05.000Z';
    app.get(
      stamped.path,
      handle(stamped, () => new Ok({ at })),
    );
    const baseUrl = await started(app);
    expect(await call(stamped, {}, { baseUrl })).toEqual({ at });
    expect(await call(stamped, {}, { baseUrl, check: true })).toEqual({ at: new Date(at) });
    at = 'yesterday';
    await expect(call(stamped, {}, { baseUrl, check: true })).rejects.toThrow(/the answer of GET \/now does not fit its resultBody/);
  });

  describe('a contract mounted elsewhere is refused at the first request: a 500, the reason in the log', () => {
    const cases: [string, (app: ReturnType<typeof express>) => void, RegExp][] = [
      [
        'another method',
        (app) =>
          app.post(
            getUser.path,
            handle(getUser, () => new Ok(user)),
          ),
        /mounted for POST \/users\/:id/,
      ],
      [
        'another path',
        (app) =>
          app.get(
            '/people/:id',
            handle(getUser, () => new Ok(user)),
          ),
        /mounted at \/people\/:id/,
      ],
      [
        'app.use()',
        (app) =>
          app.use(
            '/users/:id',
            handle(getUser, () => new Ok(user)),
          ),
        /mounted with app\.use\(\)/,
      ],
      [
        'a router at another path',
        (app) =>
          app.use(
            '/v2',
            express.Router().get(
              '/:id',
              handle(getUser, () => new Ok(user)),
            ),
          ),
        /mounted at \/:id under \/v2/,
      ],
    ];
    const user = { id: 1, email: 'a@example.com', name: 'A' };
    it.each(cases)('%s', async (_case, mount, reason) => {
      const app = express();
      mount(app);
      const { calls, log } = recordingLogger();
      app.use(errorHandler({ log }));
      const baseUrl = await started(app);
      const path = _case === 'a router at another path' ? '/v2/1' : _case === 'another path' ? '/people/1' : '/users/1';
      const res = await fetch(`${baseUrl}${path}`, { method: _case === 'another method' ? 'POST' : 'GET' });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ status: 500, title: 'Internal Server Error' });
      expect(calls).toHaveLength(1);
      expect((calls[0] as Error).message).toMatch(/the handle\(\) of the contract GET \/users\/:id is mounted /);
      expect((calls[0] as Error).message).toMatch(reason);
    });

    it('and accepted where it belongs: its path, under the routers the base URL points at, HEAD for a GET', async () => {
      const orgUser = route({ method: 'GET', path: '/orgs/:org/users/:id', params: z.object({ org: z.string(), id: z.coerce.number() }) });
      const app = express();
      app.get(
        getUser.path,
        handle(getUser, (req) => new Ok({ ...user, id: req.params.id })),
      );
      app.use(
        '/api',
        express.Router().get(
          getUser.path,
          handle(getUser, (req) => new Ok({ ...user, id: req.params.id })),
        ),
      );
      // the router's own parameters reach the route's params with mergeParams
      app.use(
        '/orgs/:org',
        express.Router({ mergeParams: true }).get(
          '/users/:id',
          handle(orgUser, () => new Ok('in org')),
        ),
      );
      app.use(errorHandler({ log: false }));
      const baseUrl = await started(app);
      expect(await call(getUser, { params: { id: 7 } }, { baseUrl })).toEqual({ ...user, id: 7 });
      expect(await call(getUser, { params: { id: 8 } }, { baseUrl: `${baseUrl}/api` })).toEqual({ ...user, id: 8 });
      expect(await call(orgUser, { params: { org: 'acme', id: 9 } }, { baseUrl })).toBe('in org');
      expect((await fetch(`${baseUrl}/users/1`, { method: 'HEAD' })).status).toBe(200);
    });
  });
});

describe('route()', () => {
  it('is a frozen value with its method and path, recognized by handle() across copies', () => {
    expect(Object.isFrozen(getUser)).toBe(true);
    expect(getUser).toMatchObject({ method: 'GET', path: '/users/:id', result: Ok, errors: [NotFound] });
    expect(Object.keys(getUser)).not.toContain(expect.stringMatching(/brand/i));
    expect(Object.getOwnPropertySymbols(getUser).map(String)).toEqual(['Symbol(express-typed-errors.RouteContract)']);
  });

  it('refuses what could never work, with a TypeError that says why', () => {
    expect(() => route({ method: 'get' as 'GET', path: '/x' })).toThrow(/the method must be one of GET, HEAD, POST/);
    for (const path of ['users', '/users/*', '/users/:id?', '/users/{:id}', '/users/:id(\\d+)', '/a b', '/users/:']) {
      expect(() => route({ method: 'GET', path })).toThrow(/the path must be literal segments and :name parameters/);
    }
    expect(() => route({ method: 'GET', path: '/x', body: z.object({}) })).toThrow(/a GET request has no body/);
    class Anonymous extends NotFound {}
    expect(() => route({ method: 'GET', path: '/x', errors: [NotFound, Anonymous] })).toThrow(
      /Anonymous has no static code or type, so a client cannot tell its answers from its parent's/,
    );
    expect(route({ method: 'POST', path: '/', result: Created, errors: [HttpError as never, EmailTaken].slice(1) }).path).toBe('/');
  });
});
