/**
 * `npm run soak` (not part of CI): bounded load on 127.0.0.1 against a server that throws every kind
 * of value, checking every response. Reports requests served, malformed responses (must be 0),
 * socket errors (must be 0) and the server's resident memory after warm-up and at the end (growth
 * must stay under 20 MB). SOAK_SECONDS sets the duration (default 60).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Math.min(10, Math.max(2, Math.round(SECONDS / 6)));
const CONNECTIONS = 32;
const MAX_GROWTH_MB = 20;

const THROWN = [
  'ours',
  'ours-5xx',
  'with-headers',
  'http-errors',
  'boom',
  'boom-5xx',
  'string',
  'null',
  'number',
  'bad-status',
  'huge-status',
  'frozen',
  'circular',
  'bigint',
  'getters',
  'proxy',
  'crlf',
  'multer',
  'jwt',
];

let malformed = 0;
const firstMalformed: string[] = [];

/** Every error answer must be a problem whose `status` is the status line. */
function checkProblem(status: number, body: string): void {
  try {
    const problem = JSON.parse(body) as { status?: unknown; title?: unknown };
    if (status < 400 || problem.status !== status || typeof problem.title !== 'string' || /\n\s+at /.test(body))
      throw new Error('bad problem');
  } catch {
    malformed++;
    if (firstMalformed.length < 5) firstMalformed.push(`${status} ${body.slice(0, 200)}`);
  }
}

function checkCreated(status: number, body: string): void {
  if (status !== 201 || body !== '{"id":1}') {
    malformed++;
    if (firstMalformed.length < 5) firstMalformed.push(`${status} ${body.slice(0, 200)}`);
  }
}

const REQUESTS: autocannon.Request[] = [
  ...THROWN.map((name) => ({ method: 'GET' as const, path: `/throw/${name}`, onResponse: checkProblem })),
  { method: 'POST', path: '/created', onResponse: checkCreated },
  { method: 'POST', path: '/json', headers: { 'content-type': 'application/json' }, body: '{"broken":', onResponse: checkProblem },
  { method: 'POST', path: '/json', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{}', onResponse: checkProblem },
  { method: 'GET', path: '/nowhere', onResponse: checkProblem },
];

interface Memory {
  rss: number;
  heapUsed: number;
}

async function memory(base: string): Promise<Memory> {
  const res = await fetch(`${base}/__memory`);
  return (await res.json()) as Memory;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function load(base: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests: REQUESTS });
}

async function main(): Promise<number> {
  const server = spawn(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'soak-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(server.stdout, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${String(port).trim()}`;
  try {
    console.log(`soak: ${CONNECTIONS} connections, ${REQUESTS.length} routes, warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s`);
    await load(base, WARMUP_SECONDS);
    malformed = 0;
    const afterWarmup = await memory(base);
    const result = await load(base, SECONDS);
    const atEnd = await memory(base);
    const growthMb = (atEnd.rss - afterWarmup.rss) / 1024 / 1024;
    const socketErrors = result.errors + result.timeouts;
    const served = result.requests.total;
    console.log(`requests served:     ${served} (${Math.round(served / SECONDS)}/s)`);
    console.log(`malformed responses: ${malformed}`);
    for (const example of firstMalformed) console.log(`  e.g. ${example}`);
    console.log(`socket errors:       ${socketErrors} (errors ${result.errors}, timeouts ${result.timeouts})`);
    console.log(
      `server RSS:          ${mb(afterWarmup.rss)} MB after warm-up, ${mb(atEnd.rss)} MB at the end (growth ${growthMb.toFixed(1)} MB, limit ${MAX_GROWTH_MB})`,
    );
    console.log(`server heap used:    ${mb(afterWarmup.heapUsed)} MB after warm-up, ${mb(atEnd.heapUsed)} MB at the end (after a full GC)`);
    const ok = served > 0 && malformed === 0 && socketErrors === 0 && growthMb < MAX_GROWTH_MB;
    console.log(ok ? 'soak: PASS' : 'soak: FAIL');
    return ok ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
