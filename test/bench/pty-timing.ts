/** Drives a program in a real pseudo-terminal and times what reaches the screen. */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pty from 'node-pty';

export interface PtyRun {
  /** Resolves when the output so far matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<number>;
  /** Resolves when no output came for `quietMs`. */
  quiet(quietMs: number, timeoutMs?: number): Promise<void>;
  /** Writes one key and resolves with the ms until the first output after it. */
  keyToFrame(key: string, timeoutMs?: number): Promise<number>;
  /** Resident memory of the process, in MB (from /proc). */
  rssMb(): number;
  kill(): Promise<void>;
  output(): string;
  startedAt: number;
}

export function runInPty(args: string[], env: NodeJS.ProcessEnv, size = { cols: 120, rows: 40 }): PtyRun {
  const startedAt = performance.now();
  const child = pty.spawn(process.execPath, args, {
    name: 'xterm-256color',
    ...size,
    env,
    cwd: process.cwd(),
  });
  let out = '';
  let lastDataAt = performance.now();
  const listeners = new Set<(chunk: string) => void>();
  child.onData((chunk) => {
    out += chunk;
    lastDataAt = performance.now();
    for (const listener of listeners) listener(chunk);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.onExit(() => {
      exited = true;
      resolve();
    }),
  );

  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<number>((resolve, reject) => {
      if (pattern.test(out)) return resolve(performance.now());
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(`timed out waiting for ${pattern} (last output: ${JSON.stringify(out.slice(-300))})`),
        );
      }, timeoutMs);
      const check = () => {
        if (!pattern.test(out)) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(performance.now());
      };
      listeners.add(check);
    });

  return {
    startedAt,
    waitFor,
    async quiet(quietMs, timeoutMs = 20_000) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() - lastDataAt < quietMs) {
        if (performance.now() > deadline) throw new Error('the program never went quiet');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    keyToFrame(key, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(first);
          reject(new Error(`no frame after key ${JSON.stringify(key)}`));
        }, timeoutMs);
        let sentAt = 0;
        const first = () => {
          clearTimeout(timer);
          listeners.delete(first);
          resolve(performance.now() - sentAt);
        };
        listeners.add(first);
        sentAt = performance.now();
        child.write(key);
      });
    },
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kb / 1024;
    },
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    output: () => out,
  };
}
