/** One answer from stdin, for the few questions commands ask in a terminal (`switch`, `logout`). */
import { createInterface } from 'node:readline';
import type { CommandIO } from './command.js';

/** Writes `question` on stderr and reads one line; undefined when stdin ends first. */
export async function askLine(io: CommandIO, question: string): Promise<string | undefined> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stderr as NodeJS.WritableStream,
    terminal: false,
  });
  try {
    io.stderr.write(question);
    return await new Promise<string | undefined>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined));
    });
  } finally {
    rl.close();
  }
}

/** y or yes (any case) is yes; anything else, an empty line included, is no, as `[y/N]` promises. */
export function isYes(answer: string | undefined): boolean {
  return /^\s*y(es)?\s*$/i.test(answer ?? '');
}
