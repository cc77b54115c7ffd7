/**
 * What bin/zchat-auth.js runs (as dist/start.cjs): sends the command lines of `token`, `status`, `api` and `exec` to
 * the one-file CommonJS bundle (fast-cli.ts, run by fast-loader.ts), every other one to the ESM bundle
 * (cli.ts). Small, and CommonJS, so that the choice costs nothing: Node starts its ESM loader only for the
 * ESM bundle, or for a chunk of it that the one-file bundle asks for.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../package.json' with { type: 'json' };
import { fastCommands, splitCommand } from './command-word.js';
import { activeTweaks } from './tweaks.mjs';

declare const __dirname: string;

/** A file of dist/ (`./chunks/schema-XXXX.js`) as an ES module. */
const importChunk = (specifier: string) => import(pathToFileURL(path.join(__dirname, specifier)).href);

const argv = process.argv.slice(2);
const command = splitCommand(argv).name;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // What scripts and bug reports ask first; main.ts answers it the same way when other options come with it.
  process.stdout.write(`${pkg.version}\n`);
} else if (command !== undefined && fastCommands.includes(command)) {
  // Bundled into this file behind the import, so that node:vm and the rest load for these commands only.
  import('./fast-loader.js').then(({ runFastBundle }) =>
    runFastBundle(path.join(__dirname, 'fast.cjs'), importChunk, process.env, command),
  );
} else if (
  (command === undefined || command === 'login') &&
  !argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version' || arg === '-v') &&
  activeTweaks('run', process.env).has('dashboard-code-cache')
) {
  // The screens and `login`: one CommonJS file whose compiled code V8 keeps between starts (tweaks.mjs).
  import('./fast-loader.js').then(({ runFastBundle }) =>
    runFastBundle(path.join(__dirname, 'ui.cjs'), importChunk, process.env, command ?? 'screens', {
      tweak: 'dashboard-code-cache',
      write: 'offered',
    }),
  );
} else {
  importChunk('./cli.js');
}
