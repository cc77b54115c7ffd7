/**
 * The tweak `dashboard-code-cache`: the screens run from dist/ui.cjs, whose compiled code V8 keeps in the
 * user's cache directory. The built CLI in a terminal: the first dashboard writes the cache (once), the next
 * starts from it and draws the same screen. V8 refuses a cache made under other flags than the process
 * starts with, and the loader writes a new one whenever it was refused: a cache left as it was by the
 * second run is one V8 took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTerminal } from '../e2e/helpers/terminal.js';
import { cleanEnv, ensureBuilt, runBuilt, type TempDir, tempDir, writeStoredToken } from './helpers.js';

let tmp: TempDir;
beforeAll(async () => {
  ensureBuilt();
  tmp = await tempDir('zchat-dashboard-cache-');
});
afterAll(async () => {
  await tmp?.remove();
});

/** Runs the dashboard to its first frame in a terminal and quits with q; returns the screen it drew. */
async function dashboard(dir: string, extra: Record<string, string> = {}): Promise<string> {
  const term = startTerminal([], cleanEnv(dir, extra));
  try {
    const screen = await term.waitForScreen(/Tokens[\s\S]*demo/);
    term.press('q');
    expect((await term.ended).code).toBe(0);
    return screen;
  } finally {
    term.kill();
  }
}

/** The cache files in the home directory cleanEnv gives (HOME is the store's directory). */
function caches(dir: string): { name: string; mode: number; id: string }[] {
  const cacheDir = path.join(dir, '.cache', 'zchat-auth');
  if (!fs.existsSync(cacheDir)) return [];
  return fs.readdirSync(cacheDir).map((name) => {
    const stat = fs.statSync(path.join(cacheDir, name));
    return { name, mode: stat.mode & 0o777, id: `${stat.ino}:${stat.mtimeMs}` };
  });
}

// The lines that do not move between two starts (the clock and the lists' loading state may).
const stable = (screen: string) =>
  screen.split('\n').filter((line) => /demo|Tokens|Clients/.test(line) && !/\d\d:\d\d|loading|…/.test(line));

describe('the dashboard from dist/ui.cjs with its code cache', () => {
  test('the first start writes the cache once; the second starts from it and draws the same screen', async () => {
    const dir = path.join(tmp.dir, 'cached');
    // A closed loopback port: the lists fail the same way in both runs, nothing leaves the machine.
    writeStoredToken(dir, 'http://127.0.0.1:9');
    const first = await dashboard(dir);
    const written = caches(dir);
    expect(written).toHaveLength(1);
    expect(written[0]?.name).toMatch(/^ui-v\d+\.\d+\.\d+-.*-screens\.v8$/);
    expect(written[0]?.mode).toBe(0o600);

    const second = await dashboard(dir);
    expect(caches(dir)).toEqual(written);
    expect(stable(second)).toEqual(stable(first));
    expect(stable(first).length).toBeGreaterThan(0);
  }, 60_000);

  // `login` runs from dist/ui.cjs too; without screens (--no-tui) the loader writes its cache at exit.
  test('`login` keeps a cache of its own, written at exit and then read back', async () => {
    const dir = path.join(tmp.dir, 'login');
    writeStoredToken(dir, 'http://127.0.0.1:9');
    const args = ['login', '--no-tui', '--flow', 'nope'];
    const first = await runBuilt(args, cleanEnv(dir));
    expect(first.code).toBe(2);
    const written = caches(dir);
    expect(written.map((c) => c.name)).toEqual([expect.stringMatching(/^ui-.*-login\.v8$/)]);
    const second = await runBuilt(args, cleanEnv(dir));
    expect(second.stderr).toBe(first.stderr);
    expect(caches(dir)).toEqual(written);
  }, 60_000);

  test('ZCHAT_AUTH_NO_TWEAKS=dashboard-code-cache: the ESM bundle draws it, and no cache is written', async () => {
    const dir = path.join(tmp.dir, 'esm');
    writeStoredToken(dir, 'http://127.0.0.1:9');
    const screen = await dashboard(dir, { ZCHAT_AUTH_NO_TWEAKS: 'dashboard-code-cache' });
    expect(screen).toMatch(/demo/);
    expect(caches(dir)).toEqual([]);
  }, 60_000);
});
