// @ts-check
/**
 * The API reference, generated from the doc comments: `npm run docs:api` writes it to build/api/.
 * Every entry point of the package is read from package.json's `exports` (`./dist/client.d.ts` is
 * src/client.ts), so a new subpath is documented, and checked, as soon as it is exported. A warning
 * fails the build: an export without a doc comment (or a member of an exported class or interface:
 * scripts/typedoc-anonymous-members.mjs says which members are described by their declaration's
 * comment), a type the reference uses but the package does not export, a `{@link}` that leads nowhere.
 */
import fs from 'node:fs';

const { exports } = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const entryPoints = Object.values(exports)
  .map((target) => (typeof target === 'object' ? target.require?.types : undefined))
  .filter((types) => typeof types === 'string')
  .map((types) => types.replace(/^\.\/dist\/(.*)\.d\.ts$/, './src/$1.ts'));

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints,
  tsconfig: './tsconfig.build.json',
  out: './build/api',
  name: 'express-typed-errors',
  readme: 'none',
  excludePrivate: true,
  excludeProtected: false,
  treatWarningsAsErrors: true,
  validation: { notExported: true, notDocumented: true, invalidLink: true },
  plugin: ['./scripts/typedoc-anonymous-members.mjs'],
  // Helper types the public types are computed from; the reference shows them by name, inline.
  intentionallyNotExported: [
    'INPUT_PARTS',
    'Below',
    'Output',
    'ExpressBody',
    'ResultStatus',
    'ResultOf',
    'ResultBodyOf',
    'LowerCaseHeaders',
    'BodyOf',
    'ValidatesInput',
    'EachStatus',
    'Member',
    'PathParameters',
    'InputOf',
    'ParamsInput',
    'QueryInput',
    'HeadersInput',
    'InputArgument',
    'ExtensionsOption',
  ],
};
