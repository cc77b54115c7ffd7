/**
 * The tweak `v8-code-cache` (source/fast-loader.ts): V8's code for dist/fast.cjs kept in the user's cache
 * directory. A cache file is code V8 runs, so it is used only from a private directory (0700) and a private
 * file (0600) of the user's, never through a link; the built CLI gives the same answers with it, and
 * ZCHAT_AUTH_NO_TWEAKS=1 neither reads nor writes one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cacheDirFor, codeCacheFor } from '../../../source/fast-loader.js';
import { bin, cleanEnv, ensureBuilt, root, writeStoredToken } from '../../cli/helpers.js';

let tmp: string;
let bundle: string;
let dir: string;
const data = Buffer.from('compiled code, as far as this test knows');

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-code-cache-'));
  bundle = path.join(tmp, 'fast.cjs');
  fs.writeFileSync(bundle, 'void 0;\n');
  dir = path.join(tmp, 'cache', 'zchat-auth');
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cacheFiles = () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describe('codeCacheFor', () => {
  test('writes a 0600 file in a 0700 directory it makes, and reads it back', () => {
    const cache = codeCacheFor(bundle, {}, dir)!;
    expect(cache.read()).toBeUndefined();
    cache.write(data);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = cacheFiles();
    expect(file).toMatch(new RegExp(`^fast-${process.version.replaceAll('.', '\\.')}-${process.arch}-`));
    expect(fs.statSync(path.join(dir, file!)).mode & 0o777).toBe(0o600);
    expect(cache.read()).toEqual(data);
  });

  test('a rebuilt bundle has a cache of its own, and the old one is removed when it is written', () => {
    codeCacheFor(bundle, {}, dir)!.write(data);
    fs.writeFileSync(bundle, 'void 1; // another build\n');
    const next = codeCacheFor(bundle, {}, dir)!;
    expect(next.read()).toBeUndefined();
    next.write(Buffer.from('newer'));
    expect(cacheFiles()).toHaveLength(1);
    expect(next.read()?.toString()).toBe('newer');
  });

  // dist/fast.cjs and dist/ui.cjs (the screens) are built together but written apart: each write cleared
  // every other build's cache, so the two bundles' caches removed each other at every start.
  test("each bundle keeps its own: a write clears that bundle's old builds, never the other bundle's", () => {
    const ui = path.join(tmp, 'ui.cjs');
    fs.writeFileSync(ui, 'void "ui";\n');
    codeCacheFor(bundle, {}, dir, 'token')!.write(Buffer.from('token code'));
    codeCacheFor(ui, {}, dir, 'screens')!.write(Buffer.from('screens code'));
    expect(
      cacheFiles()
        .map((f) => f.split('-')[0])
        .sort(),
    ).toEqual(['fast', 'ui']);
    expect(codeCacheFor(bundle, {}, dir, 'token')!.read()?.toString()).toBe('token code');
    expect(codeCacheFor(ui, {}, dir, 'screens')!.read()?.toString()).toBe('screens code');
    fs.writeFileSync(ui, 'void "ui, rebuilt";\n');
    codeCacheFor(ui, {}, dir, 'screens')!.write(Buffer.from('new screens code'));
    expect(cacheFiles()).toHaveLength(2);
    expect(codeCacheFor(bundle, {}, dir, 'token')!.read()?.toString()).toBe('token code');
    expect(codeCacheFor(ui, {}, dir, 'screens')!.read()?.toString()).toBe('new screens code');
  });

  test("each command keeps a cache of its own; a rebuild removes the old build's, never this build's others", () => {
    codeCacheFor(bundle, {}, dir, 'token')!.write(Buffer.from('token code'));
    codeCacheFor(bundle, {}, dir, 'status')!.write(Buffer.from('status code'));
    expect(cacheFiles()).toHaveLength(2);
    expect(codeCacheFor(bundle, {}, dir, 'token')!.read()?.toString()).toBe('token code');
    expect(codeCacheFor(bundle, {}, dir, 'status')!.read()?.toString()).toBe('status code');
    fs.writeFileSync(bundle, 'void 1; // another build\n');
    expect(codeCacheFor(bundle, {}, dir, 'status')!.read()).toBeUndefined();
    codeCacheFor(bundle, {}, dir, 'token')!.write(Buffer.from('newer'));
    expect(cacheFiles()).toHaveLength(1);
  });

  // A process killed while it wrote (the dashboard is often killed rather than quit) left its temporary
  // file behind for good: ~1 MB for the screens, and a bench that took it for the cache.
  test("a write removes the half-written file of a writer that is gone, never a live writer's", () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
    const cache = codeCacheFor(bundle, {}, dir, 'screens')!;
    cache.write(data);
    const [file] = cacheFiles();
    const stale = `${file}.${ended}.tmp`;
    const live = `${file}.${process.ppid}.tmp`;
    fs.writeFileSync(path.join(dir, stale), 'half');
    fs.writeFileSync(path.join(dir, live), 'half');
    cache.write(data);
    expect(cacheFiles().sort()).toEqual([file, live].sort());
    expect(cache.read()).toEqual(data);
  });

  const hostile: [string, () => void][] = [
    ['the directory is group- and world-writable', () => fs.chmodSync(dir, 0o777)],
    ['the directory can be read by others', () => fs.chmodSync(dir, 0o755)],
    [
      'the directory is a link to a private one',
      () => {
        const real = path.join(tmp, 'elsewhere');
        fs.renameSync(dir, real);
        fs.symlinkSync(real, dir);
      },
    ],
    ['the file can be read by others', () => fs.chmodSync(path.join(dir, cacheFiles()[0]!), 0o644)],
    ['the file can be written by the group', () => fs.chmodSync(path.join(dir, cacheFiles()[0]!), 0o620)],
    [
      'the file is a link to a private file',
      () => {
        const file = path.join(dir, cacheFiles()[0]!);
        const real = path.join(dir, 'real');
        fs.renameSync(file, real);
        fs.symlinkSync(real, file);
      },
    ],
    ...(process.getuid?.() === 0
      ? ([
          [
            'the file belongs to another user',
            () => fs.chownSync(path.join(dir, cacheFiles()[0]!), 65534, 65534),
          ],
          ['the directory belongs to another user', () => fs.chownSync(dir, 65534, 65534)],
        ] as [string, () => void][])
      : []),
  ];

  test.each(hostile)('%s: not read, and nothing written there', (_case, spoil) => {
    codeCacheFor(bundle, {}, dir)!.write(data);
    spoil();
    const cache = codeCacheFor(bundle, {}, dir)!;
    expect(cache.read()).toBeUndefined();
    const before = fs.readdirSync(dir).map((name) => [name, fs.lstatSync(path.join(dir, name)).mtimeMs]);
    cache.write(Buffer.from('should not land'));
    const after = fs.readdirSync(dir).map((name) => [name, fs.lstatSync(path.join(dir, name)).mtimeMs]);
    // A spoiled directory is left as it is; a spoiled file in a good directory is replaced by a private one.
    if (/directory/.test(_case)) expect(after).toEqual(before);
    else expect(codeCacheFor(bundle, {}, dir)!.read()?.toString()).toBe('should not land');
  });
});

describe('cacheDirFor', () => {
  test.each([
    [{ HOME: '/home/a' }, 'linux', '/home/a/.cache/zchat-auth'],
    [{ HOME: '/home/a', XDG_CACHE_HOME: '/var/cache/a' }, 'linux', '/var/cache/a/zchat-auth'],
    [{ HOME: '/home/a', XDG_CACHE_HOME: 'relative/cache' }, 'linux', '/home/a/.cache/zchat-auth'],
    [{ HOME: '/Users/a' }, 'darwin', '/Users/a/Library/Caches/zchat-auth'],
    [{ HOME: 'C:\\Users\\a' }, 'win32', undefined],
  ] as const)('%o on %s: %s', (env, platform, expected) => {
    expect(cacheDirFor(env, platform)).toBe(expected);
  });
});

describe('the built CLI', () => {
  const run = (home: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, 'token'], { cwd: root, env: cleanEnv(home, extra), encoding: 'utf8' });

  test('`token` writes the cache once, then starts from it with the same answer', () => {
    ensureBuilt();
    writeStoredToken(tmp, 'http://127.0.0.1:9');
    const first = run(tmp);
    expect(first.status).toBe(0);
    const cacheDir = path.join(tmp, '.cache', 'zchat-auth');
    const [file] = fs.readdirSync(cacheDir);
    expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
    const written = fs.statSync(path.join(cacheDir, file!));
    expect(written.mode & 0o777).toBe(0o600);
    const second = run(tmp);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
    // V8 took it: a refused cache would have been written again (a new file, renamed into place).
    const now = fs.statSync(path.join(cacheDir, file!));
    expect([now.ino, now.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  // V8 compiles a function when it is first called, and a cache holds what its run compiled: `status`
  // starting from a cache `token` wrote compiled its whole listing again at every start.
  test('`token` and `status --json` each write a cache of their own once, then start from it', () => {
    ensureBuilt();
    writeStoredToken(tmp, 'http://127.0.0.1:9');
    const cacheDir = path.join(tmp, '.cache', 'zchat-auth');
    const stamps = () =>
      fs
        .readdirSync(cacheDir)
        .sort()
        .map((file) => {
          const stat = fs.statSync(path.join(cacheDir, file));
          return [file, stat.ino, stat.mtimeMs];
        });
    const status = () =>
      spawnSync(process.execPath, [bin, 'status', '--json'], {
        cwd: root,
        env: cleanEnv(tmp),
        encoding: 'utf8',
      });
    expect(run(tmp).status).toBe(0);
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    const first = status();
    expect(first.status).toBe(0);
    const written = stamps();
    expect(written).toHaveLength(2);
    expect(written.map(([file]) => String(file).replace(/^fast-.*-(\w+)\.v8$/, '$1'))).toEqual([
      'status',
      'token',
    ]);
    expect(run(tmp).status).toBe(0);
    const second = status();
    expect(JSON.parse(second.stdout).profiles).toEqual(
      (JSON.parse(first.stdout).profiles as { token: { ageSeconds: number } }[]).map((p) => ({
        ...p,
        token: { ...p.token, ageSeconds: expect.any(Number) },
      })),
    );
    expect(stamps()).toEqual(written);
  });

  test('ZCHAT_AUTH_NO_TWEAKS=1: the same answer, and no cache read or written', () => {
    ensureBuilt();
    writeStoredToken(tmp, 'http://127.0.0.1:9');
    const off = run(tmp, { ZCHAT_AUTH_NO_TWEAKS: '1' });
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/\S/);
    expect(fs.existsSync(path.join(tmp, '.cache'))).toBe(false);
    expect(run(tmp).stdout).toBe(off.stdout);
  });
});
