import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultConfigDir, PROJECT_NAME, resolveConfigDir } from '../../../source/core/store/paths.js';
import { removeDir, tempDir } from './helpers.js';

const saved = process.env.XDG_CONFIG_HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = saved;
});

describe('where the store lives', () => {
  test.runIf(process.platform === 'linux')('the default directory is the one conf picks', () => {
    const xdg = tempDir();
    try {
      process.env.XDG_CONFIG_HOME = xdg;
      // conf computes its directory from env-paths at construction; with XDG_CONFIG_HOME it stays in temp.
      const conf = new Conf({ projectName: PROJECT_NAME, projectSuffix: '' });
      expect(path.dirname(conf.path)).toBe(defaultConfigDir(process.env));
      expect(defaultConfigDir(process.env)).toBe(path.join(xdg, 'zchat-auth'));
    } finally {
      removeDir(xdg);
    }
  });

  test('per platform, as env-paths', () => {
    const home = path.join(path.sep, 'home', 'u');
    expect(defaultConfigDir({}, 'linux', home)).toBe(path.join(home, '.config', 'zchat-auth'));
    expect(defaultConfigDir({}, 'darwin', home)).toBe(
      path.join(home, 'Library', 'Preferences', 'zchat-auth'),
    );
    expect(defaultConfigDir({ APPDATA: path.join(path.sep, 'ad') }, 'win32', home)).toBe(
      path.join(path.sep, 'ad', 'zchat-auth', 'Config'),
    );
    expect(defaultConfigDir({}, 'win32', home)).toBe(
      path.join(home, 'AppData', 'Roaming', 'zchat-auth', 'Config'),
    );
    expect(defaultConfigDir({})).toBe(defaultConfigDir(process.env.XDG_CONFIG_HOME ? {} : process.env));
  });

  test('dir, then ZCHAT_AUTH_CONFIG_DIR (non-empty), then the default; always absolute', () => {
    const env = { ZCHAT_AUTH_CONFIG_DIR: 'relative/dir', XDG_CONFIG_HOME: path.join(os.tmpdir(), 'x') };
    expect(resolveConfigDir('/a/b', env)).toBe(path.resolve('/a/b'));
    expect(resolveConfigDir(undefined, env)).toBe(path.resolve('relative/dir'));
    expect(resolveConfigDir(undefined, { ...env, ZCHAT_AUTH_CONFIG_DIR: '' })).toBe(
      path.join(os.tmpdir(), 'x', 'zchat-auth'),
    );
    expect(fs.existsSync(path.resolve('relative/dir'))).toBe(false);
  });
});
