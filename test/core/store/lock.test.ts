import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isZchatError } from '../../../source/core/errors.js';
import { lockPathFor, withLock } from '../../../source/core/store/lock.js';
import { openStore } from '../../../source/core/store/store.js';
import { removeDir, sampleProfile, tempDir } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

describe('the store lock', () => {
  test('a lock left by a crashed process (stale) is taken over', async () => {
    const store = openStore({ dir, lockStaleMs: 2000, lockWaitMs: 5000 });
    const lockDir = lockPathFor(store.path);
    fs.mkdirSync(lockDir);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, old, old);
    const started = Date.now();
    await store.save(sampleProfile('demo'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(store.get('demo')).toBeDefined();
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  test('a lock held by a live process makes writers wait, then fail with store_locked naming it', async () => {
    const store = openStore({ dir, lockWaitMs: 300 });
    await store.save(sampleProfile('demo'));
    const bytes = fs.readFileSync(store.path);
    const lockDir = lockPathFor(store.path);
    fs.mkdirSync(lockDir);
    const started = Date.now();
    const error = await store.save(sampleProfile('other')).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(isZchatError(error) && error.code).toBe('store_locked');
    expect(String((error as Error).message)).toContain(lockDir);
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
    // Reads never need the lock.
    expect(store.list()).toHaveLength(1);
    fs.rmdirSync(lockDir);
  });

  test('a writer waiting on a busy lock gets it as soon as it is released', async () => {
    const store = openStore({ dir, lockWaitMs: 5000 });
    const lockDir = lockPathFor(store.path);
    fs.mkdirSync(lockDir);
    setTimeout(() => fs.rmdirSync(lockDir), 300);
    const started = Date.now();
    await store.save(sampleProfile('demo'));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
  });

  test('concurrent writers in one process (two store objects) lose nothing', async () => {
    const a = openStore({ dir });
    const b = openStore({ dir });
    await a.save(sampleProfile('shared', { scopes: [] }));
    const writes = [];
    for (let i = 0; i < 40; i++) {
      const s = i % 2 ? a : b;
      writes.push(s.update('shared', (p) => ({ ...p, scopes: [...p.scopes, `s${i}`] })));
    }
    await Promise.all(writes);
    expect(a.get('shared')!.scopes.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `s${i}`).sort());
  });

  test('withLock runs one holder at a time and reports a lock it cannot make', async () => {
    const file = path.join(dir, 'x.json');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(file, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 10));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    const missing = path.join(dir, 'no', 'such', 'dir', 'x.json');
    const error = await withLock(missing, () => 1).catch((e: unknown) => e);
    expect(isZchatError(error) && error.code).toBe('store_locked');
    expect((error as Error).message).toContain('ENOENT');
  });

  // The lock is taken with proper-lockfile's sync calls (lock.ts); its mtime must still be kept fresh while
  // held, or another process would take a long hold over as stale. That process tries every 100 ms for
  // more than twice the stale time (2 s, proper-lockfile's least) and must never get it.
  test('a lock held longer than the stale time stays ours: another process cannot take it over', async () => {
    const file = path.join(dir, 'z.json');
    const lockDir = lockPathFor(file);
    const staleMs = 2000;
    const script = `
      const lockfile = require('proper-lockfile');
      const until = Date.now() + ${2.25 * staleMs};
      let got = 0, busy = 0;
      const tick = () => {
        try { lockfile.lockSync(${JSON.stringify(file)}, { stale: ${staleMs}, realpath: false, lockfilePath: ${JSON.stringify(lockDir)} }); got++; }
        catch (e) { if (e.code === 'ELOCKED') busy++; else throw e; }
        if (Date.now() < until && got === 0) setTimeout(tick, 100); else console.log(JSON.stringify({ got, busy }));
      };
      tick();`;
    const mtimes = new Set<number>();
    const result = await withLock(
      file,
      async (assertHeld) => {
        const { execFile } = await import('node:child_process');
        const child = new Promise<string>((resolve, reject) =>
          execFile(process.execPath, ['-e', script], { cwd: process.cwd() }, (error, stdout) =>
            error ? reject(error) : resolve(stdout),
          ),
        );
        const timer = setInterval(() => mtimes.add(fs.statSync(lockDir).mtimeMs), 100);
        try {
          const out = await child;
          assertHeld();
          return JSON.parse(out) as { got: number; busy: number };
        } finally {
          clearInterval(timer);
        }
      },
      { staleMs },
    );
    expect(result.got).toBe(0);
    expect(result.busy).toBeGreaterThan(10);
    // Refreshed every stale/2 while held.
    expect(mtimes.size).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  test('a lock lost while held (compromised) refuses the write', async () => {
    const file = path.join(dir, 'y.json');
    const error = await withLock(
      file,
      async (assertHeld) => {
        // Someone removed our lock: proper-lockfile notices on its next mtime update (after 1 s at least).
        fs.rmdirSync(lockPathFor(file));
        const until = Date.now() + 5000;
        while (Date.now() < until) {
          await new Promise((r) => setTimeout(r, 100));
          assertHeld();
        }
      },
      { staleMs: 2000 },
    ).catch((e: unknown) => e);
    expect(isZchatError(error) && error.code).toBe('store_locked');
    expect((error as Error).message).toContain('was lost');
  });
});
