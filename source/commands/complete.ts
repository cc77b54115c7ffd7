/**
 * `zchat-auth __complete profiles`: profile names, one a line, for the completion scripts. Hidden from
 * help. It runs on every Tab, so it reads the store file with node:fs and nothing else (no store module,
 * no validation, no lock), and stays silent on any trouble: a completion must never print an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, resolveConfigDir } from '../core/store/paths.js';
import type { Command } from './command.js';

export interface CompleteOptions {
  what: string | undefined;
}

export function profileNames(env: NodeJS.ProcessEnv): string[] {
  try {
    const file = path.join(resolveConfigDir(undefined, env), CONFIG_FILE);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { profiles?: unknown };
    if (typeof data.profiles !== 'object' || data.profiles === null) return [];
    // A name with a line break or control character cannot be offered safely on a line of its own.
    return Object.keys(data.profiles)
      .filter((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name))
      .sort();
  } catch {
    return [];
  }
}

export const command: Command<CompleteOptions> = {
  help: 'Usage: zchat-auth __complete profiles (used by the completion scripts)\n',
  options: {},
  maxPositionals: 1,
  build({ positionals }) {
    return { what: positionals[0] };
  },
  async run({ what }, io) {
    if (what === 'profiles') {
      const names = profileNames(io.env);
      if (names.length > 0) io.stdout.write(`${names.join('\n')}\n`);
    }
    return 0;
  },
};
