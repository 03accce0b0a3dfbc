/**
 * `npm run bench:instructions`: the server's cost per request of each variant of bench/servers.ts,
 * counted in CPU instructions by valgrind's callgrind rather than timed. Instruction counts do not
 * depend on what else the machine is doing, so on a noisy 2-core machine they show the cost of the
 * error path where req/s ratios are blurred by the load generator sharing the CPU.
 *
 * Each variant's server runs twice under callgrind, serving N1 and then N2 requests; the difference
 * divided by N2 − N1 cancels start-up and warm-up. Needs valgrind (Debian: `apt-get install valgrind`).
 * `npm run bench:instructions -- WORD`: only the variants whose name holds WORD, and their baselines.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { type BenchRequest, GET_USER, VARIANTS, baselineOf, comparedVariants } from './servers';

const N1 = Number(process.env.BENCH_N1 ?? 200);
const N2 = Number(process.env.BENCH_N2 ?? 800);
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

/** Instructions the server executed from start to exit, having served `count` requests. */
async function instructions(server: string, variant: string, count: number): Promise<number> {
  const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, server, variant], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [port] = (await once(child.stdout, 'data')) as [Buffer];
  await send(Number(String(port).trim()), VARIANTS[variant]!.request ?? GET_USER, count);
  child.kill('SIGTERM');
  await once(child, 'exit');
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) throw new Error(`callgrind reported no count for ${variant}:\n${stderr.slice(-500)}`);
  return Number(collected[1]);
}

/** The variants whose name holds `word` (all without one), and the baselines they are measured against. */
function selected(word: string | undefined): string[] {
  const chosen = new Set(comparedVariants(word).flatMap((name) => [name, baselineOf(name)]));
  return Object.keys(VARIANTS).filter((name) => chosen.has(name));
}

async function main(): Promise<void> {
  const server = build();
  const perRequest = new Map<string, number>();
  for (const name of selected(process.argv[2])) {
    const low = await instructions(server, name, N1);
    const high = await instructions(server, name, N2);
    perRequest.set(name, (high - low) / (N2 - N1));
    process.stderr.write(`${name}: done\n`);
  }
  console.log(
    `\nvalgrind callgrind, Node ${process.version}, Express 5: server instructions per request, (I(${N2}) − I(${N1})) / ${N2 - N1}\n`,
  );
  console.log('| variant | instructions/request | baseline | ratio (baseline ÷ variant) |');
  console.log('| --- | ---: | --- | ---: |');
  for (const [name, count] of perRequest) {
    const baseline = baselineOf(name);
    console.log(`| ${name} | ${Math.round(count)} | ${baseline} | ${(perRequest.get(baseline)! / count).toFixed(2)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
