import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isZchatError, type ZchatError } from '../../source/core/errors.js';
import type { TokenResponse } from '../../source/core/oauth/types.js';
import { refreshProfile, testProfile, tokenToStored } from '../../source/core/profile-actions.js';
import { openStore } from '../../source/core/store/store.js';
import type { Profile, TokenStore } from '../../source/core/store/types.js';
import { createChatApi } from '../../source/core/zendesk/chat-api.js';
import { createTokenClient, type TokenClient } from '../../source/core/zendesk/token-client.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { codeToken, sandbox } from '../sandbox/helpers.js';
import { removeDir, sampleProfile, tempDir } from './store/helpers.js';

let sb: Sandbox;
let root: string;
let store: TokenStore;

beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  root = tempDir();
  store = openStore({ dir: path.join(root, 'store') });
});
afterEach(() => removeDir(root));

const tokens = (baseUrl: string) => createTokenClient({ baseUrl });
const chat = (baseUrl: string, accessToken: string) => createChatApi({ baseUrl, accessToken, retries: 0 });

async function caught(run: () => Promise<unknown>): Promise<ZchatError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (isZchatError(error)) return error;
  throw new Error(`expected a ZchatError, got ${String(error)}`);
}

/** A profile holding a fresh code-flow token pair from the sandbox. */
async function saveSandboxProfile(name = 'demo', extra: Partial<Profile> = {}) {
  const pair = await codeToken(sb);
  return store.save(
    sampleProfile(name, {
      baseUrl: sb.url,
      clientId: sb.demo.clientId,
      clientSecret: sb.demo.clientSecret,
      token: {
        accessToken: pair.access_token,
        refreshToken: pair.refresh_token,
        tokenType: 'Bearer',
        scope: 'read write',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
      },
      ...extra,
    }),
  );
}

const refreshes = () => sb.stats.tokenRequests.refresh_token ?? 0;

describe('tokenToStored', () => {
  test('keeps what the server said and dates it', () => {
    const now = new Date('2025-03-01T10:00:00.000Z');
    const reply: TokenResponse = {
      accessToken: 'a',
      tokenType: 'Bearer',
      refreshToken: 'r',
      scope: 'read',
      grant: 'authorization_code',
      expiresIn: 36_000,
    };
    expect(tokenToStored(reply, now)).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      tokenType: 'Bearer',
      scope: 'read',
      grant: 'authorization_code',
      obtainedAt: '2025-03-01T10:00:00.000Z',
      expiresAt: '2025-03-01T20:00:00.000Z',
    });
    const bare = tokenToStored({ accessToken: 'a', tokenType: 'Bearer', scope: '', grant: 'implicit' }, now);
    expect(bare).not.toHaveProperty('refreshToken');
    expect(bare).not.toHaveProperty('expiresAt');
    expect(Date.parse(tokenToStored(reply).obtainedAt)).toBeGreaterThan(Date.now() - 5000);
  });
});

