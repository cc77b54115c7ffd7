/**
 * The OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) through
 * @napi-rs/keyring, a native binding kept outside the bundle and loaded only when a secret is read or
 * written. Its calls are synchronous and cannot be interrupted, so whether a keyring is usable is decided
 * before any of them runs where one could hang: on Linux, no D-Bus session, or one that does not answer,
 * means "no keyring" at once.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tweaksOff } from '../../tweaks.mjs';
import { ZchatError } from '../errors.js';
import { builtin } from '../platform/builtin.js';

/** The service every entry is filed under; the account names the profile and one version of its secrets. */
export const KEYRING_SERVICE = 'zchat-auth';
const PROBE_ACCOUNT = 'zchat-auth keyring check';

/** The three calls the store needs. The real one is `systemKeyring()`; tests may wrap it. */
export interface Keyring {
  /** The value stored under `account`, or undefined when there is none. */
  get(account: string): string | undefined;
  set(account: string, value: string): void;
  /** Deletes the entry; no entry is not an error. */
  delete(account: string): void;
}

export type KeyringCheck = { usable: true } | { usable: false; reason: string };

interface Binding {
  Entry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
  ) => {
    getPassword(): string | null;
    setPassword(value: string): void;
    deleteCredential(): boolean;
  };
}

let binding: Binding | undefined;

/**
 * The package holding the prebuilt binary for this platform, as @napi-rs/keyring's loader would pick it
 * (its optional dependencies, pinned to its own version). undefined where that takes a libc check (musl)
 * or the platform is not listed: then its loader decides.
 */
export function platformPackage(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string | undefined {
  const known: Record<string, string> = {
    'linux-x64': '@napi-rs/keyring-linux-x64-gnu',
    'linux-arm64': '@napi-rs/keyring-linux-arm64-gnu',
    'darwin-x64': '@napi-rs/keyring-darwin-x64',
    'darwin-arm64': '@napi-rs/keyring-darwin-arm64',
    'win32-x64': '@napi-rs/keyring-win32-x64-msvc',
    'win32-arm64': '@napi-rs/keyring-win32-arm64-msvc',
  };
  return known[`${platform}-${arch}`];
}

/**
 * The tweak `direct-keyring-binding` (source/tweaks.mjs): the platform's binary package first, the generic
 * loader only if that fails (musl, a missing package). The generic loader compiles 700 lines, reads
 * /usr/bin/ldd and fails a require before it gets there: half the binding's load time.
 */
function loadBinding(): Binding {
  // require, not import(): reads of the store are synchronous, and the package is left out of the bundle.
  binding ??= bindingFrom(createRequire(import.meta.url), process.env);
  return binding;
}

/** The binding through `require` (exported for its test). */
export function bindingFrom(require: (id: string) => unknown, env: NodeJS.ProcessEnv): Binding {
  const direct = tweaksOff(env) ? undefined : platformPackage();
  if (direct) {
    try {
      const found = require(direct) as Partial<Binding>;
      if (typeof found.Entry === 'function') return found as Binding;
    } catch {}
  }
  return require('@napi-rs/keyring') as Binding;
}

function entry(account: string) {
  const { Entry } = loadBinding();
  // Only the Secret Service on Linux: the binding would otherwise fall back to the kernel keyring, which
  // forgets everything at logout or reboot, so a stored token would silently vanish.
  return new Entry(KEYRING_SERVICE, account, { linux: { store: 'secret-service' } });
}

/** The OS keyring. Nothing loads until the first call. Errors are ZchatErrors naming the keyring. */
export function systemKeyring(): Keyring {
  return {
    get(account) {
      try {
        return entry(account).getPassword() ?? undefined;
      } catch (error) {
        throw keyringError('read from', error);
      }
    },
    set(account, value) {
      try {
        entry(account).setPassword(value);
      } catch (error) {
        throw keyringError('write to', error);
      }
    },
    delete(account) {
      try {
        entry(account).deleteCredential();
      } catch (error) {
        throw keyringError('delete from', error);
      }
    },
  };
}

function keyringError(what: string, error: unknown): ZchatError {
  return new ZchatError('keyring', `Could not ${what} the OS keyring: ${describe(error)}.`, {
    hint: 'Unlock the keyring (or log in to the desktop session) and run the command again; `zchat-auth doctor` checks it.',
  });
}

/** The binding's message, one line, short: it names the platform's failure, never a secret. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0]?.trim() || 'unknown error';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** How long the D-Bus session bus may take to answer the handshake (default 50 ms, see busTimeoutFrom). */
  busTimeoutMs?: number;
  keyring?: Keyring;
}

const probes = new Map<string, Promise<KeyringCheck>>();

