/**
 * Whatever is thrown, the client gets a well-formed problem, the server keeps serving, the thrown
 * value is left untouched, and the log gets what could be read of it.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import request from 'supertest';
import { Conflict, HttpError, NotFound, ServiceUnavailable, errorHandler, handle, toHttpError } from '../src';
import { EXPRESS_VERSIONS, LEGACY_SCHEMA, legacyFormat } from './apps';

/** An error whose listed properties are getters that throw. */
function trap(target: object, keys: readonly string[]): object {
  // V8 formats a pending stack when 'stack' is redefined, which would read the other traps
  for (const key of [...keys].sort((a, b) => Number(b === 'stack') - Number(a === 'stack'))) {
    Object.defineProperty(target, key, {
      get() {
        throw new Error(`getter ${key} exploded`);
      },
      enumerable: true,
      configurable: false,
    });
  }
  return target;
}

function circular(): Error {
  const err = new Error('circular') as Error & { self?: unknown; data?: unknown };
  err.self = err;
  err.data = { err };
  return err;
}

const throwEverything = new Proxy(
  {},
  {
    get() {
      throw new Error('proxy get');
    },
    has() {
      throw new Error('proxy has');
    },
    ownKeys() {
      throw new Error('proxy ownKeys');
    },
    getPrototypeOf() {
      throw new Error('proxy getPrototypeOf');
    },
  },
);

/** Each hostile value, and the status it must be answered with. */
const HOSTILE: [string, () => unknown, number][] = [
  ['null', () => null, 500],
  ['undefined', () => undefined, 500],
  ['false', () => false, 500],
  ['a bare number is not a status', () => 404, 500],
  ['NaN', () => Number.NaN, 500],
  ['a string', () => 'password=hunter2', 500],
  ['a symbol', () => Symbol('hunter2'), 500],
  ['a BigInt', () => 10n, 500],
  ['a function', () => () => 'hunter2', 500],
  ['a plain object', () => ({ message: 'hunter2' }), 500],
  [
    'a null-prototype object',
    () => Object.assign(Object.create(null) as object, { status: 409, expose: true, message: 'null proto' }),
    409,
  ],
  ['a frozen error', () => Object.freeze(new Error('hunter2')), 500],
  ['a frozen http-errors-shaped error', () => Object.freeze(Object.assign(new Error('frozen 4xx'), { status: 418, expose: true })), 418],
  ["status 'abc'", () => Object.freeze({ status: 'abc', message: 'hunter2' }), 500],
  ["status '404' (a string)", () => Object.freeze({ status: '404', message: 'hunter2' }), 500],
  ['status 200', () => Object.freeze({ status: 200, message: 'hunter2' }), 500],
  ['status 999', () => Object.freeze({ statusCode: 999, message: 'hunter2' }), 500],
  ['status 404.5', () => Object.freeze({ status: 404.5 }), 500],
  ['status Infinity', () => Object.freeze({ status: Number.POSITIVE_INFINITY }), 500],
  ['a 5xx status that says expose', () => Object.freeze(Object.assign(new Error('shown by choice'), { status: 502, expose: true })), 502],
  ['an unregistered 4xx status', () => Object.freeze(Object.assign(new Error('odd'), { status: 499 })), 499],
  ['a circular error', () => circular(), 500],
  ['an error with BigInt fields', () => Object.assign(new Error('big'), { amount: 10n, status: 400, expose: true }), 400],
  ['a message getter that throws', () => trap(Object.assign(new Error(), { status: 400, expose: true }), ['message']), 400],
  ['a stack getter that throws', () => trap(new Error('x'), ['stack']), 500],
  ['a status getter that throws', () => trap(new Error('x'), ['status', 'statusCode']), 500],
  ['a headers getter that throws', () => trap(Object.assign(new Error('x'), { status: 429 }), ['headers']), 429],
  [
    'every getter throws',
    () => trap(new Error('x'), ['name', 'message', 'stack', 'status', 'statusCode', 'expose', 'headers', 'isBoom', 'code', 'cause']),
    500,
  ],
  ['a Proxy whose every trap throws', () => throwEverything, 500],
  [
    'an own __proto__ key',
    (): unknown =>
      JSON.parse('{"__proto__":{"status":404},"status":418,"expose":true,"message":"proto","headers":{"__proto__":"x","X-Ok":"1"}}'),
    418,
  ],
  [
    'header values with CR/LF',
    () => Object.freeze({ status: 400, expose: true, message: 'crlf', headers: { 'X-Evil': 'a\r\nSet-Cookie: pwn=1', 'Bad Name': 'x' } }),
    400,
  ],
  ['a Boom without output', () => Object.freeze({ isBoom: true, message: 'hunter2' }), 500],
  ['a Boom with a bad status', () => Object.freeze({ isBoom: true, output: { statusCode: 'x' } }), 500],
  ['a MulterError without a code', () => Object.freeze(Object.assign(new Error('m'), { name: 'MulterError' })), 500],
  [
    "a MulterError whose code is 'constructor'",
    () => Object.freeze(Object.assign(new Error('m'), { name: 'MulterError', code: 'constructor' })),
    400,
  ],
  [
    "an express-jwt error whose code is 'toString'",
    () => Object.freeze(Object.assign(new Error('hunter2'), { name: 'UnauthorizedError', code: 'toString', status: 401 })),
    401,
  ],
];

