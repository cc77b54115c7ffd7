// `token` parses the top level and the record it prints, not every record of the file: the file is split into
// its records' texts first. The split must give exactly what JSON.parse gives, or give up (a whole parse).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { splitRecords } from '../../../source/core/store/record-texts.js';
import { openStore } from '../../../source/core/store/store.js';
import type { Profile, StoreData } from '../../../source/core/store/types.js';
import { describeGrowth, LINEAR_BOUND, measureGrowth } from '../../growth.js';
import { removeDir, sampleProfile, tempDir } from './helpers.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

const layout = (data: unknown) => JSON.stringify(data, undefined, '\t');

/** What the split says, as plain data: the top level and each record parsed. */
function viaSplit(text: string) {
  const split = splitRecords(text);
  if (!split) return undefined;
  const profiles: Record<string, unknown> = {};
  for (const [key, record] of split.records) {
    Object.defineProperty(profiles, key, { value: JSON.parse(record), enumerable: true, writable: true });
  }
  return { top: split.top, profiles };
}

/** What a whole parse says of the same file. */
function viaParse(text: string) {
  const { profiles, ...top } = JSON.parse(text) as { profiles: Record<string, unknown> };
  return { top, profiles };
}

describe('splitRecords', () => {
  const key = fc.string({ unit: 'binary', maxLength: 12 });
  const json = fc.jsonValue({ maxDepth: 3 });
  const record = fc.dictionary(fc.string(), json, { minKeys: 1, maxKeys: 5 });
  const store = fc.record(
    {
      schemaVersion: fc.integer(),
      defaultProfile: fc.string(),
      profiles: fc.dictionary(key, fc.oneof(record, json), { maxKeys: 6 }),
      keyringPending: fc.array(fc.string()),
      other: json,
    },
    { requiredKeys: ['profiles'] },
  );

  test('the layout the store writes: exactly what JSON.parse gives, or nothing (300 runs)', () => {
    fc.assert(
      fc.property(store, (data) => {
        const text = layout(data);
        const split = viaSplit(text);
        const records = Object.values(data.profiles);
        // Records that are non-empty objects: split; anything else (null, [], {}) is left to a whole parse.
        const splittable =
          records.length > 0 &&
          records.every(
            (r) => typeof r === 'object' && r !== null && !Array.isArray(r) && Object.keys(r).length > 0,
          );
        if (!splittable) {
          expect(split).toBeUndefined();
          return;
        }
        expect(split).toEqual(viaParse(text));
        expect(Object.keys(split!.profiles)).toEqual(Object.keys(viaParse(text).profiles));
      }),
      { numRuns: 300 },
    );
  });

  const one = { name: 'a', flow: 'code' };
  const canonical = layout({ schemaVersion: 1, profiles: { a: one, b: { ...one, name: 'b' } } });
  test.each([
    ['the layout itself', canonical, ['a', 'b']],
    ['minified', JSON.stringify({ schemaVersion: 1, profiles: { a: one } }), undefined],
    ['line breaks \\r\\n', canonical.replaceAll('\n', '\r\n'), undefined],
    [
      'two spaces, not tabs',
      JSON.stringify({ schemaVersion: 1, profiles: { a: one } }, undefined, 2),
      undefined,
    ],
    ['cut short inside a record', canonical.slice(0, canonical.indexOf('"b"') + 20), undefined],
    ['cut short after the records', canonical.slice(0, -2), undefined],
    ['garbage after the file', `${canonical}x`, undefined],
    ['an empty record', layout({ schemaVersion: 1, profiles: { a: one, e: {}, b: one } }), undefined],
    ['a null record', layout({ schemaVersion: 1, profiles: { a: one, n: null } }), undefined],
    ['no records', layout({ schemaVersion: 1, profiles: {} }), undefined],
    ['profiles nested too', layout({ x: { profiles: { a: one } }, profiles: { b: one } }), ['b']],
    [
      'profiles twice at the top (the last counts)',
      `${canonical.slice(0, -2)},\n\t"profiles": {}\n}`,
      undefined,
    ],
    ['a line of a record one tab short', canonical.replace('\n\t\t\t"flow"', '\n\t\t"flow"'), undefined],
    ['a record closed a tab short', canonical.replace('\n\t\t},', '\n\t},'), undefined],
    [
      'a nested object closed at a record’s depth',
      layout({ profiles: { a: { t: { x: 1 }, ...one } } }).replace('\n\t\t\t},', '\n\t\t},'),
      undefined,
    ],
    ['a key with escapes', layout({ profiles: { 'q"\\\n\u2028': one } }), ['q"\\\n\u2028']],
    ['a key written twice (the last counts)', canonical.replace('"b": {', '"a": {'), ['a']],
    [
      '__proto__ as a key',
      '{\n\t"profiles": {\n\t\t"__proto__": {\n\t\t\t"x": 1\n\t\t}\n\t}\n}',
      ['__proto__'],
    ],
    ['a raw line break in a key (not JSON)', canonical.replace('"b": {', '"b\nc": {'), undefined],
  ])('%s', (_what, text, keys) => {
    const split = splitRecords(text);
    if (keys === undefined) return expect(split).toBeUndefined();
    expect([...split!.records.keys()]).toEqual(keys);
    expect(viaSplit(text)).toEqual(viaParse(text));
  });
});

