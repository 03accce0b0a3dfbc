/**
 * The problem catalog in a real browser: headless Chromium from the system (as in
 * client.browser.test.ts) opens the example app's catalog, follows every link from the index to each
 * page and back, with the catalog's own Content-Security-Policy in force (a blocked style sheet would
 * be a console error), and axe-core checks each page, light and dark, for accessibility violations.
 * Run by `npm run test:browser`; without a browser it fails, saying how to install one.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { type Browser, type Page, chromium } from 'playwright-core';
import { createApp } from '../examples/app';
import { EXPRESS_VERSIONS } from './apps';

/** The little of the DOM the page functions use: the project's type check has no DOM library, for the server's sake. */
declare const document: { activeElement: { id: string; textContent: string | null } | null };
declare function getComputedStyle(element: unknown): { borderRadius: string };

/** Where Debian's packages put the browser; CHROMIUM_PATH names another. */
const BROWSER_PATHS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
const BROWSER_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

function browserPath(): string {
  const path = process.env.CHROMIUM_PATH ?? BROWSER_PATHS.find((candidate) => existsSync(candidate));
  if (path === undefined || !existsSync(path))
    throw new Error(
      'The browser test needs Chromium: `apt-get update && apt-get install -y chromium-headless-shell`, or set CHROMIUM_PATH.',
    );
  return path;
}

/** axe-core's browser build, evaluated in each page by the test (through DevTools, which the page's policy does not govern). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One violation as axe reports it, the little of it the test reads. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations axe finds in the page (WCAG 2.1 A and AA, and its best practices). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (options: object) => Promise<{ violations: Violation[] }> } }).axe.run({
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    }),
  );
  return violations.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: browserPath(), args: BROWSER_FLAGS });
});
afterAll(async () => {
  await browser?.close();
});

describe.each(EXPRESS_VERSIONS)('the problem catalog in headless Chromium, on %s', (_label, express) => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = createApp({ logger: pino({ level: 'silent' }), express }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it.each(['light', 'dark'] as const)(
    'every link of the index opens its page and leads back, with no console error and no serious accessibility violation (%s)',
    async (colorScheme) => {
      const page = await browser.newPage({ colorScheme, viewport: { width: 390, height: 844 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${base}/problems/`);
        // the style sheet applied: its hash is in the policy
        expect(
          await page
            .locator('.status')
            .first()
            .evaluate((badge) => getComputedStyle(badge).borderRadius),
        ).not.toBe('0px');
        expect(await seriousViolations(page)).toEqual([]);
        const hrefs = await page
          .locator('main a')
          .evaluateAll((anchors: { getAttribute(name: string): string | null }[]) => anchors.map((anchor) => anchor.getAttribute('href')));
        expect(hrefs).toHaveLength(8);
        for (const href of hrefs) {
          const title = await page.locator(`main a[href="${href}"]`).textContent();
          await Promise.all([page.waitForURL(`${base}${href}`), page.locator(`main a[href="${href}"]`).click()]);
          expect(await page.locator('h1').textContent()).toBe(title);
          expect(await seriousViolations(page)).toEqual([]);
          await Promise.all([page.waitForURL(`${base}/problems/`), page.locator('nav a').click()]);
          expect(await page.locator('h1').textContent()).toBe('Users API problems');
        }
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  it('the skip link moves the focus to the content', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/problems/email_taken`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    } finally {
      await page.close();
    }
  });
});
