/**
 * End to end, with a real browser: `zchat-auth login --no-tui --no-browser` waits on its loopback server,
 * headless Chromium opens the authorize URL the CLI printed, presses Allow or Deny on the sandbox's consent
 * page, and follows the redirect back to the CLI. Nothing is mocked; all is loopback. The first journey runs
 * the built CLI in a process of its own; the others run the same command in this process (in-process.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizeUrlIn,
  cleanEnv,
  ensureBuilt,
  type Finished,
  loginArgs,
  portIsFree,
  type Running,
  type RunningBuilt,
  readStore,
  type SandboxFixture,
  sandboxWithRedirect,
  startBuilt,
  startCli,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';
import { launchChromium, loopbackContext } from './helpers/chromium.js';

let browser: Browser;
let context: BrowserContext;
let offLoopback: string[] = [];
let fx: SandboxFixture;
let home: TempDir;
/** What a test started and has to end if it is still running (a failed test leaves it waiting). */
const stops: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  ensureBuilt();
}, 120_000);

// Launched by the first test, shared by the rest. A missing Chromium fails every test with its sentence
// (a failing beforeAll would only mark them "skipped").
let launching: Promise<Browser> | undefined;

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
});

beforeEach(async () => {
  launching ??= launchChromium();
  browser = await launching;
  fx = await sandboxWithRedirect();
  home = await tempDir('zchat-e2e-');
  ({ context, offLoopback } = await loopbackContext(browser));
}, 60_000);

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await context?.close();
  await fx?.close();
  await home?.remove();
  // Checked after every scenario: the browser never tried to reach beyond this machine.
  expect(offLoopback).toEqual([]);
});

type Flow = 'code' | 'implicit';

/** Starts the plain login (`built`: the bundle, as a child) and returns it with the authorize URL it printed. */
async function startLogin(
  flow: Flow,
  o: { secret?: string; built?: boolean } = {},
): Promise<{ run: Running | RunningBuilt; url: string }> {
  const args = loginArgs(fx, '--no-tui', '--flow', flow, '--timeout', '60');
  const secret = o.secret ?? fx.sandbox.demo.clientSecret;
  const env = cleanEnv(home.dir, flow === 'code' ? { ZENDESK_CHAT_CLIENT_SECRET: secret } : {});
  let run: Running | RunningBuilt;
  if (o.built) {
    const child = startBuilt(args, env);
    stops.push(() => {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      return child.finished;
    });
    run = child;
  } else {
    const inProcess = startCli(args, env);
    stops.push(() => {
      // Ctrl+C, as a person would: the login closes its loopback server and returns.
      if (inProcess.exitCode() === null) inProcess.interrupt();
      return inProcess.finished;
    });
    run = inProcess;
  }
  await run.waitFor(/\/oauth2\/chat\/authorizations\/new\?\S+\n/);
  const url = authorizeUrlIn(run.stderr());
  if (!url) throw new Error(`no authorize URL on stderr:\n${run.stderr()}`);
  return { run, url };
}

/** A person's part: open the URL, read the consent page, press a button, land on the loopback server. */
async function decide(page: Page, url: string, button: '#allow' | '#deny'): Promise<void> {
  await page.goto(url);
  await page.locator(button).waitFor();
  await Promise.all([page.waitForURL((u) => u.port === String(fx.port)), page.click(button)]);
}

async function heading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { name: text, exact: true }).waitFor({ timeout: 10_000 });
}

function storedToken(): string | undefined {
  return readStore(home.dir).profiles.demo?.token?.accessToken;
}

