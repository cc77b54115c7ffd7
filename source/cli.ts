/**
 * Entry point (bin/zchat-auth.js imports the bundle of this file). Start-up time is a feature: only tiny
 * modules are imported statically; each command, the store, got, Ink and React load on demand.
 */
import { isatty } from 'node:tty';
import { type CommandIO, isDumbTerminal } from './commands/command.js';
import { exitCodes } from './core/errors.js';
import { prefetchCommand, runMain } from './main.js';
import type { Services } from './services.js';

function start(): void {
  // Created on first use: most commands never need them, and start-up time is a feature.
  let controller: AbortController | undefined;
  let services: Services | undefined;
  let createServices: typeof import('./create-services.js').createServices | undefined;
  const io: CommandIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Touching process.stdin opens fd 0, which most commands never read.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    interactive: isatty(0) && isatty(1) && !isDumbTerminal(process.env),
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
  // `zchat-auth status | head -1`: a closed pipe is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? exitCodes.ok);
  });

  const argv = process.argv.slice(2);
  const needsServices = !argv.some(
    (arg) => arg === '--help' || arg === '-h' || arg === '--version' || arg === '-v',
  );
  const ready = needsServices
    ? import('./create-services.js').then((m) => {
        createServices = m.createServices;
      })
    : Promise.resolve();
  if (needsServices) prefetchCommand(argv);

  // Should the services module fail to load, the command still runs and says so when it asks for them.
  ready
    .catch(() => undefined)
    .then(() => runMain(argv, io, interrupts))
    .then((code) => (controller?.signal.aborted ? exitCodes.interrupted : code))
    .then((code) => {
      process.exitCode = code;
      // Nothing should keep the process alive once the command is done; if a stray handle does, leave
      // anyway instead of hanging a script.
      setTimeout(() => process.exit(code), 2000).unref();
    });
}

start();
