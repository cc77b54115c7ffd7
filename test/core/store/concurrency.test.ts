import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../../source/core/store/store.js';
import { bundleChild, removeDir, sampleProfile, tempDir } from './helpers.js';

let work: string;
let writer: string;

beforeAll(async () => {
  work = tempDir();
  writer = await bundleChild('writer', work);
});
afterAll(() => removeDir(work));

function run(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

describe('several processes writing at once', () => {
  test('4 processes × 200 read-modify-writes of one profile: all 800 present, none lost', async () => {
    const dir = `${work}/many`;
    const store = openStore({ dir });
    await store.save(sampleProfile('shared', { scopes: [] }));
    const writers = 4;
    const each = 200;
    const outputs = await Promise.all(
      Array.from({ length: writers }, (_, w) => run(writer, [dir, String(w), String(each)])),
    );
    expect(outputs).toEqual(Array(writers).fill('done\n'));
    const scopes = store.get('shared')!.scopes;
    expect(scopes).toHaveLength(writers * each);
    expect(new Set(scopes).size).toBe(writers * each);
    // Each writer's own updates land in its order.
    for (let w = 0; w < writers; w++) {
      const mine = scopes.filter((s) => s.startsWith(`w${w}-`));
      expect(mine).toEqual(Array.from({ length: each }, (_, i) => `w${w}-${i}`));
    }
  }, 120_000);

  test('watch sees a write made by another process', async () => {
    const dir = `${work}/watched`;
    const store = openStore({ dir });
    await store.save(sampleProfile('shared', { scopes: [] }));
    let calls = 0;
    const stop = store.watch(() => calls++);
    await run(writer, [dir, '9', '1']);
    await expect.poll(() => calls, { timeout: 3000 }).toBe(1);
    expect(store.get('shared')!.scopes).toEqual(['w9-0']);
    stop();
  });
});
