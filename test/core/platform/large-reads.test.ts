/**
 * Large files read without one malloc block of their size (source/core/platform/large-reads.ts): glibc
 * raises its mmap threshold to the largest such block freed, and every malloc arena then keeps up to twice
 * that free (4-8 MB of an idle dashboard in V8's worker threads' arenas). The bundle's text, its code
 * cache and the store are read into memory V8 maps itself. Same bytes, same text; never readFileSync on a
 * large file (Node allocates the whole size from malloc for it).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  PIECE_BYTES,
  readBytesOutsideMalloc,
  readTextOutsideMalloc,
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

/** The files given to readFileSync (Node allocates a block of the file's size for it, from malloc). */
function watchReads() {
  const whole: unknown[] = [];
  const readFileSync = fs.readFileSync;
  vi.spyOn(fs, 'readFileSync').mockImplementation(((...args: Parameters<typeof fs.readFileSync>) => {
    whole.push(args[0]);
    return readFileSync(...args);
  }) as typeof fs.readFileSync);
  return { whole };
}

// Text of one-, two-, three- and four-byte characters, over many WebAssembly pages.
const text = `${'é€😀a'.repeat(50_000)}\n`;

describe('readTextOutsideMalloc', () => {
  test.each([
    ['empty', ''],
    ['under one piece', 'void 0;\n'],
    ['large, of characters of every length', text],
  ])('%s: the same text as readFileSync, not read with it', (_case, content) => {
    const file = path.join(tmp, 'bundle.cjs');
    fs.writeFileSync(file, content);
    const reads = watchReads();
    expect(readTextOutsideMalloc(file)).toBe(content);
    if (content.length > PIECE_BYTES) expect(reads.whole).toEqual([]);
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
  test("dist/ui.cjs's text: not read with readFileSync, the same script runs", () => {
    const bundle = path.join(tmp, 'ui.cjs');
    fs.writeFileSync(bundle, `module.exports.seen = ${JSON.stringify(text)}.length;\n`);
    const reads = watchReads();
    runFastBundle(bundle, async () => undefined, { ZCHAT_AUTH_NO_TWEAKS: '1' });
    expect(reads.whole).not.toContain(bundle);
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
