#!/usr/bin/env node
/**
 * `express-typed-errors/client` as a browser app's bundler sees it: esbuild bundles the subpath (every
 * export kept) for platform=browser, then this checks that its module graph is the package's own files
 * only (no Node built-in, no express, no other package), and prints its size raw, minified and gzipped;
 * it fails over the gzip budget. Run after `npm run build`, or with the directory of a project that has
 * the package installed (test:package passes the tarball's consumer).
 *
 *   node scripts/client-bundle.mjs [dir]
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Bytes, minified and gzipped, that the client may cost a browser app. */
const GZIP_BUDGET = 5.5 * 1024;

const dir = resolve(process.argv[2] ?? '.');
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** One bundle of the whole subpath, as an ES module for browsers. */
async function bundle(minify) {
  const result = await build({
    stdin: { contents: "export * from 'express-typed-errors/client';", resolveDir: dir, loader: 'js' },
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
if (problems.length > 0) {
  for (const problem of problems) console.error(`client bundle: ${problem}`);
  process.exit(1);
}
