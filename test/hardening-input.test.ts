/**
 * Validated input under attack (issue 19, items 1, 2, 8, 9, 10, 11 and issue 20's `in`), on Express 5
 * and 4: no client text comes back through a transform, a 422 stays small whatever the body, an async
 * schema cannot hold a request for good, the real request is reachable, spec mistakes are the app's
 * (500, logged) and a missing body is said as such.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type } from 'arktype';
import fc from 'fast-check';
import type { Request } from 'express';
import request from 'supertest';
import * as v from 'valibot';
import { z } from 'zod';
import {
  Created,
  MAX_ISSUES,
  MAX_PROBLEM_BYTES,
  NoContent,
  Ok,
  type ValidationIssue,
  errorHandler,
  fromZod,
  handle,
  rawRequest,
  validate,
} from '../src';
import { readProblem } from '../src/client';
import { paramsNotInPath } from '../src/validation';
import { EXPRESS_VERSIONS, recordingLogger } from './apps';

const SECRET = 'hunter2secret';

/** The answer's text, folded as the no-echo rule reads it: no case, no compatibility forms. */
function folded(res: request.Response): string {
  return res.text.normalize('NFKC').toLowerCase();
}

/** The issues of a 422, after checking it is one. */
function issues(res: request.Response): ValidationIssue[] {
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  return res.body.errors as ValidationIssue[];
}

