/**
 * The interactive screens' entry point. The CLI imports this module dynamically, so Ink and React load
 * only when a screen is shown.
 */
import { render } from 'ink';
import { terminalSafe } from '../core/terminal-safe.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Services } from '../services.js';
import { App, type StartScreen, type UiLogin } from './app.js';
import { inkDrawsChangedLines } from './ink-draws-changed-lines.js';
import { suspender, TerminalControlContext, terminalKeeper } from './terminal-control.js';

export { yogaReady } from './yoga-ready.js';

export interface RunUiOptions {
  services: Services;
  start: StartScreen;
  login?: UiLogin;
  sandbox?: Sandbox;
  /** The store is the sandbox's throwaway one (see App). */
  temporaryStore?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Called after each frame is drawn. */
  onFrame?: () => void;
}

/**
 * Ink draws at most this many frames a second (its default is 30): a key pressed within 33 ms of the last
 * frame (typing fast, or just after another process's write redrew the lists) waited for the rest of those
 * 33 ms before it was drawn. A frame of the dashboard costs 3 to 6 ms of CPU, so 120 a second still leaves
 * room, and a burst of updates is still drawn as one frame per 8 ms.
 */
export const MAX_FPS = 120;

export const NO_TTY_HINT =
  'zchat-auth: the interactive screens need a terminal (stdin is not a TTY).\n' +
  'Use the scripting commands instead: `zchat-auth login --no-tui ...`, `zchat-auth status`, `zchat-auth token`.\n' +
  'Run `zchat-auth --help` for the list.\n';

/** Shows the screens until the user leaves; resolves with the exit code (0 done, 1 failed, 130 interrupted). */
export async function runUi(o: RunUiOptions): Promise<number> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  if (!stdin.isTTY) {
    // Raw mode would throw: say what works without a terminal instead.
    stderr.write(NO_TTY_HINT);
    return 2;
  }
  let code = 0;
  let farewell: string | undefined;
  // Alternate screen: the dashboard gets the whole terminal, and leaving gives the shell its screen back.
  const keeper = terminalKeeper({ stdin, stdout }, stdout.isTTY === true);
  const restore = () => keeper.giveBack();
  // Whatever ends the process (a crash included) gives the terminal back.
  process.once('exit', restore);
  // A signal's default action would end the process without 'exit' handlers: give the terminal back first.
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.exit(128 + (signal === 'SIGHUP' ? 1 : 15));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  const control = suspender(keeper, stdout);
  const instance = render(
    <TerminalControlContext.Provider value={control}>
      <App
        services={o.services}
        start={o.start}
        {...(o.login ? { login: o.login } : {})}
        {...(o.sandbox ? { sandbox: o.sandbox } : {})}
        {...(o.temporaryStore ? { temporaryStore: true } : {})}
        onExit={(c, line) => {
          code = c;
          farewell = line;
        }}
      />
    </TerminalControlContext.Provider>,
    {
      stdin,
      stdout,
      stderr,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: MAX_FPS,
      // Changed lines only (changed-lines.ts, through the build's patch of Ink): a key then writes the rows it
      // changed, not the whole frame again. Not Ink's own incremental mode, which misplaced the lines below a
      // soft-wrapped URL and scrolled a frame as tall as the terminal; a build without the patch draws whole.
      incrementalRendering: inkDrawsChangedLines,
      ...(o.onFrame ? { onRender: o.onFrame } : {}),
    },
  );
  try {
    await instance.waitUntilExit();
  } catch {
    code = 1;
  } finally {
    instance.cleanup();
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  // The farewell names profiles and quotes servers: terminal-safe like every command line.
  if (farewell) stdout.write(`${terminalSafe(farewell, { keepNewlines: true })}\n`);
  return code;
}
