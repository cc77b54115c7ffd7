import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  api,
  codeToken,
  consentId,
  decide,
  demoCodeParams,
  exchange,
  form,
  getCode,
  makeConfidential,
  sandbox,
  type TokenBody,
} from './helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(async () => {
  vi.useRealTimers();
  await sb.close();
});

async function post(params: Record<string, string>) {
  const res = await form(sb, params);
  return { status: res.status, body: (await res.json()) as TokenBody, headers: res.headers };
}

describe('authorization_code', () => {
  test('exchanges a code for the tutorial shape: no expires_in', async () => {
    const { status, body } = await exchange(sb, await getCode(sb));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'refresh_token', 'scope', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.scope).toBe('read write');
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(body.access_token).not.toBe(body.refresh_token);
    expect(sb.isTokenValid(body.access_token!)).toBe(true);
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
    expect(sb.stats.tokensIssued.authorization_code).toBe(1);
  });

  test('answers with no-store caching headers', async () => {
    const res = await form(sb, { grant_type: 'authorization_code', code: await getCode(sb) });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
  });

  test('a code is single use: the second use fails AND revokes what the first one issued', async () => {
    const code = await getCode(sb);
    const first = await exchange(sb, code);
    expect(first.status).toBe(200);
    const second = await exchange(sb, code);
    expect(second).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(sb.isTokenValid(first.body.access_token!)).toBe(false);
    const refresh = await post({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token!,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    expect(refresh.body).toEqual({ error: 'invalid_grant' });
    expect(sb.stats.tokenRequests.authorization_code).toBe(2);
    expect(sb.stats.tokensIssued.authorization_code).toBe(1);
  });

  test('code reuse also revokes tokens rotated from the first exchange', async () => {
    const code = await getCode(sb);
    const first = await exchange(sb, code);
    const rotated = await post({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token!,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    expect(sb.isTokenValid(rotated.body.access_token!)).toBe(true);
    await exchange(sb, code);
    expect(sb.isTokenValid(rotated.body.access_token!)).toBe(false);
  });

  test('an expired code is refused', async () => {
    const short = await sandbox({ codeTtlMs: 30 });
    try {
      const code = await getCode(short);
      // The clock moves on (the emulator reads Date.now); the loopback HTTP stays real.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60 });
      expect((await exchange(short, code)).body).toEqual({ error: 'invalid_grant' });
      // Gone for good, not merely late.
      expect((await exchange(short, code)).body).toEqual({ error: 'invalid_grant' });
    } finally {
      await short.close();
    }
  });

  test('unknown code, or a code of another client, is invalid_grant', async () => {
    expect((await exchange(sb, 'nope')).body).toEqual({ error: 'invalid_grant' });
    const code = await getCode(sb);
    const other = await exchange(sb, code, {
      client_id: sb.demo.multiRedirectClientId,
      client_secret: sb.demo.multiRedirectClientSecret,
    });
    expect(other.body).toEqual({ error: 'invalid_grant' });
    // Not spent by the wrong client's attempt.
    expect((await exchange(sb, code)).status).toBe(200);
  });

  test('redirect_uri must match the one sent at authorize', async () => {
    const code = await getCode(sb, { redirect_uri: 'http://localhost:8080' });
    expect((await exchange(sb, code, { redirect_uri: 'http://localhost:8080/' })).status).toBe(400);
    const res = await form(sb, {
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    expect(res.status).toBe(400);
    expect((await exchange(sb, code)).status).toBe(200);
  });

  test('when authorize had no redirect_uri, the token call may leave it out but not change it', async () => {
    const code = await getCode(sb);
    expect((await exchange(sb, code, { redirect_uri: 'https://elsewhere.example' })).status).toBe(400);
    const res = await form(sb, {
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    expect(res.status).toBe(200);
  });

  test('the client secret is checked; without one only PKCE proves a public client', async () => {
    const code = await getCode(sb);
    const wrong = await exchange(sb, code, { client_secret: 'wrong' });
    expect(wrong).toEqual({ status: 401, body: { error: 'invalid_client' } });
    const none = await form(sb, {
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      redirect_uri: sb.demo.redirectUri,
    });
    expect(none.status).toBe(401);
    expect((await exchange(sb, code, { client_id: 'unknown' })).status).toBe(401);
  });

  test('a confidential client must send its secret even with PKCE', async () => {
    await makeConfidential(sb);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await getCode(sb, { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await form(sb, {
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      code_verifier: verifier,
      redirect_uri: sb.demo.redirectUri,
    });
    expect(res.status).toBe(401);
  });

  test('client credentials may come as HTTP Basic', async () => {
    const res = await fetch(`${sb.url}/oauth2/chat/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${sb.demo.clientId}:${sb.demo.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: await getCode(sb) }),
    });
    expect(res.status).toBe(200);
  });
});

describe('PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  test('the right verifier works, even without a secret for a public client', async () => {
    const code = await getCode(sb, { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await form(sb, {
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      redirect_uri: sb.demo.redirectUri,
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
  });

  test('a wrong or missing verifier is invalid_grant and leaves the code usable', async () => {
    const code = await getCode(sb, { code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await exchange(sb, code, { code_verifier: randomBytes(32).toString('base64url') });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect((await exchange(sb, code)).body.error).toBe('invalid_grant');
    expect((await exchange(sb, code, { code_verifier: 'short' })).body.error).toBe('invalid_grant');
    expect((await exchange(sb, code, { code_verifier: verifier })).status).toBe(200);
  });

  test('a verifier sent without a challenge at authorize is ignored', async () => {
    expect((await exchange(sb, await getCode(sb), { code_verifier: verifier })).status).toBe(200);
  });
});

describe('refresh_token', () => {
  const refresh = (token: string, extra: Record<string, string> = {}) =>
    post({
      grant_type: 'refresh_token',
      refresh_token: token,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
      ...extra,
    });

  test('rotates: a new pair, the old pair dead, the spent refresh token refused', async () => {
    const first = await codeToken(sb);
    const next = await refresh(first.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.access_token).not.toBe(first.access_token);
    expect(next.body.refresh_token).not.toBe(first.refresh_token);
    expect(next.body.scope).toBe('read write');
    expect(next.body.expires_in).toBeUndefined();
    expect(sb.isTokenValid(first.access_token)).toBe(false);
    expect(sb.isTokenValid(next.body.access_token!)).toBe(true);
    expect(await refresh(first.refresh_token)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await refresh(next.body.refresh_token!)).status).toBe(200);
    expect(sb.stats.tokensIssued.refresh_token).toBe(2);
    expect(sb.stats.tokenRequests.refresh_token).toBe(3);
  });

  test('single-use: no new refresh token in the reply, and the one sent is spent', async () => {
    const single = await sandbox({ refreshTokens: 'single-use' });
    try {
      const first = await codeToken(single);
      const again = (token: string) =>
        form(single, {
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: single.demo.clientId,
          client_secret: single.demo.clientSecret,
        });
      const next = await again(first.refresh_token);
      const body = (await next.json()) as TokenBody;
      expect(next.status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['access_token', 'scope', 'token_type']);
      expect(single.isTokenValid(body.access_token!)).toBe(true);
      expect(single.isTokenValid(first.access_token)).toBe(false);
      expect(await (await again(first.refresh_token)).json()).toEqual({ error: 'invalid_grant' });
    } finally {
      await single.close();
    }
  });

  test('reusable: the same refresh token comes back and works again; each access token is replaced', async () => {
    const reuse = await sandbox({ refreshTokens: 'reusable' });
    try {
      const first = await codeToken(reuse);
      const again = async () =>
        (await (
          await form(reuse, {
            grant_type: 'refresh_token',
            refresh_token: first.refresh_token,
            client_id: reuse.demo.clientId,
            client_secret: reuse.demo.clientSecret,
          })
        ).json()) as TokenBody;
      const a = await again();
      const b = await again();
      expect(a.refresh_token).toBe(first.refresh_token);
      expect(b.refresh_token).toBe(first.refresh_token);
      expect(b.access_token).not.toBe(a.access_token);
      expect(reuse.isTokenValid(a.access_token!)).toBe(false);
      expect(reuse.isTokenValid(b.access_token!)).toBe(true);
    } finally {
      await reuse.close();
    }
  });

  test('works after the access token expired; refuses after it was revoked', async () => {
    const a = await codeToken(sb);
    sb.expireAccessToken(a.access_token);
    expect((await refresh(a.refresh_token)).status).toBe(200);
    const b = await codeToken(sb);
    sb.revokeAccessToken(b.access_token);
    expect((await refresh(b.refresh_token)).status).toBe(400);
  });

  test('may narrow the scope, not widen it', async () => {
    const a = await codeToken(sb);
    expect((await refresh(a.refresh_token, { scope: 'read write chat' })).body).toEqual({
      error: 'invalid_scope',
    });
    const narrowed = await refresh(a.refresh_token, { scope: 'read' });
    expect(narrowed.body.scope).toBe('read');
  });

  test('checks the client: unknown, wrong secret, another client', async () => {
    const a = await codeToken(sb);
    expect((await refresh(a.refresh_token, { client_secret: 'x' })).status).toBe(401);
    expect((await refresh(a.refresh_token, { client_id: 'x' })).status).toBe(401);
    const other = await refresh(a.refresh_token, {
      client_id: sb.demo.multiRedirectClientId,
      client_secret: sb.demo.multiRedirectClientSecret,
    });
    expect(other.body).toEqual({ error: 'invalid_grant' });
    expect((await refresh('unknown')).body).toEqual({ error: 'invalid_grant' });
  });

  test('a public client may refresh without its secret; a confidential one may not', async () => {
    const a = await codeToken(sb);
    const open = await post({
      grant_type: 'refresh_token',
      refresh_token: a.refresh_token,
      client_id: sb.demo.clientId,
    });
    expect(open.status).toBe(200);
    await makeConfidential(sb);
    const closed = await post({
      grant_type: 'refresh_token',
      refresh_token: open.body.refresh_token!,
      client_id: sb.demo.clientId,
    });
    expect(closed).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});

describe('client_credentials', () => {
  const cc = (extra: Record<string, string> = {}) =>
    post({
      grant_type: 'client_credentials',
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
      scope: 'read',
      ...extra,
    });

  test('invalid_client while public, a token once PUT client_type=confidential', async () => {
    expect(await cc()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    await makeConfidential(sb);
    expect(sb.getClient(sb.demo.clientId)?.client_type).toBe('confidential');
    const ok = await cc();
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeUndefined();
    expect(ok.body.scope).toBe('read');
    expect((await api(sb, '/chats', ok.body.access_token)).status).toBe(200);
    expect(sb.stats.tokensIssued.client_credentials).toBe(1);
    expect(sb.stats.tokenRequests.client_credentials).toBe(2);
  });

  test('needs the secret; defaults to the client scopes; refuses foreign scopes', async () => {
    await makeConfidential(sb);
    expect((await cc({ client_secret: '' })).status).toBe(401);
    expect((await cc({ client_secret: 'bad' })).status).toBe(401);
    expect((await cc({ scope: '' })).body.scope).toBe('read write');
    expect((await cc({ scope: 'admin' })).body).toEqual({ error: 'invalid_scope' });
    // A client made in the sandbox's defaults holds read and write only: chat is refused.
    expect((await cc({ scope: 'read chat' })).body).toEqual({ error: 'invalid_scope' });
    sb.setClientScopes(sb.demo.clientId, ['read', 'write', 'chat']);
    expect((await cc({ scope: 'read chat' })).body.scope).toBe('read chat');
  });
});

describe('password', () => {
  const pw = (extra: Record<string, string> = {}) =>
    post({
      grant_type: 'password',
      username: sb.demo.username,
      password: sb.demo.password,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
      scope: 'read write',
      ...extra,
    });

  test('by default (not a Chat-only account): 401 invalid_client, even with a confidential client', async () => {
    expect(await pw()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    await makeConfidential(sb);
    expect(await pw()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(sb.stats.tokensIssued.password).toBeUndefined();
  });

  test('on a Chat-only account: needs a confidential client and the demo user; a bad password is 401', async () => {
    sb.setChatOnlyAccount(true);
    expect(await pw()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    await makeConfidential(sb);
    const ok = await pw();
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeDefined();
    expect(await pw({ password: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
    expect(await pw({ username: 'admin@demo.example' })).toMatchObject({ status: 401 });
    sb.setChatOnlyAccount(false);
    expect(await pw()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  test('chatOnlyAccount: true at start', async () => {
    const on = await sandbox({ chatOnlyAccount: true });
    try {
      await makeConfidential(on);
      const res = await form(on, {
        grant_type: 'password',
        username: on.demo.username,
        password: on.demo.password,
        client_id: on.demo.clientId,
        client_secret: on.demo.clientSecret,
      });
      expect(res.status).toBe(200);
    } finally {
      await on.close();
    }
  });
});

describe('request rules', () => {
  test('parameters in the query string are invalid_grant', async () => {
    const code = await getCode(sb);
    const qs = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    const res = await fetch(`${sb.url}/oauth2/chat/token?${qs}`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant' });
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
  });

  test('a JSON body is refused', async () => {
    const res = await fetch(`${sb.url}/oauth2/chat/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as TokenBody).error).toBe('invalid_request');
  });

  test('missing and unknown grant types', async () => {
    expect((await post({})).body.error).toBe('invalid_request');
    expect(await post({ grant_type: 'device_code' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(sb.stats.tokenRequests).toMatchObject({ '(none)': 1, device_code: 1 });
  });

  test('only POST', async () => {
    const res = await fetch(`${sb.url}/oauth2/chat/token`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  test('a huge body is refused with 413', async () => {
    const res = await fetch(`${sb.url}/oauth2/chat/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&x=${'a'.repeat(1024 * 1024 + 10)}`,
    });
    expect(res.status).toBe(413);
  });

  test('tokens expire after tokenTtlMs', async () => {
    const short = await sandbox({ tokenTtlMs: 400 });
    try {
      const { body } = await exchange(short, await getCode(short));
      expect((await api(short, '/chats', body.access_token)).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 450 });
      expect(short.isTokenValid(body.access_token!)).toBe(false);
      const res = await api(short, '/chats', body.access_token);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: 'Unauthorized',
        description: 'The access token has expired.',
      });
    } finally {
      await short.close();
    }
  });

  test('a consent page opened before the client was deleted cannot approve', async () => {
    const id = await consentId(
      sb,
      demoCodeParams(sb, {
        client_id: sb.demo.multiRedirectClientId,
        redirect_uri: 'http://127.0.0.1:8765/callback',
      }),
    );
    await api(sb, `/oauth/clients/${sb.demo.multiRedirectClientNumericId}`, sb.demo.adminToken, {
      method: 'DELETE',
    });
    expect((await decide(sb, id, 'allow')).status).toBe(400);
  });
});
