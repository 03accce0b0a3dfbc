/**
 * `npm run demo`: starts the example API on an ephemeral port on 127.0.0.1, sends it a tour of
 * requests, prints each answer, and exits 0 — or 1 if any answer is not the expected one.
 * `npm run demo -- --serve` then keeps serving, to open the problem catalog in a browser.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from './app';
import { TOUR } from './tour';

/** Keep serving after the tour, for a browser. */
const SERVE = process.argv.includes('--serve');

const SHOWN_HEADERS = ['content-type', 'location', 'allow', 'retry-after', 'www-authenticate'];

async function main(): Promise<number> {
  // pino writes the 5xx entries (with the stack) to stdout; pino-http logs 4xx at warn and the rest at info, left out here
  const server = createApp({ logger: pino({ level: 'error' }) }).listen(0, '127.0.0.1');
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
    if (!SERVE) server.close();
  }
  console.log(`\n${TOUR.length - failures} of ${TOUR.length} answers as expected`);
  console.log(`The problem catalog, where each type above points: http://127.0.0.1:${port}/problems/`);
  if (SERVE) {
    console.log('Serving until Ctrl-C.');
    await new Promise((resolve) => process.once('SIGINT', resolve));
    server.close();
  } else console.log('(npm run demo -- --serve keeps it open)');
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
