/**
 * A class declares its problem type once, as statics (`code`, `type`, `title`, `description`,
 * `extensions`), and outside production the answers are checked against what is declared: a result
 * body against its route's `resultBody`, an error's extensions against its class's schema. The checks
 * log, and never change the answer. Express 5 and 4.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import request from 'supertest';
import * as v from 'valibot';
import { z } from 'zod';
import {
  Conflict,
  NotFound,
  Ok,
  errorHandler,
  handle,
  type ErrorOptionsOf,
  type ExtensionsOf,
  type LogLevel,
  type ProblemTypeStatics,
} from '../src';
import { EXPRESS_VERSIONS, rawAnswer, withConsole } from './apps';

class OutOfStock extends Conflict {
  static readonly code = 'out_of_stock';
  static readonly title = 'Rupture de stock — 在庫切れ';
  static readonly description = 'The item is sold out. Remove it from the order, or order it again after a restock.';
  static readonly extensions = z.object({ sku: z.string().min(1), left: z.number().int().optional() });
  declare readonly extensions: ExtensionsOf<typeof OutOfStock>;
  constructor(detail: string, options: ErrorOptionsOf<typeof OutOfStock>) {
    super(detail, options);
  }
}
/** A subclass of a subclass: it declares nothing, and inherits every static. */
class OutOfStockInStore extends OutOfStock {}
/** A parent whose code its subclasses may replace: typed `string`, not its literal. */
class Unavailable extends Conflict {
  static readonly code: string = 'unavailable';
  static readonly title = 'Unavailable';
}
/** A subclass that replaces one static and keeps the others. */
class Discontinued extends Unavailable {
  static override readonly code = 'discontinued';
}

/** Runs `test` with NODE_ENV set to `env`. */
async function withNodeEnv(env: string, test: () => Promise<void>): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = env;
  try {
    await test();
  } finally {
    process.env.NODE_ENV = before;
  }
}

/** A Standard Schema whose check never settles: the answer must not wait for it. */
const NEVER_SETTLES: StandardSchemaV1 = {
  '~standard': { version: 1, vendor: 'test', validate: () => new Promise<never>(() => undefined) },
};

describe('the statics of an error class', () => {
  it('a static title is the default title of the instances, and of their message; the option still wins', () => {
    const err = new OutOfStock('Sold out', { extensions: { sku: 'A-1' } });
    expect(err.title).toBe('Rupture de stock — 在庫切れ');
    expect(err.code).toBe('out_of_stock');
    expect(new OutOfStock(undefined as unknown as string, { extensions: { sku: 'A-1' } }).message).toBe('Rupture de stock — 在庫切れ');
    expect(new OutOfStock('x', { title: 'Given', extensions: { sku: 'A-1' } }).title).toBe('Given');
    // the statics of the generated classes are not set: the reason phrase stays the default
    expect(new NotFound().title).toBe('Not Found');
    expect((NotFound as ProblemTypeStatics).title).toBeUndefined();
  });

  it('a subclass of a subclass inherits every static, and may replace one alone', () => {
    const inherited = new OutOfStockInStore('x', { extensions: { sku: 'A-1' } });
    expect([inherited.name, inherited.status, inherited.code, inherited.title]).toEqual([
      'OutOfStockInStore',
      409,
      'out_of_stock',
      'Rupture de stock — 在庫切れ',
    ]);
    expect(OutOfStockInStore.extensions).toBe(OutOfStock.extensions);
    expect(OutOfStockInStore.description).toBe(OutOfStock.description);
    const replaced = new Discontinued('x');
    expect([replaced.code, replaced.title, new Unavailable().code]).toEqual(['discontinued', 'Unavailable', 'unavailable']);
    expect(replaced).toBeInstanceOf(Unavailable);
  });

  describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
    function appThrowing(error: () => Error) {
      const app = express();
      app.get('/orders/:id', () => {
        throw error();
      });
      app.use(errorHandler({ log: false }));
      return app;
    }

    it('a static title in any script is the body title; the status line keeps the reason phrase; the description is not sent', async () => {
      const app = appThrowing(() => new OutOfStockInStore('No stock of A-1', { extensions: { sku: 'A-1' } }));
      const { line, body } = await rawAnswer(app, '/orders/7');
      expect(line).toBe('409 Conflict');
      expect(JSON.parse(body)).toEqual({
        type: 'about:blank',
        title: 'Rupture de stock — 在庫切れ',
        status: 409,
        detail: 'No stock of A-1',
        instance: '/orders/7',
        code: 'out_of_stock',
        sku: 'A-1',
      });
      expect(body).not.toContain('restock');
    });
  });
});