/**
 * Whether secrets can go to the OS keyring here. Never hangs: where the keyring is reached over D-Bus, the
 * session bus must exist and answer a handshake within `busTimeoutMs` before the (uninterruptible) binding
 * is asked anything. The answer is kept for the life of the process.
 */
export function probeKeyring(options: ProbeOptions = {}): Promise<KeyringCheck> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const key = `${platform}\n${env.DBUS_SESSION_BUS_ADDRESS ?? ''}\n${env.XDG_RUNTIME_DIR ?? ''}\n${env.ZCHAT_AUTH_DBUS_TIMEOUT_MS ?? ''}`;
  const custom = options.keyring !== undefined || options.busTimeoutMs !== undefined;
  const known = custom ? undefined : probes.get(key);
  if (known) return known;
  const running = runProbe(env, platform, options);
  if (!custom) probes.set(key, running);
  return running;
}

async function runProbe(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  options: ProbeOptions,
): Promise<KeyringCheck> {
  if (platform !== 'darwin' && platform !== 'win32') {
    const address = sessionBusAddress(env);
    if (!address) return { usable: false, reason: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)' };
    const bus = await busAnswers(address, options.busTimeoutMs ?? busTimeoutFrom(env));
    if (bus !== true) return { usable: false, reason: bus };
  }
  try {
    const keyring = options.keyring ?? systemKeyring();
    // A write and a delete, as a login would do: a locked collection or a read-only store fails here.
    keyring.set(PROBE_ACCOUNT, 'ok');
    keyring.delete(PROBE_ACCOUNT);
    return { usable: true };
  } catch (error) {
    const text =
      error instanceof ZchatError ? error.message.replace(/^Could not write to /, '') : describe(error);
    if (error instanceof Error && /Cannot find module|ERR_DLOPEN/.test(`${error.message}`)) {
      return { usable: false, reason: 'the keyring module is not installed for this platform' };
    }
    return { usable: false, reason: text.replace(/\.$/, '') };
  }
}

/**
 * 50 ms: a live bus answers in a millisecond or two, and the decision stays under 100 ms even on a busy machine whose timers fire late. A machine
 * too busy for that can allow more with ZCHAT_AUTH_DBUS_TIMEOUT_MS.
 */
function busTimeoutFrom(env: NodeJS.ProcessEnv): number {
  const given = Number(env.ZCHAT_AUTH_DBUS_TIMEOUT_MS);
  return Number.isFinite(given) && given > 0 ? given : 50;
}

/** The session bus address, from the environment or the systemd default; undefined when there is none. */
export function sessionBusAddress(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  if (env.XDG_RUNTIME_DIR) {
    const socket = path.join(env.XDG_RUNTIME_DIR, 'bus');
    try {
      if (fs.statSync(socket).isSocket()) return `unix:path=${socket}`;
    } catch {}
  }
  return undefined;
}

/**
 * Connects to the bus and sends the first line of its handshake (SASL EXTERNAL): true when it answers in
 * time, else why not. Transports other than unix sockets are left to the binding.
 */
function busAnswers(address: string, timeoutMs: number): Promise<true | string> {
  const target = unixSocketOf(address);
  if (!target) return Promise.resolve(true);
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: true | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () => done(`the D-Bus session bus did not answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    // node:net here, not at the top: every `zchat-auth token` would load it (and the streams) to read a file.
    const socket = builtin('node:net').connect({ path: target });
    let reply = '';
    socket.on('connect', () => {
      const uid = String(typeof process.getuid === 'function' ? process.getuid() : 0);
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        done(reply.startsWith('OK ') ? true : 'the D-Bus session bus refused the connection');
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(`the D-Bus session bus cannot be reached (${error.code ?? 'error'})`),
    );
    socket.on('close', () => done('the D-Bus session bus closed the connection'));
  });
}

function unixSocketOf(address: string): string | undefined {
  for (const part of address.split(';')) {
    const match = /^unix:(.*)$/.exec(part);
    if (!match) continue;
    const keys = new Map<string, string>();
    for (const pair of (match[1] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) keys.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    }
    const file = keys.get('path');
    if (file) return file;
    const abstract = keys.get('abstract');
    if (abstract) return `\0${abstract}`;
  }
  return undefined;
}

/** The command that deletes one entry by hand, for when zchat-auth could not (the keyring was unreachable). */
export function removeEntryCommand(account: string, platform: NodeJS.Platform = process.platform): string {
  const q = (s: string) => (/^[\w./@-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  if (platform === 'darwin') return `security delete-generic-password -s ${KEYRING_SERVICE} -a ${q(account)}`;
  if (platform === 'win32') return `cmdkey /delete:"${account}.${KEYRING_SERVICE}"`;
  return `secret-tool clear service ${KEYRING_SERVICE} username ${q(account)}`;
}
