/**
 * The built CLI in a real pseudo-terminal (node-pty): keys go in as bytes, the screen comes out as the
 * bytes a terminal would draw. A small reporter (report-exit.mjs) owns the terminal and, once the program
 * ends, reports its exit code and the terminal settings (`stty -g`) from before and after it ran.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type IPty, spawn } from 'node-pty';
import { bin, root } from '../../cli/helpers.js';
import { OutputWaiters } from '../../output-waiters.js';

const execFileAsync = promisify(execFile);
const reporter = path.join(path.dirname(fileURLToPath(import.meta.url)), 'report-exit.mjs');

export const keys = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
} as const;

/** Escape sequences the tests look for. */
export const seq = {
  showCursor: '\x1b[?25h',
  hideCursor: '\x1b[?25l',
  enterAltScreen: '\x1b[?1049h',
  leaveAltScreen: '\x1b[?1049l',
} as const;

export type Pattern = RegExp | string | ((text: string) => boolean);

export interface TerminalEnd {
  /** The program's own exit code (null when a signal ended it). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** `stty -g` before the program started and after it ended, on the same terminal. */
  before: string;
  after: string;
  /** `stty -a` after it ended. */
  settings: string;
  /** Everything the program wrote, escape sequences included. */
  output: string;
}

export interface Terminal {
  readonly pid: number;
  /** Position in the output, to look only at what comes after it. */
  mark(): number;
  /** The output since `from`, without escape sequences. */
  text(from?: number): string;
  /** The raw output since `from`. */
  raw(from?: number): string;
  /** The last whole frame drawn (Ink wraps each in synchronized-output marks), without escape sequences. */
  screen(): string;
  /** Waits until the text since `from` matches. */
  waitFor(pattern: Pattern, o?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** Waits until a whole frame drawn after `from` matches; resolves with that frame's text. */
  waitForScreen(pattern: Pattern, o?: { from?: number; timeoutMs?: number }): Promise<string>;
  /**
   * Waits until the program has put the terminal in raw mode (read with `stty -F` on the pty): keys pressed
   * before that are cooked by the line discipline, as a person's would be before the screen is ready.
   */
  waitForRaw(timeoutMs?: number): Promise<void>;
  /** Presses the keys, then waits for the frame they cause (so the next key meets the new state). */
  pressAndDraw(...input: string[]): Promise<string>;
  press(...input: string[]): void;
  resize(columns: number, rows: number): void;
  /** Resolves when the program has ended and the reporter has spoken. */
  ended: Promise<TerminalEnd>;
  /** Kills what is left (the reporter's process group); for cleanup after a failed test. */
  kill(): void;
}

// CSI (with private and intermediate bytes), OSC (to BEL or ST), charset selection, and two-byte escapes.
const ansi = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansi, '');
}

const frameStart = '\x1b[?2026h';
const frameEnd = '\x1b[?2026l';

/** The whole frames in the output since `from`, oldest first, without escape sequences. */
export function framesIn(output: string, from = 0): string[] {
  const frames: string[] = [];
  let at = output.indexOf(frameStart, from);
  while (at !== -1) {
    const end = output.indexOf(frameEnd, at);
    if (end === -1) break;
    frames.push(stripAnsi(output.slice(at + frameStart.length, end)));
    at = output.indexOf(frameStart, end);
  }
  return frames;
}

const reportPattern = /<<E2E-EXIT (\{.*?\}) E2E-EXIT>>/;

