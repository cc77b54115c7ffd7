/**
 * Every login journey under every answer the sandbox can give where Zendesk's documents leave it open
 * (`zchat-auth sandbox --help`): one switch at a time away from the default. The journeys: the code and
 * implicit flows in headless Chromium, a pasted redirect, client credentials, refresh twice, and
 * `token --check` on a dead token. All through the built CLI over loopback HTTP; nothing is mocked.
 *
 * `journeys(config)` says which journeys a configuration runs: the Chromium ones only under the switches that
 * change what the browser is shown or sends back (see `touchesBrowser`). A state-less redirect is not
 * accepted silently today (the check below); the journeys that accept one after a confirmation join the
 * table by listing them there.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../source/sandbox/types.js';
import {
  authorizeUrlIn,
  cleanEnv,
  consent,
  ensureBuilt,
  type Finished,
  loginArgs,
  makeConfidential,
  readStore,
  runCli,
  type SandboxFixture,
  sandboxWithRedirect,
  startCli,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';
import { launchChromium, loopbackContext } from './helpers/chromium.js';

type Journey =
  | 'code in Chromium'
  | 'implicit in Chromium'
  | 'paste'
  | 'client credentials'
  | 'refresh twice'
  | 'token --check';

interface Config {
  name: string;
  options: SandboxOptions;
  /**
   * Whether the switch changes the browser's part: the consent page, the redirect (its state, where the
   * implicit token is) or what the capture page reads. The others change only what the token endpoint and
   * the API answer, which the paste, refresh and token --check journeys meet through the same CLI code as
   * after a Chromium redirect; the browser's part is then the defaults', run under the defaults.
   */
  touchesBrowser: boolean;
}

const configs: Config[] = [
  { name: 'the defaults', options: {}, touchesBrowser: true },
  { name: '--state omitted', options: { echoState: false }, touchesBrowser: true },
  {
    name: '--refresh-tokens single-use',
    options: { refreshTokens: 'single-use' },
    touchesBrowser: false,
  },
  { name: '--refresh-tokens reusable', options: { refreshTokens: 'reusable' }, touchesBrowser: false },
  { name: '--implicit-in query', options: { implicitIn: 'query' }, touchesBrowser: true },
  { name: '--dates no-zone', options: { datesWithZ: false }, touchesBrowser: false },
  { name: '--redirect-uris string', options: { redirectUrisAs: 'string' }, touchesBrowser: false },
];

const all: Journey[] = [
  'code in Chromium',
  'implicit in Chromium',
  'paste',
  'client credentials',
  'refresh twice',
  'token --check',
];

/** Which journeys run under a configuration (see the file comment). */
function journeys(c: Config): Journey[] {
  // A state-less redirect is taken with --accept-missing-state (below), and the capture page and --paste
  // read the implicit token from the fragment or the query.
  return c.touchesBrowser ? all : all.filter((j) => !j.endsWith('in Chromium'));
}

/** Where the sandbox sends no `state` back, the person says to take one such redirect (plain mode). */
const stateArgs = (): string[] => (fx.sandbox.settings.echoState ? [] : ['--accept-missing-state']);

beforeAll(() => ensureBuilt(), 120_000);

let launching: Promise<Browser> | undefined;
afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
});

let fx: SandboxFixture;
let home: TempDir;
let env: NodeJS.ProcessEnv;
let context: BrowserContext | undefined;
let offLoopback: string[] = [];

afterEach(async () => {
  await context?.close();
  context = undefined;
  await fx?.close();
  await home?.remove();
  expect(offLoopback).toEqual([]);
});

async function setUp(options: SandboxOptions): Promise<void> {
  fx = await sandboxWithRedirect(options);
  home = await tempDir('zchat-e2e-switch-');
  env = cleanEnv(home.dir, { ZENDESK_CHAT_CLIENT_SECRET: fx.sandbox.demo.clientSecret });
}

const stored = () => readStore(home.dir).profiles.demo?.token;

function expectLoggedIn(done: Finished, grant: string): void {
  expect(done.code, done.stderr).toBe(0);
  expect(done.stdout).toMatch(/^Logged in: profile "demo"/);
  const token = stored();
  expect(token?.grant).toBe(grant);
  expect(fx.sandbox.isTokenValid(token!.accessToken)).toBe(true);
  expect(done.stdout + done.stderr).not.toContain(token!.accessToken);
}

async function inChromium(flow: 'code' | 'implicit'): Promise<Finished> {
  launching ??= launchChromium();
  ({ context, offLoopback } = await loopbackContext(await launching));
  const run = startCli(loginArgs(fx, '--no-tui', '--flow', flow, '--timeout', '60', ...stateArgs()), env);
  await run.waitFor(/\/oauth2\/chat\/authorizations\/new\?\S+\n/);
  const page: Page = await context.newPage();
  await page.goto(authorizeUrlIn(run.stderr())!);
  await page.locator('#allow').waitFor();
  await Promise.all([page.waitForURL((u) => u.port === String(fx.port)), page.click('#allow')]);
  return run.finished;
}

/** Logs in with the code flow through a pasted redirect (the SSH path without a port-forward). */
async function pasted(): Promise<Finished> {
  const run = startCli(loginArgs(fx, '--no-tui', '--paste', ...stateArgs()), env);
  await run.waitFor(/authorizations\/new\?\S+\n/);
  const redirected = await consent(authorizeUrlIn(run.stderr())!, 'allow');
  run.end(`${redirected}\n`);
  return run.finished;
}

