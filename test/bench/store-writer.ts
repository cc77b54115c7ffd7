/**
 * "Another process writes the store": a separate node process holding the store open, which on each
 * message from the bench records a test result on one profile (a locked read-modify-write of the whole file,
 * as `zchat-auth test` in another shell does) and answers when it is written.
 */
import { openStore } from '../../source/core/store/store.js';

const [dir, profile] = process.argv.slice(2) as [string, string];
const store = openStore({ dir });
await store.prepareWrites?.();
let n = 0;
process.on('message', async () => {
  await store.recordTest(profile, {
    at: new Date().toISOString(),
    ok: true,
    result: 'valid',
    status: 200,
    durationMs: n++,
  });
  process.send?.('written');
});
process.send?.('ready');
