/**
 * `npm run bench:load`: requests per second of each variant of bench/servers.ts beside its baseline —
 * each 404 error path beside a bare `res.status(404).json()` route, each typed input route beside the
 * same route written by hand — under autocannon on 127.0.0.1. Each server runs in its own process;
 * each variant runs in a pair with a baseline twin of its own (twin A, A twin, twin A …: the order flips
 * every round) over several rounds, so that drift in a noisy machine hits them alike. A control variant
 * (the bare code again) shows how far the method alone moves a ratio. Reports the median req/s of each and the median of its per-round ratio
 * to the twin measured right beside it; and, since on 2 cores the load generator is often the
 * limit, the server's own CPU time per request, which is what the variant costs.
 * BENCH_ROUNDS and BENCH_SECONDS tune it; `npm run bench:load -- WORD` runs the variants whose name holds WORD.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { type BenchRequest, GET_USER, VARIANTS, baselineOf, comparedVariants } from './servers';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 32;
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

/**
 * On 2 cores, the load generator and the server fight for the same CPU unless each has its own:
 * with taskset (util-linux), servers run on core 0 and this process (autocannon) on core 1.
 */
const PINNED = (() => {
  try {
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Server {
  child: ChildProcess;
  base: string;
  request: BenchRequest;
}

async function start(variant: string): Promise<Server> {
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'servers.ts'), variant];
  const [command, ...args] = PINNED ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command!, args, {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const [port] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, base: `http://127.0.0.1:${String(port).trim()}`, request: VARIANTS[variant]!.request ?? GET_USER };
}

async function cpuMicros(server: Server): Promise<number> {
  return (await (await fetch(`${server.base}/__cpu`)).json()) as number;
}

/** One run: requests per second, and the server's CPU time per request in microseconds. */
async function run(server: Server, seconds: number): Promise<{ rps: number; cpu: number }> {
  const before = await cpuMicros(server);
  const { method, path, body } = server.request;
  const result = await autocannon({
    url: `${server.base}${path}`,
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const after = await cpuMicros(server);
  if (result.errors + result.timeouts > 0) throw new Error(`${server.base}: ${result.errors} errors, ${result.timeouts} timeouts`);
  return { rps: result.requests.total / seconds, cpu: (after - before) / result.requests.total };
}

async function main(): Promise<void> {
  const names = comparedVariants(process.argv[2]);
  // Each variant gets a baseline twin of its own, run exactly as often as it is: a bare server shared by
  // all pairs runs many times more than any variant and comes out ~10 % ahead of identical code.
  const pairs = new Map<string, { twin: Server; variant: Server }>();
  for (const name of names) pairs.set(name, { twin: await start(baselineOf(name)), variant: await start(name) });
  try {
    for (const { twin, variant } of pairs.values()) {
      await run(twin, WARMUP_SECONDS); // warm-up: JIT and connection pools
      await run(variant, WARMUP_SECONDS);
    }
    const results = new Map(
      names.map((name) => [
        name,
        { twinRps: [] as number[], rps: [] as number[], cpu: [] as number[], rpsRatio: [] as number[], cpuRatio: [] as number[] },
      ]),
    );
    const twinCpu: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, pair] of pairs) {
        // A B on odd rounds, B A on even ones: whichever runs second in a pair is not always the same
        const twinFirst = round % 2 === 1;
        const first = await run(twinFirst ? pair.twin : pair.variant, SECONDS);
        const second = await run(twinFirst ? pair.variant : pair.twin, SECONDS);
        const [twin, variant] = twinFirst ? [first, second] : [second, first];
        const result = results.get(name)!;
        result.twinRps.push(twin.rps);
        result.rps.push(variant.rps);
        result.cpu.push(variant.cpu);
        result.rpsRatio.push(variant.rps / twin.rps);
        result.cpuRatio.push(twin.cpu / variant.cpu);
        twinCpu.push(twin.cpu);
      }
      process.stderr.write(`round ${round}/${ROUNDS} done\n`);
    }
    const pinning = PINNED ? '; servers on core 0, autocannon on core 1' : '';
    console.log(
      `\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, Express 5, ${CONNECTIONS} connections${pinning},`,
    );
    console.log(
      `${ROUNDS} rounds of ${SECONDS} s per variant, each paired with a twin of its baseline (median server CPU of the twin runs: ${median(twinCpu).toFixed(0)} µs/request)\n`,
    );
    console.log(
      '| variant | baseline | req/s (median) | its twin req/s | req/s ratio to twin | server CPU µs/request | CPU ratio (twin ÷ variant) |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, result] of results) {
      const cells = [
        baselineOf(name),
        Math.round(median(result.rps)),
        Math.round(median(result.twinRps)),
        median(result.rpsRatio).toFixed(2),
        median(result.cpu).toFixed(0),
        median(result.cpuRatio).toFixed(2),
      ];
      console.log(`| ${name} | ${cells.join(' | ')} |`);
    }
  } finally {
    for (const { twin, variant } of pairs.values()) {
      twin.child.kill('SIGTERM');
      variant.child.kill('SIGTERM');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
