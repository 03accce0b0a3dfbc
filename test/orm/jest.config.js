/**
 * The ORM suite (npm run test:orm): its own config, since the root one leaves this folder out, whose
 * dependencies are installed only by scripts/test-orm.sh. Its libraries resolve from test/orm/node_modules,
 * the rest (express, supertest, ts-jest …) from the repository's.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json'), diagnostics: false }] },
  testMatch: ['<rootDir>/*.test.ts'],
};
