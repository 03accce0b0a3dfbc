#!/usr/bin/env node
/**
 * The README is tested: every TypeScript block in it is compiled, as its own ES module, against the
 * installed package in `dir` (strict, module node16), as a new project that copied it would compile it;
 * a block fenced as `ts run` is also run, and must exit 0. Errors are reported at README lines.
 *   node scripts/check-readme.js DIR
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dir = path.resolve(process.argv[2]);
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

const blocks = [];
for (const match of readme.matchAll(/^```(ts|typescript)( run)?\n([\s\S]*?)^```$/gm)) {
  const line = readme.slice(0, match.index).split('\n').length + 1;
  blocks.push({ name: `sample-${String(blocks.length + 1).padStart(2, '0')}`, line, run: Boolean(match[2]), code: match[3] });
}
if (blocks.length === 0) throw new Error('no TypeScript block found in README.md');

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
  // file(line,col): message -> README.md:line: message
  const output = String(error.stdout).replace(/\S*src\/(sample-\d+)\.ts\((\d+),(\d+)\)/g, (_all, name, line, column) => {
    const block = blocks.find((candidate) => candidate.name === name);
    return `README.md:${block.line + Number(line) - 1}:${column}`;
  });
  console.error(output);
  process.exit(1);
}
console.log(`readme: ${blocks.length} TypeScript blocks compile (strict, node16)`);

for (const block of blocks.filter((candidate) => candidate.run)) {
  execFileSync(process.execPath, [path.join(work, 'out', `${block.name}.js`)], { stdio: 'inherit', timeout: 20_000, cwd: work });
  console.log(`readme: the block at line ${block.line} runs`);
}
