/**
 * Runs a command line in this process, as `zchat-auth` would (source/main.ts), with a recording CommandIO:
 * the commands' real code against the sandbox over loopback HTTP, without starting Node for each run.
 * stdin is a stream the test writes to; Ctrl+C is `interrupt()`, which aborts io.signal as the entry
 * point's SIGINT handler does. The built bundle itself is covered by a few subprocess smoke tests
 * (runBuilt/startBuilt in helpers.ts).
 */
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../source/commands/command.js';
import { exitCodes } from '../../source/core/errors.js';
import { createServices } from '../../source/create-services.js';
import { runMain } from '../../source/main.js';
import type { Services } from '../../source/services.js';
import { OutputWaiters } from '../output-waiters.js';
import { testRetryDelayMs } from '../retry-delay.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr (or stdout with `from`), waiting as needed. */
  waitFor(pattern: RegExp, from?: 'stderr' | 'stdout', timeoutMs?: number): Promise<RegExpMatchArray>;
  write(text: string | Uint8Array): void;
  end(text?: string): void;
  /** Ctrl+C: what the entry point does on SIGINT for a command that handles it. */
  interrupt(): void;
  /** The exit code once the command has returned; null while it runs. */
  exitCode(): number | null;
  finished: Promise<Finished>;
}

export interface CliOptions {
  /** As if stdin and stdout were a terminal: the commands may ask (`switch`, `logout`). */
  interactive?: boolean;
}

export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  options: CliOptions = {},
): Running {
  const started = performance.now();
  let out = '';
  let err = '';
  let code: number | null = null;
  const waiters = new OutputWaiters();
  const wake = () => waiters.wake();
  const stdin = new PassThrough();
  if (input !== undefined) stdin.end(input);
  const controller = new AbortController();
  let listening = false;
  let services: Services | undefined;
  const io: CommandIO = {
    stdout: {
      write(text: string) {
        out += text;
        wake();
        return true;
      },
    },
    stderr: {
      write(text: string) {
        err += text;
        wake();
        return true;
      },
    },
    stdin,
    env,
    interactive: options.interactive === true,
    services() {
      services ??= createServices(env, {
        debugWrite: (text) => io.stderr.write(text),
        retryDelayMs: testRetryDelayMs,
      });
      return services;
    },
    signal: controller.signal,
  };
  const finished = runMain(args, io, { listen: () => (listening = true) }).then((returned) => {
    code = controller.signal.aborted ? exitCodes.interrupted : returned;
    wake();
    return { code, signal: null, stdout: out, stderr: err, ms: performance.now() - started };
  });
  return {
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, from = 'stderr', timeoutMs = 10_000) =>
      waitForMatch(waiters, pattern, () => (from === 'stderr' ? err : out), {
        ended: () => code !== null,
        timeoutMs,
        output: () => ({ stdout: out, stderr: err }),
      }),
    write: (text) => stdin.write(text),
    end: (text) => (text === undefined ? stdin.end() : stdin.end(text)),
    interrupt() {
      // A command that did not ask for the signal would have been ended by Node's default handler.
      if (!listening) throw new Error('this command does not handle Ctrl+C: test it with startBuilt');
      controller.abort();
    },
    exitCode: () => code,
    finished,
  };
}

export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  options: CliOptions = {},
): Promise<Finished> {
  return startCli(args, env, input, options).finished;
}

/** The first match of `pattern` in `text()`, waiting for output as it comes (in process or built). */
export function waitForMatch(
  waiters: OutputWaiters,
  pattern: RegExp,
  text: () => string,
  o: { ended: () => boolean; timeoutMs: number; output: () => { stdout: string; stderr: string } },
): Promise<RegExpMatchArray> {
  const shown = () => `\nstdout: ${o.output().stdout}\nstderr: ${o.output().stderr}`;
  return waiters.until(() => text().match(pattern) ?? undefined, {
    ended: o.ended,
    timeoutMs: o.timeoutMs,
    failure: (why) =>
      new Error(
        why === 'ended'
          ? `exited before ${pattern} appeared${shown()}`
          : `timed out waiting for ${pattern}${shown()}`,
      ),
  });
}
