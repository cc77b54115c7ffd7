// conf writes the store file in its format, with serialize.ts (given to conf) re-stringifying only
// the records a write replaced: the bytes must stay exactly what conf wrote, and a write's cost must not
// grow with the records it leaves alone.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { newRecordTexts, rememberRecords, serializeStore } from '../../../source/core/store/serialize.js';
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

  // rememberRecords lays the records out as the file is, and a write copies unchanged neighbours as one run:
  // any sequence of writes from there (replace, add, delete, move to the end) must still give the exact bytes.
  test('is JSON.stringify after rememberRecords, through any sequence of writes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), name: fc.string({ maxLength: 3 }), record }),
      fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('remember' as const) }),
    );
    fc.assert(
      fc.property(store, fc.array(op, { maxLength: 8 }), (data, ops) => {
        const texts = newRecordTexts();
        rememberRecords(data, texts);
        const scratch = Buffer.alloc(4096, 0x78);
        let current: typeof data = data;
        expect(serializeStore(current, texts).toString()).toBe(JSON.stringify(current, undefined, '\t'));
        for (const o of ops) {
          const profiles = { ...current.profiles };
          const keys = Object.keys(profiles);
          const key = keys.length > 0 && 'index' in o ? (keys[o.index % keys.length] as string) : undefined;
          if (o.kind === 'set') profiles[o.name] = o.record;
          else if (o.kind === 'delete' && key !== undefined) delete profiles[key];
          else if (o.kind === 'move' && key !== undefined) {
            const moved = profiles[key];
            delete profiles[key];
            profiles[key] = moved as (typeof profiles)[string];
          }
          current = { ...current, profiles };
          if (o.kind === 'remember') rememberRecords(current, texts);
          const expected = JSON.stringify(current, undefined, '\t');
          expect(serializeStore(current, texts).toString()).toBe(expected);
          // Into memory given (the store's scratch), when the bytes fit, and again over what it held.
          expect(serializeStore(current, texts, scratch).toString()).toBe(expected);
          expect(serializeStore(current, texts, Buffer.alloc(1)).toString()).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('after rememberRecords, a write of one record of 1,000 copies the others as a few runs, not one by one', () => {
    const profiles: Record<string, object> = {};
    for (let i = 0; i < 1000; i++)
      profiles[`p${i}`] = { ...sampleProfile(`p${i}`), createdAt: 'x', updatedAt: 'x' };
    const texts = newRecordTexts();
    rememberRecords({ schemaVersion: 1, profiles }, texts);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      for (const next of [
        { ...profiles, p500: { replaced: true } },
        { ...profiles, new: { n: 1 } },
        { ...profiles, p0: { first: true } },
      ]) {
        concat.mockClear();
        const data = { schemaVersion: 1, profiles: next };
        expect(serializeStore(data, texts).toString()).toBe(JSON.stringify(data, undefined, '\t'));
        const parts = concat.mock.calls[0]?.[0] ?? [];
        // The head, a run, a comma, the new entry, a comma, a run, the tail.
        expect(parts.length).toBeLessThanOrEqual(7);
      }
    } finally {
      concat.mockRestore();
    }
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

  // A prepared store writes each file's bytes into one buffer of its own, again and again: each file must
  // be exactly its data, never a tail left from a longer one before it, however the writes grow or shrink it.
  test('after prepareWrites, writes that grow and shrink the file each leave exactly JSON.stringify of the store', async () => {
    const dir = path.join(root, 'scratch');
    const s = openStore({ dir });
    for (const name of ['a', 'b', 'c']) await s.save(sampleProfile(name));
    await s.prepareWrites?.();
    const steps = [
      () => s.save(sampleProfile('d', { username: 'long '.repeat(200) })),
      () => s.remove('d'),
      () => s.recordTest('a', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' }),
      () => s.remove('b'),
      () => s.save(sampleProfile('ünï ✓', { username: 'x'.repeat(100_000) })),
      () => s.remove('ünï ✓'),
      () => s.save(sampleProfile('b')),
    ];
    for (const step of steps) {
      await step();
      const text = fs.readFileSync(s.path, 'utf8');
      expect(text).toBe(JSON.stringify(JSON.parse(text), undefined, '\t'));
    }
    expect(Object.keys(JSON.parse(fs.readFileSync(s.path, 'utf8')).profiles)).toEqual(['a', 'c', 'b']);
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
