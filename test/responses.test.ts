import type { RequestHandler } from 'express';
import request from 'supertest';
import {
  Accepted,
  Created,
  HttpResponse,
  NoContent,
  NonAuthoritativeInformation,
  NotFound,
  Ok,
  PartialContent,
  ResetContent,
  errorHandler,
  handle,
  isHttpResponse,
} from '../src';
import { EXPRESS_VERSIONS, recordingLogger } from './apps';

const user = { id: 42, email: 'ada@example.com' };

/** Each class, with what it must look like on the wire. */
const CASES: [string, () => HttpResponse, number, Record<string, string | undefined>, unknown][] = [
  ['Ok', () => new Ok(user, { headers: { 'Cache-Control': 'no-store' } }), 200, { 'cache-control': 'no-store' }, user],
  ['Created', () => new Created(user, { location: '/users/42' }), 201, { location: '/users/42' }, user],
  ['Accepted', () => new Accepted({ job: 7 }, { location: '/jobs/7' }), 202, { location: '/jobs/7' }, { job: 7 }],
  ['NonAuthoritativeInformation', () => new NonAuthoritativeInformation(user), 203, {}, user],
  ['NoContent', () => new NoContent({ headers: { 'X-Deleted': '42' } }), 204, { 'x-deleted': '42', 'content-type': undefined }, undefined],
  ['ResetContent', () => new ResetContent(), 205, { 'content-type': undefined, 'content-length': '0' }, undefined],
  ['PartialContent', () => new PartialContent([user], { range: 'items 0-0/10' }), 206, { 'content-range': 'items 0-0/10' }, [user]],
];

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  const logger = recordingLogger();
  const app = express();
  const make = new Map(CASES.map(([name, build]) => [name, build]));
  const byName = (name: string): HttpResponse => make.get(name)!();

  app.get(
    '/returned/:name',
    handle((req) => byName(String(req.params.name))),
  );
  app.get(
    '/async-returned/:name',
    handle(async (req) => byName(String(req.params.name))),
  );
  app.get('/thrown/:name', (req) => {
    throw byName(String(req.params.name));
  });
  app.get('/next/:name', ((req, _res, next) => next(byName(String(req.params.name)))) as RequestHandler);
  app.get(
    '/location/:raw',
    handle((req) => new Created(user, { location: String(req.params.raw) })),
  );
  app.get(
    '/crlf',
    handle(() => new Created(user, { location: '/users/1\r\nSet-Cookie: pwn=1' })),
  );
  app.get(
    '/bigint',
    handle(() => new Created({ id: 1n }, { location: '/users/1' })),
  );
  app.get(
    '/bad-header',
    handle(() => new Ok({ ok: true }, { headers: { 'X-Evil': 'a\r\nSet-Cookie: pwn=1', 'X-Good': 'yes' } })),
  );
  app.get(
    '/manual',
    handle((_req, res) => {
      res.status(200).type('text').send('by hand');
    }),
  );
  app.get(
    '/manual-returned',
    handle((_req, res) => res.json({ by: 'hand' })),
  );
  app.get(
    '/rejects',
    handle(async () => {
      throw new NotFound('nobody');
    }),
  );
  app.get(
    '/throws-null',
    handle(() => {
      throw null;
    }),
  );
  app.get(
    '/throws-route',
    handle(() => {
      throw 'route';
    }),
  );
  app.get('/throws-route', (_req, res) => {
    res.send('the next route must not run');
  });
  app.use(errorHandler({ log: logger.log }));

  beforeEach(() => logger.calls.splice(0));

  describe.each(['returned', 'async-returned', 'thrown', 'next'])('%s', (how) => {
    it.each(CASES)('%s', async (name, _build, status, headers, body) => {
      const res = await request(app).get(`/${how}/${name}`);
      expect(res.status).toBe(status);
      for (const [header, value] of Object.entries(headers)) expect(res.headers[header]).toBe(value);
      if (body === undefined) {
        expect(res.text).toBe('');
      } else {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toEqual(body);
      }
      // a success is never logged as an error, however it arrived
      expect(logger.calls).toHaveLength(0);
    });
  });

  it('encodes Location the way res.location() does', async () => {
    const res = await request(app).get(`/location/${encodeURIComponent('/users/ä b')}`);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/users/%C3%A4%20b');
  });

  it('percent-encodes CR/LF in a Location: no crash, no injected header', async () => {
    const res = await request(app).get('/crlf');
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/users/1%0D%0ASet-Cookie:%20pwn=1');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await request(app).get('/returned/Ok')).status).toBe(200);
  });

  it('drops a header value Node would refuse instead of crashing or injecting, and says so in the log', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let res: request.Response;
    let warnings: unknown[][];
    try {
      res = await request(app).get('/bad-header');
      warnings = [...warn.mock.calls];
    } finally {
      warn.mockRestore();
    }
    expect(warnings).toContainEqual([
      'express-typed-errors: GET /bad-header: dropped invalid header(s) X-Evil of a 200 result: a header name is a token, a value has no CR, LF or NUL',
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers['x-evil']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-good']).toBe('yes');
  });

  it('answers HEAD without a body', async () => {
    const res = await request(app).head('/returned/Created');
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/users/42');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBeUndefined();
  });

  it('a body that cannot be serialized is a logged 500 without the Location it would have had', async () => {
    const res = await request(app).get('/bigint');
    expect(res.status).toBe(500);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/bigint' });
    expect(logger.calls).toEqual([expect.any(TypeError)]);
  });

  it('leaves alone a handler that answered through res', async () => {
    const text = await request(app).get('/manual');
    expect(text.status).toBe(200);
    expect(text.text).toBe('by hand');
    const json = await request(app).get('/manual-returned');
    expect(json.body).toEqual({ by: 'hand' });
  });

  it('sends a rejection to the error handler, on Express 4 too', async () => {
    const res = await request(app).get('/rejects');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('nobody');
  });

  it("a thrown null or 'route' is still a failure, not a routing command", async () => {
    const nul = await request(app).get('/throws-null');
    expect(nul.status).toBe(500);
    const route = await request(app).get('/throws-route');
    expect(route.status).toBe(500);
    expect(route.text).not.toContain('must not run');
    // what was thrown reaches the log as the cause of the 500 that stands for it
    expect(logger.calls).toEqual([
      expect.objectContaining({ status: 500, cause: null }),
      expect.objectContaining({ status: 500, cause: 'route' }),
    ]);
  });
});

describe('isHttpResponse', () => {
  it('recognizes our results and nothing else', () => {
    expect(isHttpResponse(new Ok(1))).toBe(true);
    expect(isHttpResponse(new NoContent())).toBe(true);
    expect(isHttpResponse({ status: 200, body: 1 })).toBe(false);
    expect(isHttpResponse(new NotFound())).toBe(false);
  });
});
