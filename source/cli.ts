/**
 * Entry point (bin/zchat-auth.js imports the bundle of this file). Start-up time is a feature: only tiny
 * modules are imported statically; each command, the store, got, Ink and React load on demand.
 */
import { isatty } from 'node:tty';
import pkg from '../package.json' with { type: 'json' };
import { parse, usage } from './commands/args.js';
import { type CommandIO, isDumbTerminal, printError } from './commands/command.js';
import { mainHelp } from './commands/help.js';
import { commands, isCommand, topLevelOptions } from './commands/registry.js';
import { exitCodeFor, exitCodes, toZchatError } from './core/errors.js';
import type { Services } from './services.js';

/** Finds the command word, skipping options and the values of global options written before it. */
function splitCommand(argv: string[]): { name?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg === '--profile') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: argv };
}

async function main(argv: string[], io: CommandIO, interrupts: { listen(): void }): Promise<number> {
  let { name, rest } = splitCommand(argv);
  if (name === 'help') {
    const topic = rest.find((arg) => !arg.startsWith('-'));
    if (topic === undefined) {
      io.stdout.write(mainHelp);
      return exitCodes.ok;
    }
    name = topic;
    rest = ['--help'];
  }

  if (name === undefined) {
    const { values } = parse(rest, topLevelOptions, 0);
    if (values.help) {
      io.stdout.write(mainHelp);
      return exitCodes.ok;
    }
    if (values.version) {
      io.stdout.write(`${pkg.version}\n`);
      return exitCodes.ok;
    }
    // The screens restore the terminal from an 'exit' handler, which a signal death would skip.
    interrupts.listen();
    const { runDashboard } = await import('./commands/dashboard.js');
    const profile = typeof values.profile === 'string' ? values.profile : undefined;
    return runDashboard(io, { sandbox: values.sandbox === true, ...(profile ? { profile } : {}) });
  }

  if (!isCommand(name)) {
    throw usage(`Unknown command "${name.slice(0, 24)}".`, 'Run `zchat-auth --help` for the list.');
  }
  const { command } = await commands[name]!();
  const parsed = parse(rest, command.options, command.maxPositionals);
  if (parsed.values.help) {
    io.stdout.write(command.help);
    return exitCodes.ok;
  }
  const options = command.build(parsed, io);
  if (command.handlesInterrupt) interrupts.listen();
  return await command.run(options, io);
}

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

  ready
    .then(() => main(argv, io, interrupts))
    .then(
      (code) => (controller?.signal.aborted ? exitCodes.interrupted : code),
      (error: unknown) => {
        const zerror = toZchatError(error);
        printError(io, zerror);
        return exitCodeFor(zerror);
      },
    )
    .then((code) => {
      process.exitCode = code;
      // Nothing should keep the process alive once the command is done; if a stray handle does, leave
      // anyway instead of hanging a script.
      setTimeout(() => process.exit(code), 2000).unref();
    });
}

start();
