/**
 * The store with a real OS keyring (ZCHAT_TEST_SECRETS=keyring): where each secret goes, that every new
 * version gets its own entry and the old one is deleted, and that a store written before the keyring keeps
 * working untouched.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KEYRING_SERVICE } from '../../source/core/store/keyring.js';
import { openStore } from '../../source/core/store/store.js';
import type { TokenStore } from '../../source/core/store/types.js';
import { cleanEnv, ensureBuilt, runCli } from '../cli/helpers.js';
import { removeDir, sampleProfile, tempDir } from '../core/store/helpers.js';
import { listEntries } from './list-entries.js';

let dir: string;
let store: TokenStore;
beforeEach(() => {
  dir = path.join(tempDir(), 'store');
  store = openStore({ dir });
});
afterEach(() => removeDir(path.dirname(dir)));

const raw = () => JSON.parse(fs.readFileSync(store.path, 'utf8'));
const entriesOf = (name: string) => listEntries().filter((c) => c.account.startsWith(`${name}/`));

describe('secrets in the OS keyring', () => {
  test('the file keeps the profile, the masked token and flags; the keyring one entry with the secrets', async () => {
    const saved = await store.save(sampleProfile('kr-save'));
    const text = fs.readFileSync(store.path, 'utf8');
    for (const secret of [saved.token!.accessToken, saved.token!.refreshToken!, saved.clientSecret!]) {
      expect(text).not.toContain(secret);
    }
    const onDisk = raw();
    expect(onDisk.schemaVersion).toBe(2);
    expect(onDisk.profiles['kr-save']).toMatchObject({
      secretsIn: 'keyring',
      hasClientSecret: true,
      token: { accessTokenMasked: 'hat_…9f3c', hasRefreshToken: true },
    });
    const entries = entriesOf('kr-save');
    expect(entries.map((e) => e.account)).toEqual([onDisk.profiles['kr-save'].keyringAccount]);
    expect(JSON.parse(entries[0]!.password)).toEqual({
      accessToken: saved.token!.accessToken,
      refreshToken: saved.token!.refreshToken,
      clientSecret: saved.clientSecret,
    });
    // Another process (a fresh store) reads them back; listings never need the keyring.
    expect(openStore({ dir }).get('kr-save')).toEqual(saved);
    expect(store.list()[0]).toMatchObject({ secretsIn: 'keyring', hasClientSecret: true });
    expect(store.list()[0]!.token!.accessTokenMasked).toBe('hat_…9f3c');
  });

  test('a new token is a new entry; the old one is deleted once the file names the new one', async () => {
    await store.save(sampleProfile('kr-rotate'));
    const first = raw().profiles['kr-rotate'].keyringAccount;
    await store.recordTest('kr-rotate', { at: new Date().toISOString(), ok: true, result: 'valid' });
    expect(raw().profiles['kr-rotate'].keyringAccount).toBe(first); // no secret changed: same entry
    const { token } = await store.refreshLocked('kr-rotate', undefined, async (p) => ({
      ...p.token!,
      accessToken: 'hat_rotated_00000000000000001111',
      refreshToken: 'hrt_rotated_00000000000000002222',
    }));
    const second = raw().profiles['kr-rotate'].keyringAccount;
    expect(second).not.toBe(first);
    expect(entriesOf('kr-rotate').map((e) => e.account)).toEqual([second]);
    expect(openStore({ dir }).get('kr-rotate')!.token).toEqual(token);
    await store.remove('kr-rotate');
    expect(entriesOf('kr-rotate')).toEqual([]);
  });

  test('a store from before the keyring is read and written as it is: secrets stay in the file, schema 1', async () => {
    const old = {
      schemaVersion: 1,
      defaultProfile: 'kr-old',
      profiles: {
        'kr-old': {
          ...sampleProfile('kr-old'),
          createdAt: '2025-01-01T00:00:00.000Z',
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      },
    };
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(store.path, JSON.stringify(old), { mode: 0o600 });
    expect(store.resolve().token!.accessToken).toBe(old.profiles['kr-old'].token!.accessToken);
    await store.recordTest('kr-old', { at: new Date().toISOString(), ok: true, result: 'valid' });
    const after = raw();
    expect(after.schemaVersion).toBe(1);
    expect(after.profiles['kr-old'].token.accessToken).toBe(old.profiles['kr-old'].token!.accessToken);
    expect(after.profiles['kr-old'].secretsIn).toBeUndefined();
    expect(entriesOf('kr-old')).toEqual([]);
  });

  test("an entry deleted behind the store's back: a sentence naming the profile and what to do", async () => {
    await store.save(sampleProfile('kr-gone'));
    const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring');
    new Entry(KEYRING_SERVICE, raw().profiles['kr-gone'].keyringAccount).deleteCredential();
    expect(() => openStore({ dir }).get('kr-gone')).toThrow(
      /The secrets of profile "kr-gone" are missing from the OS keyring\./,
    );
  });
});

describe('zchat-auth migrate-secrets, as a user runs it', () => {
  test('to the keyring and back: status says where, token still prints the token', async () => {
    ensureBuilt();
    const saved = await store.save(sampleProfile('kr-cli', { insecureStorage: true }));
    const env = cleanEnv(dir);
    const toKeyring = await runCli(['migrate-secrets', '--to', 'keyring'], env);
    expect(toKeyring.code, toKeyring.stderr).toBe(0);
    expect(toKeyring.stdout).toBe('Moved the secrets of "kr-cli" to the OS keyring.\n');
    expect(fs.readFileSync(store.path, 'utf8')).not.toContain(saved.token!.refreshToken!);
    expect((await runCli(['status'], env)).stdout).toMatch(/^ {2}secrets +OS keyring$/m);
    expect((await runCli(['token'], env)).stdout).toBe(`${saved.token!.accessToken}\n`);
    const again = await runCli(['migrate-secrets', '--to', 'keyring'], env);
    expect(again.stdout).toBe('Already in the OS keyring: "kr-cli".\n');

    const toFile = await runCli(['migrate-secrets', '--to', 'file'], env);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(fs.readFileSync(store.path, 'utf8')).toContain(saved.token!.refreshToken!);
    expect(entriesOf('kr-cli')).toEqual([]);
    expect((await runCli(['status'], env)).stdout).toMatch(
      /^ {2}secrets +config file \(--insecure-storage\)$/m,
    );
    const doctor = JSON.parse((await runCli(['doctor', '--json'], env)).stdout);
    expect(doctor.checks).toContainEqual(expect.objectContaining({ name: 'keyring', verdict: 'ok' }));
  }, 60_000);
});
