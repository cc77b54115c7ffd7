/** The built CLI in a pseudo-terminal (node-pty) of a given size and TERM, for the terminal edge cases. */
import { type IPty, spawn } from 'node-pty';
import { bin, root } from '../cli/helpers.js';
import { OutputWaiters } from '../output-waiters.js';

export interface Pty {
  readonly pid: number;
  output(): string;
  /** Resolves with the output once `pattern` appears in the text (escape sequences stripped). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Resolves with the first whole frame Ink draws after output position `from` whose text (lines joined
   * with newlines) passes `test`: the frame a key leads to, so the next key meets the new state.
   */
  waitForFrame(test: (frame: string) => boolean, from: number, timeoutMs?: number): Promise<string>;
  press(keys: string): void;
  exited: Promise<{ code: number; signal: number; output: string }>;
  kill(): void;
}

const ansi = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansi, '');
}

/** Runs `node bin/zchat-auth.js ...args` in a terminal; `shell` wraps it (e.g. to close stdin). */
export function startPty(
  args: string[],
  o: {
    columns: number;
    rows: number;
    env: NodeJS.ProcessEnv;
    closeStdin?: boolean;
    /**
     * Keeps the terminal open this long after the command ends (its exit code kept): node-pty loses the
     * tail of a large output written just before the exit (under load, 12 of 45 runs of a bare
     * `node -e` writing 130 KB), which no grace period after its exit event brings back.
     */
    lingerMs?: number;
  },
): Pty {
  const shell = o.closeStdin || o.lingerMs !== undefined;
  const script = o.closeStdin
    ? 'exec "$0" "$@" <&-'
    : `"$0" "$@"; code=$?; sleep ${(o.lingerMs ?? 0) / 1000}; exit $code`;
  const file = shell ? '/bin/sh' : process.execPath;
  const argv = shell ? ['-c', script, process.execPath, bin, ...args] : [bin, ...args];
  const term: IPty = spawn(file, argv, {
    name: o.env.TERM ?? 'xterm-256color',
    cols: o.columns,
    rows: o.rows,
    cwd: root,
    env: o.env as Record<string, string>,
  });
  let out = '';
  const waiters = new OutputWaiters();
  // node-pty may report the exit before the last of the output it still delivers: the end counts once the
  // output has been quiet for 50 ms after the exit (a second at most). What it drops for good, lingerMs keeps.
  let settle: (() => void) | undefined;
  term.onData((chunk) => {
    out += chunk;
    settle?.();
    waiters.wake();
  });
  let done = false;
  const exited = new Promise<{ code: number; signal: number; output: string }>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      const finish = () => {
        clearTimeout(quiet);
        clearTimeout(cap);
        settle = undefined;
        done = true;
        waiters.wake();
        resolve({ code: exitCode, signal: signal ?? 0, output: out });
      };
      let quiet = setTimeout(finish, 50);
      const cap = setTimeout(finish, 1000);
      settle = () => {
        clearTimeout(quiet);
        quiet = setTimeout(finish, 50);
      };
    });
  });
  const until = (find: () => string | undefined, what: string, from: number, timeoutMs: number) =>
    waiters.until(find, {
      ended: () => done,
      timeoutMs,
      failure: (why) =>
        new Error(
          `${why === 'ended' ? 'ended before' : 'timed out waiting for'} ${what}:\n${stripAnsi(out.slice(from)).slice(-2000)}`,
        ),
    });
  return {
    pid: term.pid,
    output: () => out,
    waitFor: (pattern, timeoutMs = 10_000) =>
      until(() => (pattern.test(stripAnsi(out)) ? out : undefined), String(pattern), 0, timeoutMs),
    waitForFrame: (test, from, timeoutMs = 10_000) =>
      until(
        () =>
          frames(out.slice(from))
            .map((lines) => lines.join('\n'))
            .find(test),
        'the frame looked for',
        from,
        timeoutMs,
      ),
    press: (keys) => term.write(keys),
    exited,
    kill: () => {
      if (!done) term.kill('SIGKILL');
    },
  };
}

/** The frames Ink drew (each between synchronized-output marks), as plain text lines. */
export function frames(output: string): string[][] {
  const result: string[][] = [];
  const parts = output.split('\x1b[?2026h').slice(1);
  for (const part of parts) {
    const end = part.indexOf('\x1b[?2026l');
    if (end === -1) continue;
    const text = stripAnsi(part.slice(0, end));
    // A frame drawn as its changed lines (changed-lines.ts) starts each line with a carriage return.
    result.push(text.split(/\r\n|\n|\r/).filter((line, i, all) => !(i === all.length - 1 && line === '')));
  }
  return result;
}
