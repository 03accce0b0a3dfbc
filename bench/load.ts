/**
 * `npm run bench:load`: requests per second of each 404 error path beside a bare
 * `res.status(404).json()` route, under autocannon on 127.0.0.1. Each server runs in its own process;
 * the variants are interleaved (bare, A, bare, B, …) over several rounds, so that drift in a noisy
 * machine hits them alike. Reports the median req/s of each and the median of its per-round ratio
 * to the bare run measured right beside it. BENCH_ROUNDS and BENCH_SECONDS tune it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { VARIANTS } from './servers';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 32;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function start(variant: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'servers.ts'), variant], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const [port] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, url: `http://127.0.0.1:${String(port).trim()}/users/42` };
}

async function rps(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  if (result.errors + result.timeouts > 0) throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts`);
  return result.requests.total / seconds;
}

async function main(): Promise<void> {
  const names = Object.keys(VARIANTS);
  const servers = new Map<string, { child: ChildProcess; url: string }>();
  for (const name of names) servers.set(name, await start(name));
  try {
    for (const { url } of servers.values()) await rps(url, 1); // warm-up: JIT and connection pools
    const samples = new Map<string, number[]>(names.map((name) => [name, []]));
    const ratios = new Map<string, number[]>(names.map((name) => [name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of names.filter((n) => n !== 'bare')) {
        const bare = await rps(servers.get('bare')!.url, SECONDS);
        const variant = await rps(servers.get(name)!.url, SECONDS);
        samples.get('bare')!.push(bare);
        samples.get(name)!.push(variant);
        ratios.get(name)!.push(variant / bare);
      }
      process.stderr.write(`round ${round}/${ROUNDS} done\n`);
    }
    console.log(
      `\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, Express 5, ${CONNECTIONS} connections,`,
    );
    console.log(`${ROUNDS} rounds of ${SECONDS} s per variant, interleaved with the bare route\n`);
    console.log('| variant | median req/s | ratio to bare (median) |');
    console.log('| --- | ---: | ---: |');
    for (const name of names) {
      const ratio = name === 'bare' ? '1.00' : median(ratios.get(name)!).toFixed(2);
      console.log(`| ${name} | ${Math.round(median(samples.get(name)!))} | ${ratio} |`);
    }
  } finally {
    for (const { child } of servers.values()) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
