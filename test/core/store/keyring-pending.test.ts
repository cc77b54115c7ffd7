// A keyring entry is written before the file names it and deleted after the file stops naming it. A process
// that dies in between used to leave the entry behind for good, named by nothing; now the file records it
// first (keyringPending) and the next locked write deletes it. Here with an in-memory keyring that can
// "die" (throw) at either step; test/keyring/migrate-kill.test.ts kills real processes against a real one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Keyring } from '../../../source/core/store/keyring.js';
import { openStore } from '../../../source/core/store/store.js';
import type { StoreData } from '../../../source/core/store/types.js';
import { removeDir, sampleProfile, tempDir } from './helpers.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

/** An OS keyring in memory; `die` makes the next set (after storing) or delete (before deleting) throw. */
function memoryKeyring() {
  const entries = new Map<string, string>();
  const die = { afterSet: false, beforeDelete: false };
  const keyring: Keyring = {
    get: (account) => entries.get(account),
    set(account, value) {
      entries.set(account, value);
      if (die.afterSet && !account.startsWith('zchat-auth ')) throw new Error('killed after the set');
    },
    delete(account) {
      if (die.beforeDelete && !account.startsWith('zchat-auth ')) throw new Error('killed before the delete');
      entries.delete(account);
    },
  };
  return { entries, die, keyring };
}

// A bus address of a transport the probe leaves to the binding: the memory keyring then counts as usable.
const env = { DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=9' };

function fileOf(dir: string): StoreData {
  return JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as StoreData;
}

function named(dir: string): string[] {
  return Object.values(fileOf(dir).profiles)
    .map((p) => p.keyringAccount)
    .filter((a): a is string => a !== undefined)
    .sort();
}

test('an entry written but never named (died before the file switched) is deleted by the next write', async () => {
  const dir = path.join(root, 'after-set');
  const memory = memoryKeyring();
  const open = () => openStore({ dir, env, keyring: memory.keyring });
  expect((await open().save(sampleProfile('alpha'))).secretsIn).toBe('keyring');
  memory.die.afterSet = true;
  await expect(
    open().save(sampleProfile('alpha', { clientSecret: 'secret_new_0123456789abcdef' })),
  ).rejects.toThrow('killed after the set');
  memory.die.afterSet = false;
  // Two entries, one named; the other is on record.
  expect(memory.entries.size).toBe(2);
  const orphan = [...memory.entries.keys()].find((a) => !named(dir).includes(a));
  expect(fileOf(dir).keyringPending).toEqual([orphan]);
  // The next write, in another process, deletes it.
  await open().save(sampleProfile('bravo'));
  expect([...memory.entries.keys()].sort()).toEqual(named(dir));
  expect(fileOf(dir).keyringPending).toBeUndefined();
  expect(open().get('alpha')?.clientSecret).toBe(sampleProfile('alpha').clientSecret);
});

test('an entry no longer named but not yet deleted (died after the switch) is deleted by the next write', async () => {
  const dir = path.join(root, 'before-delete');
  const memory = memoryKeyring();
  const open = () => openStore({ dir, env, keyring: memory.keyring });
  await open().save(sampleProfile('alpha'));
  const first = named(dir)[0];
  memory.die.beforeDelete = true;
  const saved = await open().save(sampleProfile('alpha', { clientSecret: 'secret_new_0123456789abcdef' }));
  memory.die.beforeDelete = false;
  expect(saved.clientSecret).toBe('secret_new_0123456789abcdef');
  expect(memory.entries.has(first as string)).toBe(true);
  expect(fileOf(dir).keyringPending).toEqual([first]);
  await open().setDefault('alpha');
  await open().save(sampleProfile('bravo'));
  expect([...memory.entries.keys()].sort()).toEqual(named(dir));
});

test('cleanKeyring deletes the recorded orphans when nothing else is written; a file-only store records nothing', async () => {
  const dir = path.join(root, 'clean');
  const memory = memoryKeyring();
  const open = () => openStore({ dir, env, keyring: memory.keyring });
  await open().save(sampleProfile('alpha'));
  memory.die.afterSet = true;
  await expect(
    open().save(sampleProfile('alpha', { clientSecret: 'secret_x_0123456789abcdef' })),
  ).rejects.toThrow();
  memory.die.afterSet = false;
  expect(memory.entries.size).toBe(2);
  await open().cleanKeyring?.();
  expect([...memory.entries.keys()]).toEqual(named(dir));
  expect(fileOf(dir).keyringPending).toBeUndefined();

  const plain = path.join(root, 'file-only');
  await openStore({ dir: plain }).save(sampleProfile('alpha', { insecureStorage: true }));
  await openStore({ dir: plain }).save(sampleProfile('alpha', { insecureStorage: true, username: 'x' }));
  expect(Object.keys(fileOf(plain))).toEqual(['schemaVersion', 'profiles', 'defaultProfile']);
});

test('a write that replaces an entry deletes the old one at once (not only at the next write)', async () => {
  const dir = path.join(root, 'at-once');
  const memory = memoryKeyring();
  const store = openStore({ dir, env, keyring: memory.keyring });
  await store.save(sampleProfile('alpha'));
  await store.save(sampleProfile('alpha', { clientSecret: 'secret_new_0123456789abcdef' }));
  expect([...memory.entries.keys()]).toEqual(named(dir));
  await store.refreshLocked('alpha', undefined, async (p) => ({
    ...p.token!,
    accessToken: 'hat_rotated_000000001111',
  }));
  expect([...memory.entries.keys()]).toEqual(named(dir));
});
