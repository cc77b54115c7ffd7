/**
 * Entry point of the ESM bundle (dist/cli.js), for every command line but the few that fast-cli.ts serves
 * (start.ts decides). Start-up time is a feature: only tiny modules are imported statically; each command,
 * the store, got, Ink and React load on demand.
 */
import { prefetchCommand, runMain } from './main.js';
import { isInteractive, runProcess } from './process-run.js';

const argv = process.argv.slice(2);
const needsServices = !argv.some(
  (arg) => arg === '--help' || arg === '-h' || arg === '--version' || arg === '-v',
);
// Should the services module fail to load, the command still runs and says so when it asks for them.
const ready = needsServices
  ? import('./create-services.js').then((m) => m.createServices)
  : Promise.resolve(undefined);
if (needsServices) prefetchCommand(argv, { interactive: isInteractive(process.env), env: process.env });
runProcess(ready, (io, interrupts) => runMain(argv, io, interrupts));
