/**
 * token, status, test, refresh, clients, tokens, logout: the built CLI against the sandbox, after a real
 * code-flow login made through the CLI itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { keyringMode } from '../secrets-mode.js';
import {
  adminApi,
  cleanEnv,
  closeLoggedInCli,
  ensureBuilt,
  type Finished,
  freePort,
  loggedInCli,
  loginWithCode,
  readStore,
  runCli,
  type SandboxFixture,
  type StoredProfile,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
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

/** Nothing but `token` may print a full access token, and nothing ever prints the client secret. */
function expectNoSecrets(result: Pick<Finished, 'stdout' | 'stderr'>, ...more: (string | undefined)[]): void {
  const secrets = [
    fx.sandbox.demo.clientSecret,
    fx.sandbox.demo.multiRedirectClientSecret,
    fx.sandbox.demo.adminToken,
    demo.token?.accessToken,
    demo.token?.refreshToken,
    ...more,
  ];
  for (const secret of secrets) {
    if (!secret) continue;
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

function storedToken(name = 'demo') {
  return readStore(tmp.dir).profiles[name]?.token;
}

describe('token', () => {
  test('prints the access token and nothing else, exit 0', async () => {
    const result = await runCli(['token'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${demo.token!.accessToken}\n`);
    expect(result.stderr).toBe('');
  });

  test('no token: exit 1, nothing on stdout, a sentence on stderr', async () => {
    const empty = await tempDir();
    try {
      const result = await runCli(['token'], cleanEnv(empty.dir));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^zchat-auth: .*zchat-auth login.*\n$/);
    } finally {
      await empty.remove();
    }
    const unknown = await runCli(['token', '--profile', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('nope');
  });

  test('--check: a valid token is printed as is', async () => {
    const result = await runCli(['token', '--check'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${demo.token!.accessToken}\n`);
    expect(readStore(tmp.dir).profiles.demo?.lastTest?.result).toBe('valid');
  });

  test('--check: on a 401 with a refresh token stored, refreshes and prints the new token', async () => {
    fx.sandbox.expireAccessToken(demo.token!.accessToken);
    const result = await runCli(['token', '--check'], env);
    expect(result.code).toBe(0);
    const fresh = storedToken()!;
    expect(fresh.accessToken).not.toBe(demo.token!.accessToken);
    expect(fresh.refreshToken).not.toBe(demo.token!.refreshToken);
    expect(result.stdout).toBe(`${fresh.accessToken}\n`);
    expect(fx.sandbox.isTokenValid(fresh.accessToken)).toBe(true);
  });

  test('--check: a revoked token with no refresh token: exit 1, says why, prints nothing', async () => {
    await fs.promises.writeFile(
      path.join(tmp.dir, 'config.json'),
      JSON.stringify(withoutRefresh(readStore(tmp.dir))),
      { mode: 0o600 },
    );
    fx.sandbox.revokeAccessToken(demo.token!.accessToken);
    const result = await runCli(['token', '--check'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^zchat-auth: .*expired or was revoked.*zchat-auth login/);
  });
});

function withoutRefresh(data: ReturnType<typeof readStore>) {
  const copy = structuredClone(data) as ReturnType<typeof readStore> & { schemaVersion?: number };
  delete copy.profiles.demo!.token!.refreshToken;
  // Written back whole, secrets included: they are in the file now, wherever they were.
  (copy.profiles.demo as { secretsIn?: string }).secretsIn = 'file';
  return copy;
}

describe('status', () => {
  test('masks the token, shows grant, scopes, age and last test', async () => {
    await runCli(['test'], env);
    const result = await runCli(['status'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^demo \(default\)$/m);
    expect(result.stdout).toContain(`base URL   ${fx.sandbox.url}`);
    expect(result.stdout).toMatch(
      /token +\S+…\S{4} \(authorization_code, scope "read write", refresh token stored\)/,
    );
    expect(result.stdout).toMatch(/last test +valid 200, \d+ s ago/);
    expect(result.stdout).toMatch(keyringMode ? /^ {2}secrets +OS keyring$/m : /^ {2}secrets +config file$/m);
    expectNoSecrets(result);
  });

  test('--json: the documented keys, stable, masked', async () => {
    const result = await runCli(['status', '--json'], env);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'configPath', 'defaultProfile', 'profiles']);
    expect(json).toMatchObject({
      schemaVersion: 1,
      defaultProfile: 'demo',
      configPath: path.join(tmp.dir, 'config.json'),
    });
    const [profile] = json.profiles;
    expect(Object.keys(profile)).toEqual([
      'name',
      'isDefault',
      'subdomain',
      'baseUrl',
      'clientId',
      'hasClientSecret',
      'flow',
      'scopes',
      'redirectUri',
      'username',
      'createdAt',
      'updatedAt',
      'token',
      'lastTest',
      'secretsIn',
      'keyringUnusable',
      'insecureStorage',
    ]);
    expect(profile.secretsIn).toBe(keyringMode ? 'keyring' : 'file');
    expect(Object.keys(profile.token)).toEqual([
      'masked',
      'tokenType',
      'grant',
      'scope',
      'hasRefreshToken',
      'obtainedAt',
      'ageSeconds',
      'expiresAt',
    ]);
    expect(profile).toMatchObject({
      name: 'demo',
      isDefault: true,
      subdomain: 'demo',
      baseUrl: fx.sandbox.url,
      hasClientSecret: true,
      flow: 'code',
      scopes: ['read', 'write'],
      redirectUri: fx.redirectUri,
      username: null,
      lastTest: null,
      token: { grant: 'authorization_code', hasRefreshToken: true, tokenType: 'Bearer' },
    });
    expect(demo.token!.accessToken.endsWith(profile.token.masked.slice(-4))).toBe(true);
    expect(profile.token.ageSeconds).toBeGreaterThanOrEqual(0);
    expectNoSecrets(result);
  });

  test('nothing stored: exit 1 (JSON still printed with --json)', async () => {
    const empty = await tempDir();
    try {
      const plain = await runCli(['status'], cleanEnv(empty.dir));
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/^zchat-auth: No profile is stored/);
      const json = await runCli(['status', '--json'], cleanEnv(empty.dir));
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ defaultProfile: null, profiles: [] });
    } finally {
      await empty.remove();
    }
  });
});

