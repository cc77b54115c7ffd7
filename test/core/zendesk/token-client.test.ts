import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { createTokenClient, toTokenResponse } from '../../../source/core/zendesk/token-client.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { authorizationCode, countRequests, type Listener, startListener } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.clearFaults());

async function rejection(promise: Promise<unknown>): Promise<ZchatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZchatError);
  return error as ZchatError;
}

describe('token client against the sandbox', () => {
  it('exchanges an authorization code (form-encoded POST) and reports the exchange', async () => {
    const exchanges: HttpExchange[] = [];
    const client = createTokenClient({ baseUrl: sandbox.url, onExchange: (e) => exchanges.push(e) });
    const code = await authorizationCode(sandbox);
    const token = await client.exchangeCode({
      code,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scope: 'read write',
    });
    expect(token).toMatchObject({
      tokenType: 'Bearer',
      scope: 'read write',
      grant: 'authorization_code',
    });
    expect(token.refreshToken).toBeTruthy();
    expect(token.expiresIn).toBeUndefined();
    expect(sandbox.isTokenValid(token.accessToken)).toBe(true);

    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange).toMatchObject({ method: 'POST', url: `${sandbox.url}/oauth2/chat/token`, status: 200 });
    expect(exchange!.requestHeaders['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(exchange!.requestBody).toBe(
      `grant_type=authorization_code&code=${code}&client_id=${sandbox.demo.clientId}&client_secret=${sandbox.demo.clientSecret}&redirect_uri=http%3A%2F%2Flocalhost%3A8080&scope=read%20write`,
    );
    expect(exchange!.durationMs).toBeGreaterThanOrEqual(0);
    expect(exchange!.at).toBeLessThanOrEqual(Date.now());

    // A code works once.
    const again = await rejection(
      client.exchangeCode({
        code,
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        redirectUri: sandbox.demo.redirectUri,
        scope: 'read write',
      }),
    );
    expect(again.code).toBe('invalid_grant');
    expect(again.message).toMatch(/authorization code was already used/);
    expect(exchanges[1]).toMatchObject({ status: 400 });
  });

  it('refuses a wrong client secret as invalid_client with the confidential hint', async () => {
    const client = createTokenClient({ baseUrl: sandbox.url });
    const code = await authorizationCode(sandbox);
    const error = await rejection(
      client.exchangeCode({
        code,
        clientId: sandbox.demo.clientId,
        clientSecret: 'wrong-secret-value',
        redirectUri: sandbox.demo.redirectUri,
        scope: 'read write',
      }),
    );
    expect(error.code).toBe('invalid_client');
    expect(error.message).toBe('The client ID or secret is wrong, or the client is not confidential.');
    expect(error.status).toBe(401);
  });

  it('rotates refresh tokens: the new pair works, the spent one is invalid_grant', async () => {
    const client = createTokenClient({ baseUrl: sandbox.url });
    const first = await client.exchangeCode({
      code: await authorizationCode(sandbox),
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scope: 'read write',
    });
    const second = await client.refresh({
      refreshToken: first.refreshToken!,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
    });
    expect(second.grant).toBe('refresh_token');
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(sandbox.isTokenValid(second.accessToken)).toBe(true);
    expect(sandbox.isTokenValid(first.accessToken)).toBe(false);

    const spent = await rejection(
      client.refresh({
        refreshToken: first.refreshToken!,
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
      }),
    );
    expect(spent.code).toBe('invalid_grant');
    expect(spent.message).toBe('The refresh token was already used, or has expired.');

    const third = await client.refresh({
      refreshToken: second.refreshToken!,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
    });
    expect(sandbox.isTokenValid(third.accessToken)).toBe(true);
  });

  it('client credentials fail while the client is public and work once it is confidential', async () => {
    const client = createTokenClient({ baseUrl: sandbox.url });
    const p = {
      clientId: sandbox.demo.multiRedirectClientId,
      clientSecret: sandbox.demo.multiRedirectClientSecret,
      scope: 'read write',
    };
    const before = await rejection(client.clientCredentials(p));
    expect(before.code).toBe('invalid_client');
    expect(before.hint).toMatch(/confidential/);

    const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    const updated = await admin.updateClient(sandbox.demo.multiRedirectClientNumericId, {
      client_type: 'confidential',
    });
    expect(updated.client_type).toBe('confidential');
    expect(sandbox.getClient(sandbox.demo.multiRedirectClientId)?.client_type).toBe('confidential');

    const token = await client.clientCredentials(p);
    expect(token).toMatchObject({ grant: 'client_credentials', scope: 'read write' });
    expect(token.refreshToken).toBeUndefined();
    expect(sandbox.isTokenValid(token.accessToken)).toBe(true);

    await expect(client.clientCredentials({ ...p, clientSecret: '' })).rejects.toMatchObject({
      code: 'usage',
    });
  });

  it('password grant: refused off a Chat-only account with a sentence saying so, not "the secret is wrong"', async () => {
    const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    await admin.updateClient(sandbox.demo.multiRedirectClientNumericId, { client_type: 'confidential' });
    const client = createTokenClient({ baseUrl: sandbox.url });
    const refused = await rejection(
      client.password({
        username: sandbox.demo.username,
        password: sandbox.demo.password,
        clientId: sandbox.demo.multiRedirectClientId,
        clientSecret: sandbox.demo.multiRedirectClientSecret,
        scope: 'read',
      }),
    );
    expect(refused.code).toBe('invalid_client');
    expect(refused.message).toContain('works only on Chat-only accounts');
    expect(refused.message).toContain('confidential client');
    expect(refused.message).not.toMatch(/secret is wrong/);
  });

  it('password grant: a Chat-only user with a confidential client; wrong password and disabled grant are clear', async () => {
    sandbox.setChatOnlyAccount(true);
    const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    await admin.updateClient(sandbox.demo.multiRedirectClientNumericId, { client_type: 'confidential' });
    const client = createTokenClient({ baseUrl: sandbox.url });
    const p = {
      username: sandbox.demo.username,
      password: sandbox.demo.password,
      clientId: sandbox.demo.multiRedirectClientId,
      clientSecret: sandbox.demo.multiRedirectClientSecret,
      scope: 'read',
    };
    const token = await client.password(p);
    expect(token).toMatchObject({ grant: 'password', scope: 'read' });
    expect(sandbox.isTokenValid(token.accessToken)).toBe(true);

    const wrong = await rejection(client.password({ ...p, password: 'not-the-password' }));
    expect(wrong.code).toBe('invalid_grant');
    expect(wrong.message).toMatch(/username or password is wrong/);

    sandbox.setChatOnlyAccount(false);
    const off = await rejection(client.password(p));
    expect(off.code).toBe('invalid_client');
    expect(off.message).toContain('Chat-only');
  });

  it('never retries a token POST: 500, 429 and a reset each surface after one request', async () => {
    const client = createTokenClient({ baseUrl: sandbox.url });
    const p = {
      refreshToken: 'rt_does_not_matter',
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
    };
    const cases = [
      { fault: { kind: 'status', status: 500 } as const, code: 'server_error' },
      { fault: { kind: 'rate-limit', retryAfter: 1 } as const, code: 'rate_limited' },
      { fault: { kind: 'reset' } as const, code: 'network' },
      { fault: { kind: 'html', status: 503 } as const, code: 'html_response' },
    ];
    for (const { fault, code } of cases) {
      const remove = sandbox.inject({ ...fault, path: '/oauth2/chat/token' });
      const before = countRequests(sandbox, 'POST', '/oauth2/chat/token');
      const error = await rejection(client.refresh(p));
      remove();
      expect(error.code).toBe(code);
      expect(countRequests(sandbox, 'POST', '/oauth2/chat/token') - before).toBe(1);
      if (code === 'rate_limited') expect(error.retryAfter).toBe(1);
    }
  });

  it('a 200 with a web page instead of JSON is html_response', async () => {
    sandbox.inject({ kind: 'html', status: 200, path: '/oauth2/chat/token', times: 1 });
    const error = await rejection(
      createTokenClient({ baseUrl: sandbox.url }).refresh({ refreshToken: 'x', clientId: 'y' }),
    );
    expect(error.code).toBe('html_response');
    expect(error.message).toBe('Zendesk answered with a web page (status 200) instead of JSON.');
  });
});