function expectSuccess(done: Finished): void {
  expect(done.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  expect(done.code, done.stderr).toBe(0);
  expect(done.stdout).toMatch(/^Logged in: profile "demo"/);
}

describe('login in a real browser', () => {
  it('code flow: Allow on the consent page stores a working token (the built CLI)', async () => {
    const { run, url } = await startLogin('code', { built: true });
    const page = await context.newPage();
    await decide(page, url, '#allow');
    await heading(page, 'Signed in');
    expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();

    const done = await run.finished;
    expectSuccess(done);
    const token = storedToken();
    expect(token).toBeTruthy();
    expect(fx.sandbox.isTokenValid(token!)).toBe(true);
    expect(fx.sandbox.stats.tokensIssued.authorization_code).toBe(1);
    // The summary shows the token masked, never whole.
    expect(done.stdout + done.stderr).not.toContain(token);
    expect(await portIsFree(fx.port)).toBe(true);
  });

  it('the page says "Signed in" only once the token is stored', async () => {
    const { run, url } = await startLogin('code');
    const page = await context.newPage();
    await decide(page, url, '#allow');
    await heading(page, 'Signed in');
    // Read the moment the page shows: the exchange and the store were done before it was sent.
    expect(storedToken()).toBeTruthy();
    expect(await page.textContent('#message')).toContain('The token is stored.');
    expectSuccess(await run.finished);
  });

  it('a failed exchange (wrong client secret): the page says so with the reason, never "Signed in"', async () => {
    const { run, url } = await startLogin('code', { secret: 'not-the-secret' });
    const page = await context.newPage();
    await decide(page, url, '#allow');
    await heading(page, 'Login failed');
    const message = (await page.textContent('#message')) ?? '';
    expect(message).toContain('The client ID or secret is wrong');
    expect(message).toContain('Return to the terminal');
    expect(await page.content()).not.toContain('Signed in');
    const done = await run.finished;
    expect(done.code).toBe(1);
    expect(storedToken()).toBeUndefined();
    expect(done.stderr).toContain('The client ID or secret is wrong');
  });

  it('implicit flow: the page posts the fragment, the token is stored and gone from the address bar', async () => {
    const { run, url } = await startLogin('implicit');
    const page = await context.newPage();
    await decide(page, url, '#allow');
    await heading(page, 'Signed in');

    const done = await run.finished;
    expectSuccess(done);
    const token = storedToken();
    expect(token).toBeTruthy();
    expect(fx.sandbox.isTokenValid(token!)).toBe(true);
    // The address bar (and the current history entry) no longer carries the token.
    const shown = new URL(page.url());
    expect(shown.hash).toBe('');
    expect(page.url()).not.toContain(token!);
    expect(await page.evaluate('location.href')).not.toContain('access_token');
    expect(shown.port).toBe(String(fx.port));
    expect(done.stderr).toContain('Received the access token.');
    expect(fx.sandbox.stats.tokensIssued.authorization_code ?? 0).toBe(0);
  });

  it.each<Flow>(['code', 'implicit'])(
    '%s flow: Deny stores nothing and exits 1 with a sentence',
    async (flow) => {
      const { run, url } = await startLogin(flow);
      const page = await context.newPage();
      await decide(page, url, '#deny');
      await heading(page, 'Login denied');

      const done = await run.finished;
      expect(done.code).toBe(1);
      expect(done.stderr).toMatch(/you pressed Deny/i);
      expect(done.stdout).toBe('');
      expect(storedToken()).toBeUndefined();
      expect(Object.values(fx.sandbox.stats.tokensIssued).reduce((a, b) => a + b, 0)).toBe(0);
      expect(await portIsFree(fx.port)).toBe(true);
    },
  );

  it('a second tab replaying the callback gets "Already done" and causes no second exchange', async () => {
    // A slow token endpoint keeps the loopback server up while the code is exchanged, so the replay lands.
    fx.sandbox.inject({ kind: 'slow', path: '/oauth2/chat/token', delayMs: 1000, times: 1 });
    const { run, url } = await startLogin('code');
    const first = await context.newPage();
    await first.goto(url);
    await first.locator('#allow').waitFor();
    // The first tab's page waits for the exchange ("Signed in" only once the token is stored).
    const [request] = await Promise.all([
      first.waitForRequest((r) => new URL(r.url()).port === String(fx.port)),
      first.click('#allow', { noWaitAfter: true }),
    ]);
    const callback = request.url();
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    await run.waitFor(/Requesting the token/);

    // Not the very same URL: Chromium's cache lock would queue it behind the first tab's pending one.
    const second = await context.newPage();
    const replay = await second.goto(`${callback}&tab=2`);
    expect(replay?.status()).toBe(200);
    await heading(second, 'Already done');
    await heading(first, 'Signed in');

    const done = await run.finished;
    expectSuccess(done);
    expect(done.stderr).toMatch(/Ignored a request: GET \/\?\S* \(already done\)/);
    expect(fx.sandbox.stats.tokenRequests.authorization_code).toBe(1);
    expect(fx.sandbox.stats.tokensIssued.authorization_code).toBe(1);
    expect(fx.sandbox.isTokenValid(storedToken()!)).toBe(true);
    // Once the CLI is done the port is closed: a third replay cannot reach anything.
    await expect(second.goto(callback)).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
  });

  it('a page from another origin cannot post a forged fragment to the loopback server', async () => {
    const { run, url } = await startLogin('implicit');
    const state = new URL(url).searchParams.get('state')!;
    const capture = `http://localhost:${fx.port}/__zchat_auth/capture`;
    // The worst case: the attacker even knows the state. Same site (localhost), other origin (port).
    const evil = await serveEvilPage(capture, state);
    try {
      const page = await context.newPage();
      await page.goto(evil.url);
      await page.waitForFunction('window.attempts !== undefined');
      const attempts = (await page.evaluate('window.attempts')) as Record<string, string>;
      // The JSON post needs a CORS preflight, which the capture endpoint refuses, so it is never sent.
      expect(attempts.cors).toBe('blocked');
      await run.waitFor(/OPTIONS \/__zchat_auth\/capture \(method not allowed\)/);
      // The "simple" posts (no preflight) do reach the server, with this page's Origin, and are refused.
      expect(attempts.beacon).toBe('queued');
      await run.waitFor(/capture \(cross-origin post\)[\s\S]*capture \(cross-origin post\)/);
      expect(run.stderr()).not.toMatch(/Received the access token|Stored the token/);
      expect('exitCode' in run && run.exitCode()).toBeNull();
      expect(storedToken()).toBeUndefined();

      // The login is still waiting, untouched: the real browser answer completes it.
      await decide(page, url, '#allow');
      await heading(page, 'Signed in');
      const done = await run.finished;
      expectSuccess(done);
      const token = storedToken();
      expect(token).toBeTruthy();
      expect(token).not.toBe('forged-token');
      expect(fx.sandbox.isTokenValid(token!)).toBe(true);
    } finally {
      await evil.close();
    }
  });
});

/** Another origin on loopback: a page whose script tries to hand the loopback server a forged token. */
async function serveEvilPage(
  capture: string,
  state: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({
    fragment: `access_token=forged-token&token_type=Bearer&scope=read&state=${state}`,
    state,
  });
  const script = `(async () => {
  const target = ${JSON.stringify(capture)};
  const body = ${JSON.stringify(body)};
  const attempts = {};
  try {
    await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    attempts.cors = 'answered';
  } catch { attempts.cors = 'blocked'; }
  try {
    await fetch(target, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
    attempts.noCors = 'answered';
  } catch { attempts.noCors = 'blocked'; }
  attempts.beacon = navigator.sendBeacon(target, new Blob([body], { type: 'text/plain' })) ? 'queued' : 'refused';
  window.attempts = attempts;
})();`;
  const server = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Totally legit</title><script>${script}</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