const run: Record<Journey, () => Promise<void>> = {
  async 'code in Chromium'() {
    expectLoggedIn(await inChromium('code'), 'authorization_code');
  },
  async 'implicit in Chromium'() {
    expectLoggedIn(await inChromium('implicit'), 'implicit');
  },
  async paste() {
    expectLoggedIn(await pasted(), 'authorization_code');
  },
  async 'client credentials'() {
    await makeConfidential(fx.sandbox, fx.sandbox.demo.clientNumericId);
    const done = await runCli(loginArgs(fx, '--flow', 'client-credentials'), env);
    expectLoggedIn(done, 'client_credentials');
    // Listed under your tokens with the dates and redirect URIs as this sandbox writes them.
    const clients = JSON.parse((await runCli(['clients', '--json'], env)).stdout) as {
      client_identifier: string;
      redirect_uris: string[];
      create_date: string;
    }[];
    const mine = clients.find((c) => c.client_identifier === fx.sandbox.demo.clientId)!;
    expect(mine.redirect_uris).toContain(fx.redirectUri);
    expect(Date.parse(mine.create_date)).toBeLessThanOrEqual(Date.now());
    const tokens = JSON.parse(
      (await runCli(['tokens', '--json'], { ...env, TZ: 'America/New_York' })).stdout,
    ) as {
      create_date: string;
    }[];
    // A date without a zone is read as UTC, whatever the local zone: every token here is minutes old.
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of tokens) {
      expect(t.create_date).toMatch(/Z$/);
      expect(Math.abs(Date.parse(t.create_date) - Date.now())).toBeLessThan(120_000);
    }
  },
  async 'refresh twice'() {
    await runCode();
    const single = fx.sandbox.settings.refreshTokens === 'single-use';
    const first = await runCli(['refresh'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(fx.sandbox.isTokenValid(stored()!.accessToken)).toBe(true);
    const second = await runCli(['refresh'], env);
    if (single) {
      // Nothing left to spend: the second fails at once, naming the login command, and the token still works.
      expect(stored()!.refreshToken).toBeUndefined();
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        /no refresh token: log in again when this one stops working.*zchat-auth login/s,
      );
      expect(fx.sandbox.stats.tokenRequests.refresh_token).toBe(1);
    } else {
      expect(second.code, second.stderr).toBe(0);
      expect(stored()!.refreshToken).toBeTruthy();
      expect(fx.sandbox.stats.tokensIssued.refresh_token).toBe(2);
    }
    expect(fx.sandbox.isTokenValid(stored()!.accessToken)).toBe(true);
  },
  async 'token --check'() {
    await runCode();
    fx.sandbox.expireAccessToken(stored()!.accessToken);
    const done = await runCli(['token', '--check'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe(`${stored()!.accessToken}\n`);
    expect(fx.sandbox.isTokenValid(stored()!.accessToken)).toBe(true);
    if (fx.sandbox.settings.refreshTokens === 'single-use') {
      expect(done.stderr).toContain('no refresh token: log in again when this one stops working');
    } else {
      expect(done.stderr).toBe('');
    }
  },
};

/** A code-flow login without a browser, for the journeys that start from a stored token. */
async function runCode(): Promise<void> {
  if (fx.sandbox.settings.echoState) {
    expectLoggedIn(await pasted(), 'authorization_code');
    return;
  }
  // No state-less redirect is accepted yet, so the token these journeys start from is exchanged directly.
  await seedFromCode();
}

/** Stores a code-flow token exchanged directly with the sandbox (no redirect, so no state involved). */
async function seedFromCode(): Promise<void> {
  const { sandbox } = fx;
  const authorize = new URL(`${sandbox.url}/oauth2/chat/authorizations/new`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: sandbox.demo.clientId,
    scope: 'read write',
    redirect_uri: fx.redirectUri,
  }).toString();
  const code = new URL(await consent(authorize.toString(), 'allow')).searchParams.get('code')!;
  const res = await fetch(`${sandbox.url}/oauth2/chat/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: sandbox.demo.clientId,
      client_secret: sandbox.demo.clientSecret,
      redirect_uri: fx.redirectUri,
    }),
  });
  const body = (await res.json()) as { access_token: string; refresh_token: string; scope: string };
  const { openStore } = await import('../../source/core/store/store.js');
  const store = openStore({ dir: home.dir, env });
  await store.save({
    name: 'demo',
    subdomain: 'demo',
    baseUrl: sandbox.url,
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
    redirectUri: fx.redirectUri,
    scopes: ['read', 'write'],
    flow: 'code',
    token: {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      tokenType: 'Bearer',
      scope: body.scope,
      grant: 'authorization_code',
      obtainedAt: new Date().toISOString(),
    },
  });
}

describe.each(configs)('under $name', (config) => {
  beforeEach(async () => {
    await setUp(config.options);
  });
  it.each(journeys(config))(
    '%s',
    async (journey) => {
      await run[journey]();
    },
    60_000,
  );
});

describe('--state omitted', () => {
  beforeEach(async () => {
    await setUp({ echoState: false });
  });
  it('a state-less redirect reaching the loopback server is not accepted silently: nothing stored', async () => {
    launching ??= launchChromium();
    ({ context, offLoopback } = await loopbackContext(await launching));
    const login = startCli(loginArgs(fx, '--no-tui', '--flow', 'code', '--timeout', '5'), env);
    await login.waitFor(/\/oauth2\/chat\/authorizations\/new\?\S+\n/);
    const page = await context.newPage();
    await page.goto(authorizeUrlIn(login.stderr())!);
    await page.locator('#allow').waitFor();
    await Promise.all([page.waitForURL((u) => u.port === String(fx.port)), page.click('#allow')]);
    const done = await login.finished;
    expect(done.code).not.toBe(0);
    expect(stored()).toBeUndefined();
    expect(fx.sandbox.stats.tokenRequests.authorization_code ?? 0).toBe(0);
  }, 60_000);
});
