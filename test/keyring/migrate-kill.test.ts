/**
 * Killing `migrate-secrets` (SIGKILL, no clean-up) at every step of a move, in both directions, loses no
 * secret: after each kill every profile still reads its own secrets, and running the move again finishes
 * it, leaving no keyring entry behind that no profile names. Needs a real Secret Service
 * (ZCHAT_TEST_SECRETS=keyring, see vitest.keyring.config.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import type { Profile } from '../../source/core/store/types.js';
import { bundleChild, removeDir, sampleProfile, tempDir } from '../core/store/helpers.js';
import { listEntries } from './list-entries.js';

let work: string;
let migrator: string;
beforeAll(async () => {
  work = tempDir();
  migrator = await bundleChild('migrator', work);
});
afterAll(() => removeDir(work));

const BASE_NAMES = ['alpha', 'bravo', 'charlie'];
/** The profile names of one test: its own, so the keyring entries of other tests never mix with them. */
let NAMES = BASE_NAMES;

/** The keyring accounts of this test's profiles, sorted. */
function entriesOfThisTest(): string[] {
  return listEntries()
    .map((c) => c.account)
    .filter((account) => NAMES.some((name) => account.startsWith(`${name}/`)))
    .sort();
}

/** The keyring accounts the store file names, sorted. */
function namedEntries(dir: string): string[] {
  const data = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
    profiles: Record<string, { keyringAccount?: string; secretsIn?: string }>;
  };
  return Object.values(data.profiles)
    .filter((p) => p.secretsIn === 'keyring' && p.keyringAccount !== undefined)
    .map((p) => p.keyringAccount as string)
    .sort();
}

function run(dir: string, to: string, killAt: string, staleMs?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = spawn(process.execPath, [
        migrator,
        dir,
        to,
        killAt,
        ...(staleMs ? [String(staleMs)] : []),
      ]);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
}

/** A store of three profiles, each with its own secrets, all in `where`. */
async function seed(dir: string, where: 'keyring' | 'file'): Promise<Map<string, Profile>> {
  const store = openStore({ dir });
  const originals = new Map<string, Profile>();
  for (const name of NAMES) {
    const input = sampleProfile(name, where === 'file' ? { insecureStorage: true } : {});
    originals.set(name, await store.save(input));
  }
  for (const name of NAMES) expect(store.get(name)!.secretsIn).toBe(where);
  return originals;
}

function secretsOf(p: Profile) {
  return { access: p.token?.accessToken, refresh: p.token?.refreshToken, client: p.clientSecret };
}

/** Every profile reads back exactly its own secrets, from a fresh process's point of view. */
function expectNothingLost(dir: string, originals: Map<string, Profile>): Record<string, string> {
  const store = openStore({ dir });
  const where: Record<string, string> = {};
  for (const [name, original] of originals) {
    const now = store.get(name)!;
    expect(secretsOf(now), name).toEqual(secretsOf(original));
    where[name] = now.secretsIn ?? 'file';
  }
  return where;
}

const directions: ['keyring' | 'file', 'keyring' | 'file', string[]][] = [
  // file → keyring: an entry is written (set), then the file is switched to it; nothing to delete.
  ['file', 'keyring', ['set:1:before', 'set:1:after', 'set:2:before', 'set:2:after', 'set:3:after']],
  // keyring → file: the entry is read (get), the file takes the secrets, then the entry is deleted.
  [
    'keyring',
    'file',
    [
      'get:1:before',
      'get:2:before',
      'delete:1:before',
      'delete:1:after',
      'delete:2:before',
      'delete:3:before',
    ],
  ],
];

describe.each(directions)('from the %s to the %s', (from, to, points) => {
  test.each(points)(
    'SIGKILL at %s: no secret lost, and the move finishes when run again, leaving no unnamed entry',
    async (point) => {
      const slug = `${from}-${to}-${point.replace(/:/g, '-')}`;
      NAMES = BASE_NAMES.map((name) => `${slug}-${name}`);
      const dir = path.join(work, slug);
      const originals = await seed(dir, from);

      const killed = await run(dir, to, point);
      expect(killed.signal, killed.stderr || killed.stdout).toBe('SIGKILL');
      const between = expectNothingLost(dir, originals);
      // The kill came in the middle: some moved, some not (which ones depends on the point).
      expect(Object.values(between).some((w) => w === from) || point.startsWith('delete')).toBe(true);

      // The killed run may have died holding the store's lock: this one takes it over once stale (1.5 s).
      const finished = await run(dir, to, 'none', 1500);
      expect(finished.code, finished.stderr).toBe(0);
      const after = expectNothingLost(dir, originals);
      expect(Object.values(after)).toEqual(NAMES.map(() => to));
      // In the file only where they should be.
      const file = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');
      for (const original of originals.values()) {
        expect(file.includes(original.token!.refreshToken!)).toBe(to === 'file');
        expect(file.includes(original.clientSecret!)).toBe(to === 'file');
      }
      // The keyring holds exactly the entries the file names: none written and never named, none left
      // after the file stopped naming it.
      expect(entriesOfThisTest()).toEqual(namedEntries(dir));
      expect(namedEntries(dir)).toHaveLength(to === 'keyring' ? NAMES.length : 0);
    },
    30_000,
  );
});
