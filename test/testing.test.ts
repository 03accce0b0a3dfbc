/**
 * `express-typed-errors/testing`, used as an app's own suite would use it: over real answers of an
 * Express app, through supertest. Each assertion passes on a right answer and throws an AssertionError
 * with a clear message on a wrong one. Express 5 and 4.
 */
import { AssertionError } from 'node:assert';
import request from 'supertest';
import { z } from 'zod';
import {
  Conflict,
  Created,
  Gone,
  NotFound,
  Ok,
  TooManyRequests,
  errorHandler,
  handle,
  notFoundHandler,
  type ErrorOptionsOf,
  type ExtensionsOf,
} from '../src';
import { openApi } from '../src/openapi';
import { expectDocumented, expectProblem } from '../src/testing';
import { EXPRESS_VERSIONS, type ExpressFactory, withConsole } from './apps';

class OutOfStock extends Conflict {
  static readonly code = 'out_of_stock';
  static readonly extensions = z.object({ sku: z.string().min(1) });
  declare readonly extensions: ExtensionsOf<typeof OutOfStock>;
  constructor(detail: string, options: ErrorOptionsOf<typeof OutOfStock>) {
    super(detail, options);
  }
}
class EmailTaken extends Conflict {
  static readonly code = 'email_taken';
}

const Order = z.object({ id: z.number(), sku: z.string() });

/** A shop whose routes answer right, and a few that answer what their spec does not say. */
function shop(express: ExpressFactory) {
  const app = express();
  app.use(express.json());
  app.get(
    '/orders/:id',
    handle({ params: z.object({ id: z.coerce.number() }), result: Ok, resultBody: Order, errors: [NotFound, OutOfStock] }, (req) => {
      if (req.params.id === 404) throw new NotFound('No order 404');
      if (req.params.id === 409) throw new OutOfStock('Sold out', { extensions: { sku: 'A-1' } });
      if (req.params.id === 411) throw new OutOfStock('Sold out', { extensions: { sku: '' } });
      if (req.params.id === 418) throw new EmailTaken('not declared: a 409 with another code');
      if (req.params.id === 410) throw new Gone('not declared: a status the route does not document');
      // a body off resultBody, on purpose
      if (req.params.id === 500) return new Ok({ id: 'five hundred' } as never);
      return new Ok({ id: req.params.id, sku: 'A-1' });
    }),
  );
  app.post(
    '/orders',
    handle({ body: Order, result: Created, resultBody: Order, errors: [TooManyRequests] }, (req, res) => {
      // answered through res, without the Location a 201 of this route documents as required
      if (req.body.sku === 'no-location') return res.status(201).json(req.body) as never;
      return new Created(req.body, { location: `/orders/${req.body.id}` });
    }),
  );
  app.get('/html', (_req, res) => {
    res.status(404).type('html').send('<h1>Not Found</h1>');
  });
  app.use(notFoundHandler());
  app.use(errorHandler({ log: false, invalidExtensions: false }));
  return app;
}