/** A structural copy of what a value exposes, to prove the handler did not change it. */
function fingerprint(value: unknown): string {
  try {
    return JSON.stringify(Object.getOwnPropertyDescriptors(value as object), (_k, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : typeof v === 'function' ? 'fn' : v,
    );
  } catch {
    return 'unreadable';
  }
}

/** What every answer to a thrown value must be. */
function expectWellFormed(res: request.Response, hiddenMarker?: string): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(600);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body.status).toBe(res.status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.type).toBe('string');
  // no stack frame, escaped or not, ever reaches the client
  expect(res.text).not.toMatch(/(\n|\\n)\s+at /);
  if (hiddenMarker !== undefined) expect(res.text).not.toContain(hiddenMarker);
}

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  let current: () => unknown = () => undefined;
  const logged: unknown[] = [];
  const app = express();
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get(
    '/throw',
    handle(() => {
      throw current();
    }),
  );
  app.get(
    '/reject',
    handle(async () => {
      await Promise.resolve();
      throw current();
    }),
  );
  app.use(errorHandler({ log: (error) => logged.push(error) }));

  const quiet = express();
  quiet.get(
    '/throw',
    handle(() => {
      throw current();
    }),
  );
  quiet.use(errorHandler());

  // an app with its own error contract: every answer must fit that contract's JSON Schema
  const legacy = express();
  legacy.get(
    '/throw',
    handle(() => {
      throw current();
    }),
  );
  legacy.use(errorHandler({ log: false, format: legacyFormat }));
  const fitsLegacy = new Ajv().compile(LEGACY_SCHEMA);

  describe.each(HOSTILE)('%s', (_name, make, status) => {
    it.each(['/throw', '/reject'])('%s: a well-formed answer, nothing mutated, the server still serves', async (route) => {
      const value = make();
      const before = fingerprint(value);
      current = () => value;
      logged.splice(0);
      const res = await request(app).get(route);
      expect(res.status).toBe(status);
      expectWellFormed(res, 'hunter2');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(fingerprint(value)).toBe(before);
      if (status >= 500) expect(logged.length).toBeGreaterThanOrEqual(1);
      expect((await request(app).get('/ok')).status).toBe(200);
    });

    it('the default console logger does not throw either', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      // a dropped header is reported at warn
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        current = make;
        const res = await request(quiet).get('/throw');
        expect(res.status).toBe(status);
        if (status >= 500) expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
        warn.mockRestore();
      }
    });
  });

  describe('property: anything thrown', () => {
    /** An error-like object with random status fields, exposure, headers and exploding getters. */
    const errorLike = fc
      .record({
        base: fc.constantFrom('Error', 'TypeError', 'object'),
        name: fc.constantFrom(undefined, 'HttpError', 'UnauthorizedError', 'ZodError', 'ValidationError'),
        status: fc.oneof(
          fc.integer({ min: -1, max: 1000 }),
          fc.constantFrom(400, 404, 418, 499, 500, 503, 599),
          fc.string(),
          fc.double(),
          fc.constant(undefined),
        ),
        statusCode: fc.oneof(fc.integer({ min: 0, max: 700 }), fc.string(), fc.constant(undefined)),
        expose: fc.oneof(fc.boolean(), fc.constant(undefined), fc.string()),
        headers: fc.oneof(
          fc.constant(undefined),
          fc.dictionary(
            fc.string({ maxLength: 12 }),
            fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.integer(),
              fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
              fc.anything({ maxDepth: 1 }),
            ),
            { maxKeys: 4 },
          ),
        ),
        isBoom: fc.boolean(),
        outputStatus: fc.oneof(fc.integer({ min: 0, max: 700 }), fc.anything({ maxDepth: 0 })),
        code: fc.oneof(
          fc.constant(undefined),
          fc.string({ maxLength: 12 }),
          fc.constantFrom('invalid_token', 'LIMIT_FILE_SIZE', '__proto__'),
        ),
        traps: fc.subarray(['message', 'stack', 'status', 'statusCode', 'expose', 'headers', 'name', 'isBoom', 'output', 'code']),
        proto: fc.boolean(),
        extra: fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }),
        marker: fc.uuid(),
      })
      .map((spec) => {
        const target = (spec.base === 'object' ? {} : spec.base === 'TypeError' ? new TypeError() : new Error()) as Record<string, unknown>;
        const fields: Record<string, unknown> = {
          message: `SECRET-${spec.marker}`,
          name: spec.name,
          status: spec.status,
          statusCode: spec.statusCode,
          expose: spec.expose,
          headers: spec.headers,
          isBoom: spec.isBoom,
          output: { statusCode: spec.outputStatus, payload: { message: 'boom says' }, headers: spec.headers },
          code: spec.code,
          extra: spec.extra,
        };
        // some fields live on the prototype, as http-errors puts status there
        const holder = spec.proto ? (Object.create(Object.getPrototypeOf(target) as object) as Record<string, unknown>) : target;
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined && !spec.traps.includes(key))
            Object.defineProperty(holder, key, { value, enumerable: true, configurable: true, writable: true });
        }
        if (spec.proto) Object.setPrototypeOf(target, holder);
        trap(target, spec.traps);
        return { value: target, marker: `SECRET-${spec.marker}`, mayShow: spec.expose === true && !spec.traps.includes('message') };
      });

    /**
     * One of our own errors, subclassed with a title in any language and any headers — the framing
     * headers a handler owns among them, and names or values Node refuses.
     */
    const ownError = fc
      .record({
        base: fc.constantFrom(NotFound, Conflict, ServiceUnavailable),
        title: fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.constantFrom('Utilisateur introuvable — réessayez', 'ユーザーが見つかりません', '🔍🙈'),
        ),
        detail: fc.oneof(fc.constant(undefined), fc.string({ unit: 'grapheme', maxLength: 50 })),
        headers: fc.dictionary(
          fc.oneof(
            fc.constantFrom(
              'Content-Type',
              'Content-Length',
              'Transfer-Encoding',
              'Content-Encoding',
              'content-encoding',
              'Location',
              'Cache-Control',
              'X-Custom',
            ),
            fc.string({ maxLength: 12 }),
          ),
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.constantFrom('gzip', 'chunked', 'text/html', '0', '999999', 'a\r\nSet-Cookie: pwn=1'),
            fc.integer(),
          ),
          { maxKeys: 5 },
        ),
      })
      .map(({ base, title, detail, headers }) => {
        const Cls = base as unknown as new (detail?: string, options?: object) => HttpError;
        class Titled extends Cls {
          override readonly title = title;
        }
        const value = new Titled(detail, { headers });
        return { value, marker: undefined, mayShow: true, title };
      });

    const anything = fc
      .anything({
        withBigInt: true,
        withNullPrototype: true,
        withMap: true,
        withSet: true,
        withDate: true,
        withTypedArray: true,
        withSparseArray: true,
        withBoxedValues: true,
        withObjectString: true,
      })
      .map((value) => ({ value, marker: undefined, mayShow: true }));

    it('1,000 generated values: always a complete, valid problem; no stack or hidden message; the server keeps serving', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(errorLike, anything, ownError), fc.constantFrom('/throw', '/reject'), async (generated, route) => {
          const { value, marker, mayShow } = generated;
          runs++;
          current = () => value;
          const res = await request(app).get(route);
          expectWellFormed(res, mayShow ? undefined : marker);
          // the framing is the handler's own, whatever the error's headers said
          expect(res.headers['content-encoding']).toBeUndefined();
          expect(res.headers['transfer-encoding']).toBeUndefined();
          expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
          expect(res.headers['set-cookie']).toBeUndefined();
          // a title in any language reaches the body intact; the status line keeps the reason phrase
          if ('title' in generated) expect(JSON.parse(res.text).title).toBe(generated.title);
          expect((res as unknown as { res: { statusMessage: string } }).res.statusMessage).toMatch(/^[\x20-\x7e]+$/);
          const again = await request(app).get('/ok');
          expect(again.status).toBe(200);
        }),
        { numRuns: 1000 },
      );
      expect(runs).toBeGreaterThanOrEqual(1000);
    }, 120_000);

    it('500 generated values through an app with its own error contract: every body fits its JSON Schema', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(errorLike, anything, ownError), async ({ value, marker, mayShow }) => {
          runs++;
          current = () => value;
          const res = await request(legacy).get('/throw');
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(600);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          const body: unknown = JSON.parse(res.text);
          if (!fitsLegacy(body)) throw new Error(`${res.text} does not fit the contract: ${JSON.stringify(fitsLegacy.errors)}`);
          if (!mayShow && marker !== undefined) expect(res.text).not.toContain(marker);
        }),
        { numRuns: 500 },
      );
      expect(runs).toBeGreaterThanOrEqual(500);
    }, 120_000);
  });
});

describe('toHttpError', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true }), (value) => {
        const err = toHttpError(value);
        expect(err.status).toBeGreaterThanOrEqual(400);
        expect(err.status).toBeLessThan(600);
      }),
      { numRuns: 2000 },
    );
  });
});
