import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { isZchatError, type ZchatError } from '../../../source/core/errors.js';
import { openStore } from '../../../source/core/store/store.js';
import { SCHEMA_VERSION, type StoredToken, type TokenStore } from '../../../source/core/store/types.js';
import { keyringMode } from '../../secrets-mode.js';
import { modeOf, removeDir, sampleProfile, tempDir } from './helpers.js';

let root: string;
let dir: string;
let store: TokenStore;

beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'nested', 'store');
  store = openStore({ dir });
});
afterEach(() => removeDir(root));

async function caught(run: () => unknown): Promise<ZchatError> {
  try {
    await run();
  } catch (error) {
    if (isZchatError(error)) return error;
    throw error;
  }
  throw new Error('expected a ZchatError');
}

const onDisk = () => JSON.parse(fs.readFileSync(store.path, 'utf8'));

describe('reading and writing profiles', () => {
  test('an empty store reads as empty and reading creates nothing', async () => {
    expect(store.path).toBe(path.join(dir, 'config.json'));
    expect(store.list()).toEqual([]);
    expect(store.get('demo')).toBeUndefined();
    expect(store.defaultProfile()).toBeUndefined();
    const error = await caught(() => store.resolve());
    expect(error.code).toBe('no_profile');
    expect(error.hint).toContain('zchat-auth login');
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('the first profile saved becomes the default; the file carries the schema version', async () => {
    const saved = await store.save(sampleProfile('demo'));
    expect(saved.createdAt).toBe(saved.updatedAt);
    expect(store.defaultProfile()).toBe('demo');
    await store.save(sampleProfile('other'));
    expect(store.defaultProfile()).toBe('demo');
    // 2 marks secrets in the keyring, which older versions cannot read; a file-only store stays at 1.
    expect(onDisk().schemaVersion).toBe(keyringMode ? SCHEMA_VERSION : 1);
    expect(Object.keys(onDisk().profiles)).toEqual(['demo', 'other']);
    expect(store.resolve().name).toBe('demo');
    expect(store.resolve('other').name).toBe('other');
    expect((await caught(() => store.resolve('nope'))).code).toBe('no_profile');
  });

  test('listings are masked and sorted; get gives the secrets', async () => {
    await store.save(sampleProfile('zeta'));
    await store.save(
      sampleProfile('alpha', { token: undefined, clientSecret: undefined, username: 'a@b.c' }),
    );
    const list = store.list();
    expect(list.map((p) => p.name)).toEqual(['alpha', 'zeta']);
    const zeta = list[1]!;
    expect(zeta.isDefault).toBe(true);
    expect(zeta.hasClientSecret).toBe(true);
    expect(zeta.token?.accessTokenMasked).toBe('hat_…9f3c');
    expect(zeta.token?.hasRefreshToken).toBe(true);
    expect(list[0]!.hasClientSecret).toBe(false);
    expect(list[0]!.token).toBeUndefined();
    expect(list[0]!.username).toBe('a@b.c');
    const text = JSON.stringify(list);
    const full = store.get('zeta')!;
    for (const secret of [full.token!.accessToken, full.token!.refreshToken!, full.clientSecret!]) {
      expect(text).not.toContain(secret);
    }
    expect(full.token!.accessToken).toBe('hat_zeta_0123456789abcdef9f3c');
  });

  // The hash is worked out when first read (status never reads one): to every reader it is a plain field.
  test("a listed token's hash is its access token's SHA-256, in spreads, clones, JSON and key order", async () => {
    const { createHash } = await import('node:crypto');
    await store.save(sampleProfile('demo'));
    await store.save(
      sampleProfile('other', { token: { ...sampleProfile('x').token!, expiresAt: undefined } }),
    );
    for (const view of store.list()) {
      const token = view.token!;
      const sha = createHash('sha256').update(
        `hat_${view.name === 'demo' ? 'demo' : 'x'}_0123456789abcdef9f3c`,
      );
      const expected = sha.digest('hex');
      expect(token.accessTokenSha256).toBe(expected);
      expect({ ...token }.accessTokenSha256).toBe(expected);
      expect(structuredClone(token).accessTokenSha256).toBe(expected);
      expect(JSON.parse(JSON.stringify(view)).token.accessTokenSha256).toBe(expected);
      expect(Object.keys(token)).toEqual([
        'tokenType',
        'scope',
        'grant',
        'obtainedAt',
        'accessTokenMasked',
        'accessTokenSha256',
        'hasRefreshToken',
      ]);
      expect(Object.isFrozen(token)).toBe(true);
    }
    // Listed again (the same version): the same answer, from the same frozen view.
    expect(store.list()[0]!.token!.accessTokenSha256).toBe(store.list()[0]!.token!.accessTokenSha256);
  });

  test('prepareWrites loads the write path without writing anything', async () => {
    await store.prepareWrites?.();
    expect(fs.existsSync(dir)).toBe(false);
    await store.save(sampleProfile('demo'));
    expect(store.list()).toHaveLength(1);
  });

  // The warm-up save (the write path's code compiled ahead of a login's write) goes to a store of its own in
  // a private temporary directory, file secrets only, and leaves nothing behind.
  test('prepareWrites warms up in a temporary store of its own and removes it', async () => {
    await store.save(sampleProfile('demo'));
    const before = fs.readFileSync(store.path);
    const made: string[] = [];
    const mkdtemp = fs.mkdtempSync;
    const spy = vi.spyOn(fs, 'mkdtempSync').mockImplementation(((prefix: string) => {
      const dir = mkdtemp(prefix);
      made.push(dir);
      return dir;
    }) as typeof fs.mkdtempSync);
    const signature = () => {
      const stat = fs.statSync(store.path);
      return `${stat.ino}:${stat.mtimeMs}:${stat.ctimeMs}`;
    };
    const was = signature();
    // What the warm-up store held when it was removed: its own file, the warm-up profile's token in it.
    const removed: string[] = [];
    const rm = fs.rmSync;
    const rmSpy = vi.spyOn(fs, 'rmSync').mockImplementation(((target: string, options) => {
      if (made.includes(target)) {
        removed.push(...fs.readdirSync(target));
        const written = JSON.parse(fs.readFileSync(path.join(target, 'config.json'), 'utf8'));
        removed.push(...Object.keys(written.profiles));
      }
      rm(target, options);
    }) as typeof fs.rmSync);
    try {
      await store.prepareWrites?.();
    } finally {
      spy.mockRestore();
      rmSpy.mockRestore();
    }
    expect(removed).toEqual(['config.json', 'warm-up']);
    expect(made).toHaveLength(1);
    expect(path.dirname(made[0] as string)).toBe(fs.realpathSync(os.tmpdir()));
    expect(path.basename(made[0] as string)).toMatch(/^zchat-auth-warm-up-/);
    expect(fs.existsSync(made[0] as string)).toBe(false);
    // The real store was not written (not even the same bytes again).
    expect(signature()).toBe(was);
    expect(fs.readFileSync(store.path).equals(before)).toBe(true);
  });

  test('returned objects are copies: mutating them changes nothing stored', async () => {
    await store.save(sampleProfile('demo'));
    const got = store.get('demo')!;
    got.scopes.push('chat');
    got.token!.accessToken = 'changed';
    expect(store.get('demo')!.scopes).toEqual(['read', 'write']);
    expect(store.resolve().token!.accessToken).toBe('hat_demo_0123456789abcdef9f3c');
  });

  test('one version of the file is listed once: the same views until a write, which cannot be changed', async () => {
    await store.save(sampleProfile('demo'));
    await store.save(sampleProfile('other'));
    const first = store.list();
    const second = store.list();
    // The same view objects: the records were sorted and masked once for this version of the file.
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    // A caller's array is its own; the views cannot be changed under the next caller.
    first.pop();
    expect(store.list()).toHaveLength(2);
    const view = second[0] as { name: string; scopes: string[] };
    expect(view.scopes).toEqual(['read', 'write']);
    expect(() => {
      view.name = 'x';
    }).toThrow(TypeError);
    expect(() => view.scopes.push('chat')).toThrow(TypeError);
    // Another process's write is a new version: new views, with its change.
    await openStore({ dir }).setDefault('other');
    const after = store.list();
    expect(after[0]).not.toBe(first[0]);
    expect(after.map((p) => [p.name, p.isDefault])).toEqual([
      ['demo', false],
      ['other', true],
    ]);
  });
  test('saving again keeps createdAt and moves updatedAt', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const timed = openStore({ dir, now: () => new Date(clock) });
    await timed.save(sampleProfile('demo'));
    clock += 60_000;
    const again = await timed.save(sampleProfile('demo', { scopes: ['read'] }));
    expect(again.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(again.updatedAt).toBe('2025-01-01T00:01:00.000Z');
    expect(timed.get('demo')!.scopes).toEqual(['read']);
  });

  test('update changes one profile, writes nothing when nothing changed, and can rename', async () => {
    await store.save(sampleProfile('demo'));
    await store.save(sampleProfile('other'));
    const updated = await store.update('demo', (p) => ({ ...p, scopes: ['read', 'write', 'chat'] }));
    expect(updated.scopes).toEqual(['read', 'write', 'chat']);
    expect(onDisk().profiles.demo.scopes).toEqual(['read', 'write', 'chat']);

    const before = fs.statSync(store.path);
    await store.update('demo', (p) => p);
    await store.update('demo', (p) => ({ ...p }));
    const after = fs.statSync(store.path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);

    const renamed = await store.update('demo', (p) => ({ ...p, name: 'renamed' }));
    expect(renamed.name).toBe('renamed');
    expect(store.get('demo')).toBeUndefined();
    expect(store.defaultProfile()).toBe('renamed');

    const clash = await caught(() => store.update('renamed', (p) => ({ ...p, name: 'other' })));
    expect(clash.code).toBe('usage');
    expect((await caught(() => store.update('missing', (p) => p))).code).toBe('no_profile');
  });

  test('remove: the default moves to the only one left, or to none', async () => {
    expect(await store.remove('missing')).toBe(false);
    for (const name of ['a', 'b', 'c']) await store.save(sampleProfile(name));
    expect(await store.remove('a')).toBe(true);
    expect(store.defaultProfile()).toBeUndefined();
    const several = await caught(() => store.resolve());
    expect(several.code).toBe('no_profile');
    expect(several.message).toContain('2 profiles');
    await store.setDefault('c');
    expect(await store.remove('c')).toBe(true);
    expect(store.defaultProfile()).toBe('b');
    expect(store.resolve().name).toBe('b');
  });

  test('setDefault needs an existing profile and is idempotent', async () => {
    await store.save(sampleProfile('a'));
    await store.save(sampleProfile('b'));
    expect((await caught(() => store.setDefault('zz'))).code).toBe('no_profile');
    await store.setDefault('b');
    await store.setDefault('b');
    expect(store.defaultProfile()).toBe('b');
    expect(store.list().find((p) => p.isDefault)?.name).toBe('b');
  });

  test('recordTest keeps the last test with the profile', async () => {
    await store.save(sampleProfile('demo'));
    await store.recordTest('demo', {
      at: '2025-01-01T00:00:00.000Z',
      ok: false,
      result: 'expired-or-revoked',
      status: 401,
    });
    expect(store.get('demo')!.lastTest).toEqual({
      at: '2025-01-01T00:00:00.000Z',
      ok: false,
      result: 'expired-or-revoked',
      status: 401,
    });
    expect(store.list()[0]!.lastTest?.result).toBe('expired-or-revoked');
    expect(
      (
        await caught(() =>
          store.recordTest('zz', { at: '2025-01-01T00:00:00.000Z', ok: true, result: 'valid' }),
        )
      ).code,
    ).toBe('no_profile');
  });

  test('a profile that does not pass the schema is refused and nothing is written', async () => {
    await store.save(sampleProfile('demo'));
    const bytes = fs.readFileSync(store.path);
    const error = await caught(() => store.save({ ...sampleProfile('bad'), clientId: '' }));
    expect(error.code).toBe('usage');
    expect(error.message).toContain('profiles.bad.clientId');
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
  });

  test('unknown fields written by a newer minor release survive a rewrite', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const profile = {
      ...sampleProfile('demo'),
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      color: 'teal',
    };
    fs.writeFileSync(store.path, JSON.stringify({ schemaVersion: 1, profiles: { demo: profile }, extra: 1 }));
    await store.save(sampleProfile('other'));
    expect(onDisk().profiles.demo.color).toBe('teal');
    expect(onDisk().extra).toBe(1);
    expect(JSON.stringify(store.list())).not.toContain('teal');
  });
});

describe('refreshLocked', () => {
  const newer: StoredToken = {
    accessToken: 'hat_new_0123456789abcdef0000',
    refreshToken: 'hrt_new_0123456789abcdef0000',
    tokenType: 'Bearer',
    scope: 'read write',
    grant: 'refresh_token',
    obtainedAt: '2025-02-01T00:00:00.000Z',
  };

  test('spends the refresh token read inside the lock and stores the new pair; the old test goes', async () => {
    await store.save(
      sampleProfile('demo', { lastTest: { at: '2025-01-01T00:00:00.000Z', ok: true, result: 'valid' } }),
    );
    const seen = store.get('demo')!.token!.accessToken;
    let spentWith: string | undefined;
    const out = await store.refreshLocked('demo', seen, async (profile) => {
      spentWith = profile.token?.refreshToken;
      return newer;
    });
    expect(spentWith).toBe('hrt_demo_0123456789abcdefa1b2');
    expect(out).toEqual({ token: newer, rotatedElsewhere: false });
    expect(store.get('demo')!.token).toEqual(newer);
    expect(store.get('demo')!.lastTest).toBeUndefined();
  });

  test('when another writer rotated the token meanwhile, its token is returned and nothing is spent', async () => {
    await store.save(sampleProfile('demo'));
    const seen = store.get('demo')!.token!.accessToken;
    const other = openStore({ dir });
    await other.update('demo', (p) => ({ ...p, token: newer }));
    let spent = 0;
    const out = await store.refreshLocked('demo', seen, async () => {
      spent++;
      return newer;
    });
    expect(spent).toBe(0);
    expect(out).toEqual({ token: newer, rotatedElsewhere: true });
  });

  test('a failed spend writes nothing and frees the lock', async () => {
    await store.save(sampleProfile('demo'));
    const bytes = fs.readFileSync(store.path);
    await expect(
      store.refreshLocked('demo', undefined, async () => {
        throw new Error('invalid_grant');
      }),
    ).rejects.toThrow('invalid_grant');
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
    expect(fs.existsSync(`${store.path}.lock`)).toBe(false);
    const started = Date.now();
    await store.save(sampleProfile('next'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await caught(() => store.refreshLocked('zz', undefined, async () => newer))).code).toBe(
      'no_profile',
    );
  });
});

describe('file and directory permissions', () => {
  test.skipIf(process.platform === 'win32')(
    'file 0600 and directory 0700 after the first write',
    async () => {
      await store.save(sampleProfile('demo'));
      expect(modeOf(store.path)).toBe(0o600);
      expect(modeOf(dir)).toBe(0o700);
    },
  );

  test.skipIf(process.platform === 'win32')(
    'a 0644 file in a 0755 directory is tightened on rewrite',
    async () => {
      await store.save(sampleProfile('demo'));
      fs.chmodSync(store.path, 0o644);
      fs.chmodSync(dir, 0o755);
      await store.save(sampleProfile('other'));
      expect(modeOf(store.path)).toBe(0o600);
      expect(modeOf(dir)).toBe(0o700);
      fs.chmodSync(store.path, 0o644);
      await store.update('demo', (p) => ({ ...p, scopes: ['read'] }));
      expect(modeOf(store.path)).toBe(0o600);
    },
  );

  test.skipIf(process.platform === 'win32')(
    'a shared sticky directory (like /tmp) is refused, never chmod-ed or written',
    async () => {
      const shared = path.join(root, 'shared');
      fs.mkdirSync(shared);
      fs.chmodSync(shared, 0o1777);
      const inShared = openStore({ dir: shared });
      await expect(inShared.save(sampleProfile('demo'))).rejects.toThrow(/shared directory anyone can write/);
      expect(fs.statSync(shared).mode & 0o7777).toBe(0o1777);
      expect(fs.existsSync(inShared.path)).toBe(false);
    },
  );
});

describe('a damaged file', () => {
  async function damagedWith(content: string | Buffer) {
    await store.save(sampleProfile('demo'));
    fs.writeFileSync(store.path, content);
    return fs.readFileSync(store.path);
  }
  const copies = () => fs.readdirSync(dir).filter((f) => f.startsWith('config.json.corrupt-'));

  test('truncated: a copy is kept, the error names both files and how to recover, nothing is overwritten', async () => {
    await store.save(sampleProfile('other'));
    const whole = fs.readFileSync(store.path);
    const bytes = await damagedWith(whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await caught(() => store.save(sampleProfile('third')));
    expect(error.code).toBe('store_corrupt');
    expect(copies()).toHaveLength(1);
    const copy = path.join(dir, copies()[0]!);
    expect(copies()[0]).toMatch(/^config\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(error.message).toContain(store.path);
    expect(error.message).toContain(copy);
    expect(error.hint).toContain('zchat-auth login');
    expect(error.hint).toContain('restore');
    expect(error.sentence).not.toContain('hat_');
    expect(fs.readFileSync(copy).equals(bytes)).toBe(true);
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
    if (process.platform !== 'win32') expect(modeOf(copy)).toBe(0o600);

    // Reads stop too, and do not pile up copies of the same bytes.
    expect((await caught(() => store.list())).code).toBe('store_corrupt');
    expect((await caught(() => openStore({ dir }).resolve())).code).toBe('store_corrupt');
    expect(copies()).toHaveLength(1);
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
  });

  test('an empty file is damaged, not an empty store', async () => {
    await damagedWith('');
    const error = await caught(() => store.list());
    expect(error.code).toBe('store_corrupt');
    expect(error.message).toContain('empty');
    expect(fs.readFileSync(store.path, 'utf8')).toBe('');
  });

  test('a bad record is reported by name and field, never by value, and not dropped', async () => {
    await store.save(sampleProfile('good'));
    const data = JSON.parse(fs.readFileSync(store.path, 'utf8'));
    data.profiles.good.flow = 'telepathy';
    data.profiles.good.token.accessToken = 12345;
    fs.writeFileSync(store.path, JSON.stringify(data));
    const error = await caught(() => store.get('good'));
    expect(error.code).toBe('store_corrupt');
    expect(error.message).toContain('profiles.good.flow');
    expect(error.message).toContain('profiles.good.token.accessToken');
    expect(error.message).not.toContain('telepathy');
    expect(error.message).not.toContain('12345');
    expect(error.message).not.toContain('secret_good');
    expect(copies()).toHaveLength(1);
  });

  test('a profile stored under another name is a bad record', async () => {
    await store.save(sampleProfile('demo'));
    const data = JSON.parse(fs.readFileSync(store.path, 'utf8'));
    data.profiles.alias = data.profiles.demo;
    fs.writeFileSync(store.path, JSON.stringify(data));
    const error = await caught(() => store.list());
    expect(error.message).toContain('profiles.alias.name');
  });

  test('more than three problems are summarised', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(store.path, JSON.stringify({ schemaVersion: 0, profiles: { a: { name: 'a' } } }));
    const error = await caught(() => store.list());
    expect(error.message).toContain('schemaVersion: too small');
    expect(error.message).toMatch(/and \d+ more/);
  });

  test('JSON that is not an object is damaged', async () => {
    await damagedWith('[1,2]');
    expect((await caught(() => store.list())).message).toContain('(top level)');
  });

  test('`{}` (what conf writes for nothing) reads as an empty store and can be written', async () => {
    await damagedWith('{}');
    expect(store.list()).toEqual([]);
    await store.save(sampleProfile('demo'));
    expect(store.list()).toHaveLength(1);
  });

  test('a file that cannot be read is reported with its path', async () => {
    fs.mkdirSync(store.path, { recursive: true });
    const error = await caught(() => store.list());
    expect(error.code).toBe('store_corrupt');
    expect(error.message).toContain(store.path);
    expect(error.message).toContain('EISDIR');
  });
});

describe('a newer schema version', () => {
  function writeNewer(profiles: Record<string, unknown>) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(store.path, JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, profiles }));
    return fs.readFileSync(store.path);
  }

  test('is read when it still fits, but never written', async () => {
    const profile = {
      ...sampleProfile('demo'),
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const bytes = writeNewer({ demo: profile });
    expect(store.resolve().name).toBe('demo');
    for (const write of [
      () => store.save(sampleProfile('x')),
      () => store.remove('demo'),
      () => store.setDefault('demo'),
      () => store.refreshLocked('demo', undefined, async () => profile.token!),
    ]) {
      const error = await caught(write);
      expect(error.code).toBe('store_newer');
      expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
      expect(error.hint).toMatch(/Upgrade/);
    }
    expect(fs.readFileSync(store.path).equals(bytes)).toBe(true);
  });

  test('that does not fit is refused, not treated as damage', async () => {
    writeNewer({ demo: { name: 'demo', shape: 'new' } });
    expect((await caught(() => store.list())).code).toBe('store_newer');
    expect(fs.readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});

describe('seeing other writers', () => {
  test('reads see another writer at once (no stale cache)', async () => {
    await store.save(sampleProfile('demo'));
    expect(store.list()).toHaveLength(1);
    const other = openStore({ dir });
    await other.save(sampleProfile('other'));
    expect(store.list().map((p) => p.name)).toEqual(['demo', 'other']);
    await other.update('demo', (p) => ({ ...p, scopes: ['chat'] }));
    expect(store.get('demo')!.scopes).toEqual(['chat']);
  });

  test('watch reports another writer, not our own writes, until unsubscribed', async () => {
    await store.save(sampleProfile('demo'));
    let calls = 0;
    const stop = store.watch(() => calls++);
    await store.save(sampleProfile('mine'));
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(0);
    await openStore({ dir }).save(sampleProfile('theirs'));
    await expect.poll(() => calls, { timeout: 3000 }).toBe(1);
    stop();
    await openStore({ dir }).save(sampleProfile('later'));
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
  });

  test('watch works before the store exists', async () => {
    let calls = 0;
    const stop = store.watch(() => calls++);
    expect(modeOf(dir)).toBe(process.platform === 'win32' ? modeOf(dir) : 0o700);
    await openStore({ dir }).save(sampleProfile('first'));
    await expect.poll(() => calls, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    stop();
  });
});

describe('a directory that cannot be made', () => {
  test('writes are refused with a sentence naming it; watch still works (by polling)', async () => {
    fs.writeFileSync(path.join(root, 'plain-file'), 'x');
    const blocked = openStore({ dir: path.join(root, 'plain-file', 'store') });
    const error = await caught(() => blocked.save(sampleProfile('demo')));
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(path.join(root, 'plain-file', 'store'));
    expect(error.message).toContain('ENOTDIR');
    expect(blocked.list()).toEqual([]);
    const stop = blocked.watch(() => undefined);
    stop();
  });
});

describe('where the store lives', () => {
  test('ZCHAT_AUTH_CONFIG_DIR is used when no dir is given; dir wins over it', async () => {
    const fromEnv = openStore({ env: { ZCHAT_AUTH_CONFIG_DIR: dir } });
    expect(fromEnv.path).toBe(path.join(dir, 'config.json'));
    await fromEnv.save(sampleProfile('demo'));
    expect(store.get('demo')).toBeDefined();
    const explicit = openStore({ dir: root, env: { ZCHAT_AUTH_CONFIG_DIR: dir } });
    expect(explicit.path).toBe(path.join(root, 'config.json'));
  });
});