describe('token client against answers the sandbox does not give', () => {
  let listener: Listener;
  let answer: { status: number; body: string; type?: string } = { status: 200, body: '{}' };
  beforeAll(async () => {
    listener = await startListener((_req, res) => {
      res.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/json' });
      res.end(answer.body);
    });
  });
  afterAll(() => listener.close());

  it('rejects a 200 without access_token as bad_response', async () => {
    answer = { status: 200, body: JSON.stringify({ token_type: 'Bearer', scope: 'read' }) };
    const error = await rejection(
      createTokenClient({ baseUrl: listener.url }).refresh({ refreshToken: 'r', clientId: 'c' }),
    );
    expect(error.code).toBe('bad_response');
    expect(error.message).toBe("Zendesk's answer (status 200) is missing an access token.");
  });

  it('uses expires_in when present and fills token_type/scope when missing', async () => {
    answer = { status: 200, body: JSON.stringify({ access_token: 'abc', expires_in: '3600' }) };
    const token = await createTokenClient({ baseUrl: listener.url }).clientCredentials({
      clientId: 'c',
      clientSecret: 's',
      scope: 'read write',
    });
    expect(token).toEqual({
      accessToken: 'abc',
      tokenType: 'Bearer',
      scope: 'read write',
      expiresIn: 3600,
      grant: 'client_credentials',
    });
    const last = listener.requests.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.path).toBe('/oauth2/chat/token');
    expect(last.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(last.body).toBe('grant_type=client_credentials&client_id=c&client_secret=s&scope=read%20write');
  });

  it('sends code_verifier and leaves out a missing client_secret', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ access_token: 'abc', token_type: 'bearer', scope: 'read' }),
    };
    await createTokenClient({ baseUrl: listener.url }).exchangeCode({
      code: 'the-code',
      clientId: 'c',
      redirectUri: 'http://localhost:8080',
      scope: 'read',
      codeVerifier: 'v'.repeat(43),
    });
    expect(listener.requests.at(-1)!.body).toBe(
      `grant_type=authorization_code&code=the-code&client_id=c&redirect_uri=http%3A%2F%2Flocalhost%3A8080&scope=read&code_verifier=${'v'.repeat(43)}`,
    );
  });

  it('maps an OAuth error without a JSON content type', async () => {
    answer = { status: 400, body: '{"error":"invalid_grant"}', type: 'text/plain' };
    const error = await rejection(
      createTokenClient({ baseUrl: listener.url }).refresh({ refreshToken: 'r', clientId: 'c' }),
    );
    expect(error.code).toBe('invalid_grant');
  });
});

describe('toTokenResponse', () => {
  it('keeps only what the contract names', () => {
    expect(toTokenResponse(null, 'password')).toBeUndefined();
    expect(toTokenResponse({ access_token: '' }, 'password')).toBeUndefined();
    expect(toTokenResponse({ access_token: 'a', expires_in: -1, refresh_token: '' }, 'password')).toEqual({
      accessToken: 'a',
      tokenType: 'Bearer',
      scope: '',
      grant: 'password',
    });
    expect(
      toTokenResponse({ access_token: 'a', expires_in: 60, scope: 'read' }, 'implicit', 'x')?.expiresIn,
    ).toBe(60);
  });
});
