/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['**/*.test.ts'],
  // the browser test has its own config and script (jest.browser.config.js, npm run test:browser)
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
};
