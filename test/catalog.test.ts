/**
 * The problem catalog (`express-typed-errors/catalog`), over HTTP on Express 5 and 4: the example
 * app's problem types each have a page, every `type` the demo's tour receives opens a page of its
 * status, unknown codes are a 404 problem, and everything a class says is escaped in the HTML.
 */
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { Conflict, NotFound, TooManyRequests, Unauthorized, errorHandler, handle, methodNotAllowed, notFoundHandler } from '../src';
import { type CatalogEntry, type CatalogPage, problemCatalog } from '../src/catalog';
import { routeSpec } from '../src/handle';
import { listRoutes } from '../src/routes';
import { createApp } from '../examples/app';
import { TOUR } from '../examples/tour';
import { EXPRESS_VERSIONS, withConsole } from './apps';

const JSON_ACCEPT = { accept: 'application/json' };

/** A page of the catalog, as JSON. */
async function pageOf(app: Parameters<typeof request>[0], path: string): Promise<CatalogPage> {
  return (await request(app).get(path).set(JSON_ACCEPT)).body as CatalogPage;
}

/** The pages the index lists, as JSON. */
async function pagesOf(app: Parameters<typeof request>[0], path: string): Promise<string[]> {
  return ((await request(app).get(path).set(JSON_ACCEPT)).body as { problems: CatalogEntry[] }).problems.map((entry) => entry.page);
}

/** The hrefs of the links in an HTML page, in order. */
function links(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map(([, href]) => href!.replace(/&amp;/g, '&'));
}

/** An app's error class that says everything about itself, some of it hostile. */
class OutOfCredit extends Conflict {
  static readonly code = 'out_of_credit';
  static readonly title = 'Not enough credit';
  static readonly description = 'Your balance does not cover the cost.\n\nTop up your account, then send the request again.';
  static readonly extensions = z.object({
    balance: z.number().describe('Your current balance, in cents'),
    accounts: z.array(z.string()).optional(),
  });
}

class Hostile extends Conflict {
  static readonly code = 'bad"><script>alert(1)</script>';
  static readonly title = '<script>alert("title")</script>';
  static readonly description = '<img src=x onerror=alert(1)> & `<b>code</b>`';
}

class SlowDown extends TooManyRequests {
  static readonly code = 'slow_down';
}

