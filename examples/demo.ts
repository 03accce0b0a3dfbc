/**
 * `npm run demo`: starts the example API on an ephemeral port on 127.0.0.1, sends it a tour of
 * requests, prints each answer, and exits 0 — or 1 if any answer is not the expected one.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app';

interface Step {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  expect: number;
  note: string;
}

const TOUR: Step[] = [
  { method: 'GET', path: '/users/1', expect: 200, note: 'a typed Ok result' },
  { method: 'GET', path: '/users/42?verbose=1', expect: 404, note: 'throw new NotFound(...): instance has no query string' },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com","name":"Grace"}',
    expect: 201,
    note: 'new Created(user, { location })',
  },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com"}',
    expect: 409,
    note: 'an app subclass: EmailTaken extends Conflict',
  },
  { method: 'POST', path: '/users', body: '{"email":"nope"}', expect: 422, note: 'a ZodError through fromZod: errors with JSON pointers' },
  { method: 'POST', path: '/users', body: '{"email":', expect: 400, note: "body-parser's error, recognized" },
  { method: 'PUT', path: '/users/1', body: '{}', expect: 405, note: 'MethodNotAllowed sends Allow' },
  { method: 'DELETE', path: '/users/2', expect: 204, note: 'NoContent: no body, no Content-Type' },
  { method: 'GET', path: '/reports/today', expect: 500, note: 'a bug: logged through pino with its stack, hidden from the client' },
  { method: 'GET', path: '/users/7', headers: { 'x-request-id': 'req-7f3a' }, expect: 404, note: 'the request id is echoed as requestId' },
  { method: 'GET', path: '/nowhere', expect: 404, note: 'notFoundHandler()' },
  { method: 'GET', path: '/openapi.json', expect: 200, note: 'the OpenAPI document, error responses generated from the classes' },
];

const SHOWN_HEADERS = ['content-type', 'location', 'allow', 'retry-after', 'www-authenticate'];

async function main(): Promise<number> {
  // pino writes its JSON lines to stdout, between the tour's answers
  const server = createApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  let failures = 0;
  try {
    for (const step of TOUR) {
      const res = await fetch(`http://127.0.0.1:${port}${step.path}`, {
        method: step.method,
        headers: { ...(step.body === undefined ? {} : { 'content-type': 'application/json' }), ...step.headers },
        body: step.body,
      });
      const ok = res.status === step.expect;
      if (!ok) failures++;
      console.log(`\n${ok ? '✓' : '✗'} ${step.method} ${step.path}  — ${step.note}`);
      console.log(`  HTTP ${res.status} ${res.statusText}${ok ? '' : ` (expected ${step.expect})`}`);
      for (const name of SHOWN_HEADERS) {
        const value = res.headers.get(name);
        if (value !== null) console.log(`  ${name}: ${value}`);
      }
      const text = await res.text();
      if (text) console.log(`  ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`);
    }
  } finally {
    server.close();
  }
  console.log(`\n${TOUR.length - failures} of ${TOUR.length} answers as expected`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
