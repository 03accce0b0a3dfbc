/**
 * `express-typed-errors/client` in a real browser: the test API serves a page whose script is the
 * esbuild browser bundle of test/client.page.ts and of the client as the package ships it (dist/, so
 * `npm run test:browser` builds first); headless Chromium from the system (Debian's
 * chromium-headless-shell or chromium) loads it, and the test asserts what the page reports.
 * Run by `npm run test:browser`, not by `npm test`: a fresh machine may have no browser. Without one
 * it fails, saying how to install it; it never skips.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Plugin, build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import pino from 'pino';
import express5 from 'express';
import { createApp } from '../examples/app';
import type { ExampleStep } from '../examples/page';
import { EXPRESS_VERSIONS } from './apps';
import { clientTestApp, listen } from './client.apps';
import { OutOfCredit } from './client.classes';
import { PAGE_REQUESTS, type PageResult } from './client.report';

const ROOT = join(__dirname, '..');
const BUILT_CLIENT = join(ROOT, 'dist', 'client.mjs');

/** Where Debian's packages put the browser; CHROMIUM_PATH names another. */
const BROWSER_PATHS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/**
 * What this sandbox needs (no GPU, no setuid sandbox, a closed network): without the background
 * networking flags Chromium floods the network with connections that are refused. Playwright adds a
 * fresh --user-data-dir of its own.
 */
const BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function browserPath(): string {
  const path = process.env.CHROMIUM_PATH ?? BROWSER_PATHS.find((candidate) => existsSync(candidate));
  if (path === undefined || !existsSync(path)) {
    throw new Error(
      'The browser test needs Chromium and found none at ' +
        (process.env.CHROMIUM_PATH ?? BROWSER_PATHS.join(' or ')) +
        '. Install it with `apt-get update && apt-get install -y chromium-headless-shell` (or `chromium`), or set CHROMIUM_PATH.',
    );
  }
  return path;
}

/** The page's imports of the client source resolve to the built package instead: the browser runs what ships. */
const builtClient: Plugin = {
  name: 'built-client',
  setup(bundler) {
    bundler.onResolve({ filter: /\/src\/client$/ }, () => ({ path: BUILT_CLIENT }));
  },
};

/** Bundles a page for the browser as an app's bundler would, against the client as built: its code and the files it took in. */
async function bundleForBrowser(entry: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    plugins: [builtClient],
    logLevel: 'error',
  });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** The page script, bundled for the browser as an app's bundler would. */
async function pageScript(): Promise<string> {
  if (!existsSync(BUILT_CLIENT)) throw new Error(`${BUILT_CLIENT} is missing: run \`npm run build\` (npm run test:browser does)`);
  const { text, inputs } = await bundleForBrowser(join(__dirname, 'client.page.ts'));
  // the client as shipped, the page and its shared classes: nothing from the server side
  expect(inputs.filter((path) => !path.startsWith('test/client.'))).toEqual(
    expect.arrayContaining(['dist/client.mjs', 'dist/client.js', 'dist/errors.js', 'dist/status.js']),
  );
  expect(inputs.every((path) => /^(dist\/[a-z]+\.m?js|test\/client\.(page|classes|report)\.ts)$/.test(path))).toBe(true);
  return text;
}

/**
 * The example's page (examples/page.ts) and its contracts (examples/api.ts), bundled as its app would
 * bundle it: the client as shipped, and zod; nothing of the server, no Node built-in.
 */
async function examplePageScript(): Promise<string> {
  const { text, inputs } = await bundleForBrowser(join(ROOT, 'examples', 'page.ts'));
  expect(inputs).toEqual(expect.arrayContaining(['dist/client.mjs', 'dist/contract.js', 'examples/api.ts', 'examples/page.ts']));
  expect(inputs.filter((path) => !/^(dist\/[a-z]+\.m?js|examples\/(page|api)\.ts|node_modules\/zod\/.+)$/.test(path))).toEqual([]);
  expect(inputs).not.toEqual(expect.arrayContaining(['dist/handle.js', 'dist/index.js', 'dist/middleware.js']));
  return text;
}

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>client</title><pre id="report"></pre><script type="module" src="/page.js"></script>';

