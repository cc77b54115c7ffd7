// conf writes the store file in its format, with serialize.ts (given to conf) re-stringifying only
// the records a write replaced: the bytes must stay exactly what conf wrote, and a write's cost must not
// grow with the records it leaves alone.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { newRecordTexts, serializeStore } from '../../../source/core/store/serialize.js';
import { openStore } from '../../../source/core/store/store.js';
import type { Profile, StoreData } from '../../../source/core/store/types.js';
import { describeGrowth, LINEAR_BOUND, measureGrowth } from '../../growth.js';
import { modeOf, removeDir, sampleProfile, tempDir } from './helpers.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

const json = fc.jsonValue({ maxDepth: 3 });
const record = fc.dictionary(fc.string(), json, { maxKeys: 6 });
const store = fc.record(
  {
    schemaVersion: fc.integer(),
    defaultProfile: fc.string(),
    profiles: fc.dictionary(fc.string(), record, { maxKeys: 5 }),
    other: json,
  },
  { requiredKeys: ['profiles'] },
);

describe('serializeStore', () => {
  test('is JSON.stringify(data, undefined, "\\t") for any store, first and again from remembered records', () => {
    fc.assert(
      fc.property(store, fc.string(), record, (data, name, replacement) => {
        const texts = newRecordTexts();
        const expected = JSON.stringify(data, undefined, '\t');
        expect(serializeStore(data, texts).toString()).toBe(expected);
        // Again with every record remembered, and after one record is replaced or added.
        expect(serializeStore(data, texts).toString()).toBe(expected);
        const next = { ...data, profiles: { ...data.profiles, [name]: replacement } };
        expect(serializeStore(next, texts).toString()).toBe(JSON.stringify(next, undefined, '\t'));
      }),
      { numRuns: 300 },
    );
  });

  test('leaves out what JSON.stringify leaves out, and keeps the key order', () => {
    const data = { b: 1, profiles: { z: { x: 1 }, gone: undefined, a: { y: [1, { z: null }] } }, f: () => 1 };
    expect(serializeStore(data, newRecordTexts()).toString()).toBe(JSON.stringify(data, undefined, '\t'));
    expect(serializeStore({}, newRecordTexts()).toString()).toBe('{}');
    expect(serializeStore({ profiles: {} }, newRecordTexts()).toString()).toBe('{\n\t"profiles": {}\n}');
  });

  test('with the records remembered, a write of one more grows at most linearly and stringifies only it', () => {
    const setup = (n: number) => {
      const profiles: Record<string, object> = {};
      for (let i = 0; i < n; i++)
        profiles[`p${i}`] = { ...sampleProfile(`p${i}`), createdAt: 'x', updatedAt: 'x' };
      const texts = newRecordTexts();
      serializeStore({ schemaVersion: 1, profiles }, texts);
      return { profiles, texts };
    };
    // What stays per record is a concatenation of remembered bytes: linear, and far below stringifying.
    const growth = measureGrowth(1000, setup, ({ profiles, texts }) =>
      serializeStore({ schemaVersion: 1, profiles: { ...profiles, new: { n: 1 } } }, texts),
    );
    expect(growth.ratio, describeGrowth(growth)).toBeLessThan(LINEAR_BOUND);
    const stringify = vi.spyOn(JSON, 'stringify');
    const { profiles, texts } = setup(1000);
    stringify.mockClear();
    serializeStore({ schemaVersion: 1, profiles: { ...profiles, new: { n: 1 } } }, texts);
    // The new record, and the top level's small values (the schema version, each profile's key).
    const whole = stringify.mock.calls.filter(([value]) => typeof value === 'object' && value !== null);
    stringify.mockRestore();
    expect(whole).toEqual([[{ n: 1 }, undefined, '\t']]);
  });
});

describe('the file a store writes', () => {
  test('has the bytes conf writes for the same data, mode 0600, and leaves no temporary file', async () => {
    const dir = path.join(root, 'same-as-conf');
    const s = openStore({ dir, now: () => new Date('2025-01-02T03:04:05.000Z') });
    await s.save(sampleProfile('one'));
    await s.save(sampleProfile('two', { username: 'ünïcode ✓ \u2028' }));
    await s.remove('one');
    const written = fs.readFileSync(s.path);
    const data = JSON.parse(written.toString()) as StoreData;
    const conf = new Conf<StoreData>({
      projectName: 'zchat-auth',
      cwd: path.join(root, 'conf'),
      configName: 'config',
      accessPropertiesByDotNotation: false,
    });
    conf.store = data;
    expect(written.equals(fs.readFileSync(conf.path))).toBe(true);
    expect(modeOf(s.path)).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json']);
  });

  // conf read the whole file back before each write (0.6 MB at 1,000 profiles), to carry over its own
  // `__internal__` key; the store's data already has every key the file has.
  test('a prepared write reads the file no more, and keeps conf’s own `__internal__` key when the file has it', async () => {
    for (const internal of [undefined, { migrations: { version: '1.0.0' } }]) {
      const dir = path.join(root, `no-reread-${internal ? 'internal' : 'plain'}`);
      const s = openStore({ dir });
      await s.save(sampleProfile('a'));
      if (internal) {
        const onDisk = JSON.parse(fs.readFileSync(s.path, 'utf8'));
        fs.writeFileSync(s.path, JSON.stringify({ ...onDisk, __internal__: internal }, undefined, '\t'));
      }
      const again = openStore({ dir });
      await again.prepareWrites?.();
      const reads = vi.spyOn(fs, 'readFileSync');
      await again.recordTest('a', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' });
      const ofStore = reads.mock.calls.filter(([file]) => file === again.path);
      reads.mockRestore();
      expect(ofStore).toEqual([]);
      const written = JSON.parse(fs.readFileSync(again.path, 'utf8'));
      expect(written.__internal__).toEqual(internal);
      expect(Object.hasOwn(written, '__internal__')).toBe(internal !== undefined);
      expect(written.profiles.a.lastTest.result).toBe('valid');
    }
  });

  test('a write after every record was remembered stringifies only the record it replaced', async () => {
    const dir = path.join(root, 'remembered');
    const s = openStore({ dir });
    for (const name of ['a', 'b', 'c']) await s.save(sampleProfile(name));
    await s.prepareWrites?.();
    const stringify = vi.spyOn(JSON, 'stringify');
    await s.recordTest('b', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' });
    const objects = stringify.mock.calls.map(([value]) => value).filter((v) => typeof v === 'object' && v);
    stringify.mockRestore();
    // Not the whole store (as conf did), only the replaced record.
    expect(objects.filter((value) => 'profiles' in value)).toEqual([]);
    expect(objects.filter((value) => 'subdomain' in value).map((value) => (value as Profile).name)).toEqual([
      'b',
    ]);
    expect(openStore({ dir }).get('b')?.lastTest?.result).toBe('valid');
    expect(
      openStore({ dir })
        .list()
        .map((p) => p.name),
    ).toEqual(['a', 'b', 'c']);
  });
});
