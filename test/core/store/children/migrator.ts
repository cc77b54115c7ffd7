// Child process for the kill-during-migration tests: `node migrator.mjs <dir> <keyring|file> <kill-at>`
// moves every profile's secrets, and kills itself with SIGKILL at one keyring call: `set:2:after` is right
// after the second entry was written (before the file names it), `delete:1:before` right after the file
// stopped naming the first old entry. `none` runs to the end. A killed run leaves its lock behind: the run
// after it takes it over once stale, after the fourth argument's milliseconds (default 10 s, as everywhere).
import { type Keyring, probeKeyring, systemKeyring } from '../../../../source/core/store/keyring.js';
import { moveSecrets } from '../../../../source/core/store/move-secrets.js';
import { openStore } from '../../../../source/core/store/store.js';

const [dir, to, killAt, staleMs] = process.argv.slice(2) as [string, 'keyring' | 'file', string, string?];
const real = systemKeyring();
const calls = { get: 0, set: 0, delete: 0 };
const at = (op: keyof typeof calls, when: 'before' | 'after') => {
  if (killAt === `${op}:${calls[op]}:${when}`) process.kill(process.pid, 'SIGKILL');
};
const keyring: Keyring = {
  get(account) {
    calls.get++;
    at('get', 'before');
    return real.get(account);
  },
  set(account, value) {
    calls.set++;
    at('set', 'before');
    real.set(account, value);
    at('set', 'after');
  },
  delete(account) {
    calls.delete++;
    at('delete', 'before');
    real.delete(account);
    at('delete', 'after');
  },
};
const store = openStore({ dir, keyring, ...(staleMs && { lockStaleMs: Number(staleMs) }) });
const result = await moveSecrets(store, to, {
  probe: () => probeKeyring({ keyring: real, busTimeoutMs: 5000 }),
});
process.stdout.write(`${JSON.stringify({ ...result, calls })}\n`);
