#!/usr/bin/env node
/**
 * What an editor shows a user of the installed package: TypeScript's language service answers the
 * hover (quick info) and go-to-definition questions an editor asks, on a consumer file in `dir`, whose
 * node_modules holds the packed tarball. Checks that the doc comments survive into the shipped
 * declarations and that go-to-definition opens the TypeScript source (declaration maps).
 *   node scripts/check-hovers.js DIR
 */
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const dir = path.resolve(process.argv[2]);
const file = path.join(dir, 'hover.ts');
const source = `import { NotFound, Unauthorized, TooManyRequests, errorHandler } from 'express-typed-errors';
export const a = new NotFound('x');
export const b = new Unauthorized(undefined, { challenge: 'Bearer' });
export const c = new TooManyRequests(undefined, { retryAfter: 30 });
export const d = errorHandler({ debug: false });
`;
fs.writeFileSync(file, source);
const options = { strict: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: [], noEmit: true };
const host = {
  getScriptFileNames: () => [file],
  getScriptVersion: () => '1',
  getScriptSnapshot: (name) => (fs.existsSync(name) ? ts.ScriptSnapshot.fromString(fs.readFileSync(name, 'utf8')) : undefined),
  getCurrentDirectory: () => dir,
  getCompilationSettings: () => options,
  getDefaultLibFileName: ts.getDefaultLibFilePath,
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

/** The hover text at the first occurrence of `word` after `after`: signature, documentation and tags. */
function hover(word, after = '') {
  const position = source.indexOf(word, source.indexOf(after)) + 1;
  const info = service.getQuickInfoAtPosition(file, position);
  assert.ok(info, `no quick info for ${word}`);
  const tags = (info.tags ?? []).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`).join('\n');
  return [ts.displayPartsToString(info.displayParts), ts.displayPartsToString(info.documentation), tags].join('\n');
}

const checks = [
  ['NotFound', 'new NotFound', /404 Not Found — there is no current representation of the target/],
  ['NotFound', 'new NotFound', /@example throw new NotFound/],
  ['challenge', 'challenge', /WWW-Authenticate/],
  ['retryAfter', 'retryAfter', /seconds \(rounded up\), or a `Date`/],
  ['debug', 'debug', /stack and the `cause` chain/],
];
for (const [word, after, expected] of checks) {
  const text = hover(word, after);
  assert.match(text, expected, `hover of ${word}:\n${text}`);
  console.log(`hover ${word}: ${text.split('\n').find((line) => expected.test(line)) ?? text.split('\n')[1]}`);
}

/**
 * Go-to-definition as an editor asks it: of tsserver, which maps a declaration back to its source
 * through the declaration map (the language service alone stops at the .d.ts).
 */
function definitionOf(word, after) {
  const { spawn } = require('node:child_process');
  const server = spawn(process.execPath, [require.resolve('typescript/lib/tsserver.js'), '--disableAutomaticTypingAcquisition'], {
    cwd: dir,
  });
  const offset = source.indexOf(word, source.indexOf(after));
  const line = source.slice(0, offset).split('\n').length;
  const column = offset - source.lastIndexOf('\n', offset - 1);
  const send = (seq, command, args) => server.stdin.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
  return new Promise((resolve, reject) => {
    let buffer = '';
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (const match of buffer.matchAll(/^\{.*\}$/gm)) {
        const message = JSON.parse(match[0]);
        if (message.type === 'response' && message.request_seq === 2) {
          server.kill();
          return message.success ? resolve(message.body[0]?.file ?? '(none)') : reject(new Error(message.message));
        }
      }
    });
    server.on('error', reject);
    send(1, 'open', { file });
    send(2, 'definition', { file, line, offset: column + 1 });
  });
}

definitionOf('NotFound', 'new NotFound').then((target) => {
  assert.match(target, /express-typed-errors\/src\/errors\.ts$/, `go-to-definition of NotFound opens ${target}`);
  console.log(`definition of NotFound: ${path.relative(dir, target)}`);
});
