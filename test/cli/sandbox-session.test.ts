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
});
