/**
 * `npm run screenshot:catalog`: the index of the example app's problem catalog (examples/app.ts), as
 * headless Chromium renders it, written to docs/catalog.png for docs/catalog.md. Uses the system's
 * Chromium (Debian's chromium-headless-shell or chromium, or CHROMIUM_PATH), as the browser tests do.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createApp } from '../examples/app';

const OUT = join(__dirname, '..', 'docs', 'catalog.png');
const BROWSER = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path));

async function main(): Promise<void> {
  if (BROWSER === undefined) throw new Error('No Chromium: apt-get install -y chromium-headless-shell, or set CHROMIUM_PATH');
  const server = createApp({ logger: pino({ level: 'silent' }) }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const browser = await chromium.launch({ executablePath: BROWSER, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 960, height: 600 }, deviceScaleFactor: 1, colorScheme: 'light' });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/problems/`);
    await page.screenshot({ path: OUT, fullPage: true });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
