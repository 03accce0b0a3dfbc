/**
 * Typed input (issue 12): `handle(spec, fn)` and `validate()` with the real validators — zod 4, zod 3's
 * API (`zod/v3`), valibot 1 and arktype 2 — on Express 5 and 4. Each validator writes the same schemas
 * (the table below), and every case runs on every one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type } from 'arktype';
import type { Request, RequestHandler } from 'express';
import request from 'supertest';
import * as v from 'valibot';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { Created, NoContent, Ok, type ValidationIssue, errorHandler, handle, validate } from '../src';
import { EXPRESS_VERSIONS } from './apps';

/** A schema of any validator whose parsed output is `Output`. */
type Schema<Output> = StandardSchemaV1<unknown, Output>;

/** The same inputs, written with each validator: the types check that each one's output is the same. */
interface Schemas {
  /** A JSON body. */
  user: Schema<{ email: string; name: string }>;
  /** A query string: `page` coerced from its string, a nested `filter[status]`. */
  page: Schema<{ page: number; filter?: { status: 'active' | 'closed' } | undefined }>;
  /** Route parameters: `/users/:id`, the id a number. */
  userId: Schema<{ id: number }>;
  /** Headers, lower-case names: one required, one coerced to a number. */
  tenant: Schema<{ 'x-tenant': string; 'x-limit'?: number | undefined }>;
  /** Nested arrays and objects. */
  order: Schema<{ items: { name: string; qty: number }[] }>;
  /** A transform: a comma-separated string in, an array out. */
  tagged: Schema<{ tags: string[] }>;
  /** A discriminated union. */
  payment: Schema<{ kind: 'card'; number: string } | { kind: 'bank'; iban: string }>;
  /** A strict object (unknown keys rejected) with a pattern: what validators like to quote back. */
  secret: Schema<{ password: string }>;
  /** A refinement that throws: a bug in the app's schema, not the client's fault. */
  broken: Schema<{ name: string }>;
}

/** How a validator writes its issues: the form of its path segments, and whether its messages quote the rejected value. */
interface Habits {
  /** `keys`: `['items', 1, 'name']`; `objects`: `[{ key: 'items' }, …]` (Standard Schema allows both). */
  segments: 'keys' | 'objects';
  /** Its default message for a pattern or a union quotes the value the client sent. */
  quotesValues: boolean;
}

const SECRET = '<script>hunter2</script>';
const BUG = 'lookup failed: db password=hunter2';

/** A refinement whose lookup fails: what a schema bug looks like. */
const failingLookup = (): boolean => {
  throw new Error(BUG);
};

const zod4: Schemas = {
  user: z.object({ email: z.email(), name: z.string().min(1) }),
  page: z.object({
    page: z.coerce.number().int().min(1),
    filter: z.object({ status: z.enum(['active', 'closed']) }).optional(),
  }),
  userId: z.object({ id: z.coerce.number().int() }),
  tenant: z.object({ 'x-tenant': z.string().regex(/^[a-z]{3,20}$/), 'x-limit': z.coerce.number().int().optional() }),
  order: z.object({ items: z.array(z.object({ name: z.string().min(1), qty: z.number().int().min(1) })).min(1) }),
  tagged: z.object({ tags: z.string().transform((tags) => tags.split(',')) }),
  payment: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('card'), number: z.string().regex(/^\d{16}$/) }),
    z.object({ kind: z.literal('bank'), iban: z.string().min(15) }),
  ]),
  secret: z.strictObject({ password: z.string().regex(/^[A-Za-z0-9]{12,}$/) }),
  broken: z.object({ name: z.string().refine(failingLookup) }),
};

const zod3: Schemas = {
  user: z3.object({ email: z3.string().email(), name: z3.string().min(1) }),
  page: z3.object({
    page: z3.coerce.number().int().min(1),
    filter: z3.object({ status: z3.enum(['active', 'closed']) }).optional(),
  }),
  userId: z3.object({ id: z3.coerce.number().int() }),
  tenant: z3.object({ 'x-tenant': z3.string().regex(/^[a-z]{3,20}$/), 'x-limit': z3.coerce.number().int().optional() }),
  order: z3.object({ items: z3.array(z3.object({ name: z3.string().min(1), qty: z3.number().int().min(1) })).min(1) }),
  tagged: z3.object({ tags: z3.string().transform((tags) => tags.split(',')) }),
  payment: z3.discriminatedUnion('kind', [
    z3.object({ kind: z3.literal('card'), number: z3.string().regex(/^\d{16}$/) }),
    z3.object({ kind: z3.literal('bank'), iban: z3.string().min(15) }),
  ]),
  secret: z3.object({ password: z3.string().regex(/^[A-Za-z0-9]{12,}$/) }).strict(),
  broken: z3.object({ name: z3.string().refine(failingLookup) }),
};

