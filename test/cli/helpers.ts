/**
 * Helpers for the CLI tests, against a sandbox started in the test process, over real loopback HTTP.
 * runCli/startCli run a command line in this process with an injected CommandIO (in-process.ts);
 * runBuilt/startBuilt run the BUILT CLI (`node bin/zchat-auth.js`) as a child process, for the smoke
 * tests of the bundle and what only a real process shows (signals, start-up, what is loaded).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../source/core/store/store.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox, SandboxOptions } from '../../source/sandbox/types.js';
import { freePort } from '../free-port.js';
import { OutputWaiters } from '../output-waiters.js';
import { secretsEnv } from '../secrets-mode.js';
import { type Finished, waitForMatch } from './in-process.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(root, 'bin/zchat-auth.js');

// ---- the build ---------------------------------------------------------------------------------------

/**
 * The bundle is built once per vitest run by the global setup (test/global-setup.ts), only when its sources
 * changed: this only checks it is there.
 */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(root, 'dist/cli.js'))) {
    throw new Error('dist/cli.js is missing: run the tests through vitest (its global setup builds it)');
  }
}

// ---- environment -------------------------------------------------------------------------------------

export interface TempDir {
  dir: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'zchat-cli-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A clean environment: nothing from the developer's shell (no SSH_*, proxies, DISPLAY, BROWSER, secrets)
 * that could change what the CLI does, plus a private store directory.
 */
export function cleanEnv(
  configDir: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: configDir,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ZCHAT_AUTH_CONFIG_DIR: configDir,
    ...secretsEnv(),
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * A store of `count` profiles named `p` + the index padded to `digits`, each with a token in the file (the
 * first the default); `extra(i)` adds fields to profile i (a hostile username, say).
 */
export function writeManyProfiles(
  dir: string,
  count: number,
  o: {
    digits: number;
    flow: 'code' | 'password';
    extra?: (i: number) => Record<string, unknown>;
  },
): void {
  const at = '2025-01-02T03:04:05.000Z';
  const grant = o.flow === 'code' ? 'authorization_code' : 'password';
  const nameOf = (i: number) => `p${String(i).padStart(o.digits, '0')}`;
  const profiles: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const name = nameOf(i);
    profiles[name] = {
      name,
      subdomain: 'demo',
      clientId: `client-${name}`,
      redirectUri: 'http://localhost:8080',
      scopes: ['read', 'write'],
      flow: o.flow,
      ...o.extra?.(i),
      token: {
        accessToken: `hat_${name}_0123456789abcdef9f3c`,
        tokenType: 'Bearer',
        scope: 'read write',
        grant,
        obtainedAt: at,
      },
      createdAt: at,
      updatedAt: at,
    };
  }
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ schemaVersion: 1, defaultProfile: nameOf(0), profiles }, undefined, '\t'),
    { mode: 0o600 },
  );
}

/**
 * A store directory (mode 700) holding one profile, "demo", with a token, written as the CLI writes it: for
 * the built CLI's real `token`/`status`/dashboard paths without a login. `baseUrl` is where the profile
 * points: a closed loopback port keeps every request on this machine.
 */
export function writeStoredToken(dir: string, baseUrl: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      schemaVersion: 1,
      defaultProfile: 'demo',
      profiles: {
        demo: {
          name: 'demo',
          subdomain: 'demo',
          baseUrl,
          clientId: 'client',
          redirectUri: 'http://localhost:8080',
          scopes: ['read', 'write'],
          flow: 'code',
          token: {
            accessToken: 'hat_0123456789abcdef0123456789',
            tokenType: 'Bearer',
            scope: 'read write',
            grant: 'authorization_code',
            obtainedAt: '2025-01-01T00:00:00.000Z',
          },
          createdAt: '2025-01-01T00:00:00.000Z',
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      },
    }),
    { mode: 0o600 },
  );
}

// ---- running the CLI ---------------------------------------------------------------------------------

import { startCli } from './in-process.js';

export { type Finished, type Running, runCli, startCli } from './in-process.js';