describe('checked outside production, the answer never changed', () => {
  describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
    describe('a result body that does not fit resultBody', () => {
      const User = z.object({ id: z.number(), email: z.email() });
      function appReturning(body: unknown, resultBody: StandardSchemaV1 = User) {
        const app = express();
        const router = express.Router();
        router.get(
          '/users/:id',
          handle({ result: Ok, resultBody }, () => new Ok(body as never)),
        );
        app.use('/api', router);
        app.use(errorHandler({ log: false }));
        return app;
      }

      it('is logged at warn, in one line, with the route and where the body is off; the answer is what the handler returned', () =>
        withConsole('warn', async (warn) => {
          const res = await request(appReturning({ id: '7', email: 'not an email' })).get('/api/users/7');
          expect([res.status, res.body]).toEqual([200, { id: '7', email: 'not an email' }]);
          expect(warn).toHaveBeenCalledTimes(1);
          expect(warn.mock.calls[0]).toHaveLength(1);
          const [line] = warn.mock.calls[0] as [string];
          expect(line).toMatch(
            /^express-typed-errors: GET \/api\/users\/7: GET \/api\/users\/:id returned a 200 body that does not fit its resultBody schema \(at \/id: .+; at \/email: .+\): change the result or the schema$/,
          );
          expect(line).not.toContain('\n');
        }));

      it('is checked as the client receives it: JSON, parsed back', () =>
        withConsole('warn', async (warn) => {
          const Stamp = z.object({ at: z.string() });
          const res = await request(appReturning({ at: new Date(0) }, Stamp)).get('/api/users/7');
          expect(res.body).toEqual({ at: '1970-01-01T00:00:00.000Z' });
          expect(warn).not.toHaveBeenCalled();
        }));

      it('a body that fits says nothing; an async schema reports after the answer; one that never settles holds nothing up', () =>
        withConsole('warn', async (warn) => {
          expect((await request(appReturning({ id: 7, email: 'a@example.com' })).get('/api/users/7')).status).toBe(200);
          expect(warn).not.toHaveBeenCalled();
          const Async = v.objectAsync({
            id: v.pipeAsync(
              v.number(),
              v.checkAsync(async (id) => id > 0, 'must be positive'),
            ),
          });
          const res = await request(appReturning({ id: -1 }, Async)).get('/api/users/7');
          expect([res.status, res.body]).toEqual([200, { id: -1 }]);
          await new Promise((resolve) => setTimeout(resolve, 20));
          expect(warn).toHaveBeenCalledTimes(1);
          expect(warn.mock.calls[0]![0]).toContain('(at /id: must be positive)');
          expect((await request(appReturning({ id: 1 }, NEVER_SETTLES)).get('/api/users/7')).status).toBe(200);
        }));

      it('off in production', () =>
        withNodeEnv('production', () =>
          withConsole('warn', async (warn) => {
            expect((await request(appReturning({ id: 'x' })).get('/api/users/7')).status).toBe(200);
            expect(warn).not.toHaveBeenCalled();
          }),
        ));
    });

    describe('extensions that do not fit their class’s static extensions', () => {
      function appThrowing(error: () => Error, invalidExtensions?: LogLevel | false) {
        const calls: { level: string; message: string; cause: unknown }[] = [];
        const app = express();
        app.get('/orders/:id', () => {
          throw error();
        });
        app.use(
          errorHandler({
            log: (error, _req, level) => calls.push({ level, message: (error as Error).message, cause: (error as Error).cause }),
            invalidExtensions,
          }),
        );
        return { app, calls };
      }
      const misfit = () => new OutOfStockInStore('No stock', { extensions: { sku: '', left: 1.5 } });

      it('are logged at warn, with the route, the class and what to change; the answer is the same', async () => {
        const { app, calls } = appThrowing(misfit);
        const res = await request(app).get('/orders/7');
        expect([res.status, res.body.sku, res.body.left]).toEqual([409, '', 1.5]);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.level).toBe('warn');
        expect(calls[0]!.message).toMatch(
          /^express-typed-errors: GET \/orders\/:id threw a 409 OutOfStockInStore whose extensions do not fit OutOfStockInStore\.extensions \(at \/sku: .+; at \/left: .+\): change the extensions it is given, or the schema$/,
        );
        expect(calls[0]!.cause).toBeInstanceOf(OutOfStockInStore);
      });

      it('extensions that fit, and classes without a schema, say nothing', async () => {
        const fits = appThrowing(() => new OutOfStock('x', { extensions: { sku: 'A-1', left: 2 } }));
        expect((await request(fits.app).get('/orders/7')).status).toBe(409);
        const plain = appThrowing(() => new Conflict('x', { extensions: { anything: 1 } }));
        expect((await request(plain.app).get('/orders/7')).status).toBe(409);
        expect([...fits.calls, ...plain.calls]).toEqual([]);
      });

      it('an async schema reports after the answer; a schema that throws is reported; neither changes the answer', async () => {
        class Held extends Conflict {
          static readonly extensions = NEVER_SETTLES;
        }
        class Broken extends Conflict {
          static readonly extensions: StandardSchemaV1 = {
            '~standard': {
              version: 1,
              vendor: 'test',
              validate: () => {
                throw new Error('schema bug');
              },
            },
          };
        }
        class Later extends Conflict {
          static readonly extensions = v.objectAsync({
            n: v.pipeAsync(
              v.number(),
              v.checkAsync(async (n) => n > 0, 'must be positive'),
            ),
          });
        }
        const held = appThrowing(() => new Held('x'));
        expect((await request(held.app).get('/orders/7')).status).toBe(409);
        const broken = appThrowing(() => new Broken('x'));
        expect((await request(broken.app).get('/orders/7')).body.title).toBe('Conflict');
        expect(broken.calls.map((call) => call.message)).toEqual([
          'express-typed-errors: GET /orders/:id threw a 409 Broken whose extensions do not fit Broken.extensions (the schema itself failed: Error: schema bug): change the extensions it is given, or the schema',
        ]);
        const later = appThrowing(() => new Later('x', { extensions: { n: 0 } }));
        expect((await request(later.app).get('/orders/7')).body.n).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(later.calls.map((call) => call.message)).toEqual([expect.stringContaining('(at /n: must be positive)')]);
      });

      it('at the level asked for, not at all with false, and off by default in production', async () => {
        const loud = appThrowing(misfit, 'error');
        await request(loud.app).get('/orders/7');
        expect(loud.calls.map((call) => call.level)).toEqual(['error']);
        const off = appThrowing(misfit, false);
        await request(off.app).get('/orders/7');
        expect(off.calls).toEqual([]);
        await withNodeEnv('production', async () => {
          const production = appThrowing(misfit);
          expect((await request(production.app).get('/orders/7')).status).toBe(409);
          expect(production.calls).toEqual([]);
          const asked = appThrowing(misfit, 'warn');
          await request(asked.app).get('/orders/7');
          expect(asked.calls.map((call) => call.level)).toEqual(['warn']);
        });
      });
    });
  });
});