let browser: Browser;
let script: string;
beforeAll(async () => {
  script = await pageScript();
  browser = await chromium.launch({ executablePath: browserPath(), args: BROWSER_FLAGS });
});
afterAll(async () => {
  await browser?.close();
});

describe.each(EXPRESS_VERSIONS)('headless Chromium against %s', (_label, express) => {
  const { app, endless } = clientTestApp(express);
  app.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  app.get('/page.js', (_req, res) => {
    res.type('js').send(script);
  });

  let results: Map<string, PageResult>;
  beforeAll(async () => {
    const page = await browser.newPage(); // first: without a browser, no server is left listening
    const api = await listen(app);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(api.url);
      await page.locator('#report[data-done]').waitFor({ timeout: 20_000 });
      const report = JSON.parse((await page.locator('#report').textContent()) ?? '[]') as PageResult[];
      results = new Map(report.map((result) => [result.path, result]));
      expect(pageErrors).toEqual([]);
      expect([...results.keys()]).toEqual(PAGE_REQUESTS.map((request) => request.path));
      // the page stopped reading the endless body: the browser closed the connection before its end
      await endless[0]?.closed;
      expect(endless.map((record) => record.finished)).toEqual([false]);
    } finally {
      await page.close();
      await api.close();
    }
  });
  const result = (path: string): PageResult => results.get(path)!;

  it("the minifier renames the app's classes, not the generated ones: name is the class's name as bundled", () => {
    // a production bundle without keepNames: instanceof and code still tell the app's classes apart
    for (const path of ['/users/7', '/credit']) expect(result(path).name).toBe(result(path).constructorName);
    expect(result('/users/7').name).not.toBe('UserNotFound');
    expect(result('/missing')).toMatchObject({
      name: 'NotFound',
      constructorName: 'NotFound',
      instanceOf: ['HttpError', 'Error', 'NotFound'],
    });
  });

  it('a success passes through ok()', () => {
    expect(result('/ok').body).toEqual({ id: 1 });
  });

  it('a registered subclass by code: the class, instanceof its parents, the request id', () => {
    expect(result('/users/7')).toMatchObject({
      instanceOf: ['HttpError', 'Error', 'NotFound', 'UserNotFound'],
      isHttpError: true,
      isProblemError: true,
      status: 404,
      title: 'Not Found',
      detail: 'No user 7',
      code: 'user_not_found',
      requestId: 'page-1',
    });
  });

  it('a registered subclass by type, its Unicode title and extension members', () => {
    expect(result('/credit')).toMatchObject({
      instanceOf: ['HttpError', 'Error', 'PaymentRequired', 'OutOfCredit'],
      status: 402,
      type: OutOfCredit.type,
      title: 'Crédit insuffisant',
      detail: 'Your current balance is 30, but that costs 50.',
      problem: expect.objectContaining({ balance: 30, accounts: ['/account/12345', '/account/67890'] }),
    });
  });

  it('a validation problem: UnprocessableContent with typed issues', () => {
    expect(result('/validate')).toMatchObject({
      name: 'UnprocessableContent',
      instanceOf: ['HttpError', 'Error', 'UnprocessableContent'],
      errors: [
        { detail: 'Invalid email address', pointer: '#/email' },
        { detail: 'Too small: expected number to be >=1', parameter: 'page' },
      ],
    });
  });

  it('headers of the answer stay readable: Retry-After', () => {
    expect(result('/rate-limited')).toMatchObject({ name: 'TooManyRequests', retryAfter: '7', detail: 'Slow down' });
  });

  it('a 5xx: its class, no detail, the title as message', () => {
    expect(result('/bug')).toMatchObject({ name: 'InternalServerError', status: 500, message: 'Internal Server Error' });
    expect(result('/bug').detail).toBeUndefined();
  });

  it('hostile and foreign answers: no pollution, the status line wins, UTF-8 across chunks, HTML and empty bodies, huge and endless bodies', () => {
    const prototype = result('/raw/prototype');
    expect(prototype).toMatchObject({ name: 'BadRequest', detail: 'd', errors: [{ detail: 'x', pointer: '#/a' }] });
    expect(prototype.polluted).toBeUndefined();
    expect(prototype.problem).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'd',
      nested: { kept: 1 },
      errors: [{ detail: 'x', pointer: '#/a' }],
    });
    expect(result('/raw/disagree')).toMatchObject({ name: 'NotFound', status: 404, problem: expect.objectContaining({ status: 404 }) });
    expect(result('/raw/unicode')).toMatchObject({ name: 'PaymentRequired', title: 'Crédit insuffisant', detail: 'Über 50 € — ✓' });
    for (const path of ['/raw/html', '/raw/empty']) {
      expect(result(path)).toMatchObject({ name: 'BadGateway', status: 502, title: 'Bad Gateway', message: 'Bad Gateway' });
      expect([result(path).detail, result(path).problem]).toEqual([undefined, undefined]);
    }
    for (const path of ['/raw/huge', '/raw/endless']) {
      expect(result(path)).toMatchObject({ name: 'BadRequest', status: 400, message: 'Bad Request' });
      expect(result(path).problem).toBeUndefined();
    }
  });
});