describe('refreshProfile', () => {
  test('spends the refresh token against the sandbox and stores the rotated pair', async () => {
    const saved = await saveSandboxProfile();
    const before = refreshes();
    const out = await refreshProfile(store, undefined, tokens);
    expect(refreshes() - before).toBe(1);
    expect(out.name).toBe('demo');
    expect(out.rotatedElsewhere).toBe(false);
    const stored = store.get('demo')!.token!;
    expect(stored).toEqual(out.token);
    expect(stored.grant).toBe('refresh_token');
    expect(stored.refreshToken).not.toBe(saved.token!.refreshToken);
    expect(sb.isTokenValid(stored.accessToken)).toBe(true);
    expect(sb.isTokenValid(saved.token!.accessToken)).toBe(false);
    // The new refresh token works in turn.
    await refreshProfile(store, 'demo', async (baseUrl) => tokens(baseUrl));
    expect(refreshes() - before).toBe(2);
  });

  test('another writer refreshing first (after we read, before our lock) is taken, not raced', async () => {
    await saveSandboxProfile();
    const other = openStore({ dir: path.dirname(store.path) });
    const before = refreshes();
    const out = await refreshProfile(store, 'demo', async (baseUrl) => {
      // Runs after refreshProfile read the profile and before it takes the lock.
      await refreshProfile(other, 'demo', tokens);
      return tokens(baseUrl);
    });
    expect(refreshes() - before).toBe(1);
    expect(out.rotatedElsewhere).toBe(true);
    expect(out.token).toEqual(store.get('demo')!.token);
    expect(sb.isTokenValid(out.token.accessToken)).toBe(true);
  });

  test('a base URL changed by another writer meanwhile gets its own client', async () => {
    await saveSandboxProfile('demo', { baseUrl: 'http://127.0.0.1:9' });
    const asked: string[] = [];
    await refreshProfile(store, 'demo', async (baseUrl) => {
      asked.push(baseUrl);
      if (asked.length === 1)
        await openStore({ dir: path.dirname(store.path) }).update('demo', (p) => ({ ...p, baseUrl: sb.url }));
      return tokens(baseUrl);
    });
    expect(asked).toEqual(['http://127.0.0.1:9', sb.url]);
    expect(sb.isTokenValid(store.get('demo')!.token!.accessToken)).toBe(true);
  });

  test('without a refresh token (or any token): no_token pointing at login, nothing sent', async () => {
    await store.save(sampleProfile('bare', { token: undefined, baseUrl: sb.url }));
    const token = sampleProfile('x').token!;
    await store.save(
      sampleProfile('implicit', { baseUrl: sb.url, token: { ...token, refreshToken: undefined } }),
    );
    const before = refreshes();
    for (const name of ['bare', 'implicit']) {
      const error = await caught(() => refreshProfile(store, name, tokens));
      expect(error.code).toBe('no_token');
      expect(error.hint).toContain('zchat-auth login');
      expect(error.message).toContain(name);
    }
    expect(refreshes()).toBe(before);
    expect((await caught(() => refreshProfile(store, 'missing', tokens))).code).toBe('no_profile');
  });

  test('a spent refresh token is invalid_grant and the stored token is left alone', async () => {
    const saved = await saveSandboxProfile();
    // Someone else spends it without telling our store.
    await createTokenClient({ baseUrl: sb.url }).refresh({
      refreshToken: saved.token!.refreshToken!,
      clientId: sb.demo.clientId,
      clientSecret: sb.demo.clientSecret,
    });
    const error = await caught(() => refreshProfile(store, 'demo', tokens));
    expect(error.code).toBe('invalid_grant');
    expect(store.get('demo')!.token).toEqual(saved.token);
    expect(error.sentence).not.toContain(saved.token!.refreshToken!);
  });

  test('a reply without a refresh token leaves none stored (it may have been single-use); without a scope keeps the old one', async () => {
    await store.save(sampleProfile('demo'));
    const seen: unknown[] = [];
    const quiet: TokenClient = {
      exchangeCode: () => Promise.reject(new Error('unused')),
      clientCredentials: () => Promise.reject(new Error('unused')),
      password: () => Promise.reject(new Error('unused')),
      refresh: async (p) => {
        seen.push(p);
        return {
          accessToken: 'hat_fresh_0123456789abcdef',
          tokenType: 'Bearer',
          scope: '',
          grant: 'refresh_token',
        };
      },
    };
    const now = new Date('2025-05-05T05:05:05.000Z');
    const out = await refreshProfile(
      store,
      'demo',
      () => quiet,
      () => now,
    );
    expect(seen).toEqual([
      {
        refreshToken: 'hrt_demo_0123456789abcdefa1b2',
        clientId: 'client-demo',
        clientSecret: 'secret_demo_0123456789abcdef',
      },
    ]);
    expect(out.refreshTokenSpent).toBe(true);
    expect(out.token).toEqual({
      accessToken: 'hat_fresh_0123456789abcdef',
      tokenType: 'Bearer',
      scope: 'read write',
      grant: 'refresh_token',
      obtainedAt: '2025-05-05T05:05:05.000Z',
    });
  });
});

describe('testProfile', () => {
  test('a valid token is tested against the sandbox and the verdict stored', async () => {
    await saveSandboxProfile();
    const test = await testProfile(store, undefined, chat);
    expect(test).toMatchObject({ ok: true, result: 'valid', status: 200 });
    expect(store.get('demo')!.lastTest).toEqual(test);
    expect(store.list()[0]!.lastTest?.result).toBe('valid');
  });

  test('a revoked token is reported and stored as expired-or-revoked (401)', async () => {
    const saved = await saveSandboxProfile();
    sb.revokeAccessToken(saved.token!.accessToken);
    const test = await testProfile(store, 'demo', async (baseUrl, accessToken) => chat(baseUrl, accessToken));
    expect(test).toMatchObject({ ok: false, result: 'expired-or-revoked', status: 401 });
    expect(store.get('demo')!.lastTest).toEqual(test);
  });

  test('a verdict on a token replaced meanwhile is not stored on the new one', async () => {
    await saveSandboxProfile();
    const other = openStore({ dir: path.dirname(store.path) });
    const test = await testProfile(store, 'demo', async (baseUrl, accessToken) => {
      await refreshProfile(other, 'demo', tokens);
      return chat(baseUrl, accessToken);
    });
    expect(test.result).toBe('expired-or-revoked');
    expect(store.get('demo')!.lastTest).toBeUndefined();
  });

  test('no token: no_token, nothing sent', async () => {
    await store.save(sampleProfile('bare', { token: undefined }));
    let made = 0;
    const error = await caught(() =>
      testProfile(store, 'bare', (baseUrl, accessToken) => {
        made++;
        return chat(baseUrl, accessToken);
      }),
    );
    expect(made).toBe(0);
    expect(error.code).toBe('no_token');
    expect(error.hint).toContain('zchat-auth login');
  });
});
