// Child process: `node warm-up-exit.mjs <store dir>` starts a login's write warm-up (prepareWrites) and ends
// the process while the warm-up's own temporary store exists, as a login whose token came first does.
import fs from 'node:fs';
import { openStore } from '../../../../source/core/store/store.js';

const made = fs.mkdtempSync;
fs.mkdtempSync = ((prefix: string) => {
  const dir = made(prefix);
  process.stdout.write(`${dir}\n`);
  // Exits at the warm-up save's first wait, with the directory made and not yet removed.
  queueMicrotask(() => process.exit(0));
  return dir;
}) as typeof fs.mkdtempSync;
await openStore({ dir: process.argv[2] as string }).prepareWrites?.();
process.stdout.write('warm-up finished before the exit\n');
