// A version of the store read after another process's write shares the records it did not change with the
// version read before: an open dashboard keeps views of those records, which share the earlier record's
// strings, so holding this version's own copies kept every record twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CheckedRead } from '../../../source/core/store/checked-read.js';
import type { Profile, StoreData } from '../../../source/core/store/types.js';
import { removeDir, sampleProfile, tempDir } from './helpers.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

const now = '2025-01-02T03:04:05.000Z';
const record = (name: string, extra: Partial<Profile> = {}) =>
  ({ ...sampleProfile(name, extra), createdAt: now, updatedAt: now }) as Profile;

function write(file: string, profiles: Record<string, Profile>): void {
  const data: StoreData = { schemaVersion: 1, defaultProfile: 'a', profiles };
  fs.writeFileSync(file, JSON.stringify(data, undefined, '\t'), { mode: 0o600 });
}

describe('a version read after another process wrote', () => {
  test('holds the records it did not change as the very objects read before', () => {
    const dir = path.join(root, 'store');
    fs.mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'config.json');
    write(file, { a: record('a'), b: record('b'), c: record('c') });
    const first = CheckedRead.read(file, undefined, false) as CheckedRead;
    const before = first.all().profiles;
    // Another process records a test result on b, rewriting the whole file.
    write(file, {
      a: record('a'),
      b: record('b', { lastTest: { at: now, ok: true, result: 'valid' } }),
      c: record('c'),
    });
    const second = CheckedRead.read(file, first, false) as CheckedRead;
    const after = second.all(first).profiles;
    expect(after.a).toBe(before.a);
    expect(after.c).toBe(before.c);
    expect(after.b).not.toBe(before.b);
    expect(after.b?.lastTest?.result).toBe('valid');
    expect(after.a).toEqual(record('a'));
    const unchanged = second.takeUnchanged(first);
    expect(['a', 'b', 'c'].filter((k) => unchanged.has(k))).toEqual(['a', 'c']);
    // Read alone, the same file gives the same records.
    expect((CheckedRead.read(file, undefined, false) as CheckedRead).all()).toEqual(second.data);
  });
});
