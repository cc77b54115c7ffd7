import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bundleChild, removeDir, tempDir } from './helpers.js';

let work: string;
let child: string;
beforeAll(async () => {
  work = tempDir();
  child = await bundleChild('warm-up-exit', work);
});
afterAll(() => removeDir(work));

// A login ends as soon as its token is stored; the write warm-up it started may still be running then. Its
// temporary store (a fake profile, but a file in the user's temp directory) must not be left behind.
test('a process that exits during the write warm-up leaves no temporary store behind', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(work, 'tmp-')));
  const result = spawnSync(process.execPath, [child, path.join(work, 'store')], {
    env: { ...process.env, TMPDIR: tmp },
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  const [made] = result.stdout.trim().split('\n');
  // The warm-up did make its store in that temp directory, and the process ended while it ran.
  expect(path.dirname(made as string)).toBe(tmp);
  expect(path.basename(made as string)).toMatch(/^zchat-auth-warm-up-/);
  expect(result.stdout).not.toContain('finished');
  expect(fs.readdirSync(tmp)).toEqual([]);
});
