// Child process for the cross-process tests: `node writer.mjs <dir> <writer id> <count>` appends
// `w<id>-<i>` to the scopes of the shared profile, one locked read-modify-write at a time.
import { openStore } from '../../../../source/core/store/store.js';

const [dir, id, count] = process.argv.slice(2);
const store = openStore({ dir: dir as string, lockWaitMs: 60_000 });
for (let i = 0; i < Number(count); i++) {
  await store.update('shared', (p) => ({ ...p, scopes: [...p.scopes, `w${id}-${i}`] }));
}
process.stdout.write('done\n');
