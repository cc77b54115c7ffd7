/**
 * One run of the program for an argv, with its I/O injected: what `zchat-auth ...` does between reading
 * the arguments and exiting. The entry point (cli.ts) calls it with the process's streams; tests call it
 * in process with recorded ones.
 */
import pkg from '../package.json' with { type: 'json' };
import { splitCommand } from './command-word.js';
import { parse, usage } from './commands/args.js';
import type { CommandIO } from './commands/command.js';
import { commands, isCommand, topLevelOptions } from './commands/registry.js';
import { exitCodes } from './core/errors.js';
import { guarded, type Interrupts, runCommand } from './run-command.js';

export type { Interrupts } from './run-command.js';

/** The main help text: loaded for `--help` only, not by every command's start. */
async function mainHelp(): Promise<string> {
  return (await import('./commands/help.js')).mainHelp;
}

/**
 * Starts loading the command's module (and the chunks it imports) now, beside whatever the caller loads
 * meanwhile (cli.ts: the services): a command's modules were read only once the services had loaded, two
 * rounds of file reads one after the other. `main` then awaits the same module. Never throws.
 *
 * The dashboard (no command, on a terminal) starts loading its screens too: they were read only once the
 * services and then the dashboard's module had loaded, three rounds of file reads (about 40 files) one
 * after the other, each waiting for the thread pool's reads.
 */
export function prefetchCommand(argv: string[], o: { interactive: boolean; env: NodeJS.ProcessEnv }): void {
  const { name, rest } = splitCommand(argv);
  if (name !== undefined) {
    if (isCommand(name)) commands[name]?.().catch(() => undefined);
    return;
  }
  if (!o.interactive) return;
  try {
    const { values } = parse(rest, topLevelOptions, 0);
    if (values.help || values.version) return;
  } catch {
    return; // main says what is wrong with the options
  }
  import('./commands/dashboard.js').catch(() => undefined);
  import('./commands/load-ui.js').then((m) => m.loadUi(o.env)).catch(() => undefined);
  // The HTTP client the dashboard asks for the account's lists with once its first frame is drawn: read
  // beside the screens, it is ready then (read after it, its files waited ~40 ms behind the screen's own
  // reads). No got in it: a GET's first attempt goes over node:http (http.ts).
  import('./core/zendesk/chat-api.js').catch(() => undefined);
}

async function main(argv: string[], io: CommandIO, interrupts: Interrupts): Promise<number> {
  let { name, rest } = splitCommand(argv);
  if (name === 'help') {
    const topic = rest.find((arg) => !arg.startsWith('-'));
    if (topic === undefined) {
      io.stdout.write(await mainHelp());
      return exitCodes.ok;
    }
    name = topic;
    rest = ['--help'];
  }

  if (name === undefined) {
    const { values } = parse(rest, topLevelOptions, 0);
    if (values.help) {
      io.stdout.write(await mainHelp());
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
  return runCommand(command, rest, io, interrupts);
}

/** Runs one command line; resolves with the exit code. Errors end as one line on stderr, never a throw. */
export function runMain(argv: string[], io: CommandIO, interrupts: Interrupts): Promise<number> {
  return guarded(io, () => main(argv, io, interrupts));
}
