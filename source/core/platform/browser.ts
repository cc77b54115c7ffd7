import { spawn as nodeSpawn } from 'node:child_process';
import { childEnv } from './child-env.js';
import { type Env, sshInfo } from './ssh.js';

export type { Env } from './ssh.js';

export interface BrowserCheckOptions {
  /** Defaults to process.platform; tests pass others. */
  platform?: NodeJS.Platform;
  /** The user said --no-browser. */
  noBrowser?: boolean;
}

export interface OpenBrowserOptions extends BrowserCheckOptions {
  /** For tests: the process spawner (defaults to node:child_process spawn). */
  spawn?: typeof nodeSpawn;
}

export interface BrowserVerdict {
  ok: boolean;
  reason?: string;
}

export const browserReasons = {
  ssh: 'SSH session: no browser here',
  noDisplay: 'no display',
  noBrowser: '--no-browser',
  failed: 'the browser could not be started',
} as const;

export function isWsl(env: Env, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && Boolean(env.WSL_DISTRO_NAME || env.WSL_INTEROP);
}

/** Whether opening a browser here can work, and if not, why (shown in the waiting panel). */
export function canOpenBrowser(env: Env, o: BrowserCheckOptions = {}): BrowserVerdict {
  const platform = o.platform ?? process.platform;
  if (o.noBrowser) return { ok: false, reason: browserReasons.noBrowser };
  // An explicit $BROWSER is the user telling us what works on this machine.
  if (env.BROWSER?.trim()) return { ok: true };
  if (sshInfo(env).isSsh) return { ok: false, reason: browserReasons.ssh };
  const desktopless = platform !== 'darwin' && platform !== 'win32' && !isWsl(env, platform);
  if (desktopless && !env.DISPLAY?.trim() && !env.WAYLAND_DISPLAY?.trim()) {
    return { ok: false, reason: browserReasons.noDisplay };
  }
  return { ok: true };
}

/**
 * The argv lists $BROWSER asks for, tried in order. As with Python's webbrowser and xdg-utils: a list
 * separated by ':' (';' on Windows), each a command where `%s` stands for the URL, else the URL is appended.
 */
export function browserCommands(
  url: string,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): string[][] {
  const value = env.BROWSER?.trim();
  if (!value) return [];
  return value
    .split(platform === 'win32' ? ';' : ':')
    .map((entry) => splitCommand(entry.trim(), platform === 'win32'))
    .filter((argv) => argv.length > 0)
    .map((argv) => {
      const withUrl = argv.some((a) => a.includes('%s'));
      const filled = argv.map((a) => a.replace(/%(%|s)/g, (_m, c: string) => (c === 's' ? url : '%')));
      return withUrl ? filled : [...filled, url];
    });
}

/** Opens the URL in the user's browser; never throws, says why when it did not. */
export async function openBrowser(
  url: string,
  env: Env,
  o: OpenBrowserOptions = {},
): Promise<{ opened: boolean; reason?: string }> {
  const platform = o.platform ?? process.platform;
  const check = canOpenBrowser(env, o);
  if (!check.ok) return { opened: false, ...(check.reason ? { reason: check.reason } : {}) };
  const spawn = o.spawn ?? nodeSpawn;
  const candidates = browserCommands(url, env, platform);
  if (candidates.length === 0) candidates.push(...systemOpeners(url, env, platform));
  // The browser never sees the client secret, the password or a proxy's credentials.
  const clean = childEnv(env);
  for (const argv of candidates) {
    if (await spawnDetached(spawn, argv, clean)) return { opened: true };
  }
  return { opened: false, reason: `${browserReasons.failed} (${candidates.map((a) => a[0]).join(', ')})` };
}

/**
 * The system's own way to open a URL, started by us (not by a library that hands the child our whole
 * environment): xdg-open, macOS open, Windows' URL handler, and on WSL the Windows side.
 */
function systemOpeners(url: string, env: Env, platform: NodeJS.Platform): string[][] {
  if (isWsl(env, platform))
    return [
      ['wslview', url],
      ['explorer.exe', url],
    ];
  if (platform === 'darwin') return [['open', url]];
  if (platform === 'win32') return [['rundll32', 'url.dll,FileProtocolHandler', url]];
  return [['xdg-open', url]];
}

/** Starts a program without a shell (the URL is never parsed by one) and without waiting for it. */
function spawnDetached(spawn: typeof nodeSpawn, argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const [command, ...args] = argv;
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    let child: ReturnType<typeof nodeSpawn>;
    try {
      child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false, env });
    } catch {
      resolve(false);
      return;
    }
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/**
 * Split a command line on spaces, honouring single and double quotes, and backslash escapes except on
 * Windows, where a backslash separates path parts.
 */
export function splitCommand(line: string, windows = false): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && !windows && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && !windows && i + 1 < line.length) {
      current += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) out.push(current);
  return out;
}