export interface RunningBuilt {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr (or stdout with `from`), waiting as needed. */
  waitFor(pattern: RegExp, from?: 'stderr' | 'stdout', timeoutMs?: number): Promise<RegExpMatchArray>;
  write(text: string): void;
  end(text?: string): void;
  finished: Promise<Finished>;
}

/** The built CLI as a child process. */
export function startBuilt(args: string[], env: NodeJS.ProcessEnv, input?: string): RunningBuilt {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new OutputWaiters();
  const wake = () => waiters.wake();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    wake();
  });
  child.stdin!.on('error', () => {
    // The CLI may exit before reading everything: not a test failure by itself.
  });
  if (input !== undefined) child.stdin!.end(input);
  let exited = false;
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      // Ended before the waiters look again, so a wait for what never came fails now, not at its timeout.
      exited = true;
      wake();
      resolve({ code, signal, stdout: out, stderr: err, ms: performance.now() - started });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, from = 'stderr', timeoutMs = 10_000) =>
      waitForMatch(waiters, pattern, () => (from === 'stderr' ? err : out), {
        ended: () => exited,
        timeoutMs,
        output: () => ({ stdout: out, stderr: err }),
      }),
    write: (text) => child.stdin!.write(text),
    end: (text) => child.stdin!.end(text),
    finished,
  };
}

