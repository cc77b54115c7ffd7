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

/**
 * Stable JSON for scripts, laid out as `gh` and `zchat-auth api` lay it out: indented by two spaces on a
 * terminal, for reading; one line in a pipe or a file, for programs (a quarter fewer bytes for `status
 * --json` to write and jq to read). Trailing newline; C1 and bidi characters as `\u` escapes.
 */
export function printJson(out: Output, value: unknown): void {
  out.write(`${terminalSafeJson(value, out.isTTY === true ? 2 : 0)}\n`);
}

/** How many items of a long list printJsonList makes, stringifies and writes at a time. */
const LIST_SLICE = 100;

/**
 * printJson of `{ ...head, [key]: items }` (`key` last), the same text, for a list of thousands
 * (`status --json`). In a pipe the items are made, stringified and written a slice at a time: what one
 * slice allocates is garbage before the next is made (one JSON text of all 1,000 profiles cost a
 * collection per megabyte while all of it was alive), and the reader takes the first slice while the next
 * is made. Whatever can fail must fail before this is called: a slice written stays written.
 */
export function printJsonList<T>(
  out: Output,
  head: Record<string, unknown>,
  key: string,
  count: number,
  item: (index: number) => T,
): void {
  if (out.isTTY === true) {
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item(i));
    printJson(out, { ...head, [key]: items });
    return;
  }
  // The head with an empty list, up to its `[`: `{"schemaVersion":1,…,"profiles":[`.
  out.write(terminalSafeJson({ ...head, [key]: [] }, 0).slice(0, -2));
  for (let start = 0; start < count; start += LIST_SLICE) {
    // After the first slice, a 0 in front: `[0,{…},{…}]` from its second character is `,{…},{…}`, a
    // slice of the text rather than a copy of it with a comma added (each slice is ~100 kB).
    const slice: unknown[] = start === 0 ? [] : [0];
    for (let i = start; i < Math.min(count, start + LIST_SLICE); i++) slice.push(item(i));
    out.write(terminalSafeJson(slice, 0).slice(start === 0 ? 1 : 2, -1));
  }
  out.write(']}\n');
}
