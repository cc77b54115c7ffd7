/** Shared set-up for the screen tests: a real sandbox, a real store in a temp dir, real HTTP. */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanup, render as inkRender } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, expect } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import type { Profile, TokenStore } from '../../source/core/store/types.js';
import { createServices } from '../../source/create-services.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox, SandboxOptions } from '../../source/sandbox/types.js';
import type { Services } from '../../source/services.js';
import { freePort } from '../free-port.js';
import { testRetryDelayMs } from '../retry-delay.js';

export const keys = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  backspace: '\x7f',
  space: ' ',
  ctrlC: '\x03',
} as const;

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` stops throwing (the frame is rendered, the request arrived...). */
export async function waitFor<T>(check: () => T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return check();
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last;
    await tick(10);
  }
}

export interface Stdin {
  write(data: string): void;
}

/** Lets React run the effects of the last frame (they are queued with setImmediate). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How many frames each rendered app has written, by its stdin (see `render` and `renderSized`). */
const frameCounts = new WeakMap<object, () => number>();

export function trackFrames(stdin: object, count: () => number): void {
  frameCounts.set(stdin, count);
}

/** ink-testing-library's render, with its frames tracked so `press` can wait for the screen to settle. */
export function render(tree: ReactElement) {
  const result = inkRender(tree);
  trackFrames(result.stdin, () => result.frames.length);
  return result;
}

/**
 * Until no new frame has come for a few macrotasks: every screen and field takes keys from the moment it is
 * drawn (KeyRouter), but a test reads `lastFrame()`, so it waits for the frame a key leads to.
 */
async function quiet(stdin: Stdin): Promise<void> {
  const count = frameCounts.get(stdin);
  if (!count) {
    await tick(5);
    return;
  }
  const deadline = Date.now() + 500;
  let last = count();
  let still = 0;
  while (still < 2 && Date.now() < deadline) {
    await tick(2);
    await settle();
    const now = count();
    if (now === last) still++;
    else {
      still = 0;
      last = now;
    }
  }
}

/**
 * One key (or one paste) per write, as a person types: after the screen has settled, and followed by a
 * macrotask (Ink flushes a lone ESC with setImmediate).
 */
export async function press(stdin: Stdin, ...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    await quiet(stdin);
    stdin.write(key);
    await tick(5);
  }
}

/** React reports update loops and bad keys on console.error: a screen test fails on any of them. */
export function watchConsoleErrors(): () => string[] {
  const seen: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    seen.push(args.map(String).join(' ').slice(0, 300));
  };
  return () => {
    console.error = original;
    return seen;
  };
}

/**
 * The hooks of every screen test file: no React warning (update loops, keys...) on any screen; after each
 * test the rendered apps are unmounted (ink-testing-library's, unless `unmount` is given) and the world is
 * closed.
 */
export function screenTestHooks(o: { world(): World | undefined; unmount?(): void }): void {
  let consoleErrors: (() => string[]) | undefined;
  beforeEach(() => {
    consoleErrors = watchConsoleErrors();
  });
  afterEach(() => {
    expect(consoleErrors?.()).toEqual([]);
  });
  afterEach(async () => {
    (o.unmount ?? cleanup)();
    await o.world()?.close();
  });
}

export { freePort } from '../free-port.js';

export interface World {
  sandbox: Sandbox;
  store: TokenStore;
  services: Services;
  dir: string;
  /** URLs the (fake) browser was asked to open: a browser is outside this machine. */
  opened: string[];
  /** A client of the sandbox whose redirect URI is on a free port (tests run in parallel). */
  client: { id: number; clientId: string; clientSecret: string; redirectUri: string };
  /** Saves a profile for `client` (no token unless given). */
  saveProfile(p?: Partial<Profile>): Promise<Profile>;
  close(): Promise<void>;
}

export async function makeWorld(
  o: { env?: NodeJS.ProcessEnv; sandbox?: SandboxOptions; browserOpens?: boolean } = {},
): Promise<World> {
  const sandbox = await startSandbox({ quiet: true, ...o.sandbox });
  const dir = await mkdtemp(path.join(tmpdir(), 'zchat-ui-'));
  const store = openStore({ dir });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...o.env };
  const base = createServices(env, { store, retryDelayMs: testRetryDelayMs });
  const opened: string[] = [];
  const services: Services = {
    store,
    env,
    tokenClient: base.tokenClient,
    chatApi: base.chatApi,
    now: base.now,
    async openBrowser(url) {
      opened.push(url);
      return o.browserOpens ? { opened: true } : { opened: false, reason: 'no display in the test' };
    },
  };
  const port = await freePort();
  const admin = await services.chatApi(sandbox.url, sandbox.demo.adminToken);
  const created = await admin.createClient({
    name: 'Test client',
    company: 'Tests',
    redirect_uris: [`http://localhost:${port}`],
    scopes: 'read write',
  });
  const client = {
    id: created.id,
    clientId: created.client_identifier,
    clientSecret: created.client_secret ?? '',
    redirectUri: `http://localhost:${port}`,
  };
  return {
    sandbox,
    store,
    services,
    dir,
    opened,
    client,
    saveProfile: (p = {}) =>
      store.save({
        name: 'demo',
        subdomain: sandbox.demo.subdomain,
        baseUrl: sandbox.url,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: client.redirectUri,
        scopes: ['read', 'write'],
        flow: 'code',
        ...p,
      }),
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A stored token the sandbox knows (the admin's), so the dashboard can call the API at once. */
export function adminToken(sandbox: Sandbox) {
  return {
    accessToken: sandbox.demo.adminToken,
    tokenType: 'Bearer',
    scope: 'read write',
    grant: 'authorization_code' as const,
    obtainedAt: new Date().toISOString(),
  };
}

/**
 * What a browser does on the emulator's consent page: press Allow (or Deny) and read where it would be
 * sent, without going there (the test decides whether the redirect is delivered or pasted).
 */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await (await fetch(authorizeUrl)).text();
  const id = /name="consent_id" value="([^"]+)"/.exec(page)?.[1];
  if (!id) throw new Error(`no consent form in: ${page.slice(0, 200)}`);
  const res = await fetch(new URL('/oauth2/chat/authorizations', authorizeUrl), {
    method: 'POST',
    body: new URLSearchParams({ consent_id: id, decision }),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`no redirect (HTTP ${res.status})`);
  return location;
}

