/**
 * The cross-process lock around every read-modify-write. proper-lockfile makes `<config>.lock` with mkdir
 * (atomic everywhere), keeps its mtime fresh while held, and treats an older one as left by a crashed
 * process. We poll with our own backoff rather than its `retries`, so the wait has a deadline in time.
 * proper-lockfile is loaded on first use: reads never need it.
 */
import { ZchatError } from '../errors.js';

export interface LockOptions {
  /** A lock whose mtime is older than this is taken over (a holder refreshes it every stale/2). */
  staleMs?: number;
  /** How long to wait for a busy lock before giving up with `store_locked`. */
  waitMs?: number;
}

export const DEFAULT_STALE_MS = 10_000;
// Longer than the stale time, so a lock left by a crash is recovered instead of reported.
export const DEFAULT_WAIT_MS = 15_000;

export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

// One queue per locked file inside this process: callers here wait their turn without polling the disk.
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the lock on `file`. `fn` gets `assertHeld()`, to call right before writing: it
 * throws if the lock was lost meanwhile (the process was suspended longer than the stale time).
 */
export async function withLock<T>(
  file: string,
  fn: (assertHeld: () => void) => Promise<T> | T,
  options: LockOptions = {},
): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holdLock(file, fn, options));
  const tail = run.catch(() => undefined);
  queues.set(file, tail);
  try {
    return await run;
  } finally {
    if (queues.get(file) === tail) queues.delete(file);
  }
}

async function holdLock<T>(
  file: string,
  fn: (assertHeld: () => void) => Promise<T> | T,
  options: LockOptions,
): Promise<T> {
  // A CommonJS module: Node gives its exports as named ones, a bundle only as `default`.
  const lockfile = await import('proper-lockfile');
  // The sync calls: mkdir and the mtime probe (utimes, stat) without a round trip each through libuv's pool,
  // which other pool work can hold up (one login's lock took 30 ms). Warm (see warmWritePath), 0.3 ms.
  // Waiting is still ours, below; the mtime refresh and onCompromised work as with the async calls.
  const lock = lockfile.lockSync ?? lockfile.default.lockSync;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const lockfilePath = lockPathFor(file);
  let compromised = false;
  const deadline = Date.now() + waitMs;
  let delay = 2;
  let release: () => void;
  for (;;) {
    try {
      release = lock(file, {
        stale: staleMs,
        retries: 0,
        realpath: false,
        lockfilePath,
        // The default throws from a timer and kills the process; we refuse the write instead.
        onCompromised: () => {
          compromised = true;
        },
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No errno code: a bug, not a file-system answer; let it show as what it is.
      if (code === undefined) throw error;
      if (code !== 'ELOCKED') throw lockError(lockfilePath, code);
      if (Date.now() >= deadline) throw busyError(lockfilePath, waitMs);
      // Jittered exponential backoff, capped low: holds are short (one file write).
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) * (0.5 + Math.random()));
      delay = Math.min(delay * 1.5, 50);
    }
  }
  const assertHeld = () => {
    if (compromised) {
      throw new ZchatError('store_locked', `The lock on the token store (${lockfilePath}) was lost.`, {
        hint: 'Nothing was written. Run the command again.',
      });
    }
  };
  try {
    return await fn(assertHeld);
  } finally {
    if (!compromised) {
      try {
        release();
      } catch {
        // Already gone (taken over as stale): nothing of ours to remove.
      }
    }
  }
}

function busyError(lockfilePath: string, waitMs: number): ZchatError {
  const seconds = Math.round(waitMs / 100) / 10;
  return new ZchatError(
    'store_locked',
    `The token store is busy: another zchat-auth process held its lock (${lockfilePath}) for more than ${seconds} s.`,
    { hint: `Wait for it to finish and try again; if no zchat-auth is running, delete ${lockfilePath}.` },
  );
}

function lockError(lockfilePath: string, code: string): ZchatError {
  return new ZchatError('store_locked', `Could not lock the token store (${lockfilePath}): ${code}.`, {
    hint: 'Check that the config directory exists and is writable by you.',
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
