/**
 * Large files read without one malloc block of their size (source/core/platform/large-reads.ts): glibc
 * raises its mmap threshold to the largest such block freed, and every malloc arena then keeps up to twice
 * that free (4-8 MB of an idle dashboard in V8's worker threads' arenas). The bundle's text is read in
 * pieces; the code cache and the store into memory V8 maps itself. Same bytes, same text; never
 * readFileSync on a large file (Node allocates the whole size from malloc for it).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  PIECE_BYTES,
  readBytesOutsideMalloc,
  readTextInPieces,
} from '../../../source/core/platform/large-reads.js';
import { readStoreFile } from '../../../source/core/store/file.js';
import { codeCacheFor, runFastBundle } from '../../../source/fast-loader.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-large-reads-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Records what is read, and how: the lengths asked of readSync, the files given to readFileSync. */
function watchReads() {
  const asked: number[] = [];
  const whole: unknown[] = [];
  const readSync = fs.readSync;
  const readFileSync = fs.readFileSync;
  vi.spyOn(fs, 'readSync').mockImplementation(((...args: unknown[]) => {
    const length = args[3];
    asked.push(typeof length === 'number' ? length : Number.NaN);
    return (readSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.readSync);
  vi.spyOn(fs, 'readFileSync').mockImplementation(((...args: Parameters<typeof fs.readFileSync>) => {
    whole.push(args[0]);
    return readFileSync(...args);
  }) as typeof fs.readFileSync);
  return { asked, whole };
}

// Text whose two- and four-byte characters straddle the pieces' edges: a decoder that cut a character in
// two would give U+FFFD.
const text = `${'é€😀a'.repeat(50_000)}\n`;

describe('readTextInPieces', () => {
  test.each([
    ['empty', ''],
    ['under one piece', 'void 0;\n'],
    ['many pieces, characters cut at their edges', text],
  ])('%s: the same text as readFileSync, read a piece at a time', (_case, content) => {
    const file = path.join(tmp, 'bundle.cjs');
    fs.writeFileSync(file, content);
    const reads = watchReads();
    expect(readTextInPieces(file)).toBe(content);
    expect(reads.whole).toEqual([]);
    for (const length of reads.asked) expect(length).toBeLessThanOrEqual(PIECE_BYTES);
  });
});

describe('readBytesOutsideMalloc', () => {
  test.each([
    ['empty', 0],
    ['small', 100],
    ['exactly a piece', PIECE_BYTES],
    ['large, not a whole number of pages', 3 * PIECE_BYTES + 17],
  ])('%s: the same bytes as readFileSync', (_case, size) => {
    const file = path.join(tmp, 'data');
    const bytes = Buffer.alloc(size, 0);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    const fd = fs.openSync(file, 'r');
    try {
      const read = readBytesOutsideMalloc(fd);
      expect(read.length).toBe(size);
      expect(read.equals(bytes)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  test('a large file is not read with readFileSync (one malloc block of its size)', () => {
    const file = path.join(tmp, 'data');
    fs.writeFileSync(file, Buffer.alloc(4 * PIECE_BYTES, 7));
    const fd = fs.openSync(file, 'r');
    const reads = watchReads();
    try {
      expect(readBytesOutsideMalloc(fd).every((b) => b === 7)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
    expect(reads.whole).toEqual([]);
  });
});

// Where the program reads large files: each fails with a plain readFileSync.
describe('the large files the dashboard reads', () => {
  test("dist/ui.cjs's text: read in pieces, the same script runs", () => {
    const bundle = path.join(tmp, 'ui.cjs');
    fs.writeFileSync(bundle, `module.exports.seen = ${JSON.stringify(text)}.length;\n`);
    const reads = watchReads();
    runFastBundle(bundle, async () => undefined, { ZCHAT_AUTH_NO_TWEAKS: '1' });
    expect(reads.whole).not.toContain(bundle);
    for (const length of reads.asked) expect(length).toBeLessThanOrEqual(PIECE_BYTES);
    expect(createRequire(bundle).cache[bundle]?.exports.seen).toBe(text.length);
  });

  test('its code cache: read back whole, not with readFileSync', () => {
    const bundle = path.join(tmp, 'ui.cjs');
    fs.writeFileSync(bundle, 'void 0;\n');
    const data = Buffer.alloc(3 * PIECE_BYTES, 9);
    const cache = codeCacheFor(bundle, {}, path.join(tmp, 'cache'), 'screens')!;
    cache.write(data);
    const reads = watchReads();
    expect(cache.read()?.equals(data)).toBe(true);
    expect(reads.whole).toEqual([]);
  });

  test('the store file: read whole, not with readFileSync', () => {
    const file = path.join(tmp, 'config.json');
    const profiles = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`p-${i}`, { name: `p-${i}`, note: 'x'.repeat(300) }]),
    );
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, profiles }, undefined, '\t'));
    expect(fs.statSync(file).size).toBeGreaterThan(2 * PIECE_BYTES);
    const reads = watchReads();
    readStoreFile(file, { topOnly: true, splitRecords: true });
    expect(reads.whole).toEqual([]);
  });
});
