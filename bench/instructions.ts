/**
 * `npm run bench:instructions`: the server's cost per request of each variant of bench/servers.ts,
 * counted in CPU instructions by valgrind's callgrind rather than timed. Instruction counts do not
 * depend on what else the machine is doing, so on a noisy 2-core machine they show the cost of the
 * error path where req/s ratios are blurred by the load generator sharing the CPU.
 *
 * Each server first serves `BENCH_WARMUP` requests uncounted (callgrind's instrumentation off), then
 * `BENCH_COUNT` counted ones, the instrumentation switched on and off by `callgrind_control` between
 * them. The warm-up is long enough that V8 has optimized the hot code (`node --trace-opt` outside
 * valgrind shows the last functions optimized around request 11,000) and that collections run at their
 * steady pace, so neither decides a ratio. The count is split into the event loop's thread, which
 * bounds a Node server's throughput, and the threads beside it (the optimizing compiler, the collector's
 * helpers). Needs valgrind (Debian: `apt-get install valgrind`).
 * `npm run bench:instructions -- WORD`: only the variants whose name holds WORD, and their baselines.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type BenchRequest, GET_USER, VARIANTS, baselineOf, comparedVariants } from './servers';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 12_000);
const COUNT = Number(process.env.BENCH_COUNT ?? 4_000);
/** Servers measured at once: instruction counts do not depend on load, so one per core is safe. */
const JOBS = Number(process.env.BENCH_JOBS ?? os.availableParallelism());
const CONCURRENCY = 4;
const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, '.bench-build');

/** Compiles the servers to plain JS: under valgrind, compiling TypeScript at start-up would dominate. */
function build(): string {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      ...['--outDir', BUILD, '--rootDir', ROOT, '--module', 'node16', '--moduleResolution', 'node16', '--target', 'ES2022'],
      // emit only: npm test type-checks with the project's settings, which these flags do not repeat
      ...['--esModuleInterop', '--skipLibCheck', '--noCheck', '--types', 'node', path.join(__dirname, 'servers.ts')],
    ],
    { stdio: 'inherit' },
  );
  return path.join(BUILD, 'bench', 'servers.js');
}

/** Sends `count` requests, `CONCURRENCY` at a time, over keep-alive connections. */
async function send(port: number, { method, path, body }: BenchRequest, count: number): Promise<void> {
  const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      await new Promise<void>((resolve, reject) => {
        http
          .request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode && res.statusCode >= 200 ? resolve() : reject(new Error('no status'))));
          })
          .on('error', reject)
          .end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

/** Instructions per counted request: on the event loop's thread, and on every thread. */
interface Cost {
  readonly eventLoop: number;
  readonly all: number;
}

/** Runs one variant's server under callgrind: `WARMUP` requests uncounted, then `COUNT` counted. */
async function measure(server: string, variant: string): Promise<Cost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-callgrind-'));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${dir}/out`,
      process.execPath,
      server,
      variant,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [port] = (await once(child.stdout, 'data')) as [Buffer];
  const request = VARIANTS[variant]!.request ?? GET_USER;
  await send(Number(String(port).trim()), request, WARMUP);
  execFileSync('callgrind_control', ['--instr=on', String(child.pid)], { stdio: 'ignore' });
  await send(Number(String(port).trim()), request, COUNT);
  execFileSync('callgrind_control', ['--instr=off', String(child.pid)], { stdio: 'ignore' });
  child.kill('SIGTERM');
  await once(child, 'exit');
  // one file per thread, `out-01` the main thread's: the one that runs JavaScript and the event loop
  const totals = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    const total = /^totals: (\d+)/m.exec(readFileSync(path.join(dir, file), 'utf8'));
    if (total) totals.set(file, Number(total[1]));
  }
  rmSync(dir, { recursive: true });
  const eventLoop = totals.get('out-01');
  if (eventLoop === undefined) throw new Error(`callgrind wrote no count for ${variant}:\n${stderr.slice(-500)}`);
  let all = 0;
  for (const total of totals.values()) all += total;
  return { eventLoop: eventLoop / COUNT, all: all / COUNT };
}

/** The variants whose name holds `word` (all without one), and the baselines they are measured against. */
function selected(word: string | undefined): string[] {
  const chosen = new Set(comparedVariants(word).flatMap((name) => [name, baselineOf(name)]));
  return Object.keys(VARIANTS).filter((name) => chosen.has(name));
}

async function main(): Promise<void> {
  const server = build();
  const names = selected(process.argv[2]);
  const costs = new Map<string, Cost>();
  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      costs.set(name, await measure(server, name));
      process.stderr.write(`${name}: done\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, JOBS) }, worker));
  const format = (count: number): string => Math.round(count).toLocaleString('en-US');
  console.log(
    `\nvalgrind callgrind, Node ${process.version}, Express 5: server instructions per request over requests ${format(WARMUP + 1)} to ${format(WARMUP + COUNT)}\n`,
  );
  console.log('| variant | event loop | ratio (baseline ÷ variant) | all threads | ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const name of names) {
    const cost = costs.get(name)!;
    const baseline = costs.get(baselineOf(name))!;
    console.log(
      `| ${name} | ${format(cost.eventLoop)} | ${(baseline.eventLoop / cost.eventLoop).toFixed(2)} | ${format(cost.all)} | ${(baseline.all / cost.all).toFixed(2)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
