/**
 * `logout` as `gh auth logout`: it names the server token the profile holds (matched by value), asks first
 * in a terminal, revokes with --revoke (saying so when the token was revoked already), and still works when
 * the OS keyring holding the secrets cannot be reached. Against the sandbox over loopback, in process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { systemKeyring } from '../../source/core/store/keyring.js';
import { keyringMode } from '../secrets-mode.js';
import {
  cleanEnv,
  closeLoggedInCli,
  ensureBuilt,
  loggedInCli,
  loginWithCode,
  readStore,
  runCli,
  type SandboxFixture,
  type StoredProfile,
  sandboxWithRedirect,
  type TempDir,
} from './helpers.js';

let fx: SandboxFixture;
let tmp: TempDir;
let env: NodeJS.ProcessEnv;
let demo: StoredProfile;

beforeAll(() => ensureBuilt(), 120_000);
beforeEach(async () => {
  ({ fx, tmp, env, demo } = await loggedInCli());
});
afterEach(() => closeLoggedInCli({ fx, tmp }));

/** The server token ID `tokens --json` says the profile holds. */
async function heldId(profile: string): Promise<number> {
  const listed = JSON.parse((await runCli(['tokens', '--json'], env)).stdout) as {
    id: number;
    profile: string | null;
  }[];
  const held = listed.filter((t) => t.profile === profile);
  expect(held).toHaveLength(1);
  return held[0]!.id;
}

describe('logout names the server token', () => {
  test('without --revoke: names it, removes the profile, says the token stays valid and how to revoke', async () => {
    const id = await heldId('demo');
    const file = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'config.json'), 'utf8'));
    const account: string | undefined = file.profiles.demo.keyringAccount;
    const result = await runCli(['logout'], env);
    expect(result.code, result.stderr).toBe(0);
    // With the secrets in a reachable keyring, its entry goes too, and nothing is said about it.
    if (keyringMode) {
      expect(account).toBeDefined();
      expect(systemKeyring().get(account!)).toBeUndefined();
    }
    expect(result.stderr).not.toContain('stay in the OS keyring');
    expect(result.stdout).toBe('Removed profile "demo" from this machine.\n');
    expect(result.stderr).toContain(`Profile "demo": Its token is server token #${id} (client `);
    expect(result.stderr).toContain(`Server token #${id} stays valid until it expires`);
    expect(readStore(tmp.dir).profiles.demo).toBeUndefined();
    expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(true);
  });

  test('--revoke: revokes that very token at the server, then removes the profile', async () => {
    await loginWithCode(fx, env, '--profile', 'other');
    const other = readStore(tmp.dir).profiles.other!.token!.accessToken;
    const id = await heldId('demo');
    const result = await runCli(['logout', '--revoke', '--profile', 'demo'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `Revoked server token #${id}: it stops working everywhere.\nRemoved profile "demo" from this machine.\n`,
    );
    expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(false);
    expect(fx.sandbox.isTokenValid(other)).toBe(true);
    expect(Object.keys(readStore(tmp.dir).profiles)).toEqual(['other']);
  });

  test('--revoke of a token revoked already: says so plainly, and still logs out', async () => {
    fx.sandbox.revokeAccessToken(demo.token!.accessToken);
    const result = await runCli(['logout', '--revoke'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'Profile "demo": The server already refuses its token (revoked or expired): there is nothing to revoke.',
    );
    expect(result.stdout).toBe('Removed profile "demo" from this machine.\n');
    expect(readStore(tmp.dir).profiles.demo).toBeUndefined();
  });

  test('--revoke when the server cannot be asked: nothing is removed, and it says what to do', async () => {
    await fx.close();
    const result = await runCli(['logout', '--revoke'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^zchat-auth: Nothing was removed: Its server token is not known: .*tokens revoke ID/m,
    );
    expect(readStore(tmp.dir).profiles.demo).toBeDefined();
    // In a terminal too: it says so before asking a question whose yes could not be carried out.
    const asked = await runCli(['logout', '--revoke'], env, 'y\n', { interactive: true });
    expect(asked.code).toBe(1);
    expect(asked.stderr).not.toContain('[y/N]');
    expect(readStore(tmp.dir).profiles.demo).toBeDefined();
    fx = await sandboxWithRedirect();
  });
});

describe('logout asks first in a terminal', () => {
  const cases: [string, string, boolean][] = [
    ['an empty answer', '\n', false],
    ['n', 'n\n', false],
    ['stdin ends', '', false],
    ['y', 'y\n', true],
    ['YES', 'YES\n', true],
  ];
  test.each(cases)('answer %s', async (_name, answer, removed) => {
    const id = await heldId('demo');
    const result = await runCli(['logout', '--revoke'], env, answer, { interactive: true });
    expect(result.stderr).toContain(
      `Revoke server token #${id} and remove profile "demo" from this machine? [y/N] `,
    );
    expect(result.code).toBe(removed ? 0 : 1);
    expect(readStore(tmp.dir).profiles.demo === undefined).toBe(removed);
    expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(!removed);
    if (!removed) expect(result.stderr).toContain('Nothing was removed.');
  });

  test('--yes, and any run without a terminal, do not ask', async () => {
    await loginWithCode(fx, env, '--profile', 'other');
    const yes = await runCli(['logout', '--yes', '--profile', 'other'], env, '', { interactive: true });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).not.toContain('[y/N]');
    const script = await runCli(['logout'], env);
    expect(script.code).toBe(0);
    expect(script.stderr).not.toContain('[y/N]');
    expect(readStore(tmp.dir).profiles).toEqual({});
  });
});