describe('test', () => {
  test('valid: exit 0, recorded in the store', async () => {
    const result = await runCli(['test'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^The token of profile "demo" is valid: GET \/api\/v2\/chat\/chats answered 200/,
    );
    expect(readStore(tmp.dir).profiles.demo?.lastTest).toMatchObject({
      ok: true,
      result: 'valid',
      status: 200,
    });
    expectNoSecrets(result);
  });

  test('expired or revoked: exit 1, says so, points to refresh', async () => {
    fx.sandbox.revokeAccessToken(demo.token!.accessToken);
    const result = await runCli(['test'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^zchat-auth: .*rejected \(401\): it has expired or was revoked\. Run `zchat-auth refresh/,
    );
    expect(readStore(tmp.dir).profiles.demo?.lastTest).toMatchObject({
      ok: false,
      result: 'expired-or-revoked',
    });
  });

  test('missing scope: exit 1, says so', async () => {
    await loginWithCode(fx, env, '--profile', 'writer', '--scope', 'write');
    const result = await runCli(['test', '--profile', 'writer'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused \(403\): it lacks a scope/);
    expect(readStore(tmp.dir).profiles.writer?.lastTest?.result).toBe('missing-scope');
  });

  test('network: exit 1, says the server could not be reached', async () => {
    const port = await freePort();
    const data = readStore(tmp.dir);
    data.profiles.demo!.baseUrl = `http://127.0.0.1:${port}`;
    await fs.promises.writeFile(path.join(tmp.dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
    const result = await runCli(['test'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^zchat-auth: Could not reach 127\\.0\\.0\\.1:${port}: the connection was refused, so the token of profile "demo" could not be judged\\. `,
      ),
    );
    expect(readStore(tmp.dir).profiles.demo?.lastTest?.result).toBe('network');
  });

  test('a proxy that is down is named, not the server behind it (test and token --check)', async () => {
    const deadProxy = await freePort();
    const data = readStore(tmp.dir);
    // Not loopback, so the request goes through the proxy.
    data.profiles.demo!.baseUrl = 'https://demo.zendesk.test:8443';
    await fs.promises.writeFile(path.join(tmp.dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
    const proxied = { ...env, HTTPS_PROXY: `http://127.0.0.1:${deadProxy}` };
    for (const args of [['test'], ['token', '--check']]) {
      const result = await runCli(args, proxied);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr, args.join(' ')).toMatch(
        new RegExp(
          `^zchat-auth: Could not reach the proxy 127\\.0\\.0\\.1:${deadProxy} \\(from HTTPS_PROXY\\), so the token of profile "demo" could not be judged\\.`,
        ),
      );
      expect(result.stderr).not.toContain('demo.zendesk.test');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('a 400 or a redirect from the API says so, not "a server error"', async () => {
    const cases: [number, RegExp][] = [
      [
        400,
        /^zchat-auth: Zendesk refused the request \(status 400\).*, so the token of profile "demo" could not be judged\./,
      ],
      [
        302,
        /^zchat-auth: Zendesk redirected elsewhere \(status 302\) instead of answering, so the token of profile "demo" could not be judged\./,
      ],
    ];
    for (const [status, message] of cases) {
      const remove = fx.sandbox.inject({ kind: 'status', status, path: '/api/v2/chat/chats' });
      try {
        const result = await runCli(['test'], env);
        expect(result.code, String(status)).toBe(1);
        expect(result.stderr, String(status)).toMatch(message);
        expect(result.stderr).not.toMatch(/server error/);
        expect(readStore(tmp.dir).profiles.demo?.lastTest).toMatchObject({ result: 'server-error', status });
      } finally {
        remove();
      }
    }
  });
});

describe('refresh', () => {
  test('stores the rotated pair; the old refresh token is spent', async () => {
    const result = await runCli(['refresh'], env);
    expect(result.code).toBe(0);
    const fresh = storedToken()!;
    expect(fresh.accessToken).not.toBe(demo.token!.accessToken);
    expect(fresh.refreshToken).toBeTruthy();
    expect(fresh.refreshToken).not.toBe(demo.token!.refreshToken);
    expect(result.stdout).toMatch(
      /^Profile "demo": refreshed\. Token \S+…\S{4}, new refresh token stored\.$/m,
    );
    expectNoSecrets(result, fresh.accessToken, fresh.refreshToken);
  });

  test('no refresh token: exit 1 with the way out', async () => {
    await fs.promises.writeFile(
      path.join(tmp.dir, 'config.json'),
      JSON.stringify(withoutRefresh(readStore(tmp.dir))),
      { mode: 0o600 },
    );
    const result = await runCli(['refresh'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^zchat-auth: Profile "demo" has no refresh token.*zchat-auth login --profile demo/,
    );
  });
});

describe('single-use refresh tokens with no new one in the reply', () => {
  let single: SandboxFixture;
  beforeEach(async () => {
    await fx.close();
    single = await sandboxWithRedirect({ refreshTokens: 'single-use' });
    fx = single;
    demo = await loginWithCode(fx, env);
  });

  test('refresh stores none and says so; status says so; refresh again fails at once, with no request', async () => {
    const first = await runCli(['refresh'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Zendesk sent no new refresh token, so the profile now has no refresh token: log in again when this one stops working.',
    );
    const stored = storedToken()!;
    expect(stored.refreshToken).toBeUndefined();
    expect(fx.sandbox.isTokenValid(stored.accessToken)).toBe(true);

    const status = await runCli(['status'], env);
    expect(status.stdout).toContain('; no refresh token: log in again when this one stops working)');
    expect(
      JSON.parse((await runCli(['status', '--json'], env)).stdout).profiles[0].token.hasRefreshToken,
    ).toBe(false);

    const before = fx.sandbox.stats.requests.length;
    const again = await runCli(['refresh'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^zchat-auth: Profile "demo" has no refresh token: log in again when this one stops working\..*zchat-auth login --profile demo/s,
    );
    expect(fx.sandbox.stats.requests.length).toBe(before);
    expectNoSecrets(first, stored.accessToken);
  });

  test('token --check on a dead token refreshes, prints only the token, and says on stderr that none is left', async () => {
    fx.sandbox.expireAccessToken(demo.token!.accessToken);
    const result = await runCli(['token', '--check'], env);
    expect(result.code).toBe(0);
    const fresh = storedToken()!;
    expect(result.stdout).toBe(`${fresh.accessToken}\n`);
    expect(fresh.refreshToken).toBeUndefined();
    expect(result.stderr).toContain('no refresh token: log in again when this one stops working');
    // The second time there is nothing to spend: exit 1, nothing printed, no token request.
    fx.sandbox.expireAccessToken(fresh.accessToken);
    const tokenPosts = fx.sandbox.stats.tokenRequests.refresh_token;
    const dead = await runCli(['token', '--check'], env);
    expect(dead.code).toBe(1);
    expect(dead.stdout).toBe('');
    expect(fx.sandbox.stats.tokenRequests.refresh_token).toBe(tokenPosts);
  });
});

describe('clients', () => {
  test('lists the clients without their secrets', async () => {
    const result = await runCli(['clients'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID +NAME +CLIENT ID +TYPE +SCOPES +REDIRECT URIS$/m);
    expect(result.stdout).toContain(fx.sandbox.demo.clientId);
    expect(result.stdout).toContain(fx.sandbox.demo.multiRedirectClientId);
    expectNoSecrets(result);
  });

  test('--json: an array of clients, never client_secret', async () => {
    // A freshly created client is the one time the API returns its secret in full.
    const created = (await (
      await adminApi(fx.sandbox, 'POST', '/oauth/clients', {
        name: 'Fresh',
        redirect_uris: ['http://localhost:9'],
        scopes: 'read',
      })
    ).json()) as { client_secret: string };
    const result = await runCli(['clients', '--json'], env);
    expect(result.code).toBe(0);
    const clients = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(clients.length).toBeGreaterThanOrEqual(3);
    for (const c of clients) expect(c).not.toHaveProperty('client_secret');
    expect(clients.find((c) => c.client_identifier === fx.sandbox.demo.clientId)).toMatchObject({
      id: fx.sandbox.demo.clientNumericId,
      client_type: 'public',
    });
    expectNoSecrets(result, created.client_secret);
  });

  test('confidential ID: PUTs client_type and warns about the Zendesk UI', async () => {
    const id = fx.sandbox.demo.multiRedirectClientNumericId;
    const result = await runCli(['clients', 'confidential', String(id)], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Client ${id} \\("Two redirects", \\S+\\) is now confidential\\.$`, 'm'),
    );
    expect(result.stderr).toMatch(/re-saving this client in the Zendesk UI .*turns it back to public/);
    expect(fx.sandbox.getClient(fx.sandbox.demo.multiRedirectClientId)?.client_type).toBe('confidential');
    expectNoSecrets(result);
  });

  test('confidential: a missing or malformed ID is a usage error; an unknown one a failure', async () => {
    expect((await runCli(['clients', 'confidential'], env)).code).toBe(2);
    expect((await runCli(['clients', 'confidential', 'abc'], env)).code).toBe(2);
    expect((await runCli(['clients', 'frobnicate'], env)).code).toBe(2);
    const unknown = await runCli(['clients', 'confidential', '999999'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^zchat-auth: /);
  });

  test('a token that may not list clients: exit 1 with a sentence', async () => {
    await loginWithCode(fx, env, '--profile', 'reader', '--scope', 'write');
    const result = await runCli(['clients', '--profile', 'reader'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^zchat-auth: \S.*\n$/);
  });
});

describe('tokens', () => {
  test('lists the tokens on the server (never their values), --json too', async () => {
    const plain = await runCli(['tokens'], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^ID +CLIENT +SCOPES +CREATED +EXPIRES +PROFILE$/m);
    expectNoSecrets(plain);
    const json = await runCli(['tokens', '--json'], env);
    expect(json.code).toBe(0);
    const tokens = JSON.parse(json.stdout) as { id: number; client_identifier: string }[];
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens[0]).toHaveProperty('id');
    expectNoSecrets(json);
  });

  test('PROFILE: the stored profile holding each token, matched by value (keyring profiles by its hash)', async () => {
    await loginWithCode(fx, env, '--profile', 'other');
    const tokens = JSON.parse((await runCli(['tokens', '--json'], env)).stdout) as {
      id: number;
      profile: string | null;
    }[];
    const held = tokens.filter((t) => t.profile !== null);
    expect(held.map((t) => t.profile).sort()).toEqual(['demo', 'other']);
    // The other tokens on the server (the demo admin's, the seeded ones) are held by no profile here.
    expect(tokens.length).toBeGreaterThan(2);
    const plain = (await runCli(['tokens'], env)).stdout.split('\n');
    for (const t of tokens) {
      const row = plain.find((l) => l.startsWith(`${t.id} `));
      expect(row, `row of #${t.id}`).toBeDefined();
      if (t.profile) expect(row).toMatch(new RegExp(` ${t.profile}$`));
      else expect(row).not.toMatch(/ (demo|other)$/);
    }
    // Same client, made a moment apart: still only the exact value links (no guess by time).
    expect(new Set(held.map((t) => t.id)).size).toBe(2);
  });

  test('revoke ID: the token stops working', async () => {
    await loginWithCode(fx, env, '--profile', 'other');
    const other = readStore(tmp.dir).profiles.other!.token!.accessToken;
    const tokens = JSON.parse((await runCli(['tokens', '--json'], env)).stdout) as { id: number }[];
    // The newest token on the server is the one just issued to "other".
    const newest = Math.max(...tokens.map((t) => t.id));
    const result = await runCli(['tokens', 'revoke', String(newest)], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Token ${newest} is revoked; it was profile "other"'s, which now needs a new login.\n`,
    );
    expect(fx.sandbox.isTokenValid(other)).toBe(false);
    expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(true);
    expect((await runCli(['tokens', 'revoke', 'x1'], env)).code).toBe(2);
  });
});

describe('logout', () => {
  test('deletes the profile locally', async () => {
    const result = await runCli(['logout', '--profile', 'demo'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Removed profile "demo" from this machine.\n');
    expect(readStore(tmp.dir).profiles.demo).toBeUndefined();
    const again = await runCli(['logout', '--profile', 'demo'], env);
    expect(again.code).toBe(1);
    const token = await runCli(['token'], env);
    expect(token.code).toBe(1);
  });
});

describe('no output leaks a secret', () => {
  test('every listing command, with the secret stored', async () => {
    expect(readStore(tmp.dir).profiles.demo?.clientSecret).toBe(fx.sandbox.demo.clientSecret);
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['test'],
      ['clients'],
      ['clients', '--json'],
      ['tokens'],
      ['doctor'],
      ['doctor', '--json'],
    ]) {
      expectNoSecrets(await runCli(args, env));
    }
  });
});