const integerString = v.pipe(v.string(), v.toNumber(), v.integer());
const valibot: Schemas = {
  user: v.object({ email: v.pipe(v.string(), v.email()), name: v.pipe(v.string(), v.minLength(1)) }),
  page: v.object({
    page: v.pipe(integerString, v.minValue(1)),
    filter: v.optional(v.object({ status: v.picklist(['active', 'closed']) })),
  }),
  userId: v.object({ id: integerString }),
  tenant: v.object({ 'x-tenant': v.pipe(v.string(), v.regex(/^[a-z]{3,20}$/)), 'x-limit': v.optional(integerString) }),
  order: v.object({
    items: v.pipe(
      v.array(v.object({ name: v.pipe(v.string(), v.minLength(1)), qty: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
      v.minLength(1),
    ),
  }),
  tagged: v.object({
    tags: v.pipe(
      v.string(),
      v.transform((tags) => tags.split(',')),
    ),
  }),
  payment: v.variant('kind', [
    v.object({ kind: v.literal('card'), number: v.pipe(v.string(), v.regex(/^\d{16}$/)) }),
    v.object({ kind: v.literal('bank'), iban: v.pipe(v.string(), v.minLength(15)) }),
  ]),
  secret: v.strictObject({ password: v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{12,}$/)) }),
  broken: v.object({ name: v.pipe(v.string(), v.check(failingLookup)) }),
};

const arktype: Schemas = {
  user: type({ email: 'string.email', name: 'string > 0' }),
  page: type({ page: type('string.integer.parse').to('number >= 1'), 'filter?': { status: "'active' | 'closed'" } }),
  userId: type({ id: 'string.integer.parse' }),
  tenant: type({ 'x-tenant': /^[a-z]{3,20}$/, 'x-limit?': 'string.integer.parse' }),
  order: type({ items: type({ name: 'string > 0', qty: 'number.integer >= 1' }).array().atLeastLength(1) }),
  tagged: type({ tags: type('string').pipe((tags) => tags.split(',')) }),
  payment: type({ kind: "'card'", number: /^\d{16}$/ }).or({ kind: "'bank'", iban: 'string >= 15' }),
  secret: type({ '+': 'reject', password: /^[A-Za-z0-9]{12,}$/ }),
  broken: type({ name: type('string').narrow(failingLookup) }),
};

const VALIDATORS: [string, Schemas, Habits][] = [
  ['zod 4', zod4, { segments: 'keys', quotesValues: false }],
  ['zod 3 (zod/v3)', zod3, { segments: 'keys', quotesValues: true }],
  ['valibot 1', valibot, { segments: 'objects', quotesValues: true }],
  ['arktype 2', arktype, { segments: 'keys', quotesValues: true }],
];

/**
 * Async checks; arktype 2 has none (its `narrow` is synchronous), so it is not in this table. An async
 * check that rejects is tested in its own process, with valibot only (see the end of this file).
 */
interface AsyncSchemas {
  /** A uniqueness check that awaits its lookup. */
  signup: Schema<{ username: string }>;
  /** Route parameters that pass after a wait. */
  slowUserId: Schema<{ id: number }>;
}

const TAKEN = new Set(['ada']);
const isTaken = async (name: string): Promise<boolean> => {
  await new Promise((resolve) => setImmediate(resolve));
  return TAKEN.has(name);
};
const isFree = async (name: string): Promise<boolean> => !(await isTaken(name));
const afterWait = async (): Promise<boolean> => {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return true;
};

const ASYNC_VALIDATORS: [string, AsyncSchemas][] = [
  [
    'zod 4',
    {
      signup: z.object({ username: z.string().refine(isFree, 'This username is taken') }),
      slowUserId: z.object({ id: z.coerce.number().int() }).refine(afterWait),
    },
  ],
  [
    'zod 3 (zod/v3)',
    {
      signup: z3.object({ username: z3.string().refine(isFree, 'This username is taken') }),
      slowUserId: z3.object({ id: z3.coerce.number().int() }).refine(afterWait),
    },
  ],
  [
    'valibot 1',
    {
      signup: v.objectAsync({ username: v.pipeAsync(v.string(), v.checkAsync(isFree, 'This username is taken')) }),
      slowUserId: v.pipeAsync(v.object({ id: integerString }), v.checkAsync(afterWait)),
    },
  ],
];

/**
 * Where each issue of a 422 points, in its order: `#/items/1/name`, `parameter id`, `header x-tenant`.
 * Checks what every such answer must be first: problem JSON, one place and a detail per issue.
 */
function locations(res: request.Response): string[] {
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(res.text).not.toContain('[object Object]');
  return (res.body.errors as ValidationIssue[]).map((issue) => {
    expect(issue.detail).toEqual(expect.any(String));
    if (issue.pointer !== undefined) {
      expect(Object.keys(issue)).toEqual(['detail', 'pointer']);
      return issue.pointer;
    }
    // outside the body, an issue says where: `in` as OpenAPI names it
    expect(Object.keys(issue)).toHaveLength(3);
    if (issue.header !== undefined) {
      expect(issue.in).toBe('header');
      return `header ${issue.header}`;
    }
    return `parameter ${String(issue.parameter)} in ${String(issue.in)}`;
  });
}

/** Issues of one part come in the validator's own order; the tests that do not compare orders sort them. */
const sorted = (list: string[]): string[] => [...list].sort();

/** What the validator itself says, before the package makes it safe. */
async function rawIssues(schema: StandardSchemaV1, value: unknown): Promise<readonly StandardSchemaV1.Issue[]> {
  return (await schema['~standard'].validate(value)).issues ?? [];
}

/** A logger that keeps what it is given and the query string the error handler's `req` held then. */
function queryLogger(): { errors: unknown[]; queries: unknown[]; log: (error: unknown, req: Request) => void } {
  const errors: unknown[] = [];
  const queries: unknown[] = [];
  return {
    errors,
    queries,
    log: (error, req) => {
      errors.push(error);
      queries.push(req.query);
    },
  };
}

/** A middleware after the route: what the handler saw, and what the real request holds now. */
const readAfter: RequestHandler = (req, res) => {
  res.json({ handlerSaw: res.locals.page, after: req.query, user: (req as Request & { user?: string }).user });
};

describe.each(EXPRESS_VERSIONS)('%s', (label, express) => {
  describe.each(VALIDATORS)('%s', (_name, s, habits) => {
    const logger = queryLogger();
    const app = express();
    // Express 5 parses query strings with node:querystring unless told: `filter[status]` nests only with qs
    app.set('query parser', 'extended');
    app.use(express.json());
    app.post(
      '/users',
      handle({ body: s.user }, (req) => new Created(req.body, { location: '/users/1' })),
    );
    app.get(
      '/users',
      handle({ query: s.page }, (req) => new Ok({ query: req.query, type: typeof req.query.page })),
    );
    app.get(
      '/users/:id',
      handle({ params: s.userId }, (req) => new Ok({ id: req.params.id, type: typeof req.params.id })),
    );
    app.get(
      '/tenant',
      handle(
        { headers: s.tenant },
        (req) =>
          new Ok({
            tenant: req.headers['x-tenant'],
            limit: req.headers['x-limit'],
            limitByGet: req.get('x-limit'),
            agent: req.headers['user-agent'],
            accept: req.get('Accept'),
          }),
      ),
    );
    app.post(
      '/orders',
      handle(
        { body: s.order },
        (req) => new Created({ count: req.body.items.length, qty: req.body.items[1]?.qty }, { location: '/orders/1' }),
      ),
    );
    app.post(
      '/tags',
      handle({ body: s.tagged }, (req) => new Ok({ tags: req.body.tags, count: req.body.tags.length })),
    );
    app.post(
      '/payments',
      handle(
        { body: s.payment },
        (req) => new Ok(req.body.kind === 'card' ? { card: req.body.number.slice(-4) } : { iban: req.body.iban }),
      ),
    );
    app.post(
      '/secrets',
      handle({ body: s.secret }, () => new NoContent()),
    );
    app.post(
      '/broken',
      handle({ body: s.broken }, () => new NoContent()),
    );
    app.post(
      '/users/:id/orders',
      handle(
        { params: s.userId, query: s.page, headers: s.tenant, body: s.order },
        (req) =>
          new Created(
            { user: req.params.id, page: req.query.page, tenant: req.headers['x-tenant'], items: req.body.items.length },
            { location: '/orders/1' },
          ),
      ),
    );
    // the handler reads the parsed query and passes on; what comes after reads the real request
    app.get(
      '/search',
      handle({ query: s.page }, (req, res, next) => {
        res.locals.page = req.query.page;
        (req as typeof req & { user?: string }).user = 'ada';
        next();
      }),
      readAfter,
    );
    app.get(
      '/search-fails',
      handle({ query: s.page }, () => {
        throw new Error('the search index is down');
      }),
    );
    app.post(
      '/import',
      handle(async (req) => new Created(await validate(s.user, req.body), { location: '/users/1' })),
    );
    app.get(
      '/lookup',
      handle(async (req) => new Ok(await validate(s.page, req.query, 'query'))),
    );
    app.use(errorHandler({ log: logger.log }));

    beforeEach(() => {
      logger.errors.length = 0;
      logger.queries.length = 0;
    });

    it('a JSON body: the handler gets the parsed value, synchronously validated', async () => {
      expect(s.user['~standard'].validate({ email: 'ada@example.com', name: 'Ada' })).not.toBeInstanceOf(Promise);
      const res = await request(app).post('/users').send({ email: 'ada@example.com', name: 'Ada' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/users/1');
      expect(res.body).toEqual({ email: 'ada@example.com', name: 'Ada' });
    });

    it('a body that fails: 422 UnprocessableContent, a pointer per issue', async () => {
      const res = await request(app).post('/users').send({ email: 'not-an-email', name: '' });
      expect(sorted(locations(res))).toEqual(['#/email', '#/name']);
      expect(res.body).toMatchObject({ type: 'about:blank', title: 'Unprocessable Content', status: 422 });
    });

    it('a query string: strings coerced, nested values parsed', async () => {
      const plain = await request(app).get('/users?page=2');
      expect(plain.body).toEqual({ query: { page: 2 }, type: 'number' });
      const nested = await request(app).get('/users?page=3&filter[status]=active');
      expect(nested.body).toEqual({ query: { page: 3, filter: { status: 'active' } }, type: 'number' });
    });

    it('a query string that fails: each parameter named, a nested one as the client wrote it', async () => {
      const res = await request(app).get('/users?page=abc&filter[status]=archived');
      expect(sorted(locations(res))).toEqual(['parameter filter[status] in query', 'parameter page in query']);
    });

    it('route parameters: /users/42 gives the number 42; /users/abc names the parameter', async () => {
      expect((await request(app).get('/users/42')).body).toEqual({ id: 42, type: 'number' });
      expect(locations(await request(app).get('/users/abc'))).toEqual(['parameter id in path']);
    });

    it('headers: parsed under lower-case names; those the schema does not name stay readable', async () => {
      const res = await request(app)
        .get('/tenant')
        .set('X-Tenant', 'acme')
        .set('X-Limit', '25')
        .set('User-Agent', 'input-test')
        .set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tenant: 'acme', limit: 25, limitByGet: 25, agent: 'input-test', accept: 'application/json' });
    });

    it('headers that fail: each header named; a missing one too', async () => {
      const bad = await request(app).get('/tenant').set('X-Tenant', 'A').set('X-Limit', 'many');
      expect(sorted(locations(bad))).toEqual(['header x-limit', 'header x-tenant']);
      // a header name is the schema's word, never the client's: a message that quotes it is kept
      expect((bad.body.errors as ValidationIssue[]).find((issue) => issue.header === 'x-tenant')?.detail).not.toBe('Invalid value');
      expect(locations(await request(app).get('/tenant'))).toEqual(['header x-tenant']);
    });

    it('nested arrays and objects: the pointer goes down to the field', async () => {
      const ok = await request(app)
        .post('/orders')
        .send({
          items: [
            { name: 'tea', qty: 1 },
            { name: 'cake', qty: 2 },
          ],
        });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ count: 2, qty: 2 });
      const res = await request(app)
        .post('/orders')
        .send({
          items: [
            { name: 'tea', qty: 1 },
            { name: '', qty: 1 },
          ],
        });
      expect(locations(res)).toEqual(['#/items/1/name']);
    });

    it(`path segments as the validator gives them (${habits.segments}): the pointer is right either way`, async () => {
      const issues = await rawIssues(s.order, {
        items: [
          { name: 'tea', qty: 1 },
          { name: '', qty: 1 },
        ],
      });
      const segments = issues[0]?.path ?? [];
      expect(segments).toHaveLength(3);
      for (const segment of segments) expect(typeof segment === 'object' ? 'objects' : 'keys').toBe(habits.segments);
      const res = await request(app)
        .post('/orders')
        .send({
          items: [
            { name: 'tea', qty: 1 },
            { name: 'cake', qty: 0 },
          ],
        });
      expect(locations(res)).toEqual(['#/items/1/qty']);
    });

    it('a transform: the handler sees its output', async () => {
      const res = await request(app).post('/tags').send({ tags: 'a,b,c' });
      expect(res.body).toEqual({ tags: ['a', 'b', 'c'], count: 3 });
    });

    it('a discriminated union: each branch, a missing field of a branch, an unknown discriminator', async () => {
      expect((await request(app).post('/payments').send({ kind: 'card', number: '4242424242424242' })).body).toEqual({ card: '4242' });
      const iban = 'DE89370400440532013000';
      expect((await request(app).post('/payments').send({ kind: 'bank', iban })).body).toEqual({ iban });
      const missing = await request(app).post('/payments').send({ kind: 'bank' });
      expect(locations(missing)).toEqual(['#/iban']);
      // a key the client did not send is the schema's word: a message that quotes it is kept
      expect(missing.body.errors[0].detail).not.toBe('Invalid value');
      expect(locations(await request(app).post('/payments').send({ kind: 'cash' }))).toEqual(['#/kind']);
    });

    it('every failing part at once, in the order params, query, headers, body', async () => {
      const res = await request(app)
        .post('/users/abc/orders?page=0')
        .set('X-Tenant', 'A')
        .send({ items: [{ name: '', qty: 1 }] });
      expect(locations(res)).toEqual(['parameter id in path', 'parameter page in query', 'header x-tenant', '#/items/0/name']);
      const ok = await request(app)
        .post('/users/7/orders?page=2')
        .set('X-Tenant', 'acme')
        .send({ items: [{ name: 'tea', qty: 1 }] });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ user: 7, page: 2, tenant: 'acme', items: 1 });
    });

    it(`no value the client sent comes back, in any part (this validator ${habits.quotesValues ? 'quotes' : 'does not quote'} values)`, async () => {
      const quoted = [
        ...(await rawIssues(s.secret, { password: SECRET })),
        ...(await rawIssues(s.page, { page: SECRET, filter: { status: SECRET } })),
        ...(await rawIssues(s.payment, { kind: SECRET })),
      ].some((issue) => issue.message.includes('hunter2'));
      expect(quoted).toBe(habits.quotesValues);

      const secret = await request(app).post('/secrets').send({ password: SECRET });
      expect(locations(secret)).toEqual(['#/password']);
      expect(secret.text).not.toContain('hunter2');
      const payment = await request(app).post('/payments').send({ kind: SECRET });
      expect(locations(payment)).toEqual(['#/kind']);
      expect(payment.text).not.toContain('hunter2');
      const everywhere = await request(app)
        .post(`/users/abc/orders?page=${encodeURIComponent(SECRET)}&filter[status]=${encodeURIComponent(SECRET)}`)
        .set('X-Tenant', SECRET)
        .send({ items: [{ name: SECRET, qty: SECRET }] });
      expect(sorted(locations(everywhere))).toEqual(
        sorted([
          'parameter id in path',
          'parameter page in query',
          'parameter filter[status] in query',
          'header x-tenant',
          '#/items/0/qty',
        ]),
      );
      expect(everywhere.text).not.toContain('hunter2');
    });

    it('an unknown key the client sent is not quoted in a detail; a pointer to it is percent-encoded', async () => {
      const issues = await rawIssues(s.secret, { password: 'abcdefghijkl0', [SECRET]: 1 });
      expect(issues.some((issue) => issue.message.includes('hunter2'))).toBe(true);
      const res = await request(app)
        .post('/secrets')
        .send({ password: 'abcdefghijkl0', [SECRET]: 1 });
      const [where] = locations(res);
      // zod reports the object that has the key, valibot and arktype the key itself
      expect(['#', '#/%3Cscript%3Ehunter2%3C~1script%3E']).toContain(where);
      for (const issue of res.body.errors as ValidationIssue[]) expect(issue.detail).not.toContain('hunter2');
      expect(res.text).not.toContain('<script>');
    });

    it('a refinement that throws is a bug: 500, logged, nothing of it sent', async () => {
      const res = await request(app).post('/broken').send({ name: 'ada' });
      expect(res.status).toBe(500);
      expect(res.text).not.toContain('hunter2');
      expect(logger.errors).toEqual([expect.objectContaining({ message: BUG })]);
    });

    it("the handler reads the parsed query; a later middleware reads the client's, and sees what the handler set on req", async () => {
      const res = await request(app).get('/search?page=2');
      expect(res.body).toEqual({ handlerSaw: 2, after: { page: '2' }, user: 'ada' });
    });

    it("the error handler reads the client's query", async () => {
      const res = await request(app).get('/search-fails?page=2');
      expect(res.status).toBe(500);
      expect(logger.errors).toEqual([expect.objectContaining({ message: 'the search index is down' })]);
      expect(logger.queries).toEqual([{ page: '2' }]);
    });

    it('validate() outside handle(): the parsed output, or the same 422 through errorHandler', async () => {
      const ok = await request(app).post('/import').send({ email: 'ada@example.com', name: 'Ada' });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ email: 'ada@example.com', name: 'Ada' });
      const body = { email: 'not-an-email', name: '' };
      const viaValidate = await request(app).post('/import').send(body);
      const viaHandle = await request(app).post('/users').send(body);
      expect(sorted(locations(viaValidate))).toEqual(['#/email', '#/name']);
      expect(viaValidate.body.errors).toEqual(viaHandle.body.errors);
      expect((await request(app).get('/lookup?page=4')).body).toEqual({ page: 4 });
      expect(locations(await request(app).get('/lookup?page=abc'))).toEqual(['parameter page in query']);
    });
  });

  describe.each(ASYNC_VALIDATORS)('%s, async checks', (_name, s) => {
    const app = express();
    app.use(express.json());
    app.post(
      '/signup',
      handle({ body: s.signup }, (req) => new Created({ username: req.body.username }, { location: `/users/${req.body.username}` })),
    );
    app.post(
      '/users/:id/signup',
      handle({ params: s.slowUserId, body: s.signup }, (req) => new Ok({ id: req.params.id, username: req.body.username })),
    );
    app.use(errorHandler({ log: false }));

    it('a check that awaits: passes, or fails with its message at its pointer', async () => {
      expect(s.signup['~standard'].validate({ username: 'grace' })).toBeInstanceOf(Promise);
      const free = await request(app).post('/signup').send({ username: 'grace' });
      expect(free.status).toBe(201);
      expect(free.body).toEqual({ username: 'grace' });
      const taken = await request(app).post('/signup').send({ username: 'ada' });
      expect(taken.status).toBe(422);
      expect(taken.body.errors).toEqual([{ detail: 'This username is taken', pointer: '#/username' }]);
    });

    it('async parts: all awaited, the slow one still listed first', async () => {
      const ok = await request(app).post('/users/7/signup').send({ username: 'grace' });
      expect(ok.body).toEqual({ id: 7, username: 'grace' });
      const res = await request(app).post('/users/abc/signup').send({ username: 'ada' });
      expect(locations(res)).toEqual(['parameter id in path', '#/username']);
    });
  });

  describe('in its own process (test/fixtures/async-parts-app.ts, valibot)', () => {
    let child: ChildProcess;
    let base: string;
    beforeAll(async () => {
      child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          path.join(__dirname, 'fixtures', 'async-parts-app.ts'),
          label === 'Express 4' ? 'express4' : 'express',
        ],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const [port] = (await once(child.stdout!, 'data')) as [Buffer];
      base = `http://127.0.0.1:${String(port).trim()}`;
    }, 30_000); // ts-node compiles the app at start: slow on a loaded machine
    afterAll(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });

    // zod is not used here: its `~standard.validate` runs an async check a second time after a first,
    // synchronous try, and leaves that first promise unhandled itself (colinhacks/zod#5137, #6610)
    it('an async check that rejects while an earlier part is still pending: 500, and the process lives on', async () => {
      const res = await request(base).post('/users/7/rename').send({ name: 'ada' });
      expect(res.status).toBe(500);
      expect((await request(base).get('/health')).body).toEqual({ up: true });
      expect(child.exitCode).toBeNull();
    });
  });
});
