#!/usr/bin/env node
/**
 * The README and the guides are tested: every TypeScript block in README.md and in docs/*.md is
 * compiled, as its own ES module, against the installed package in `dir` (strict, module node16), as a
 * new project that copied it would compile it; a block fenced as `ts run` is also run, and must exit 0.
 * Errors are reported at the page's own lines (docs/typed-routes.md:42:7).
 *   node scripts/check-readme.js DIR
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dir = path.resolve(process.argv[2]);
const pages = require('./doc-pages')(root);

const blocks = [];
for (const page of pages) {
  const text = fs.readFileSync(path.join(root, page), 'utf8');
  let count = 0;
  for (const match of text.matchAll(/^```(ts|typescript)( run)?\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, match.index).split('\n').length + 1;
    const name = `${page.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${String(++count).padStart(2, '0')}`;
    blocks.push({ name, page, line, run: Boolean(match[2]), code: match[3] });
  }
}
if (!blocks.some((block) => block.page === 'README.md')) throw new Error('no TypeScript block found in README.md');

const work = path.join(dir, 'readme');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, 'src'), { recursive: true });
fs.writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n');
for (const block of blocks) fs.writeFileSync(path.join(work, 'src', `${block.name}.ts`), block.code);
fs.writeFileSync(
  path.join(work, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      strict: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2023', 'dom'],
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
      skipLibCheck: true,
      rootDir: 'src',
      outDir: 'out',
    },
    include: ['src'],
  }),
);
fs.symlinkSync(path.join(dir, 'node_modules'), path.join(work, 'node_modules'), 'dir');

try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', work], { stdio: 'pipe' });
} catch (error) {
  // src/docs-typed-routes-02.ts(line,col): message -> docs/typed-routes.md:line:col: message
  const output = String(error.stdout).replace(/\S*src\/([\w-]+-\d+)\.ts\((\d+),(\d+)\)/g, (all, name, line, column) => {
    const block = blocks.find((candidate) => candidate.name === name);
    return block ? `${block.page}:${block.line + Number(line) - 1}:${column}` : all;
  });
  console.error(output);
  process.exit(1);
}
console.log(`readme: ${blocks.length} TypeScript blocks of ${pages.length} pages compile (strict, node16)`);

for (const block of blocks.filter((candidate) => candidate.run)) {
  execFileSync(process.execPath, [path.join(work, 'out', `${block.name}.js`)], { stdio: 'inherit', timeout: 20_000, cwd: work });
  console.log(`readme: the block at ${block.page}:${block.line} runs`);
}