describe.each(EXPRESS_VERSIONS)('problemCatalog on %s', (_label, express) => {
  describe('the example app', () => {
    const exampleApp = (): ReturnType<typeof createApp> => createApp({ logger: pino({ level: 'silent' }), express });

    it("every coded class its routes declare has a page, of the class's status, in HTML and JSON", async () => {
      const app = exampleApp();
      const declared = new Set(
        listRoutes(app).routes.flatMap((entry) =>
          Object.values(entry.methods).flatMap((handlers) => handlers.flatMap((handler) => routeSpec(handler)?.errors ?? [])),
        ),
      );
      const coded = [...declared].filter((cls) => typeof (cls as { code?: unknown }).code === 'string');
      expect(coded.map((cls) => cls.name)).toEqual(['EmailTaken']);
      for (const cls of coded) {
        const { code, status } = cls as unknown as { code: string; status: number };
        const json = await request(app)
          .get(`/problems/${encodeURIComponent(code)}`)
          .set(JSON_ACCEPT);
        expect(json.status).toBe(200);
        expect(json.body).toMatchObject({ status, code, type: `https://api.example.com/problems/${code}`, page: code });
        const html = await request(app).get(`/problems/${encodeURIComponent(code)}`);
        expect(html.status).toBe(200);
        expect(html.headers['content-type']).toMatch(/^text\/html/);
        expect(html.text).toContain(`<code>${code}</code>`);
      }
    });

    it("every type the demo's tour receives resolves to a page of the catalog whose status matches", async () => {
      const app = exampleApp();
      const agent = request(app);
      const seen: string[] = [];
      for (const step of TOUR) {
        let req = agent[step.method.toLowerCase() as 'get'](step.path).set(step.headers ?? {});
        if (step.body !== undefined) req = req.set('content-type', 'application/json').send(step.body);
        const res = await req;
        expect(res.status).toBe(step.expect);
        if (res.status < 400) continue;
        const type = (res.body as { type: string }).type;
        // about:blank says no more than the status: its page is the status's
        const path = type === 'about:blank' ? `/problems/${res.status}` : new URL(type).pathname;
        const page = await agent.get(path).set(JSON_ACCEPT);
        expect([path, page.status, page.body.status]).toEqual([path, 200, res.status]);
        expect(page.body.type).toBe(type);
        seen.push(path);
      }
      expect([...new Set(seen)].sort()).toEqual([
        '/problems/400',
        '/problems/404',
        '/problems/405',
        '/problems/422',
        '/problems/500',
        '/problems/email_taken',
      ]);
    });

    it('the index links to every page, and each page back to the index', async () => {
      const app = exampleApp();
      const index = await request(app).get('/problems/');
      expect(index.status).toBe(200);
      const pages = links(index.text).filter((href) => href !== '#main');
      expect(pages).toEqual(['/problems/email_taken', ...['400', '404', '405', '413', '415', '422', '500'].map((s) => `/problems/${s}`)]);
      for (const href of pages) {
        const page = await request(app).get(href);
        expect([href, page.status]).toEqual([href, 200]);
        expect(links(page.text)).toContain('/problems/');
      }
      // the index without its trailing slash links the same pages
      expect(links((await request(app).get('/problems')).text)).toEqual(links(index.text));
    });

    it('the 404 page names the routes that declare NotFound, and the validation page those that validate', async () => {
      const app = exampleApp();
      const notFound = (await request(app).get('/problems/404').set(JSON_ACCEPT)).body;
      expect(notFound.causes).toEqual([
        { summary: 'No route has this path (`Cannot GET /path`).', routes: [], anyRoute: true },
        {
          summary: 'NotFound, declared by these routes:',
          routes: [
            { method: 'GET', path: '/users/:id' },
            { method: 'DELETE', path: '/users/:id' },
          ],
          anyRoute: false,
        },
      ]);
      const invalid = await pageOf(app, '/problems/422');
      expect(invalid.causes[0]!.routes.map((route) => `${route.method} ${route.path}`)).toEqual([
        'GET /users',
        'GET /users/:id',
        'POST /users',
        'DELETE /users/:id',
      ]);
      expect(invalid.example).toMatchObject({
        type: 'about:blank',
        status: 422,
        errors: [expect.objectContaining({ pointer: '#/email' })],
      });
    });

    it('an unknown code is a 404 problem from the error handler, in HTML and JSON alike', async () => {
      const app = exampleApp();
      for (const accept of ['text/html', 'application/json']) {
        const res = await request(app).get('/problems/no_such_code').set('accept', accept);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
        expect(res.body).toMatchObject({ type: 'about:blank', status: 404, instance: '/problems/no_such_code' });
      }
    });

    it('negotiates: HTML by default with a strict policy, JSON on request, Vary: Accept on both, 406 for neither', async () => {
      const app = exampleApp();
      const html = await request(app).get('/problems/');
      expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
      expect(html.headers.vary).toBe('Accept');
      expect(html.text).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(html.text).toContain('<meta name="viewport"');
      expect(html.text).not.toMatch(/<script|<link|src=/i);
      const json = await request(app).get('/problems/').set(JSON_ACCEPT);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.headers.vary).toBe('Accept');
      expect(json.headers['content-security-policy']).toBeUndefined();
      expect(json.body.problems[0]).toEqual({
        page: 'email_taken',
        type: 'https://api.example.com/problems/email_taken',
        status: 409,
        title: 'Email taken',
        code: 'email_taken',
        summary: 'A user with this email is already registered: sign in instead, or sign up with another email.',
        href: '/problems/email_taken',
      });
      const refused = await request(app).get('/problems/').set('accept', 'image/png');
      expect(refused.status).toBe(406);
      expect(refused.body).toMatchObject({ status: 406 });
    });
  });

  /** An app with a catalog mounted before its routes, as the example does. */
  function appWith(options: Partial<Parameters<typeof problemCatalog>[1]> = {}, withMethodNotAllowed = true): ReturnType<typeof express> {
    const app = express();
    app.use(express.json());
    app.use('/docs/problems', problemCatalog(app, { typeBase: 'https://api.example.com/docs/problems/', ...options }));
    app.post(
      '/orders',
      handle({ body: z.object({ item: z.string() }), errors: [OutOfCredit, Hostile, SlowDown, NotFound] }, () => {
        throw new OutOfCredit(undefined, { extensions: { balance: 30 } });
      }),
    );
    if (withMethodNotAllowed) app.use(methodNotAllowed());
    app.use(notFoundHandler());
    app.use(errorHandler({ log: false, typeBase: 'https://api.example.com/docs/problems/', ...options }));
    return app;
  }

  it("reads a class's statics: title, description in paragraphs, extension members from its Standard Schema, and the header of its status", async () => {
    const app = appWith();
    const page = (await request(app).get('/docs/problems/out_of_credit').set(JSON_ACCEPT)).body;
    expect(page).toMatchObject({
      title: 'Not enough credit',
      status: 409,
      summary: 'Your balance does not cover the cost.',
      description: OutOfCredit.description,
      extensions: [
        { name: 'balance', required: true, schema: { type: 'number', description: 'Your current balance, in cents' } },
        { name: 'accounts', required: false, schema: { type: 'array', items: { type: 'string' } } },
      ],
      example: {
        type: 'https://api.example.com/docs/problems/out_of_credit',
        title: 'Not enough credit',
        status: 409,
        code: 'out_of_credit',
        balance: 0,
        accounts: [],
      },
      causes: [{ summary: 'OutOfCredit, on these routes:', routes: [{ method: 'POST', path: '/orders' }], anyRoute: false }],
    });
    const html = (await request(app).get('/docs/problems/out_of_credit')).text;
    expect(html).toContain('<p>Top up your account, then send the request again.</p>');
    expect(html).toContain('<th scope="row"><code>balance</code></th>');
    const slow = (await request(app).get('/docs/problems/slow_down').set(JSON_ACCEPT)).body;
    expect(slow.headers).toContainEqual({ name: 'Retry-After', required: false, description: expect.stringContaining('wait') });
    // the problem the route sends has the type whose page this is
    const sent = await request(app).post('/orders').send({ item: 'x' });
    expect(new URL(sent.body.type).pathname).toBe('/docs/problems/out_of_credit');
    expect((await request(app).get(new URL(sent.body.type).pathname)).status).toBe(200);
  });

  it("escapes every piece of a class's text in the HTML: a title with <script> renders as text", async () => {
    const app = appWith();
    const index = (await request(app).get('/docs/problems/')).text;
    expect(index).not.toMatch(/<script|<img/i);
    expect(index).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    const href = `/docs/problems/${encodeURIComponent(Hostile.code)}`;
    expect(links(index)).toContain(href);
    const page = await request(app).get(href);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script|<img|<b>/i);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; <code>&lt;b&gt;code&lt;/b&gt;</code>');
    expect(page.text).toContain('<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; — Problem types</title>');
  });

  it('lists routes added after it was mounted, app-wide classes on any route, and the options of the index', async () => {
    class Expired extends Unauthorized {
      static readonly code = 'token_expired';
    }
    const app = appWith({ errors: [Expired], title: 'Orders <API>', description: 'Problems of the `orders` API.' });
    app.get(
      '/late',
      handle({ errors: [Gone] }, () => undefined),
    );
    app.all(
      '/any',
      handle({ errors: [Gone] }, () => undefined),
    );
    const index = await request(app).get('/docs/problems/').set(JSON_ACCEPT);
    expect(index.body).toMatchObject({ title: 'Orders <API>', description: 'Problems of the `orders` API.' });
    expect(await pagesOf(app, '/docs/problems/')).toEqual([
      'token_expired',
      'gone_for_good',
      Hostile.code,
      'out_of_credit',
      'slow_down',
      '400',
      '404',
      '405',
      '413',
      '415',
      '422',
      '500',
    ]);
    // an .all() route is one route, of any method
    expect((await pageOf(app, '/docs/problems/gone_for_good')).causes[0]!.routes).toEqual([
      { method: 'GET', path: '/late' },
      { method: 'ALL', path: '/any' },
    ]);
    const expired = (await request(app).get('/docs/problems/token_expired').set(JSON_ACCEPT)).body;
    expect(expired.causes).toEqual([{ summary: 'Expired, on any route.', routes: [], anyRoute: true }]);
    expect(expired.headers).toContainEqual(expect.objectContaining({ name: 'WWW-Authenticate', required: true }));
    const html = (await request(app).get('/docs/problems/')).text;
    expect(html).toContain('<h1>Orders &lt;API&gt;</h1>');
    expect(html).toContain('Problems of the <code>orders</code> API.');
  });

  it('warns once when it is not mounted where typeBase points, and is silent when it is', async () => {
    await withConsole('warn', async (spy) => {
      const app = express();
      app.use('/errors', problemCatalog(app, { typeBase: 'https://api.example.com/problems/' }));
      app.use('/problems', problemCatalog(app, { typeBase: 'https://api.example.com/problems' }));
      app.use('/', problemCatalog(app, { typeBase: '/#' }));
      await request(app).get('/problems/');
      await request(app).get('/problems/500');
      expect(spy).not.toHaveBeenCalled();
      await request(app).get('/errors/');
      await request(app).get('/errors/500');
      expect(spy).toHaveBeenCalledTimes(1);
      expect((spy.mock.calls[0] as unknown[]).map(String).join(' ')).toContain(
        'the problem catalog is mounted at /errors, and typeBase https://api.example.com/problems/ points at /problems',
      );
      expect((await request(app).get('/')).status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
    });
  });

  it('with validationStatus 400, validation is listed under 400; without methodNotAllowed(), there is no 405', async () => {
    const app = appWith({ validationStatus: 400 }, false);
    const pages = await pagesOf(app, '/docs/problems/');
    expect(pages.filter((page) => /^\d+$/.test(page))).toEqual(['400', '404', '413', '415', '500']);
    const bad = await pageOf(app, '/docs/problems/400');
    expect(bad.causes.map((cause) => cause.summary.slice(0, 30))).toEqual([
      'The request did not pass valid',
      'The request body could not be ',
    ]);
    // what the app really answers agrees
    const invalid = await request(app).post('/orders').send({});
    expect([invalid.status, (await request(app).put('/orders')).status]).toEqual([400, 404]);
  });
});

/** A class the tests declare only to see it listed. */
class Gone extends NotFound {
  static readonly code = 'gone_for_good';
}
