/**
 * What bin/zchat-auth.js runs (as dist/start.cjs): sends the command lines of `token`, `api` and `exec` to
 * the one-file CommonJS bundle (fast-cli.ts), every other one to the ESM bundle (cli.ts). Tiny, and
 * CommonJS, so that the choice costs nothing: Node starts its ESM loader only for the ESM bundle.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFastCommandLine } from './command-word.js';

declare const __dirname: string;

if (isFastCommandLine(process.argv.slice(2))) {
  require(path.join(__dirname, 'fast.cjs'));
} else {
  import(pathToFileURL(path.join(__dirname, 'cli.js')).href);
}
