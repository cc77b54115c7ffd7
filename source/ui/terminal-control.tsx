/**
 * What the screens do to the terminal, and how it is given back: the alternate screen, the cursor, raw
 * mode. Ctrl+Z gives it back and stops the process as a shell's job (fg draws the screen again); SIGTERM
 * and SIGHUP give it back before the process ends, as q does.
 */
import { createContext, useContext } from 'react';

export const ENTER_ALT = '\x1b[?1049h';
export const LEAVE_ALT = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const CLEAR = '\x1b[2J\x1b[H';

/** How long a stop may take to happen: a shell without job control ignores SIGTSTP, and the screen comes back. */
const STOP_GRACE_MS = 100;

export interface TerminalControl {
  /** Ctrl+Z: the terminal as the shell left it, then the process stops until `fg`. */
  suspend(): void;
}

export const TerminalControlContext = createContext<TerminalControl | undefined>(undefined);

export function useTerminalControl(): TerminalControl | undefined {
  return useContext(TerminalControlContext);
}

interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Gives the terminal back at once (idempotent until `take` takes it again). Used on exit, on a signal, and
 * around a stop.
 */
export function terminalKeeper({ stdin, stdout }: Streams, alternate: boolean) {
  let held = alternate;
  if (alternate) stdout.write(ENTER_ALT);
  return {
    giveBack(): void {
      if (!held) return;
      held = false;
      if (stdin.isTTY) stdin.setRawMode(false);
      stdout.write(SHOW_CURSOR + LEAVE_ALT);
    },
    take(): void {
      if (held || !alternate) return;
      held = true;
      if (stdin.isTTY) stdin.setRawMode(true);
      stdout.write(ENTER_ALT + CLEAR + HIDE_CURSOR);
    },
  };
}

type Keeper = ReturnType<typeof terminalKeeper>;

/** Ctrl+Z: give the terminal back, stop; on SIGCONT (or if the stop never came) take it and redraw all. */
export function suspender(keeper: Keeper, stdout: NodeJS.WriteStream) {
  let pending = false;
  const resume = () => {
    if (!pending) return;
    pending = false;
    process.off('SIGCONT', resume);
    keeper.take();
    // Ink writes only what changed since its last frame, and the screen is blank now. Ink draws the whole
    // frame afresh when the terminal gets narrower: say so for a moment, then give the real width back.
    const columns = stdout.columns;
    if (!columns) return;
    stdout.columns = columns - 1;
    stdout.emit('resize');
    stdout.columns = columns;
    stdout.emit('resize');
  };
  return {
    suspend(): void {
      if (pending || process.platform === 'win32') return;
      pending = true;
      keeper.giveBack();
      process.on('SIGCONT', resume);
      process.kill(process.pid, 'SIGTSTP');
      // Runs at once if the stop was ignored (no job control), or after fg with the SIGCONT.
      setTimeout(resume, STOP_GRACE_MS);
    },
  };
}
