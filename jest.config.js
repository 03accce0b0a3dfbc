/**
 * arktype and its own packages ship ES modules only. Node 20.19+ and 22.12+ can require() them, but
 * jest's module loader does so only from Node 24.9: they are compiled to CommonJS like the tests, so
 * that the suite runs the same on every Node line the package supports.
 */
const ESM_ONLY = '(arktype|arkregex|@ark/[^/]+)';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  testMatch: ['**/*.test.ts'],
  // the browser test has its own config and script (jest.browser.config.js, npm run test:browser), and
  // the ORM suite its own dependencies, config and script (test/orm, npm run test:orm)
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$', '<rootDir>/test/orm/'],
  modulePathIgnorePatterns: ['<rootDir>/test/orm/'],
};
