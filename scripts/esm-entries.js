#!/usr/bin/env node
/**
 * Writes the ESM entry points next to the CommonJS build: each `dist/NAME.mjs` re-exports
 * `dist/NAME.js`, so `import` and `require` share one set of classes (no dual-package hazard),
 * and each `dist/NAME.d.mts` re-exports the declarations for TypeScript's ESM resolution.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
for (const entry of process.argv.slice(2)) {
  const names = Object.keys(require(path.join(dist, `${entry}.js`))).filter((name) => name !== '__esModule');
  const esm = [`import cjs from './${entry}.js';`, '', ...names.map((name) => `export const ${name} = cjs.${name};`), ''].join('\n');
  fs.writeFileSync(path.join(dist, `${entry}.mjs`), esm);
  fs.writeFileSync(path.join(dist, `${entry}.d.mts`), `export * from './${entry}.js';\n`);
  console.log(`dist/${entry}.mjs: ${names.length} exports`);
}
