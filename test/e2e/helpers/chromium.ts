/**
 * Headless Chromium for the e2e tests: Debian's `chromium` driven by playwright-core (never a browser
 * download). When it is missing the tests FAIL with a sentence naming it; they are never skipped.
 */
import fs from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's launcher; ZCHAT_E2E_CHROMIUM may point elsewhere (another distribution's path). */
export const chromiumPath = process.env.ZCHAT_E2E_CHROMIUM || '/usr/bin/chromium';

/**
 * Quiet, offline, and unable to resolve any name but localhost, so nothing can leave this machine.
 * Playwright's `launch` adds a fresh temporary `--user-data-dir` itself and deletes it on close.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
];

export class ChromiumMissingError extends Error {
  constructor(detail: string) {
    super(
      `E2E browser tests need Debian's Chromium at ${chromiumPath}, and ${detail}. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (.ci/run does this when it is missing). ' +
        'These tests are never skipped.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Throws ChromiumMissingError when the executable is not there (or not executable). */
export function assertChromium(): void {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
  } catch {
    throw new ChromiumMissingError(
      fs.existsSync(chromiumPath) ? 'it is not executable' : 'it is not installed',
    );
  }
}

/** One browser per test file; close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  assertChromium();
  try {
    return await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      timeout: 60_000,
    });
  } catch (error) {
    throw new ChromiumMissingError(
      `it did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}

/**
 * A fresh, isolated context (its own cookies and storage) that records every request whose host is not
 * loopback, so a test can assert that the browser never tried to reach beyond this machine.
 */
export async function loopbackContext(
  browser: Browser,
): Promise<{ context: BrowserContext; offLoopback: string[] }> {
  const context = await browser.newContext();
  const offLoopback: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'about:') return;
    if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) offLoopback.push(request.url());
  });
  return { context, offLoopback };
}
