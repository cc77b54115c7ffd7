/**
 * The shape of a command (GitHub CLI style: an options struct plus a run function with its I/O injected),
 * and the helpers every command shares for printing.
 */
import { toZchatError, type ZchatError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { terminalSafe, terminalSafeJson } from '../core/terminal-safe.js';
import type { Services } from '../services.js';
import type { OptionSpec, Parsed } from './args.js';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CommandIO {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** stdin and stdout are both terminals, and not dumb ones: screens and prompts are allowed. */
  interactive: boolean;
  /** Created on first use, so `--help` and friends never open the store. */
  services(): Services;
  /** Aborted on Ctrl+C (SIGINT) for commands that declare `handlesInterrupt`. */
  signal: AbortSignal;
}

export interface Command<O> {
  help: string;
  options: OptionSpec;
  maxPositionals: number;
  /** Turn parsed argv (and env) into the options struct; throws ZchatError('usage') on bad input. */
  build(parsed: Parsed, io: CommandIO): O;
  run(options: O, io: CommandIO): Promise<number>;
  /** The command cleans up on Ctrl+C itself (via io.signal) instead of the process exiting at once. */
  handlesInterrupt?: boolean;
}

/**
 * TERM=dumb (Emacs M-x shell, some CI "terminals") is a TTY that cannot move the cursor or switch screens:
 * it gets the plain output, as if it were no terminal.
 */
export function isDumbTerminal(env: NodeJS.ProcessEnv): boolean {
  return env.TERM === 'dumb';
}

/**
 * One line on stderr: `zchat-auth: <sentence>`, no stack, secrets masked. Sentences quote servers and
 * redirects, so they are made terminal-safe here, the one way out for errors.
 */
export function printError(io: CommandIO, error: unknown, secrets: (string | undefined)[] = []): ZchatError {
  const zerror = toZchatError(error);
  const sentence = terminalSafe(redact(zerror.sentence, secrets).replace(/\s*\n\s*/g, ' '));
  io.stderr.write(`zchat-auth: ${sentence}\n`);
  return zerror;
}

/**
 * Every line a command prints passes here: whatever it quotes (a client name from the server, a profile
 * name from the store) is made terminal-safe; the line breaks the command wrote itself stay.
 */
export function line(out: Output, text = ''): void {
  out.write(`${terminalSafe(text, { keepNewlines: true })}\n`);
}

/** Stable JSON for scripts: two-space indent, trailing newline, C1 and bidi characters as `\u` escapes. */
export function printJson(out: Output, value: unknown): void {
  out.write(`${terminalSafeJson(value)}\n`);
}