describe('reading one record of many', () => {
  function seed(dir: string, n: number): string {
    const now = '2025-01-02T03:04:05.000Z';
    const profiles: Record<string, Profile> = {};
    for (let i = 0; i < n; i++) {
      const name = `p${String(i).padStart(5, '0')}`;
      profiles[name] = { ...sampleProfile(name), createdAt: now, updatedAt: now } as Profile;
    }
    const data: StoreData = { schemaVersion: 1, defaultProfile: 'p00000', profiles };
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, layout(data), { mode: 0o600 });
    return file;
  }

  test('printing one token of 1,000 parses the top level and that record, not the file', () => {
    const dir = path.join(root, 'one-of-1000');
    const file = seed(dir, 1000);
    const parse = vi.spyOn(JSON, 'parse');
    const store = openStore({ dir });
    expect(store.resolve().token?.accessToken).toBe('hat_p00000_0123456789abcdef9f3c');
    expect(store.get('p00999')?.name).toBe('p00999');
    expect(store.resolveName()).toBe('p00000');
    const parsed = parse.mock.calls.reduce((sum, [text]) => sum + String(text).length, 0);
    parse.mockRestore();
    expect(parsed).toBeLessThan(fs.statSync(file).size / 50);
    // A listing still has them all.
    expect(store.list()).toHaveLength(1000);
  });

  test('a listing (every record) parses the file once, whole: not split first', () => {
    const dir = path.join(root, 'listing');
    seed(dir, 1000);
    const parse = vi.spyOn(JSON, 'parse');
    expect(openStore({ dir }).list()).toHaveLength(1000);
    const calls = parse.mock.calls.length;
    parse.mockRestore();
    expect(calls).toBe(1);
  });

  test('the time to print one token grows at most linearly (1,000 → 10,000 profiles)', () => {
    const growth = measureGrowth(
      1000,
      (n) => {
        const dir = path.join(root, `growth-${n}`);
        seed(dir, n);
        return dir;
      },
      (dir) => openStore({ dir }).resolve(),
    );
    expect(growth.ratio, describeGrowth(growth)).toBeLessThan(LINEAR_BOUND);
  });

  test('a record that does not parse: using it says what a whole read said; the others still read', () => {
    const dir = path.join(root, 'bad-record');
    const file = seed(dir, 3);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"name": "p00002"', '"name": p00002'));
    const store = openStore({ dir });
    expect(store.resolve().name).toBe('p00000');
    expect(() => store.get('p00002')).toThrow(
      /The token store .*config\.json is damaged: it is not valid JSON \(cut short\?\)\. A copy was kept at /,
    );
    expect(() => store.list()).toThrow(/is damaged: it is not valid JSON/);
  });

  test('a record that is not valid: the same one-line message as a whole check, naming the field', () => {
    const dir = path.join(root, 'invalid-record');
    const file = seed(dir, 3);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"flow": "code"', '"flow": "telepathy"'));
    const store = openStore({ dir });
    expect(() => store.get('p00000')).toThrow(
      /is damaged: a record is not valid: profiles\.p00000\.flow: expected one of "code", .*\. A copy was kept at /,
    );
    expect(store.get('p00001')?.name).toBe('p00001');
  });
});
