/**
 * Helpers for the hardening tests: the built CLI (through test/cli/helpers.ts) against sandboxes started
 * here, stores seeded through the real store code, and the checks every hostile or faulty run must pass
 * (no stack trace, a sentence, no secret anywhere it should not be).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { tokenToStored } from '../../source/core/profile-actions.js';
import { openStore } from '../../source/core/store/store.js';
import type { Profile } from '../../source/core/store/types.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox, SandboxOptions } from '../../source/sandbox/types.js';
import {
  cleanEnv,
  type Finished,
  freePort,
  registerRedirect,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';

export * from '../cli/helpers.js';

/** Runs the tasks with at most `limit` at once (two cores: a few CLI processes at a time). */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= tasks.length) return;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A home directory with the store one level down, so "the store's neighbours" are two directories. */
export interface Home {
  home: string;
  /** ZCHAT_AUTH_CONFIG_DIR */
  store: string;
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

export async function makeHome(extra: Record<string, string | undefined> = {}): Promise<Home> {
  const tmp: TempDir = await tempDir('zchat-harden-');
  const store = path.join(tmp.dir, 'config');
  const env = { ...cleanEnv(store, extra), HOME: tmp.dir };
  return { home: tmp.dir, store, env, remove: tmp.remove };
}

export function storeFile(home: Home): string {
  return path.join(home.store, 'config.json');
}

export function readStoreText(home: Home): string | undefined {
  try {
    return fs.readFileSync(storeFile(home), 'utf8');
  } catch {
    return undefined;
  }
}

/** Every file under a directory (relative path → content), for leak greps. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else {
        try {
          out.set(path.relative(dir, full), fs.readFileSync(full));
        } catch {
          // vanished (a lock released meanwhile)
        }
      }
    }
  };
  walk(dir);
  return out;
}

// ---- tokens straight from the sandbox (what a person's browser and a login would produce) -----------------

export interface Granted {
  code: string;
  accessToken: string;
  refreshToken?: string;
  scope: string;
}

/** A full code-flow grant over HTTP: authorize page, Allow, token POST. Returns the code too (a secret). */
export async function grantCode(
  sandbox: Sandbox,
  o: { clientId?: string; clientSecret?: string; redirectUri?: string; scope?: string } = {},
): Promise<Granted> {
  const clientId = o.clientId ?? sandbox.demo.clientId;
  const redirectUri = o.redirectUri ?? sandbox.demo.redirectUri;
  const scope = o.scope ?? 'read write';
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    scope,
    subdomain: sandbox.demo.subdomain,
    redirect_uri: redirectUri,
    state: 'seed-state',
  });
  const page = await fetch(`${sandbox.url}/oauth2/chat/authorizations/new?${query}`);
  const html = await page.text();
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!consentId || !action) throw new Error(`no consent form (${page.status})`);
  const decided = await fetch(`${sandbox.url}${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision: 'allow' }),
    redirect: 'manual',
  });
  const code = new URL(decided.headers.get('location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error('no code in the redirect');
  const res = await fetch(`${sandbox.url}/oauth2/chat/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      client_secret: o.clientSecret ?? sandbox.demo.clientSecret,
      redirect_uri: redirectUri,
      scope,
    }),
  });
  const body = (await res.json()) as { access_token: string; refresh_token?: string; scope: string };
  if (!res.ok) throw new Error(`token exchange failed ${res.status}`);
  return {
    code,
    accessToken: body.access_token,
    scope: body.scope,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
  };
}

/** Stores a profile with a real token through the real store code (as a login would have). */
export async function seedProfile(
  storeDir: string,
  sandbox: Sandbox,
  o: { name?: string; baseUrl?: string; granted?: Granted; redirectUri?: string } = {},
): Promise<{ profile: Profile; granted: Granted }> {
  const granted = o.granted ?? (await grantCode(sandbox));
  const store = openStore({ dir: storeDir });
  const profile = await store.save({
    name: o.name ?? 'demo',
    subdomain: 'demo',
    baseUrl: o.baseUrl ?? sandbox.url,
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
    redirectUri: o.redirectUri ?? sandbox.demo.redirectUri,
    scopes: ['read', 'write'],
    flow: 'code',
    token: tokenToStored({
      accessToken: granted.accessToken,
      tokenType: 'Bearer',
      scope: granted.scope,
      grant: 'authorization_code',
      ...(granted.refreshToken ? { refreshToken: granted.refreshToken } : {}),
    }),
  });
  return { profile, granted };
}

export async function quietSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // A high rate limit: many CLI runs in one minute must not trip the emulated 200/min by accident.
  return startSandbox({ quiet: true, rateLimitPerMinute: 100_000, ...options });
}

/** A sandbox whose demo client also accepts a free loopback port as redirect URI. */
export async function sandboxWithPort(options: SandboxOptions = {}) {
  const sandbox = await quietSandbox(options);
  const port = await freePort();
  const redirectUri = `http://localhost:${port}`;
  await registerRedirect(sandbox, sandbox.demo.clientNumericId, redirectUri);
  return { sandbox, port, redirectUri };
}

// ---- what every run must look like ------------------------------------------------------------------------

/** The marks of a stack trace or a raw Node error, anywhere in the output. */
export const stackPatterns: RegExp[] = [
  /^\s+at .+(\(|:\d+:\d+)/m,
  /node:internal/,
  /\b(TypeError|RangeError|SyntaxError|ReferenceError|AssertionError|HTTPError|RequestError)\b/,
  /\bUnhandled\b|\bunhandled rejection\b/i,
  /\[object Object\]/,
  /\bundefined\b(?!\))/,
  /Error \{/,
  /ERR_[A-Z_]+/,
  /E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)\b(?!\))/,
];

export function expectNoStack(text: string, label = ''): void {
  for (const pattern of stackPatterns) {
    expect(pattern.test(text), `${label} shows ${pattern}:\n${text}`).toBe(false);
  }
}

/** Exit 1 with the error as the last line of stderr: `zchat-auth: <a sentence>.` */
export function expectSentence(result: Finished, label = ''): string {
  const lines = result.stderr.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  expect(last, `${label}: the last stderr line\n${result.stderr}`).toMatch(
    /^zchat-auth: [a-zA-Z0-9`"].*[.!?)`]$/,
  );
  expectNoStack(result.stderr, label);
  expectNoStack(result.stdout, label);
  return last.slice('zchat-auth: '.length);
}

/** Secrets that must never show, by name (for the failure message). */
export type Secrets = Record<string, string | undefined>;

export function findLeaks(text: string, secrets: Secrets, allowed: string[] = []): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    if (!secret || secret.length < 6 || allowed.includes(secret)) continue;
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(name);
  }
  return found;
}

/** `http://127.0.0.1:PORT` where nothing listens (bound, then closed): connection refused. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
