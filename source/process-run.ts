/**
 * The process around one command line: the real streams and environment as a CommandIO, Ctrl+C, a closed
 * stdout pipe, and the exit code. Shared by both entry points (cli.ts, the ESM bundle; fast-cli.ts, the
 * one-file bundle of the scripting commands), each bringing its own way to load the services and run.
 */
import { type CommandIO, isDumbTerminal } from './commands/command.js';
import { exitCodes } from './core/errors.js';
import { directOutput } from './direct-output.js';
import { isTerminal } from './is-terminal.js';
import type { Interrupts } from './run-command.js';
import type { Services } from './services.js';

type CreateServices = (env: NodeJS.ProcessEnv) => Services;

/** Whether this process runs on a terminal the screens can use (stdin and stdout a TTY, not TERM=dumb). */
export function isInteractive(env: NodeJS.ProcessEnv): boolean {
  return isTerminal(0) && isTerminal(1) && !isDumbTerminal(env);
}

export function runProcess(
  /** Resolves when the services can be made (never rejects: a failure shows when a command asks). */
  ready: Promise<CreateServices | undefined>,
  run: (io: CommandIO, interrupts: Interrupts) => Promise<number>,
  /** Write stdout with fs.writeSync (direct-output.ts): the scripting commands, which draw no screen. */
  options: { directStdout?: boolean } = {},
): void {
  // Created on first use: most commands never need them, and start-up time is a feature.
  let controller: AbortController | undefined;
  let services: Services | undefined;
  let createServices: CreateServices | undefined;
  let interactive: boolean | undefined;
  // `zchat-auth status | head -1`: a closed pipe is not an error worth a stack trace.
  const closed = () => process.exit(process.exitCode ?? exitCodes.ok);
  const stdoutStream = () => {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') closed();
    });
    return process.stdout;
  };
  const stdout = options.directStdout ? directOutput(1, stdoutStream, closed) : stdoutStream();
  const io: CommandIO = {
    stdout,
    // A getter: process.stderr on a pipe is a socket too, made only when a command has something to say.
    get stderr() {
      return process.stderr;
    },
    // Touching process.stdin opens fd 0, which most commands never read.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    // A getter: only the screens and prompts ask, and the scripting commands' fd 0 is often /dev/null, a
    // character device that only node:tty can tell from a terminal.
    get interactive() {
      interactive ??= isInteractive(process.env);
      return interactive;
    },
    services() {
      if (!createServices) throw new Error('services requested before they were loaded');
      services ??= createServices(process.env);
      return services;
    },
    get signal() {
      controller ??= new AbortController();
      return controller.signal;
    },
  };

  // A command that cleans up (login closes its server and frees the port) takes io.signal and returns 130
  // itself; a second Ctrl+C, or one where nobody took the signal (the screens), exits 130 through 'exit'
  // handlers. Other commands keep Node's default: Ctrl+C ends them at once (the shell sees 130).
  const interrupts = {
    listen() {
      process.on('SIGINT', () => {
        if (controller?.signal.aborted !== false) process.exit(exitCodes.interrupted);
        controller.abort();
      });
    },
  };
  ready
    .catch(() => undefined)
    .then((loaded) => {
      createServices = loaded;
      return run(io, interrupts);
    })
    .then((code) => (controller?.signal.aborted ? exitCodes.interrupted : code))
    .then((code) => {
      process.exitCode = code;
      // Nothing should keep the process alive once the command is done; if a stray handle does, leave
      // anyway instead of hanging a script.
      setTimeout(() => process.exit(code), 2000).unref();
    });
}
