/**
 * `zchat-auth` with no command and `zchat-auth --sandbox`: the Ink dashboard. Ink and React load only here
 * (and in an interactive `login`), through loadUi (a dynamic import of run-ui).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices } from '../create-services.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Services } from '../services.js';
import { prefetchLists } from '../ui/account-prefetch.js';
import { type CommandIO, isDumbTerminal } from './command.js';
import { dumbTerminalHint, noTtyHint } from './help.js';
import { loadUi } from './load-ui.js';
import { freePort, isPortFree } from './ports.js';

export const DEMO_PROFILE = 'demo';

export async function runDashboard(
  io: CommandIO,
  o: { sandbox: boolean; profile?: string },
): Promise<number> {
  if (!io.interactive) {
    // Never try raw mode without a terminal: point to the scripting commands instead.
    io.stderr.write(io.stdout.isTTY && isDumbTerminal(io.env) ? dumbTerminalHint : noTtyHint);
    return 2;
  }
  const ui = loadUi(io.env);
  if (!o.sandbox) {
    // Read while the screens load, as the account's lists are asked for: they used to be asked for only
    // once the first frame was drawn, and came 110-125 ms after it with 1,000 clients and tokens.
    let services: Services;
    let profiles: ReturnType<Services['store']['list']>;
    try {
      services = io.services();
      profiles = services.store.list();
    } catch (error) {
      await ui; // as before: a failed loading of the screens is said first
      throw error;
    }
    const hasToken = profiles.some((p) => p.token !== undefined);
    // Sent before the first frame is drawn (a small module, loaded beside the screens since main.ts).
    const [{ runUi }] = await Promise.all([ui, hasToken ? prefetchLists(services, profiles) : undefined]);
    if (hasToken) return runUi({ services, start: 'dashboard' });
    return runUi({ services, start: 'wizard', ...(o.profile ? { login: { profile: o.profile } } : {}) });
  }
  const { runUi } = await ui;

  const session = await startSandboxSession(io.env);
  try {
    return await runUi({
      services: session.services,
      // The dashboard, with the demo profile selected: `n` starts its login (issue 5: npm start opens it).
      start: 'dashboard',
      login: session.login,
      sandbox: session.sandbox,
      temporaryStore: session.temporaryStore,
    });
  } finally {
    await session.close();
  }
}

export interface SandboxSession {
  sandbox: Sandbox;
  services: Services;
  login: { profile: string; subdomain: string; baseUrl: string; clientId: string; redirectUri: string };
  /** A throwaway store (ZCHAT_AUTH_CONFIG_DIR unset, or holding real profiles), deleted by close(). */
  temporaryStore: boolean;
  close(): Promise<void>;
}

/**
 * Whether the store in `dir` may take the sandbox's demo profile: it is empty, or holds only profiles an
 * earlier sandbox left (a loopback base URL and the emulator's "demo" subdomain). A store with a real
 * profile is never touched: its "demo" could be anyone's, and a sandbox profile would point at a port that
 * is gone once the sandbox stops.
 */
function onlySandboxProfiles(dir: string, env: NodeJS.ProcessEnv): boolean {
  try {
    const { store } = createServices({ ...env, ZCHAT_AUTH_CONFIG_DIR: dir }, { configDir: dir });
    return store.list().every((p) => p.subdomain === 'demo' && isLoopback(p.baseUrl));
  } catch {
    return false; // unreadable: not ours to write to
  }
}

function isLoopback(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  try {
    const host = new URL(baseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * The emulator in-process, a throwaway store (unless ZCHAT_AUTH_CONFIG_DIR names one that holds nothing but
 * earlier sandbox profiles), and a demo profile
 * prefilled with the emulator's client. The redirect stays http://localhost:8080 as in the tutorial, unless
 * 8080 is busy: then a free port is registered on the emulated client.
 */
export async function startSandboxSession(
  env: NodeJS.ProcessEnv,
  o: { portIsFree?: (port: number) => Promise<boolean> } = {},
): Promise<SandboxSession> {
  const portIsFree = o.portIsFree ?? isPortFree;
  const { startSandbox } = await import('../sandbox/server.js');
  const sandbox = await startSandbox({ quiet: true });
  const asked = env.ZCHAT_AUTH_CONFIG_DIR || undefined;
  const tempDir =
    asked && onlySandboxProfiles(asked, env)
      ? undefined
      : await mkdtemp(path.join(tmpdir(), 'zchat-auth-sandbox-'));
  const configDir = tempDir ?? asked!;
  const services = createServices({ ...env, ZCHAT_AUTH_CONFIG_DIR: configDir }, { configDir });
  const close = async () => {
    await sandbox.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  try {
    const demo = sandbox.demo;
    let redirectUri = demo.redirectUri;
    const port = Number(new URL(redirectUri).port || 80);
    if (!(await portIsFree(port))) {
      redirectUri = `http://localhost:${await freePort()}`;
      const api = await services.chatApi(sandbox.url, demo.adminToken);
      const client = await api.getClient(demo.clientNumericId);
      await api.updateClient(demo.clientNumericId, { redirect_uris: [...client.redirect_uris, redirectUri] });
    }
    // Saved afresh on every start: a demo profile from an earlier run points at a sandbox that is gone.
    await services.store.save({
      name: DEMO_PROFILE,
      subdomain: demo.subdomain,
      baseUrl: sandbox.url,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      redirectUri,
      scopes: ['read', 'write'],
      flow: 'code',
    });
    return {
      sandbox,
      services,
      login: {
        profile: DEMO_PROFILE,
        subdomain: demo.subdomain,
        baseUrl: sandbox.url,
        clientId: demo.clientId,
        redirectUri,
      },
      temporaryStore: tempDir !== undefined,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
