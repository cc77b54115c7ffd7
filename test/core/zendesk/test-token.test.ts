import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { classifyTestError, testToken, testTokenDetailed } from '../../../source/core/zendesk/test-token.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { authorizationCode, closedPort } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.clearFaults());

async function freshToken(scope = 'read write'): Promise<string> {
  const token = await createTokenClient({ baseUrl: sandbox.url }).exchangeCode({
    code: await authorizationCode(sandbox, { scope }),
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
    redirectUri: sandbox.demo.redirectUri,
    scope,
  });
  return token.accessToken;
}

const api = (accessToken: string, baseUrl = sandbox.url) =>
  createChatApi({ baseUrl, accessToken, retries: 0 });

describe('testToken', () => {
  it('a working token is valid', async () => {
    const test = await testToken(api(await freshToken()));
    expect(test).toMatchObject({ ok: true, result: 'valid', status: 200 });
    expect(Number.isNaN(Date.parse(test.at))).toBe(false);
    expect(test.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a revoked or expired token is expired-or-revoked (401)', async () => {
    const revoked = await freshToken();
    sandbox.revokeAccessToken(revoked);
    const outcome = await testTokenDetailed(api(revoked));
    expect(outcome.test).toMatchObject({ ok: false, result: 'expired-or-revoked', status: 401 });
    expect(outcome.error?.message).toBe('The token is expired or revoked, or is not a Zendesk Chat token.');

    const expired = await freshToken();
    sandbox.expireAccessToken(expired);
    expect(await testToken(api(expired))).toMatchObject({ result: 'expired-or-revoked', status: 401 });
  });

  it('a token without the read scope is missing-scope (403)', async () => {
    const writeOnly = await freshToken('write');
    const outcome = await testTokenDetailed(api(writeOnly));
    expect(outcome.test).toMatchObject({ ok: false, result: 'missing-scope', status: 403 });
    expect(outcome.error?.code).toBe('forbidden');
  });

  it('a Zendesk Support token is rejected (401) with a sentence saying Support credentials never work for Chat', async () => {
    const outcome = await testTokenDetailed(api(sandbox.mintSupportToken()));
    expect(outcome.test).toMatchObject({ ok: false, result: 'expired-or-revoked', status: 401 });
    expect(outcome.error?.hint).toContain('Zendesk Support API tokens and clients never work for Chat');
    expect(outcome.error?.hint).toContain('Zendesk Chat > Account > API & SDKs');
  });

  it('the account-wide rate limit (HTML 429 with Retry-After) is rate-limited, not a broken answer', async () => {
    const limited = await startSandbox({ quiet: true, rateLimitPerMinute: 1 });
    try {
      expect(await testToken(api(limited.demo.adminToken, limited.url))).toMatchObject({ ok: true });
      // Another agent's token on the same account: the budget is the account's.
      const outcome = await testTokenDetailed(api(limited.demo.otherAgentToken, limited.url));
      expect(outcome.test).toMatchObject({ ok: false, result: 'rate-limited', status: 429 });
      expect(outcome.error?.message).toMatch(/try again in \d+ seconds/);
    } finally {
      await limited.close();
    }
  });

  it('429, 5xx and HTML pages, and an unreachable server', async () => {
    const token = sandbox.demo.adminToken;
    sandbox.inject({ kind: 'rate-limit', retryAfter: 60, times: 1 });
    expect(await testToken(api(token))).toMatchObject({ ok: false, result: 'rate-limited', status: 429 });
    sandbox.inject({ kind: 'status', status: 503, times: 1 });
    expect(await testToken(api(token))).toMatchObject({ result: 'server-error', status: 503 });
    sandbox.inject({ kind: 'html', status: 502, times: 1 });
    const html = await testTokenDetailed(api(token));
    expect(html.test).toMatchObject({ result: 'server-error', status: 502 });
    expect(html.error?.code).toBe('html_response');
    const port = await closedPort();
    expect(await testToken(api(token, `http://127.0.0.1:${port}`))).toMatchObject({
      ok: false,
      result: 'network',
    });
  });

  it('classifies every error code', () => {
    const c = (code: ConstructorParameters<typeof ZchatError>[0]) =>
      classifyTestError(new ZchatError(code, 'x'));
    expect(c('timeout')).toBe('network');
    expect(c('cancelled')).toBe('network');
    expect(c('not_found')).toBe('server-error');
    expect(c('bad_response')).toBe('server-error');
  });
});
