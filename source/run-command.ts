/**
 * Running one command once its module is at hand, and turning whatever it throws into one line on stderr
 * and an exit code. Shared by main.ts (every command, loaded on demand) and fast-cli.ts (the few commands
 * bundled into the one-file start-up path).
 */
import { parse } from './commands/args.js';
import { type Command, type CommandIO, printError } from './commands/command.js';
import { exitCodeFor, exitCodes, toZchatError } from './core/errors.js';

export interface Interrupts {
  /** Called by commands (and screens) that want Ctrl+C delivered through io.signal. */
  listen(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: each command has its own options struct; this only dispatches.
type AnyCommand = Command<any>;

export async function runCommand(command: AnyCommand, rest: string[], io: CommandIO, interrupts: Interrupts) {
  const parsed = parse(rest, command.options, command.maxPositionals);
  if (parsed.values.help) {
    io.stdout.write(command.help);
    return exitCodes.ok;
  }
  const options = command.build(parsed, io);
  if (command.handlesInterrupt) interrupts.listen();
  return await command.run(options, io);
}

/** Runs `body`; resolves with its exit code. Errors end as one line on stderr, never a throw. */
export async function guarded(io: CommandIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const zerror = toZchatError(error);
    printError(io, zerror);
    return exitCodeFor(zerror);
  }
}
