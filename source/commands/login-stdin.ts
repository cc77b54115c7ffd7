/** What the plain login reads from stdin: the client secret's line, and pasted redirected addresses. */
import { createInterface } from 'node:readline';
import { type CommandIO, printError } from './command.js';

/** stdin, one line at a time, opened only when a secret or a paste is read from it. */
export interface LineReader {
  next(): Promise<string | undefined>;
  close(): void;
}

export function lineReader(io: CommandIO): LineReader {
  let iterator: AsyncIterator<string> | undefined;
  let rl: ReturnType<typeof createInterface> | undefined;
  return {
    async next() {
      if (!iterator) {
        rl = createInterface({ input: io.stdin, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
        iterator = rl[Symbol.asyncIterator]();
      }
      const step = await iterator.next();
      return step.done ? undefined : step.value;
    },
    close() {
      if (!rl) return;
      rl.close();
      // Stop reading, or a still-open pipe would keep the process alive after the login.
      io.stdin.pause();
      (io.stdin as { unref?: () => void }).unref?.();
    },
  };
}

/**
 * Pasted lines (stdin) until one is taken; a wrong one is reported and the login keeps waiting. Resolves
 * true when stdin ended first (the login is then cancelled: nothing more can come).
 */
export async function readPastes(
  flow: {
    paste(input: string, how?: { bareCode?: boolean }): Promise<void>;
    cancel(): void;
    done: Promise<unknown>;
  },
  io: CommandIO,
  lines: LineReader,
  secrets: (string | undefined)[],
  how: { bareCode?: boolean } = {},
): Promise<boolean> {
  let settled = false;
  flow.done.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    const input = await lines.next();
    if (settled) return false;
    if (input === undefined) {
      flow.cancel();
      return true;
    }
    if (!input.trim()) continue;
    try {
      await flow.paste(input.trim(), how);
      return false;
    } catch (error) {
      printError(io, error, [...secrets, input.trim()]);
    }
  }
}
