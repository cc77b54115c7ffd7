/**
 * The list of tweaks (source/tweaks.mjs) is the whole truth: the packages each touches are pinned exactly,
 * each names a guard that exists, and ZCHAT_AUTH_NO_TWEAKS=1 leaves the bundle and the screens untouched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { buildOptionsFor } from '../scripts/build-options.mjs';
import { activeTweaks, NO_TWEAKS_VARIABLE, tweaks, tweaksOff } from '../source/tweaks.mjs';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
};
const exact = /^\d+\.\d+\.\d+$/;

describe('the list of tweaks', () => {
  test('ids are unique, and each says what it gains and which test guards it', () => {
    expect(new Set(tweaks.map((t) => t.id)).size).toBe(tweaks.length);
    for (const t of tweaks) {
      expect(t.gain, t.id).not.toBe('');
      const files = t.guard.match(/test\/[\w/.-]+\.test\.tsx?/g) ?? [];
      expect(files.length, t.id).toBeGreaterThan(0);
      for (const file of files) expect(fs.existsSync(path.join(root, file)), `${t.id}: ${file}`).toBe(true);
    }
  });

  test("the README's performance section lists every tweak and the switch", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Performance'));
    for (const t of tweaks) expect(section, t.id).toContain(`\`${t.id}\``);
    expect(section).toContain(`${NO_TWEAKS_VARIABLE}=1`);
  });

  test('every package a tweak touches is pinned exactly, or says why not', () => {
    for (const t of tweaks) {
      for (const name of t.touches) {
        if (name === 'V8' || t.unpinned?.[name]) continue;
        const direct = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
        const pinned = direct ?? pkg.overrides?.[name];
        expect(pinned, `${t.id} touches ${name}`).toMatch(exact);
      }
    }
  });

  test.each([
    [{}, false],
    [{ [NO_TWEAKS_VARIABLE]: '' }, false],
    [{ [NO_TWEAKS_VARIABLE]: '0' }, false],
    [{ [NO_TWEAKS_VARIABLE]: '1' }, true],
    [{ [NO_TWEAKS_VARIABLE]: 'yes' }, true],
  ])('%o: all off is %s', (env, off) => {
    expect(tweaksOff(env)).toBe(off);
    const active = [...activeTweaks('build', env), ...activeTweaks('run', env)];
    expect(active.length).toBe(off ? 0 : tweaks.length);
  });
});

describe(`${NO_TWEAKS_VARIABLE}=<ids>: those tweaks only`, () => {
  test.each([
    ['dashboard-code-cache', ['dashboard-code-cache']],
    ['dashboard-code-cache, collect-when-idle', ['dashboard-code-cache', 'collect-when-idle']],
    ['narrow-string-width', ['narrow-string-width']],
  ])('%s: off, every other tweak on', (value, off) => {
    const env = { [NO_TWEAKS_VARIABLE]: value };
    expect(tweaksOff(env)).toBe(false);
    const active = new Set([...activeTweaks('build', env), ...activeTweaks('run', env)]);
    expect(tweaks.map((t) => t.id).filter((id) => !active.has(id))).toEqual(off);
  });

  // A typo must not leave a tweak on that the user meant to turn off: every one goes instead.
  test.each(['dashboard-code-cach', 'dashboard-code-cache,nope', ','])(
    '%s (not a list of ids): all off',
    (value) => {
      const env = { [NO_TWEAKS_VARIABLE]: value };
      expect(tweaksOff(env)).toBe(true);
      expect([...activeTweaks('run', env)]).toEqual([]);
    },
  );
});

describe(`${NO_TWEAKS_VARIABLE}=1 at build time`, () => {
  test('bundles the dependencies as published: no wrapper, no swapped function, ListFormat at load', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-no-tweaks-'));
    try {
      await build({
        ...buildOptionsFor({ [NO_TWEAKS_VARIABLE]: '1' }),
        // Readable, to find the modules by their comments and the functions by name.
        minify: false,
        entryPoints: [path.join(root, 'source/cli.ts')],
        outdir,
        chunkNames: 'chunks/[name]-[hash]',
      });
      const text = fs
        .readdirSync(path.join(outdir, 'chunks'))
        .map((name) => fs.readFileSync(path.join(outdir, 'chunks', name), 'utf8'))
        .join('\n');
      expect(text).toContain('// node_modules/ink/build/output.js');
      expect(text).not.toMatch(/narrowWidth\(text, options\)/);
      expect(text).not.toMatch(/createStyledCharsToString\(/);
      expect(text).not.toMatch(/lazyListFormat/);
      expect(text).toMatch(/^(?:var|const|let) \w+ = new Intl\.ListFormat\(/m);
      expect(text).toContain('// node_modules/http2-wrapper/');
      expect(text).not.toContain('zchat-auth bundles got without');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
