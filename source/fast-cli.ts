/**
 * Entry point of the one-file CommonJS bundle (dist/fast.cjs) that serves `token`, `status`, `api` and `exec`
 * (command-word.ts lists them; start.ts sends their command lines here). These are what scripts run
 * often, and their start-up time is a target: Node starts an ES module graph at a cost of its own (the ESM
 * loader, then an asynchronous read per chunk), more than these commands spend on their work. Here they are
 * in one file, read with require(). What they rarely need (got for a refresh, conf, zod and the lock file
 * for a store write, hpagent behind a proxy) stays in the ESM bundle's chunks, imported from this file
 * when needed (scripts/build-options.mjs), so this file holds no npm package.
 */
import { splitCommand } from './command-word.js';
import { command as api } from './commands/api.js';
import type { Command } from './commands/command.js';
import { command as exec } from './commands/exec.js';
import { command as status } from './commands/status.js';
import { command as token } from './commands/token.js';
import { createServices } from './create-services.js';
import { runProcess } from './process-run.js';
import { guarded, runCommand } from './run-command.js';

// biome-ignore lint/suspicious/noExplicitAny: each command has its own options struct; the table only dispatches.
const fast: Record<string, Command<any>> = { token, status, api, exec };

const { name, rest } = splitCommand(process.argv.slice(2));
const command = name === undefined ? undefined : fast[name];
if (!command) throw new Error(`fast-cli.ts serves ${Object.keys(fast).join(', ')}, not "${name}"`);
runProcess(
  Promise.resolve(createServices),
  (io, interrupts) => guarded(io, () => runCommand(command, rest, io, interrupts)),
  { directStdout: true },
);
