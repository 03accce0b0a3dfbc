#!/usr/bin/env node
/**
 * `express-typed-errors/client` as a browser app's bundler sees it: esbuild bundles the subpath (every
 * export kept) for platform=browser, then this checks that its module graph is the package's own files
 * only (no Node built-in, no express, no other package), and prints its size raw, minified and gzipped;
 * it fails over the gzip budget. With --call-page-budget=BYTES it also bundles a page that declares a
 * route contract and calls it (`route()`, `call()`, `callSafe()`), and fails when that page's bundle is
 * over BYTES minified and gzipped (test:package records the budget). Run after `npm run build`, or with
 * the directory of a project that has the package installed (test:package passes the tarball's consumer).
 *
 *   node scripts/client-bundle.mjs [dir] [--call-page-budget=BYTES]
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Bytes, minified and gzipped, that the client may cost a browser app. */
const GZIP_BUDGET = 7.5 * 1024;

const args = process.argv.slice(2);
const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? '.');
const callPageBudget = Number(args.find((arg) => arg.startsWith('--call-page-budget='))?.split('=')[1] ?? NaN);

/** A page that uses a contract: what an app pays for `call()`, the classes it names and the contract code. */
const CALL_PAGE = `
import { NotFound, Ok, call, callSafe, route } from 'express-typed-errors/client';
const getUser = route({ method: 'GET', path: '/users/:id', result: Ok, errors: [NotFound] });
export async function show(id) {
  const result = await callSafe(getUser, { params: { id } });
  return result.ok ? result.data : result.error.status === 404 ? call(getUser, { params: { id: 1 } }) : undefined;
}`;
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** One bundle of the whole subpath, as an ES module for browsers. */
async function bundle(minify, contents = "export * from 'express-typed-errors/client';") {
  const result = await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    absWorkingDir: dir,
    bundle: true,
    minify,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  return { code: result.outputFiles[0].contents, inputs: result.metafile.inputs };
}

const raw = await bundle(false);
const minified = await bundle(true);

const problems = [];
for (const [path, input] of Object.entries(raw.inputs)) {
  if (path === '<stdin>') continue;
  // the installed package's own files: dist/… in this repository, node_modules/express-typed-errors/dist/… in a consumer
  if (!/^(node_modules\/express-typed-errors\/)?dist\/[^/]+\.m?js$/.test(path)) problems.push(`${path} is not one of the package's files`);
  for (const { path: imported, external } of input.imports) {
    if (external || builtins.has(imported)) problems.push(`${path} imports ${imported}`);
  }
}

const gzipped = gzipSync(minified.code).length;
console.log(
  `client bundle (esbuild, platform=browser): ${Object.keys(raw.inputs)
    .filter((path) => path !== '<stdin>')
    .join(', ')}`,
);
console.log(`  raw ${raw.code.length} B, minified ${minified.code.length} B, minified + gzipped ${gzipped} B (budget ${GZIP_BUDGET} B)`);
if (gzipped > GZIP_BUDGET) problems.push(`${gzipped} B gzipped is over the budget of ${GZIP_BUDGET} B`);
if (!Number.isNaN(callPageBudget)) {
  const page = gzipSync((await bundle(true, CALL_PAGE)).code).length;
  console.log(`  a page that calls a route contract: minified + gzipped ${page} B (budget ${callPageBudget} B)`);
  if (page > callPageBudget) problems.push(`the page that calls a contract is ${page} B gzipped, over its budget of ${callPageBudget} B`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`client bundle: ${problem}`);
  process.exit(1);
}
