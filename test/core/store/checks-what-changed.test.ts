// With many profiles stored, a read checks the records it hands out and a write checks the records it
// replaces, not every record of the file each time (10,000 profiles made every write and `token` slow).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type * as schema from '../../../source/core/store/schema.js';
import { openStore } from '../../../source/core/store/store.js';
import type { Profile, StoreData } from '../../../source/core/store/types.js';
import type * as validate from '../../../source/core/store/validate.js';
import { removeDir, sampleProfile, tempDir } from './helpers.js';

// Count the records each check is handed (the modules stay real).
const zodRecords: number[] = [];
const handRecords = { whole: 0, one: 0 };
vi.mock('../../../source/core/store/schema.js', async (original) => {
  const real = await original<typeof schema>();
  return {
    ...real,
    validateStoreData: (value: StoreData) => {
      zodRecords.push(Object.keys(value.profiles).length);
      return real.validateStoreData(value);
    },
  };
});
vi.mock('../../../source/core/store/validate.js', async (original) => {
  const real = await original<typeof validate>();
  return {
    ...real,
    checkStoreData: (value: StoreData) => {
      handRecords.whole += Object.keys(value?.profiles ?? {}).length;
      return real.checkStoreData(value);
    },
    checkProfileEntry: (key: string, value: unknown) => {
      handRecords.one++;
      return real.checkProfileEntry(key, value);
    },
  };
});

const N = 2000;
let root: string;
let dir: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

/** A store file of N profiles, written as the store writes it. */
function seed(damaged?: string): void {
  const now = '2025-01-02T03:04:05.000Z';
  const profiles: Record<string, Profile> = {};
  for (let i = 0; i < N; i++) {
    const name = `p${String(i).padStart(5, '0')}`;
    profiles[name] = { ...sampleProfile(name), createdAt: now, updatedAt: now } as Profile;
  }
  if (damaged) (profiles[damaged] as unknown as { flow: string }).flow = 'telepathy';
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const data: StoreData = { schemaVersion: 1, defaultProfile: 'p00000', profiles };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(data, undefined, '\t'), { mode: 0o600 });
}

let run = 0;
beforeEach(() => {
  dir = path.join(root, `store-${run++}`);
  zodRecords.length = 0;
  handRecords.whole = 0;
  handRecords.one = 0;
});

describe(`${N.toLocaleString('en')} profiles stored`, () => {
  test('printing one token checks one record', () => {
    seed();
    const store = openStore({ dir });
    expect(store.resolve().token?.accessToken).toBe('hat_p00000_0123456789abcdef9f3c');
    expect(store.get('p01234')?.name).toBe('p01234');
    expect(handRecords).toEqual({ whole: 0, one: 2 });
  });

  test('a damaged record stops what uses it (and listings), not a read of another one', () => {
    seed('p00007');
    const store = openStore({ dir });
    expect(store.resolve().name).toBe('p00000');
    expect(() => store.get('p00007')).toThrow(/is damaged: a record is not valid: profiles\.p00007\.flow/);
    expect(() => store.list()).toThrow(/is damaged/);
    // A write refuses a damaged file as before: it rewrites every record.
    return expect(store.save(sampleProfile('new'))).rejects.toThrow(/is damaged/);
  });

  test('a login prepared ahead writes checking only its own record', async () => {
    seed();
    const store = openStore({ dir });
    await store.prepareWrites?.();
    const checkedAhead = handRecords.one + handRecords.whole;
    expect(checkedAhead).toBe(N);
    zodRecords.length = 0; // prepareWrites set zod up on one stored record
    // Nothing parses the whole file again either (conf used to, before each write, to look for its own key).
    const parse = vi.spyOn(JSON, 'parse');
    await store.save(sampleProfile('login'));
    await store.recordTest('p00003', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' });
    const wholeFileParses = parse.mock.calls.filter(([text]) => String(text).length > 100_000).length;
    parse.mockRestore();
    expect(wholeFileParses).toBe(0);
    expect(zodRecords).toEqual([1, 1]);
    expect(handRecords.one + handRecords.whole).toBe(checkedAhead);
    expect(store.list()).toHaveLength(N + 1);
    expect(store.get('p00003')?.lastTest?.result).toBe('valid');
  });

  test("an open listing re-reads another process's write of one record: one record checked, one new view", async () => {
    seed();
    const store = openStore({ dir });
    const first = store.list();
    expect(handRecords.one + handRecords.whole).toBe(N);
    await openStore({ dir }).recordTest('p00003', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' });
    handRecords.one = 0;
    handRecords.whole = 0;
    const second = store.list();
    expect(handRecords.one + handRecords.whole).toBe(1);
    const renewed = second.filter((view, i) => view !== first[i]).map((view) => view.name);
    expect(renewed).toEqual(['p00003']);
    expect(second[3]?.lastTest?.result).toBe('valid');
    // A record changed back, a new default and a damaged record are all seen.
    await openStore({ dir }).setDefault('p00001');
    const third = store.list();
    expect(third.filter((view, i) => view !== second[i]).map((view) => [view.name, view.isDefault])).toEqual([
      ['p00000', false],
      ['p00001', true],
    ]);
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"flow": "code"', '"flow": "telepathy"'));
    expect(() => store.list()).toThrow(/is damaged/);
  });

  test("another process's write is read again, and its records checked before a write", async () => {
    seed();
    const store = openStore({ dir });
    await store.save(sampleProfile('first'));
    // Another process rewrites the file (a new version: new inode, size, times).
    const other = openStore({ dir });
    await other.save(sampleProfile('second'));
    handRecords.one = 0;
    handRecords.whole = 0;
    zodRecords.length = 0;
    await store.save(sampleProfile('third'));
    expect(handRecords.one + handRecords.whole).toBe(N + 2);
    expect(zodRecords).toEqual([1]);
    expect(
      openStore({ dir })
        .list()
        .map((p) => p.name)
        .filter((n) => !n.startsWith('p')),
    ).toEqual(['first', 'second', 'third']);
  });
});