describe("the example's page, calling the example app through its contracts (Express 5)", () => {
  let steps: Map<string, ExampleStep>;
  beforeAll(async () => {
    const pageScript = await examplePageScript();
    const app = express5();
    app.get('/', (_req, res) => {
      res.type('html').send(PAGE);
    });
    app.get('/page.js', (_req, res) => {
      res.type('js').send(pageScript);
    });
    app.use(createApp({ logger: pino({ level: 'silent' }) }));
    const page = await browser.newPage();
    const api = await listen(app);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(api.url);
      await page.locator('#report[data-done]').waitFor({ timeout: 20_000 });
      const report = JSON.parse((await page.locator('#report').textContent()) ?? '[]') as ExampleStep[];
      steps = new Map(report.map((step) => [step.step, step]));
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
      await api.close();
    }
  });
  const step = (name: string): ExampleStep => steps.get(name)!;

  it('resolves each call to its result body; a 204 to undefined', () => {
    expect(step('getUser 1').data).toEqual({ id: 1, email: 'ada@example.com', name: 'Ada' });
    expect(step('createUser').data).toEqual({ id: 2, email: 'grace@example.com', name: 'Grace' });
    expect(step('listUsers').data).toEqual(['ada@example.com', 'grace@example.com']);
    expect(step('deleteUser 2')).toEqual({ step: 'deleteUser 2' });
  });

  it("rejects with the server's classes: NotFound, EmailTaken with its email, 422 with its issues", () => {
    expect(step('getUser 42').error).toMatchObject({ name: 'NotFound', status: 404, detail: 'No user 42', isEmailTaken: false });
    expect(step('deleteUser 2 again').error).toMatchObject({ name: 'NotFound', detail: 'No user 2' });
    // the minifier renames the app's class: instanceof and its members are what count
    expect(step('createUser again').error).toMatchObject({ status: 409, email: 'grace@example.com', isEmailTaken: true });
    expect(step('createUser invalid').error).toMatchObject({
      name: 'UnprocessableContent',
      issues: [expect.objectContaining({ pointer: '#/email' }), expect.objectContaining({ pointer: '#/name' })],
    });
    // a/b is one parameter, percent-encoded: the route's schema refuses it (it is not a number), no other route answers
    expect(step('getUser a/b').error).toMatchObject({
      name: 'UnprocessableContent',
      issues: [expect.objectContaining({ parameter: 'id' })],
    });
  });

  it("callSafe() gives the error as a value, and the page's switch on its status reads its members", () => {
    expect(step('signUp again').data).toBe('grace@example.com is already registered');
  });
});
