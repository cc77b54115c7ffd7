/** Drives a program in a real pseudo-terminal and times what reaches the screen. */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pty from 'node-pty';

export interface PtyRun {
  /** Resolves when the output so far matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<number>;
  /** Resolves when no output came for `quietMs`. */
  quiet(quietMs: number, timeoutMs?: number): Promise<void>;
  /**
   * Writes one key and resolves with the ms until the first output after it, or with `until`, until the
   * output since the key matches it (a frame drawn for another reason does not count).
   */
  keyToFrame(key: string, timeoutMs?: number, until?: RegExp): Promise<number>;
  /** Resident memory of the process, in MB (from /proc). */
  rssMb(): number;
  /** CPU time the process's main thread has used so far, in ms (from /proc: waiting for a core is not in it). */
  cpuMs(): number;
  /** The CPU ms the main thread used for the last keyToFrame. */
  lastKeyCpuMs: number;
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

  const run: PtyRun = {
    startedAt,
    waitFor,
    async quiet(quietMs, timeoutMs = 20_000) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() - lastDataAt < quietMs) {
        if (performance.now() > deadline) throw new Error('the program never went quiet');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    keyToFrame(key, timeoutMs = 5000, until) {
      return new Promise((resolve, reject) => {
        let since = '';
        const timer = setTimeout(() => {
          listeners.delete(first);
          reject(
            new Error(
              `no frame after key ${JSON.stringify(key)}${until ? ` matching ${until}` : ''}: ${JSON.stringify(since.slice(-300))}`,
            ),
          );
        }, timeoutMs);
        let sentAt = 0;
        let cpuAt = 0;
        const first = (chunk: string) => {
          since += chunk;
          if (until && !until.test(since)) return;
          clearTimeout(timer);
          listeners.delete(first);
          run.lastKeyCpuMs = mainThreadCpuMs(child.pid) - cpuAt;
          resolve(performance.now() - sentAt);
        };
        listeners.add(first);
        cpuAt = mainThreadCpuMs(child.pid);
        sentAt = performance.now();
        child.write(key);
      });
    },
    lastKeyCpuMs: 0,
    cpuMs: () => mainThreadCpuMs(child.pid),
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
  return run;
}

/** CPU time of a process's main thread (the JS thread) in ms: /proc/<pid>/schedstat, nanoseconds on a CPU. */
export function mainThreadCpuMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}
