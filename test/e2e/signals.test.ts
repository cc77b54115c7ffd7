/**
 * The terminal is given back however the screens end or pause: SIGTERM and SIGHUP (a closed SSH session, a
 * `kill`) as q does, and Ctrl+Z as a shell job (fg draws the screen again).
 */
import fs from 'node:fs';
import { spawn } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanEnv, ensureBuilt, root, type TempDir, tempDir } from '../cli/helpers.js';
import { OutputWaiters } from '../output-waiters.js';
import {
  lastIsUndone,
  rawModeLeft,
  seq,
  startTerminal,
  stripAnsi,
  type Terminal,
  waitForRawMode,
} from './helpers/terminal.js';

ensureBuilt();

const open: Terminal[] = [];
const dirs: TempDir[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) t.kill();
  for (const d of dirs.splice(0)) await d.remove();
});

/** The program under test: the reporter's child. */
function programPid(reporterPid: number): number {
  const children = fs.readFileSync(`/proc/${reporterPid}/task/${reporterPid}/children`, 'utf8').trim();
  return Number(children.split(/\s+/)[0]);
}

describe('signals give the terminal back', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s on the dashboard: the alternate screen is left, the cursor shown, raw mode off; exit %i',
    async (signal, code) => {
      const home = await tempDir('zchat-e2e-sig-');
      dirs.push(home);
      const term = startTerminal(['--sandbox'], cleanEnv(home.dir));
      open.push(term);
      await term.waitForScreen(/n: log in/);
      await term.waitForRaw();
      process.kill(programPid(term.pid), signal);
      const end = await term.ended;
      expect(end.code).toBe(code);
      expect(end.after).toBe(end.before);
      expect(rawModeLeft(end.settings)).toEqual([]);
      expect(lastIsUndone(end.output, seq.enterAltScreen, seq.leaveAltScreen)).toBe(true);
      expect(lastIsUndone(end.output, seq.hideCursor, seq.showCursor)).toBe(true);
    },
  );
});

describe('Ctrl+Z', () => {
  it('stops the dashboard as a shell job with the terminal given back; fg draws it again and keys work', async () => {
    const home = await tempDir('zchat-e2e-tstp-');
    dirs.push(home);
    // A shell with job control, as a person's is: the job stops, the shell goes on to `fg`.
    const script = `set -m; "${process.execPath}" "${bin}" --sandbox; echo "<<STOPPED $?>>"; stty -a; echo "<<STTY>>"; fg; echo "<<DONE $?>>"`;
    const pty = spawn('bash', ['--norc', '-c', script], {
      name: 'xterm-256color',
      cols: 100,
      rows: 32,
      cwd: root,
      env: cleanEnv(home.dir, { TERM: 'xterm-256color' }) as Record<string, string>,
    });
    let out = '';
    let ended = false;
    const waiters = new OutputWaiters();
    pty.onData((d) => {
      out += d;
      waiters.wake();
    });
    const exited = new Promise<void>((resolve) =>
      pty.onExit(() => {
        ended = true;
        waiters.wake();
        resolve();
      }),
    );
    const waitFor = (test: (text: string) => boolean, timeoutMs = 10_000) =>
      waiters.until(() => (test(out) ? true : undefined), {
        ended: () => ended,
        timeoutMs,
        failure: (why) => new Error(`${why}; output:\n${stripAnsi(out).slice(-2000)}`),
      });
    try {
      await waitFor((t) => stripAnsi(t).includes('n: log in'));
      // Ctrl+Z is the program's to handle once its screen has the terminal raw (not a while after).
      await waitForRawMode(pty, { ended: () => ended, screen: () => stripAnsi(out).slice(-2000) });
      pty.write('\x1a');
      await waitFor((t) => t.includes('<<STTY>>'));
      const stopped = out.slice(0, out.indexOf('<<STOPPED'));
      expect(out).toContain('<<STOPPED 148>>'); // 128 + SIGTSTP: the shell saw a stopped job
      expect(lastIsUndone(stopped, seq.enterAltScreen, seq.leaveAltScreen)).toBe(true);
      expect(lastIsUndone(stopped, seq.hideCursor, seq.showCursor)).toBe(true);
      const settings = out.slice(out.indexOf('<<STOPPED'), out.indexOf('<<STTY>>'));
      expect(rawModeLeft(settings)).toEqual([]); // the shell has a cooked terminal while the job is stopped
      // fg: the screen comes back whole, on the alternate screen, and takes keys.
      const resumedAt = out.indexOf('<<STTY>>');
      await waitFor(
        (t) =>
          t.slice(resumedAt).includes(seq.enterAltScreen) &&
          stripAnsi(t.slice(resumedAt)).includes('n: log in'),
      );
      pty.write('q');
      await waitFor((t) => t.includes('<<DONE'));
      expect(out).toContain('<<DONE 0>>');
    } finally {
      pty.kill();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    }
  });
});
