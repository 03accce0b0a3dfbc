/**
 * `npm run bench:micro`: the cost of constructing a 404 error and serializing what a client gets,
 * side by side in one run (tinybench): `new Error()`, http-errors' `createError()`, `Boom.notFound()`
 * and this package's `NotFound` with its problem body. Reports medians and the ratio to `new Error()`.
 */
import Boom from '@hapi/boom';
import createError from 'http-errors';
import { Bench } from 'tinybench';
import { NotFound } from '../src';
import { problemDetails, stringifyProblem } from '../src/problem';

const DETAIL = 'No user 42';
/** Operations per timed sample: one operation is shorter than the timer's resolution. */
const BATCH = 100;
let sink = 0;

/** Times `op` in batches, so each sample is well above the timer's resolution. */
function batched(op: () => void): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) op();
  };
}

/** Nothing is left out of these bodies; the benchmark does not report it. */
const ignore = (): void => undefined;

async function main(): Promise<void> {
  const bench = new Bench({ time: Number(process.env.BENCH_MS ?? 2000), warmupTime: 300 });
  bench
    .add(
      'new Error() + JSON',
      batched(() => {
        const err = new Error(DETAIL);
        sink += JSON.stringify({ status: 404, message: err.message }).length;
      }),
    )
    .add(
      'createError() + JSON',
      batched(() => {
        const err = createError(404, DETAIL);
        sink += JSON.stringify({ status: err.status, title: err.name, detail: err.message }).length;
      }),
    )
    .add(
      'Boom.notFound() + JSON',
      batched(() => {
        const err = Boom.notFound(DETAIL);
        sink += JSON.stringify(err.output.payload).length;
      }),
    )
    .add(
      'new NotFound() + problem',
      batched(() => {
        const err = new NotFound(DETAIL);
        sink += stringifyProblem(problemDetails(err, '/users/42', { debug: false, typeBase: undefined }, ignore), ignore).length;
      }),
    );
  await bench.run();
  const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;
  const base = median(bench.tasks[0]!.result!.samples);
  console.log(`Node ${process.version}; median time per operation, ratio to new Error() + JSON (lower is faster)\n`);
  console.log('| operation | median ns/op | ratio |');
  console.log('| --- | ---: | ---: |');
  for (const task of bench.tasks) {
    const p50 = median(task.result!.samples);
    console.log(`| ${task.name} | ${Math.round((p50 * 1e6) / BATCH)} | ${(p50 / base).toFixed(2)} |`);
  }
  if (sink === 0) console.log(sink);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