describe('after a revoke, the next step named is a new login', () => {
  test('tokens revoke ID says whose token it was; test and token --check then say log in, not refresh', async () => {
    await loginWithCode(fx, env, '--profile', 'other');
    const id = await heldId('other');
    const revoked = await runCli(['tokens', 'revoke', String(id)], env);
    expect(revoked.stdout).toBe(
      `Token ${id} is revoked; it was profile "other"'s, which now needs a new login.\n`,
    );
    const tested = await runCli(['test', '--profile', 'other'], env);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toMatch(
      /^zchat-auth: The token of profile "other" was rejected \(401\): zchat-auth revoked it at the server \(.+\), and its refresh token with it\. Run `zchat-auth login --profile other` for a new one\.\n$/,
    );
    expect(tested.stderr).not.toContain('refresh --profile');
    // token --check does not spend a request on a refresh that cannot work.
    const checked = await runCli(['token', '--check', '--profile', 'other'], env);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toBe('');
    expect(checked.stderr).toContain('Run `zchat-auth login --profile other`');
    // The profile it was revoked from keeps working, and its advice is unchanged.
    expect((await runCli(['test'], env)).code).toBe(0);
  });
});

describe('logout with the OS keyring out of reach', () => {
  test('the profile leaves the file; one line names the entry left and how to remove it', async () => {
    const file = path.join(tmp.dir, 'config.json');
    const now = new Date().toISOString();
    // A profile whose secrets were put in the keyring on a desktop; now there is no D-Bus session.
    const data = {
      schemaVersion: 2,
      defaultProfile: 'desk',
      profiles: {
        desk: {
          name: 'desk',
          subdomain: 'demo',
          baseUrl: fx.sandbox.url,
          clientId: fx.sandbox.demo.clientId,
          redirectUri: fx.redirectUri,
          scopes: ['read', 'write'],
          flow: 'code',
          createdAt: now,
          updatedAt: now,
          secretsIn: 'keyring',
          keyringAccount: 'desk/0a1b2c3d4e5f',
          hasClientSecret: true,
          token: {
            accessTokenMasked: 'hat_…9f3c',
            accessTokenSha256: 'ab'.repeat(32),
            hasRefreshToken: true,
            tokenType: 'Bearer',
            scope: 'read write',
            grant: 'authorization_code',
            obtainedAt: now,
          },
        },
      },
    };
    fs.writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
    const noBus = cleanEnv(tmp.dir, {
      DBUS_SESSION_BUS_ADDRESS: undefined,
      XDG_RUNTIME_DIR: undefined,
      NODE_PATH: undefined,
    });
    const result = await runCli(['logout'], noBus);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Removed profile "desk" from this machine.\n');
    expect(result.stderr).toContain('its token cannot be read (the OS keyring cannot be reached: no D-Bus');
    const left = result.stderr.split('\n').filter((l) => l.includes('desk/0a1b2c3d4e5f'));
    expect(left).toEqual([
      'Its secrets stay in the OS keyring (it cannot be reached: no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)): remove them once it is reachable with `secret-tool clear service zchat-auth username desk/0a1b2c3d4e5f`.',
    ]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).profiles).toEqual({});
  });
});