/** The frame without line breaks or padding, to find text Ink wrapped (a long URL). */
export const flat = (frame: string | undefined) => plain(frame).replace(/\s+/g, '');

/** The frame without escape sequences: colours, hyperlinks (OSC 8), cursor moves. */
export const plain = (frame: string | undefined) =>
  (frame ?? '').replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g, '');

/** The authorize URL the panel shows (it is wrapped over several lines). */
export function authorizeUrlIn(frame: string | undefined, baseUrl: string): string {
  const text = flat(frame);
  const start = text.indexOf(`${baseUrl}/oauth2/chat/authorizations/new?`);
  if (start < 0) throw new Error('no authorize URL on screen');
  const rest = text.slice(start);
  const end = rest.indexOf('Browser:');
  return end < 0 ? rest : rest.slice(0, end);
}

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Every OSC 52 payload written to the terminal, decoded. */
export function clipboardWrites(frames: readonly string[]): string[] {
  const out: string[] = [];
  for (const frame of frames) {
    for (const m of frame.matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/g)) {
      out.push(Buffer.from(m[1]!, 'base64').toString('utf8'));
    }
  }
  return out;
}

/**
 * A real token for `w.client` through the code flow (the consent page answered as a browser would), stored
 * as profile `name`: an admin's token with a refresh token, as after a login.
 */
export async function storeLoggedIn(w: World, name = 'demo'): Promise<Profile> {
  const { buildAuthorizeUrl } = await import('../../source/core/oauth/authorize-url.js');
  const { tokenToStored } = await import('../../source/core/profile-actions.js');
  const url = buildAuthorizeUrl({
    baseUrl: w.sandbox.url,
    responseType: 'code',
    clientId: w.client.clientId,
    scopes: ['read', 'write'],
    subdomain: w.sandbox.demo.subdomain,
    redirectUri: w.client.redirectUri,
    state: 'test-state',
  });
  const code = new URL(await consent(url)).searchParams.get('code')!;
  const tokens = await w.services.tokenClient(w.sandbox.url);
  const token = await tokens.exchangeCode({
    code,
    clientId: w.client.clientId,
    clientSecret: w.client.clientSecret,
    redirectUri: w.client.redirectUri,
    scope: 'read write',
  });
  return w.saveProfile({ name, token: tokenToStored(token) });
}