/** What `fn` threw: the assertions below read its message. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not throw');
}

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  const app = shop(express);
  const document = openApi(app, { info: { title: 'Shop', version: '1.0.0' } });

  describe('expectProblem', () => {
    it('passes a problem of the class, and returns it with its extension members typed', async () => {
      const problem = expectProblem(await request(app).get('/orders/409'), OutOfStock);
      const sku: string = problem.sku;
      expect([problem.code, sku, problem.status]).toEqual(['out_of_stock', 'A-1', 409]);
      expect(expectProblem(await request(app).get('/orders/404'), NotFound).detail).toBe('No order 404');
      // a parent class takes its subclasses' answers; no class takes any problem
      expectProblem(await request(app).get('/orders/409'), Conflict);
      expectProblem(await request(app).get('/nowhere'));
      // problem+json, or plain JSON as negotiation chooses it
      expectProblem(await request(app).get('/orders/404').set('accept', 'application/json'), NotFound);
    });

    it('throws an AssertionError that says what is off: status, content type, shape, class, extensions', async () => {
      const notFound = await request(app).get('/orders/404');
      const wrongStatus = thrown(() => expectProblem(notFound, Conflict));
      expect(wrongStatus).toBeInstanceOf(AssertionError);
      expect(wrongStatus.message).toBe('GET /orders/404 answered 404, not 409 (Conflict)');
      expect(thrown(() => expectProblem(notFound, TooManyRequests)).message).toBe(
        'GET /orders/404 answered 404, not 429 (TooManyRequests)',
      );
      const html = await request(app).get('/html');
      expect(thrown(() => expectProblem(html, NotFound)).message).toBe(
        'GET /html answered 404 with Content-Type text/html; charset=utf-8, not application/problem+json (or application/json)',
      );
      const outOfStock = await request(app).get('/orders/409');
      expect(thrown(() => expectProblem(outOfStock, EmailTaken)).message).toBe(
        "GET /orders/409 answered 409 with code out_of_stock, not EmailTaken's email_taken",
      );
      const ok = await request(app).get('/orders/7');
      expect(thrown(() => expectProblem(ok)).message).toBe('GET /orders/7 answered 200: a problem has a 4xx or 5xx status');
      const misfit = await request(app).get('/orders/411');
      expect(thrown(() => expectProblem(misfit, OutOfStock)).message).toMatch(
        /^GET \/orders\/411 answered 409: its extension members do not fit OutOfStock\.extensions \(at \/sku: .+\)$/,
      );
      // a body that lies about its status
      const lying = { ...notFound, status: 404, text: JSON.stringify({ ...notFound.body, status: 400 }) };
      expect(thrown(() => expectProblem(lying, NotFound)).message).toBe(
        'GET /orders/404 answered 404: the problem\'s "status" is 400, not the answer\'s',
      );
      const untitled = { ...notFound, text: JSON.stringify({ type: 'about:blank', status: 404 }) };
      expect(thrown(() => expectProblem(untitled)).message).toBe('GET /orders/404 answered 404: the problem has no string "title"');
    });
  });

  describe('expectDocumented', () => {
    it('passes every answer the document promises: results with their headers, declared errors, the 422', async () => {
      expectDocumented(document, await request(app).get('/orders/7'));
      expectDocumented(document, await request(app).get('/orders/404'));
      expectDocumented(document, await request(app).get('/orders/409'));
      expectDocumented(document, await request(app).get('/orders/seven'));
      // a plain Express route is documented with a default response that promises nothing
      expectDocumented(document, await request(app).get('/html'));
      const created = await request(app).post('/orders').send({ id: 8, sku: 'B-2' });
      expect(created.status).toBe(201);
      expectDocumented(document, created);
      // a response given without supertest's request: the method and path are passed
      expectDocumented(
        document,
        { status: created.status, headers: created.headers, text: created.text },
        { method: 'POST', path: '/orders?x=1' },
      );
    });

    it('throws on a status the operation does not document, a missing required header, a body off its schema', async () => {
      const gone = await request(app).get('/orders/410');
      const undeclared = thrown(() => expectDocumented(document, gone));
      expect(undeclared).toBeInstanceOf(AssertionError);
      expect(undeclared.message).toBe(
        'GET /orders/410 answered 410, which its operation GET /orders/{id} does not document (it lists 200, 400, 404, 409, 422, 500)',
      );
      // a documented status with a code the operation does not list for it
      const otherCode = await request(app).get('/orders/418');
      expect(thrown(() => expectDocumented(document, otherCode)).message).toBe(
        'GET /orders/418 answered 409 with a body off its schema in GET /orders/{id} (409, application/problem+json): body must have required property \'sku\'; body/code must be equal to constant "out_of_stock"',
      );
      const noLocation = await request(app).post('/orders').send({ id: 9, sku: 'no-location' });
      expect(thrown(() => expectDocumented(document, noLocation)).message).toBe(
        'POST /orders answered 201 without the Location header that POST /orders marks required for 201',
      );
      await withConsole('warn', async () => {
        const offSchema = await request(app).get('/orders/500');
        expect(offSchema.status).toBe(200);
        expect(thrown(() => expectDocumented(document, offSchema)).message).toMatch(
          /^GET \/orders\/500 answered 200 with a body off its schema in GET \/orders\/\{id\} \(200, application\/json\): body must have required property 'sku'; body\/id must be number$/,
        );
      });
      const nowhere = await request(app).get('/nowhere');
      expect(thrown(() => expectDocumented(document, nowhere)).message).toBe(
        'GET /nowhere answered 404, and the document has no path for /nowhere',
      );
      const deleted = await request(app).delete('/orders/7');
      expect(thrown(() => expectDocumented(document, deleted)).message).toBe(
        'DELETE /orders/7 answered 404, and the document has no DELETE operation for /orders/{id}',
      );
      expect(thrown(() => expectDocumented(document, { status: 200, headers: {} }))).toBeInstanceOf(TypeError);
    });
  });
});

describe('without ajv (an optional peer dependency)', () => {
  it('expectProblem needs none; expectDocumented says how to install it when it has a body to check', () => {
    jest.isolateModules(() => {
      jest.doMock('ajv/dist/2020', () => {
        throw new Error("Cannot find module 'ajv/dist/2020'");
      });
      const testing = require('../src/testing') as typeof import('../src/testing');
      const res = {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        text: '{"type":"about:blank","title":"Not Found","status":404}',
      };
      expect(testing.expectProblem(res, NotFound).title).toBe('Not Found');
      const document = {
        paths: { '/x': { get: { responses: { 404: { description: 'x', content: { 'application/problem+json': { schema: {} } } } } } } },
      };
      expect(() => testing.expectDocumented(document, res, { method: 'GET', path: '/x' })).toThrow(
        'express-typed-errors/testing: expectDocumented() checks bodies with ajv, which is not installed: npm install --save-dev ajv ajv-formats',
      );
    });
  });
});
