/**
 * `npm run test:browser`: the client in headless Chromium (test/client.browser.test.ts). Kept out of
 * `npm test`, which must pass on a machine without a browser; CI installs one and runs this too.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/*.browser.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60_000,
};