/** A schema whose refinement awaits a call that never answers. */
const stuck = v.objectAsync({
  name: v.pipeAsync(
    v.string(),
    v.checkAsync(() => new Promise<boolean>(() => undefined)),
  ),
});

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('item 1: no echo through a transform', () => {
    const app = express();
    app.use(express.json());
    app.post(
      '/valibot/trim',
      handle({ body: v.object({ email: v.pipe(v.string(), v.trim(), v.email()) }) }, () => new NoContent()),
    );
    app.post(
      '/valibot/case',
      handle({ body: v.object({ role: v.pipe(v.string(), v.toLowerCase(), v.picklist(['admin', 'user'])) }) }, () => new NoContent()),
    );
    app.post(
      '/arktype/trim',
      handle({ body: type({ email: type('string.trim').to('string.email') }) }, () => new NoContent()),
    );
    app.post(
      '/arktype/case',
      handle({ body: type({ role: type('string.lower').to("'admin' | 'user'") }) }, () => new NoContent()),
    );
    app.get(
      '/split',
      handle(
        {
          query: v.object({
            tags: v.pipe(
              v.string(),
              v.transform((tags: string) => tags.split(',')),
              v.array(v.picklist(['a', 'b'])),
            ),
          }),
        },
        () => new NoContent(),
      ),
    );
    const Reserved = z.object({
      name: z.string().refine((name) => name.toLowerCase() !== SECRET, { error: (iss) => `${String(iss.input)} is reserved` }),
    });
    app.post(
      '/zod/custom',
      handle((req) => {
        Reserved.parse(req.body); // zod 4's defaults: the issues carry no input
        return new NoContent();
      }),
    );
    app.post(
      '/validate',
      handle(async (req) => new Ok(await validate(v.pipe(v.string(), v.trim(), v.email()), (req.body as { email: unknown }).email))),
    );
    app.use(errorHandler({ log: false, map: [fromZod] }));

    it('valibot trim → email: the trimmed value is not quoted', async () => {
      const res = await request(app)
        .post('/valibot/trim')
        .send({ email: `  ${SECRET}  ` });
      expect(issues(res)).toEqual([{ detail: 'Invalid value', pointer: '#/email' }]);
      expect(folded(res)).not.toContain(SECRET);
    });

    it('valibot toLowerCase → picklist: the lower-cased value is not quoted', async () => {
      const res = await request(app).post('/valibot/case').send({ role: SECRET.toUpperCase() });
      expect(issues(res)).toEqual([{ detail: 'Invalid value', pointer: '#/role' }]);
      expect(folded(res)).not.toContain(SECRET);
    });

    it('arktype string.trim → string.email, string.lower → a union: neither form is quoted', async () => {
      const trimmed = await request(app)
        .post('/arktype/trim')
        .send({ email: `\t${SECRET} ` });
      expect(issues(trimmed)).toEqual([{ detail: 'Invalid value', pointer: '#/email' }]);
      const lowered = await request(app).post('/arktype/case').send({ role: `Hunter2Secret` });
      expect(issues(lowered)).toEqual([{ detail: 'Invalid value', pointer: '#/role' }]);
      expect(folded(trimmed) + folded(lowered)).not.toContain(SECRET);
    });

    it('a comma list split into an array: no part quoted, and the parameter is the one the client wrote (tags, not tags[1])', async () => {
      const res = await request(app).get(`/split?tags=a,${SECRET}`);
      expect(issues(res)).toEqual([{ detail: 'Invalid value', parameter: 'tags', in: 'query' }]);
      expect(folded(res)).not.toContain(SECRET);
    });

    it("fromZod with zod 4's defaults: a custom message quoting the input is compared with the request's body", async () => {
      const res = await request(app).post('/zod/custom').send({ name: SECRET.toUpperCase() });
      expect(issues(res)).toEqual([{ detail: 'Invalid value', pointer: '#/name' }]);
      expect(folded(res)).not.toContain(SECRET);
    });

    it('validate(): the same rule', async () => {
      const res = await request(app)
        .post('/validate')
        .send({ email: ` ${SECRET.toUpperCase()}` });
      expect(issues(res)).toEqual([{ detail: 'Invalid value', pointer: '#' }]);
      expect(folded(res)).not.toContain(SECRET);
    });

    it('a message that quotes nothing the client sent is kept', async () => {
      const res = await request(app).post('/valibot/case').send({});
      expect(issues(res)).toEqual([{ detail: 'Invalid key: Expected "role" but received undefined', pointer: '#/role' }]);
    });
  });

  describe('item 2: a 422 stays small', () => {
    const app = express();
    app.use(express.json());
    app.post(
      '/items',
      handle({ body: z.object({ items: z.array(z.string()) }) }, () => new NoContent()),
    );
    app.post(
      '/long-messages',
      handle(
        {
          body: v.object({
            items: v.array(
              v.pipe(
                v.number(),
                v.check(() => false, '検'.repeat(400)),
              ),
            ),
          }),
        },
        () => new NoContent(),
      ),
    );
    app.post(
      '/long',
      handle(
        {
          body: v.record(
            v.string(),
            v.pipe(
              v.string(),
              v.check(() => false, 'x'.repeat(50_000)),
            ),
          ),
        },
        () => new NoContent(),
      ),
    );
    app.use(errorHandler({ log: false }));
    const body = JSON.stringify({ items: new Array(49_000).fill(0) });

    it(`49,000 wrong items in a 100 KB body: the first ${MAX_ISSUES} issues and totalErrors, and the package's client reads it`, async () => {
      expect(body.length).toBeLessThan(100 * 1024);
      const res = await request(app).post('/items').set('Content-Type', 'application/json').send(body);
      const sent = issues(res);
      expect(sent).toHaveLength(MAX_ISSUES);
      expect(sent[99]).toEqual({ detail: expect.any(String), pointer: '#/items/99' });
      expect(res.body.totalErrors).toBe(49_000);
      expect(res.text.length).toBeLessThan(20_000);

      const server = http.createServer(app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const answer = await fetch(`http://127.0.0.1:${port}/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const problem = await readProblem(answer);
        expect(problem?.errors).toHaveLength(MAX_ISSUES);
      } finally {
        server.close();
      }
    }, 30_000);

    it('a few issues: no totalErrors', async () => {
      const res = await request(app)
        .post('/items')
        .send({ items: [0, 'a', 1] });
      expect(issues(res)).toHaveLength(2);
      expect(res.body).not.toHaveProperty('totalErrors');
    });

    it('long messages and long keys are cut: each member of an issue stays within 300 characters', async () => {
      const keys = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`${'k'.repeat(700)}${i}`, 'v']));
      const res = await request(app).post('/long').send(keys);
      const sent = issues(res);
      expect(sent).toHaveLength(MAX_ISSUES);
      for (const issue of sent) {
        expect(issue.detail.length).toBeLessThanOrEqual(300);
        expect(issue.pointer!.length).toBeLessThanOrEqual(300);
      }
      expect(res.text.length).toBeLessThan(100_000);
    });

    it('issues in a script of 3-byte characters: fewer of them, so that the problem stays within its bound and keeps its errors', async () => {
      const res = await request(app)
        .post('/long-messages')
        .send({ items: Array.from({ length: 150 }, () => 0) });
      const sent = issues(res);
      expect(sent.length).toBeGreaterThan(10);
      expect(sent.length).toBeLessThan(MAX_ISSUES);
      expect(res.body.totalErrors).toBe(150);
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_PROBLEM_BYTES);
    });
  });

  describe('item 8: an async schema that never settles', () => {
    const logger = recordingLogger();
    const app = express();
    app.use(express.json());
    app.post(
      '/stuck',
      handle({ body: stuck, validationTimeout: 100 }, () => new NoContent()),
    );
    app.use(errorHandler({ log: logger.log }));

    it('answers 503 when its validationTimeout is up, and logs which route waited', async () => {
      const res = await request(app).post('/stuck').send({ name: 'ada' }).timeout(3000);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ title: 'Service Unavailable', status: 503 });
      expect(res.body).not.toHaveProperty('detail');
      expect(logger.calls).toEqual([
        expect.objectContaining({ message: expect.stringContaining('POST /stuck did not settle within 100 ms') }),
      ]);
    });

    it('a timeout that is not a positive number is refused where the route is declared', () => {
      expect(() => handle({ body: stuck, validationTimeout: 0 }, () => new NoContent())).toThrow(/validationTimeout/);
      expect(() => handle({ body: stuck, validationTimeout: Number.NaN }, () => new NoContent())).toThrow(/validationTimeout/);
      expect(() => handle({ body: stuck, validationTimeout: Infinity }, () => new NoContent())).not.toThrow();
    });
  });

  describe('item 9: the real request', () => {
    const sessions = new WeakMap<Request, { user: string }>();
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      sessions.set(req, { user: 'ada' });
      next();
    });
    app.post(
      '/notes',
      handle({ body: z.object({ text: z.string() }) }, (req) => {
        const raw = rawRequest(req);
        return new Created(
          { user: sessions.get(raw)?.user, same: raw === req.res?.req, parsedStays: req.body.text, rawOfRaw: rawRequest(raw) === raw },
          { location: '/notes/1' },
        );
      }),
    );
    app.get(
      '/plain',
      handle((req) => new Ok({ user: sessions.get(rawRequest(req))?.user })),
    );
    app.use(errorHandler({ log: false }));

    it("rawRequest(req) is the request earlier middleware keyed its WeakMap by, and req.res.req; the view's values stay parsed", async () => {
      const res = await request(app).post('/notes').send({ text: 'hi' });
      expect(res.body).toEqual({ user: 'ada', same: true, parsedStays: 'hi', rawOfRaw: true });
      expect((await request(app).get('/plain')).body).toEqual({ user: 'ada' });
    });
  });

  describe('item 10: specs that can never pass are the app’s mistake', () => {
    const logger = recordingLogger();
    const app = express();
    const router = express.Router();
    app.get(
      '/tenant',
      // the type refuses it (test/types.test.ts); a JavaScript app or a cast still reaches run time
      handle({ headers: z.object({ 'X-Tenant': z.string() }) } as { headers: z.ZodType<Record<string, string>> }, () => new NoContent()),
    );
    app.get(
      '/users/:id',
      handle({ params: z.object({ userId: z.string() }) }, () => new NoContent()),
    );
    router.get(
      '/members',
      handle({ params: z.object({ org: z.string() }) }, () => new NoContent()),
    );
    app.use('/teams/:org', router);
    app.use(errorHandler({ log: logger.log }));
    beforeEach(() => (logger.calls.length = 0));

    it('an upper-case header name: 500 and a log line that says to write it in lower case', async () => {
      const res = await request(app).get('/tenant').set('X-Tenant', 'acme');
      expect(res.status).toBe(500);
      expect(logger.calls).toEqual([expect.objectContaining({ message: expect.stringContaining('write "x-tenant"') })]);
    });

    it('a params key the path does not have: 500 and a log line naming it; a router without mergeParams too', async () => {
      expect((await request(app).get('/users/42')).status).toBe(500);
      expect((await request(app).get('/teams/acme/members')).status).toBe(500);
      expect(logger.calls).toEqual([
        expect.objectContaining({ message: expect.stringContaining('params schema of GET /users/:id has "userId"') }),
        expect.objectContaining({ message: expect.stringContaining('mergeParams') }),
      ]);
    });

    it('paramsNotInPath(keys, path): for route contracts, at declaration', () => {
      expect(paramsNotInPath(['id', 'userId', '0'], '/users/:id')).toEqual(['userId']);
      expect(paramsNotInPath(['id', 'rest'], '/files{/:id}/*rest')).toEqual([]);
      expect(paramsNotInPath(['id', 'name'], '/a/:id?/:"name"')).toEqual([]);
      expect(paramsNotInPath(['id'], '/a/:idx')).toEqual(['id']);
    });
  });

  describe('item 11: a body schema and no body', () => {
    const logger = recordingLogger();
    const app = express(); // no body parser mounted
    app.post(
      '/users',
      handle({ body: z.object({ name: z.string() }) }, () => new NoContent()),
    );
    app.use(errorHandler({ log: logger.log }));
    beforeEach(() => (logger.calls.length = 0));

    it('no body at all: the 422 says so', async () => {
      const res = await request(app).post('/users');
      expect(issues(res)).toEqual([
        { detail: 'The request has no body: send a JSON body with Content-Type: application/json', pointer: '#' },
      ]);
    });

    it('a body that is not JSON: the 422 says to send JSON', async () => {
      const res = await request(app).post('/users').set('Content-Type', 'text/plain').send('name=ada');
      expect(issues(res)).toEqual([{ detail: 'The request body is not JSON: send it with Content-Type: application/json', pointer: '#' }]);
    });

    it('a JSON body that no parser read: the server’s bug, 500 and a log line that says to mount express.json()', async () => {
      const res = await request(app).post('/users').send({ name: 'ada' });
      expect(res.status).toBe(500);
      expect(logger.calls).toEqual([expect.objectContaining({ message: expect.stringContaining('mount app.use(express.json())') })]);
    });

    it('an optional body is still optional', async () => {
      const optional = express();
      optional.post(
        '/ping',
        handle({ body: z.object({ note: z.string() }).optional() }, () => new NoContent()),
      );
      expect((await request(optional).post('/ping')).status).toBe(204);
    });
  });

  describe('issue 20: in', () => {
    const app = express();
    app.get(
      '/u/:id',
      handle({ params: z.object({ id: z.coerce.number() }), query: z.object({ id: z.coerce.number() }) }, () => new NoContent()),
    );
    app.use(errorHandler({ log: false }));

    it('a path and a query parameter of the same name are told apart', async () => {
      const res = await request(app).get('/u/abc?id=xyz');
      expect(issues(res)).toEqual([
        { detail: expect.any(String), parameter: 'id', in: 'path' },
        { detail: expect.any(String), parameter: 'id', in: 'query' },
      ]);
    });
  });

  describe('properties', () => {
    const app = express();
    app.set('query parser', 'extended');
    app.use(express.json());
    const routes = {
      '/valibot/trim': v.object({ email: v.pipe(v.string(), v.trim(), v.email()) }),
      '/valibot/case': v.object({ role: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['admin', 'user'])) }),
      '/valibot/split': v.object({
        tags: v.pipe(
          v.string(),
          v.transform((tags: string) => tags.split(',')),
          v.array(v.picklist(['a', 'b'])),
        ),
      }),
      '/valibot/nested': v.object({ items: v.array(v.object({ name: v.pipe(v.string(), v.trim(), v.toUpperCase(), v.email()) })) }),
      '/arktype/trim': type({ email: type('string.trim').to('string.email') }),
      '/arktype/case': type({ role: type('string.lower').to("'admin' | 'user'") }),
      '/zod/custom': z.object({
        name: z
          .string()
          .trim()
          .toLowerCase()
          .refine(() => false, { error: (iss) => `${String(iss.input)} is reserved` }),
      }),
    } as const;
    for (const [path, schema] of Object.entries(routes))
      app.post(
        path,
        handle({ body: schema }, () => new NoContent()),
      );
    app.get(
      '/query',
      handle({ query: routes['/valibot/split'] }, () => new NoContent()),
    );
    // a message as long as a validator may make one, of characters JSON escapes six bytes each
    const loud = v.pipe(
      v.unknown(),
      v.check(() => false, '\u0001'.repeat(1000)),
    );
    app.post(
      '/loud/items',
      handle({ body: v.array(loud) }, () => new NoContent()),
    );
    app.post(
      '/loud/keys',
      handle({ body: v.record(v.string(), loud) }, () => new NoContent()),
    );
    app.use(errorHandler({ log: false }));

    /** A token the answer's own words cannot hold (letters around a digit), as a secret or markup a client sends. */
    const secret = fc.stringMatching(/^[a-z]{3,8}[0-9][a-z0-9]{3,8}$/);
    /** How a client may send it: padded, in another case, in full-width forms, in a list. */
    const hostile = fc
      .tuple(
        secret,
        fc.constantFrom('', ' ', '  ', '\t', '\n '),
        fc.constantFrom('as is', 'upper', 'mixed', 'full width'),
        fc.constantFrom('alone', 'listed last', 'listed first'),
      )
      .map(([token, pad, form, place]) => {
        const cased =
          form === 'upper'
            ? token.toUpperCase()
            : form === 'mixed'
              ? [...token].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')
              : form === 'full width'
                ? [...token].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')
                : token;
        const padded = `${pad}${cased}${pad}`;
        return { token, sent: place === 'alone' ? padded : place === 'listed last' ? `a,${padded}` : `${padded},b` };
      });

    it('no text the client sent (trimmed, in any case, a part of a list, inside an array) comes back through a transforming schema', async () => {
      await fc.assert(
        fc.asyncProperty(hostile, fc.constantFrom(...Object.keys(routes), '/query'), async ({ token, sent }, path) => {
          const field =
            { '/valibot/trim': 'email', '/arktype/trim': 'email', '/zod/custom': 'name', '/valibot/split': 'tags' }[path] ?? 'role';
          const res =
            path === '/query'
              ? await request(app).get('/query').query({ tags: sent })
              : path === '/valibot/nested'
                ? await request(app)
                    .post(path)
                    .send({ items: [{ name: 'ada@example.com' }, { name: sent }] })
                : await request(app)
                    .post(path)
                    .send({ [field]: sent });
          expect(res.status).toBe(422);
          expect(folded(res)).not.toContain(token);
        }),
        { numRuns: 300 },
      );
    }, 120_000);

    it('a 422 never exceeds its bound: at most 100 issues, each member within 300 characters, under the client’s 1 MiB', async () => {
      const body = fc.oneof(
        fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 30_000 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 600, unit: 'binary' }), fc.constant(1), { minKeys: 1, maxKeys: 150 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (sent) => {
          const res = await request(app)
            .post(Array.isArray(sent) ? '/loud/items' : '/loud/keys')
            .send(sent);
          if (res.status === 413) return; // over express.json()'s 100 KB: never validated
          const sentIssues = issues(res);
          // valibot's record() leaves out the keys that would reach a prototype
          const count = Array.isArray(sent)
            ? sent.length
            : Object.keys(sent).filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key)).length;
          if (count === 0) return;
          expect(sentIssues.length).toBe(Math.min(count, MAX_ISSUES));
          if (count > MAX_ISSUES) expect(res.body.totalErrors).toBe(count);
          for (const issue of sentIssues) for (const member of Object.values(issue)) expect(String(member).length).toBeLessThanOrEqual(300);
          expect(Buffer.byteLength(res.text)).toBeLessThan(1024 * 1024);
        }),
        { numRuns: 60 },
      );
    }, 120_000);
  });
});
