/**
 * Which command an argv names. Tiny and free of imports: the start-up dispatcher (start.ts) reads it
 * before anything else is loaded.
 */

/** Finds the command word, skipping options and the values of global options written before it. */
export function splitCommand(argv: string[]): { name?: string; rest: string[] } {
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
 * The commands served by the one-file CommonJS bundle (fast-cli.ts): those a script runs often and whose
 * start-up time is a target. Every other command line goes to the ESM bundle (cli.ts).
 */
export const fastCommands: readonly string[] = ['token', 'status', 'api', 'exec'];
