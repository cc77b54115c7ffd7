/**
 * The wiring behind `zchat-auth --sandbox` (the Ink screens on top are tested by the UI): the emulator
 * in-process, a throwaway store unless ZCHAT_AUTH_CONFIG_DIR is set, and a prefilled demo profile whose
 * redirect URI moves to a free, registered port when the tutorial's 8080 is taken. The port probe is
 * injected so the test never binds 8080 itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type SandboxSession, startSandboxSession } from '../../source/commands/dashboard.js';
import { type TempDir, tempDir } from './helpers.js';

let session: SandboxSession | undefined;
let tmp: TempDir | undefined;
afterEach(async () => {
  await session?.close();
  await tmp?.remove();
  session = undefined;
  tmp = undefined;
});

describe('startSandboxSession', () => {
  test('8080 free: the demo profile keeps http://localhost:8080; the throwaway store is removed on close', async () => {
    session = await startSandboxSession({}, { portIsFree: async () => true });
    const { sandbox, services, login } = session;
    expect(login).toEqual({
      profile: 'demo',
      subdomain: 'demo',
      baseUrl: sandbox.url,
      clientId: sandbox.demo.clientId,
      redirectUri: 'http://localhost:8080',
    });
    const profile = services.store.get('demo')!;
    expect(profile).toMatchObject({
      baseUrl: sandbox.url,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: 'http://localhost:8080',
      scopes: ['read', 'write'],
    });
    expect(profile.token).toBeUndefined();
    expect(session.temporaryStore).toBe(true); // so the screens do not point other shells at it
    const dir = path.dirname(services.store.path);
    expect(path.basename(dir)).toMatch(/^zchat-auth-sandbox-/);
    expect(fs.existsSync(dir)).toBe(true);
    await session.close();
    session = undefined;
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('8080 busy: a free port is registered on the demo client and used; ZCHAT_AUTH_CONFIG_DIR is kept', async () => {
    tmp = await tempDir();
    session = await startSandboxSession(
      { ZCHAT_AUTH_CONFIG_DIR: tmp.dir },
      { portIsFree: async () => false },
    );
    const { sandbox, services, login } = session;
    expect(login.redirectUri).toMatch(/^http:\/\/localhost:\d+$/);
    expect(login.redirectUri).not.toBe('http://localhost:8080');
    expect(sandbox.getClient(sandbox.demo.clientId)?.redirect_uris).toEqual([
      'http://localhost:8080',
      login.redirectUri,
    ]);
    expect(services.store.path).toBe(path.join(tmp.dir, 'config.json'));
    expect(session.temporaryStore).toBe(false);
    expect(services.store.get('demo')?.redirectUri).toBe(login.redirectUri);
    await session.close();
    session = undefined;
    expect(fs.existsSync(path.join(tmp.dir, 'config.json'))).toBe(true);
  });

  test('a store with real profiles is never touched: the sandbox takes a throwaway store instead', async () => {
    tmp = await tempDir();
    const { openStore } = await import('../../source/core/store/store.js');
    const real = openStore({ dir: tmp.dir });
    await real.save({
      name: 'demo',
      subdomain: 'acme',
      clientId: 'real-client',
      clientSecret: 'real-secret',
      redirectUri: 'http://localhost:8080',
      scopes: ['read'],
      flow: 'code',
      token: {
        accessToken: 'real-token',
        tokenType: 'Bearer',
        scope: 'read',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
      },
    });
    const before = fs.readFileSync(real.path, 'utf8');
    session = await startSandboxSession({ ZCHAT_AUTH_CONFIG_DIR: tmp.dir }, { portIsFree: async () => true });
    expect(session.temporaryStore).toBe(true);
    expect(session.services.store.path).not.toBe(real.path);
    expect(session.services.store.get('demo')?.baseUrl).toBe(session.sandbox.url);
    await session.close();
    session = undefined;
    expect(fs.readFileSync(real.path, 'utf8')).toBe(before);
    expect(openStore({ dir: tmp.dir }).get('demo')).toMatchObject({
      subdomain: 'acme',
      clientSecret: 'real-secret',
      token: { accessToken: 'real-token' },
    });
  });

  test('a store holding only an earlier sandbox demo profile is reused (its demo profile is renewed)', async () => {
    tmp = await tempDir();
    const first = await startSandboxSession(
      { ZCHAT_AUTH_CONFIG_DIR: tmp.dir },
      { portIsFree: async () => true },
    );
    const oldUrl = first.sandbox.url;
    await first.close();
    session = await startSandboxSession({ ZCHAT_AUTH_CONFIG_DIR: tmp.dir }, { portIsFree: async () => true });
    expect(session.temporaryStore).toBe(false);
    expect(session.services.store.path).toBe(path.join(tmp.dir, 'config.json'));
    expect(session.services.store.get('demo')?.baseUrl).toBe(session.sandbox.url);
    expect(session.sandbox.url).not.toBe(oldUrl);
  });
});
