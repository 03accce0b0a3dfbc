/**
 * What the client tests call: app error classes shared by a server and its front end, and a test API
 * that throws them and also answers as no well-behaved server would (hostile, broken, huge bodies).
 * The browser test's page imports the same classes, bundled for the browser.
 */
import type { AddressInfo } from 'node:net';
import type { Express, Response } from 'express';
import { NotFound, PaymentRequired, TooManyRequests, UnprocessableContent, errorHandler } from '../src';
import type { ExpressFactory } from './apps';
import { OutOfCredit, UserNotFound } from './client.classes';

/** A problem+json body as another server might write it, byte for byte. */
function raw(res: Response, status: number, body: string, type = 'application/problem+json'): void {
  res.status(status).setHeader('Content-Type', type);
  res.end(body);
}

/** What the endless route saw: the test asserts the client stopped reading, rather than draining it. */
export interface EndlessBody {
  written: number;
  finished: boolean;
  closed: Promise<void>;
}

/** Bytes the endless route sends at most, a bound that keeps a broken client from running forever. */
export const ENDLESS_LIMIT = 256 * 1024 * 1024;

/** The test API on the given Express; `endless` records each request to the endless body. */
export function clientTestApp(express: ExpressFactory): { app: Express; endless: EndlessBody[] } {
  const endless: EndlessBody[] = [];
  const app = express();
  app.get('/users/:id', (req) => {
    throw new UserNotFound(req.params.id);
  });
  app.get('/credit', () => {
    throw new OutOfCredit(30);
  });
  // UserNotFound's code on another status: not a UserNotFound (its status is 404)
  app.get('/code-on-other-status', () => {
    throw new PaymentRequired('Pay first', { code: UserNotFound.code });
  });
  app.get('/missing', () => {
    throw new NotFound('Nothing here');
  });
  app.post('/validate', () => {
    throw new UnprocessableContent('The request is not valid', {
      extensions: {
        errors: [
          { detail: 'Invalid email address', pointer: '#/email' },
          { detail: 'Too small: expected number to be >=1', parameter: 'page' },
        ],
      },
    });
  });
  app.get('/rate-limited', () => {
    throw new TooManyRequests('Slow down', { retryAfter: 7 });
  });
  app.get('/bug', () => {
    throw new Error('report query failed: password=hunter2');
  });
  app.get('/ok', (_req, res) => {
    res.json({ id: 1 });
  });

  // Answers no server of this package sends: other servers, proxies, attackers.
  app.get('/raw/prototype', (_req, res) => {
    raw(
      res,
      400,
      '{"type":"about:blank","title":"Bad Request","status":400,"detail":"d",' +
        '"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"constructor"}},"prototype":{"polluted":"prototype"},' +
        '"nested":{"__proto__":{"polluted":"nested"},"kept":1},"errors":[{"detail":"x","pointer":"#/a","__proto__":{"polluted":"issue"}}]}',
    );
  });
  app.get('/raw/huge', (_req, res) => {
    const body = `{"title":"Huge","detail":"${'a'.repeat(2 * 1024 * 1024)}"}`;
    res.setHeader('Content-Length', Buffer.byteLength(body));
    raw(res, 400, body);
  });
  app.get('/raw/endless', (_req, res) => {
    const record: EndlessBody = { written: 0, finished: false, closed: new Promise((resolve) => res.once('close', resolve)) };
    endless.push(record);
    res.status(400).setHeader('Content-Type', 'application/problem+json');
    res.write('{"title":"Endless","detail":"');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = (): void => {
      while (!res.destroyed && record.written < ENDLESS_LIMIT) {
        record.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) {
        record.finished = true;
        res.end('"}');
      }
    };
    pump();
  });
  app.get('/raw/html', (_req, res) => {
    raw(res, 502, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', 'text/html');
  });
  app.get('/raw/empty', (_req, res) => {
    res.status(502).end();
  });
  app.get('/raw/invalid-json', (_req, res) => {
    raw(res, 400, '{"type":"about:blank","title":');
  });
  app.get('/raw/array', (_req, res) => {
    raw(res, 400, '[{"title":"Bad Request"}]');
  });
  app.get('/raw/not-a-problem', (_req, res) => {
    raw(res, 400, '{"error":"nope","status":400}', 'application/json');
  });
  app.get('/raw/plain-json-problem', (_req, res) => {
    raw(
      res,
      404,
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"No user 7","code":"user_not_found"}',
      'Application/JSON; charset=UTF-8',
    );
  });
  app.get('/raw/disagree', (_req, res) => {
    raw(res, 404, '{"type":"about:blank","title":"Not Found","status":500,"detail":"The body says 500"}');
  });
  app.get('/raw/odd-types', (_req, res) => {
    raw(
      res,
      400,
      '{"type":42,"title":7,"status":"400","detail":{"text":"an object"},"instance":5,"code":12,' +
        '"errors":{"email":["The email is not valid"]},"requestId":5,"traceId":null,"extra":{"kept":true}}',
    );
  });
  app.get('/raw/mixed-issues', (_req, res) => {
    raw(
      res,
      422,
      '{"title":"Unprocessable Content","errors":[{"detail":"kept","pointer":"#/a"},"a string",null,{"detail":5},' +
        '{"detail":"bad pointer","pointer":7},{"detail":"kept too","header":"x-api-key"}]}',
    );
  });
  app.get('/raw/unregistered', (_req, res) => {
    raw(res, 499, '{"title":"Client Closed Request","detail":"gone"}');
  });
  app.get('/raw/unicode', (_req, res) => {
    // "é" (C3 A9) split across two writes: the decoder must carry the half character over
    const body = Buffer.from('{"title":"Crédit insuffisant","detail":"Über 50 € — ✓"}');
    const split = body.indexOf(0xa9);
    res.status(402).setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    res.write(body.subarray(0, split));
    setTimeout(() => res.end(body.subarray(split)), 10);
  });
  app.get('/raw/redirect', (_req, res) => {
    res.redirect(302, '/ok');
  });
  app.use(errorHandler({ log: false }));
  return { app, endless };
}

/** Starts an app on an ephemeral loopback port; `close` also ends kept-alive connections. */
export async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
