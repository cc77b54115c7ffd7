/**
 * One run of the program for an argv, with its I/O injected: what `zchat-auth ...` does between reading
 * the arguments and exiting. The entry point (cli.ts) calls it with the process's streams; tests call it
 * in process with recorded ones.
 */
import pkg from '../package.json' with { type: 'json' };
import { parse, usage } from './commands/args.js';
import { type CommandIO, printError } from './commands/command.js';
import { commands, isCommand, topLevelOptions } from './commands/registry.js';
import { exitCodeFor, exitCodes, toZchatError } from './core/errors.js';

export interface Interrupts {
  /** Called by commands (and screens) that want Ctrl+C delivered through io.signal. */
  listen(): void;
}

/** The main help text: loaded for `--help` only, not by every command's start. */
async function mainHelp(): Promise<string> {
  return (await import('./commands/help.js')).mainHelp;
}

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

/**
 * Starts loading the command's module (and the chunks it imports) now, beside whatever the caller loads
 * meanwhile (cli.ts: the services): a command's modules were read only once the services had loaded, two
 * rounds of file reads one after the other. `main` then awaits the same module. Never throws.
 */
export function prefetchCommand(argv: string[]): void {
  const { name } = splitCommand(argv);
  if (name !== undefined && isCommand(name)) commands[name]?.().catch(() => undefined);
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
  const parsed = parse(rest, command.options, command.maxPositionals);
  if (parsed.values.help) {
    io.stdout.write(command.help);
    return exitCodes.ok;
  }
  const options = command.build(parsed, io);
  if (command.handlesInterrupt) interrupts.listen();
  return await command.run(options, io);
}

/** Runs one command line; resolves with the exit code. Errors end as one line on stderr, never a throw. */
export async function runMain(argv: string[], io: CommandIO, interrupts: Interrupts): Promise<number> {
  try {
    return await main(argv, io, interrupts);
  } catch (error) {
    const zerror = toZchatError(error);
    printError(io, zerror);
    return exitCodeFor(zerror);
  }
}
