// A write's change edits a draft of the profiles instead of a copy (draft.ts): it must behave exactly as
// the copy did, key order included (the file's order), apply in place, and undo to the very same object.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { draftProfiles } from '../../../source/core/store/draft.js';
import type { StoredProfile } from '../../../source/core/store/types.js';

const record = (n: number) => ({ name: `r${n}` }) as unknown as StoredProfile;
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '2');
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.nat(5) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

test('reads, keys, values and the applied result are those of a plain copy edited the same way', () => {
  fc.assert(
    fc.property(fc.uniqueArray(key, { maxLength: 5 }), fc.array(op, { maxLength: 12 }), (start, ops) => {
      const base: Record<string, StoredProfile> = {};
      for (const [i, k] of start.entries()) base[k] = record(i);
      const snapshot = Object.entries(base);
      const copy = { ...base };
      const draft = draftProfiles(base);
      for (const o of ops) {
        if (o.kind === 'set') {
          const value = record(10 + o.value);
          copy[o.key] = value;
          draft.profiles[o.key] = value;
        } else {
          delete copy[o.key];
          delete draft.profiles[o.key];
        }
        expect(Object.keys(draft.profiles)).toEqual(Object.keys(copy));
      }
      // Nothing reaches the stored profiles before apply.
      expect(Object.entries(base)).toEqual(snapshot);
      for (const k of ['a', 'b', 'c', 'd', 'e', '1', '2', 'zz']) {
        expect(draft.profiles[k]).toBe(copy[k]);
        expect(Object.hasOwn(draft.profiles, k)).toBe(Object.hasOwn(copy, k));
      }
      const names = (list: StoredProfile[]) => list.map((r) => r.name).sort();
      expect(names(draft.values())).toEqual(names(Object.values(copy)));
      const replaced = draft.replaced();
      for (const [k, v] of Object.entries(replaced)) expect(copy[k]).toBe(v);
      for (const [k, v] of Object.entries(copy)) {
        if (!Object.hasOwn(Object.fromEntries(snapshot), k) || Object.fromEntries(snapshot)[k] !== v)
          expect(replaced[k]).toBe(v);
      }
      const undo = draft.apply();
      expect(Object.entries(base)).toEqual(Object.entries(copy));
      expect(JSON.stringify(base)).toBe(JSON.stringify(copy));
      undo();
      expect(Object.entries(base)).toEqual(snapshot);
    }),
    { numRuns: 500 },
  );
});

test("a listing after this process's own writes shows each changed record, unchanged ones kept", async () => {
  const { openStore } = await import('../../../source/core/store/store.js');
  const { removeDir, sampleProfile, tempDir } = await import('./helpers.js');
  const dir = tempDir();
  try {
    const store = openStore({ dir });
    for (const name of ['a', 'b', 'c']) await store.save(sampleProfile(name));
    const first = store.list();
    // Two writes with no listing between them, then one after a listing.
    await store.recordTest('a', { at: '2025-01-02T04:00:00Z', ok: true, result: 'valid' });
    await store.recordTest('b', { at: '2025-01-02T04:00:00Z', ok: false, result: 'expired-or-revoked' });
    const second = store.list();
    expect(second.map((p) => p.lastTest?.result)).toEqual(['valid', 'expired-or-revoked', undefined]);
    expect(second[2]).toBe(first[2]);
    await store.remove('c');
    await store.setDefault('b');
    const third = store.list();
    expect(third.map((p) => [p.name, p.isDefault, p.lastTest?.result])).toEqual([
      ['a', false, 'valid'],
      ['b', true, 'expired-or-revoked'],
    ]);
    expect(second[0]).not.toBe(first[0]);
  } finally {
    removeDir(dir);
  }
});
