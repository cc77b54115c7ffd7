/**
 * The test run rebuilds the bundle exactly when what it is built from changed (test/global-setup.ts): the
 * key follows the content of source/, scripts/, package.json and the lockfile, and the tweaks switch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { buildKey } from './global-setup.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-build-key-'));
  fs.mkdirSync(path.join(dir, 'source/core'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.writeFileSync(path.join(dir, 'source/core/a.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(dir, 'scripts/build.mjs'), '// build\n');
  fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3}\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the same tree gives the same key, even with newer modification times', () => {
  const before = buildKey(dir, {});
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(dir, 'source/core/a.ts'), later, later);
  expect(buildKey(dir, {})).toBe(before);
});

test.each([
  ['a dependency upgrade (the lockfile)', 'package-lock.json', '{"lockfileVersion":3,"x":1}\n'],
  ['an edit in source/', 'source/core/a.ts', 'export const a = 2;\n'],
  ['a new file in source/', 'source/core/b.ts', 'export {};\n'],
  ['an edit of the build script', 'scripts/build.mjs', '// build 2\n'],
  ['package.json', 'package.json', '{"version":"2"}\n'],
])('%s changes the key', (_what, file, text) => {
  const before = buildKey(dir, {});
  fs.writeFileSync(path.join(dir, file), text);
  expect(buildKey(dir, {})).not.toBe(before);
});

test('ZCHAT_AUTH_NO_TWEAKS changes the key (the bundle differs)', () => {
  expect(buildKey(dir, { ZCHAT_AUTH_NO_TWEAKS: '1' })).not.toBe(buildKey(dir, {}));
});