export async function runBuilt(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<Finished> {
  return startBuilt(args, env, input).finished;
}

// ---- the sandbox and the "browser" -------------------------------------------------------------------

export { freePort } from '../free-port.js';

export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface SandboxFixture {
  sandbox: Sandbox;
  /** http://localhost:PORT on a port that was free, registered on the demo client. */
  redirectUri: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A sandbox with a redirect URI on a free port registered on its demo client, through the emulated API with
 * the demo admin token (as a person would add it in the Chat dashboard). Tests never touch port 8080.
 */
export async function sandboxWithRedirect(options: SandboxOptions = {}): Promise<SandboxFixture> {
  const sandbox = await startSandbox({ quiet: true, ...options });
  const port = await freePort();
  const redirectUri = `http://localhost:${port}`;
  await registerRedirect(sandbox, sandbox.demo.clientNumericId, redirectUri);
  return { sandbox, redirectUri, port, close: () => sandbox.close() };
}

export async function adminApi(
  sandbox: Sandbox,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${sandbox.url}/api/v2/chat${apiPath}`, {
    method,
    headers: {
      Authorization: `Bearer ${sandbox.demo.adminToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function registerRedirect(
  sandbox: Sandbox,
  clientId: number,
  redirectUri: string,
): Promise<void> {
  const current = (await (await adminApi(sandbox, 'GET', `/oauth/clients/${clientId}`)).json()) as {
    redirect_uris: string[] | string;
  };
  const list = Array.isArray(current.redirect_uris)
    ? current.redirect_uris
    : current.redirect_uris.split(/\s+/);
  const res = await adminApi(sandbox, 'PUT', `/oauth/clients/${clientId}`, {
    redirect_uris: [...list, redirectUri],
  });
  if (!res.ok) throw new Error(`registering the redirect URI failed: ${res.status}`);
}

export async function makeConfidential(sandbox: Sandbox, clientId: number): Promise<void> {
  const res = await adminApi(sandbox, 'PUT', `/oauth/clients/${clientId}`, { client_type: 'confidential' });
  if (!res.ok) throw new Error(`making the client confidential failed: ${res.status}`);
}

/**
 * What a person does in the browser: open the authorize URL, press Allow or Deny on the consent page.
 * Returns where the sandbox redirects to (the redirect URI with the code, token or error).
 */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!consentId || !action)
    throw new Error(`no consent form (status ${page.status}): ${html.slice(0, 300)}`);
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision }).toString(),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent did not redirect (${answer.status})`);
  return location;
}

/** The browser following the code-flow redirect to the loopback server. */
export async function visit(url: string): Promise<number> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

/** What the implicit-flow capture page does: post the fragment and the state to the same origin. */
export async function postFragment(redirectedTo: string): Promise<number> {
  const url = new URL(redirectedTo);
  const fragment = url.hash.slice(1);
  const state = new URLSearchParams(fragment).get('state') ?? undefined;
  const res = await fetch(`${url.origin}/__zchat_auth/capture`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url.origin },
    body: JSON.stringify({ fragment, ...(state ? { state } : {}) }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The authorize URL the CLI printed on stderr, on a line of its own. */
export function authorizeUrlIn(stderr: string): string | undefined {
  return stderr.split('\n').find((l) => /^https?:\/\/\S+\/oauth2\/chat\/authorizations\/new\?\S+$/.test(l));
}

export interface StoredProfile {
  name: string;
  subdomain: string;
  baseUrl?: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scopes: string[];
  flow: string;
  token?: { accessToken: string; refreshToken?: string; grant: string; scope: string };
  lastTest?: { result: string; ok: boolean; status?: number };
}

/** The store file as the CLI left it (read directly: the tests check what really is on disk). */
export function readStore(configDir: string): {
  defaultProfile?: string;
  profiles: Record<string, StoredProfile>;
} {
  const file = path.join(configDir, 'config.json');
  if (!fs.existsSync(file)) return { profiles: {} };
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Secrets kept in the keyring are read from there and put in: callers see what is stored, wherever it
  // is, and a test that writes the data back still writes a valid file (the keyring's copy stays in charge).
  const store = openStore({ dir: configDir });
  for (const [name, profile] of Object.entries<{ secretsIn?: string }>(data.profiles ?? {})) {
    if (profile.secretsIn === 'keyring') data.profiles[name] = { ...profile, ...store.get(name) };
  }
  return data;
}

/** `login` against the fixture's sandbox and redirect URI, without a browser. */
export function loginArgs(fx: Pick<SandboxFixture, 'sandbox' | 'redirectUri'>, ...extra: string[]): string[] {
  return [...loginArgsWithBrowser(fx), '--no-browser', ...extra];
}

/** The same login, left free to start $BROWSER. */
export function loginArgsWithBrowser(
  fx: Pick<SandboxFixture, 'sandbox' | 'redirectUri'>,
  ...extra: string[]
): string[] {
  return [
    'login',
    '--base-url',
    fx.sandbox.url,
    '--subdomain',
    'demo',
    '--client-id',
    fx.sandbox.demo.clientId,
    '--redirect-uri',
    fx.redirectUri,
    ...extra,
  ];
}

/** A sandbox, an empty config directory and a real code-flow login made through the built CLI. */
export interface LoggedInCli {
  fx: SandboxFixture;
  tmp: TempDir;
  env: NodeJS.ProcessEnv;
  demo: StoredProfile;
}

/** Set up afresh for each test (beforeEach); `closeLoggedInCli` in afterEach. */
export async function loggedInCli(): Promise<LoggedInCli> {
  const fx = await sandboxWithRedirect();
  const tmp = await tempDir();
  const env = cleanEnv(tmp.dir);
  return { fx, tmp, env, demo: await loginWithCode(fx, env) };
}

export async function closeLoggedInCli(setup: Pick<LoggedInCli, 'fx' | 'tmp'>): Promise<void> {
  await setup.fx.close();
  await setup.tmp.remove();
}

/** A full code-flow login through the login command (the test presses Allow); returns the stored profile. */
export async function loginWithCode(
  fx: SandboxFixture,
  env: NodeJS.ProcessEnv,
  ...extra: string[]
): Promise<StoredProfile> {
  const cli = startCli(loginArgs(fx, ...extra), {
    ...env,
    ZENDESK_CHAT_CLIENT_SECRET: fx.sandbox.demo.clientSecret,
  });
  await cli.waitFor(/authorizations\/new\?\S+\n/);
  await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
  const result = await cli.finished;
  if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`);
  const profiles = readStore(env.ZCHAT_AUTH_CONFIG_DIR!).profiles;
  const name = extra.includes('--profile') ? extra[extra.indexOf('--profile') + 1]! : 'demo';
  return profiles[name]!;
}