export function startTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  o: { columns?: number; rows?: number } = {},
): Terminal {
  const term: IPty = spawn(process.execPath, [reporter, process.execPath, bin, ...args], {
    name: 'xterm-256color',
    cols: o.columns ?? 100,
    rows: o.rows ?? 32,
    cwd: root,
    env: { TERM: 'xterm-256color', ...env } as Record<string, string>,
  });
  let out = '';
  const waiters = new OutputWaiters();
  term.onData((chunk) => {
    out += chunk;
    waiters.wake();
  });
  let exited = false;
  const ended = new Promise<TerminalEnd>((resolve, reject) => {
    term.onExit(({ exitCode }) => {
      exited = true;
      waiters.wake();
      const match = reportPattern.exec(out);
      if (!match) {
        reject(
          new Error(`the terminal closed (${exitCode}) without a report:\n${stripAnsi(out).slice(-3000)}`),
        );
        return;
      }
      const report = JSON.parse(match[1]!) as Omit<TerminalEnd, 'output'>;
      resolve({ ...report, output: out.slice(0, match.index) });
    });
  });
  ended.catch(() => {});

  /** Resolves with the first candidate text that matches, re-checking whenever output arrives. */
  const until = (
    pattern: Pattern,
    w: { from?: number; timeoutMs?: number },
    candidates: () => string[],
  ): Promise<string> => {
    const from = w.from ?? 0;
    const timeoutMs = w.timeoutMs ?? 10_000;
    const test = (text: string) =>
      typeof pattern === 'string'
        ? text.includes(pattern)
        : typeof pattern === 'function'
          ? pattern(text)
          : pattern.test(text);
    return waiters.until(() => candidates().find(test), {
      ended: () => exited,
      timeoutMs,
      failure: (why) =>
        new Error(
          why === 'ended'
            ? `the program ended before ${String(pattern)} appeared:\n${tail(out, from)}`
            : `timed out after ${timeoutMs} ms waiting for ${String(pattern)}; the screen since:\n${tail(out, from)}`,
        ),
    });
  };

  return {
    pid: term.pid,
    mark: () => out.length,
    text: (from = 0) => stripAnsi(out.slice(from)),
    raw: (from = 0) => out.slice(from),
    screen: () => framesIn(out).at(-1) ?? '',
    waitFor: (pattern, w = {}) => until(pattern, w, () => [stripAnsi(out.slice(w.from ?? 0))]),
    waitForScreen: (pattern, w = {}) => until(pattern, w, () => framesIn(out, w.from ?? 0)),
    press: (...input) => {
      for (const i of input) term.write(i);
    },
    waitForRaw: (timeoutMs = 10_000) =>
      waitForRawMode(term, { ended: () => exited, timeoutMs, screen: () => tail(out, 0) }),
    pressAndDraw(...input) {
      const from = out.length;
      for (const i of input) term.write(i);
      return until(
        () => true,
        { from },
        () => framesIn(out, from),
      );
    },
    resize: (columns, rows) => term.resize(columns, rows),
    ended,
    kill() {
      if (exited) return;
      try {
        process.kill(-term.pid, 'SIGKILL');
      } catch {
        term.kill('SIGKILL');
      }
    },
  };
}

/**
 * Until the program on `term` has put it in raw mode, read with `stty -F` on its /dev/pts device: no output
 * says so, so this one wait looks again every 25 ms (keys pressed before it are cooked by the line
 * discipline, as a person's would be before the screen is ready).
 */
export async function waitForRawMode(
  term: IPty,
  o: { ended: () => boolean; timeoutMs?: number; screen: () => string },
): Promise<void> {
  const device = (term as unknown as { ptsName?: string }).ptsName;
  if (!device) throw new Error('node-pty did not say which /dev/pts device it opened');
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  for (;;) {
    if (o.ended()) throw new Error(`the program ended before it set raw mode:\n${o.screen()}`);
    const { stdout } = await execFileAsync('stty', ['-F', device, '-a']);
    if (rawModeLeft(stdout).includes('-icanon')) return;
    if (Date.now() > deadline) throw new Error(`the terminal never went raw:\n${o.screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What a failure message shows: the last frame since `from`, else the last of the text. */
function tail(out: string, from: number): string {
  return framesIn(out, from).at(-1) ?? stripAnsi(out.slice(from)).slice(-4000);
}

/** `stty -a` flags that mean raw mode (or no echo) was left behind. */
export function rawModeLeft(settings: string): string[] {
  return ['-icanon', '-echo', '-isig', '-icrnl', '-opost'].filter((flag) =>
    new RegExp(`(^|\\s)${flag}(\\s|;|$)`).test(settings),
  );
}

/** Whether the last `on` sequence in the output is followed by its `off` (e.g. hide cursor → show cursor). */
export function lastIsUndone(output: string, on: string, off: string): boolean {
  const lastOn = output.lastIndexOf(on);
  const lastOff = output.lastIndexOf(off);
  return lastOn === -1 ? true : lastOff > lastOn;
}
