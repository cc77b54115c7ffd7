/**
 * End to end, a server that does not echo `state`: the built CLI's waiting panel runs in a real terminal,
 * headless Chromium presses Allow, the loopback page says the terminal is asking, and `y` in the terminal
 * finishes the login. The browser is a fake $BROWSER that only records the URL, which Chromium then opens.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  ensureBuilt,
  loginArgsWithBrowser,
  portIsFree,
  readStore,
  type SandboxFixture,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';
import { launchChromium, loopbackContext } from './helpers/chromium.js';
import { fakeBrowser } from './helpers/fake-browser.js';
import { startTerminal, type Terminal } from './helpers/terminal.js';

ensureBuilt();

let fx: SandboxFixture;
let home: TempDir;
let term: Terminal | undefined;
let launching: Promise<Browser> | undefined;

beforeEach(async () => {
  fx = await sandboxWithRedirect({ echoState: false });
  home = await tempDir('zchat-e2e-state-');
});

afterEach(async () => {
  term?.kill();
  term = undefined;
  await fx.close();
  await home.remove();
});

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
});

describe('a redirect without the state, in a real terminal and browser', () => {
  it('the page says the terminal is asking; y in the panel stores the token', async () => {
    launching ??= launchChromium();
    const browser = await launching;
    const { context, offLoopback } = await loopbackContext(browser);
    const { sandbox } = fx;
    const fake = fakeBrowser(home.dir);
    term = startTerminal(
      loginArgsWithBrowser(fx),
      cleanEnv(home.dir, { BROWSER: fake.path, ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret }),
      { columns: 100, rows: 40 },
    );
    await term.waitForScreen(/Browser: opened/, { timeoutMs: 15_000 });
    await term.waitForRaw();
    const url = fake.calls().trim();
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');

    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#allow').waitFor();
    let from = term.mark();
    await page.click('#allow');
    await page
      .getByRole('heading', { name: 'Confirm in the terminal', exact: true })
      .waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).searchParams.has('state')).toBe(false);
    expect(await page.textContent('#message')).toContain('answer y or n there');
    await term.waitForScreen(/without the state it was sent[\s\S]*y yes, take it · n no, keep waiting/, {
      from,
    });
    expect(sandbox.stats.tokenRequests.authorization_code).toBeUndefined();

    from = term.mark();
    term.press('y');
    await term.waitForScreen(/Stored as profile demo[\s\S]*enter dashboard/, { from });
    const stored = readStore(home.dir).profiles.demo;
    expect(sandbox.isTokenValid(stored!.token!.accessToken)).toBe(true);
    term.press('q');
    expect((await term.ended).code).toBe(0);
    expect(await portIsFree(fx.port)).toBe(true);
    await context.close();
    expect(offLoopback).toEqual([]);
  }, 60_000);
});
