import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { createGot } from '../../../source/core/zendesk/got-client.js';
import { createHttpClient } from '../../../source/core/zendesk/http.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Fault, Sandbox } from '../../../source/sandbox/types.js';
import { authorizationCode, closedPort, type Listener, startListener } from './helpers.js';

let sandbox: Sandbox;
let echo: Listener;
let echoAs: 'json' | 'html' = 'json';
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  // A server that repeats what it was sent in its error: the worst case for a leak.
  echo = await startListener((req, res, body) => {
    const said = `you sent ${body} with ${req.headers.authorization} to ${req.url}`;
    if (echoAs === 'html') {
      res.writeHead(400, { 'Content-Type': 'text/html' });
      res.end(`<html><body>${said}</body></html>`);
    } else {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: said }));
    }
  });
});
afterAll(async () => {
  await echo.close();
  await sandbox.close();
});
beforeEach(() => sandbox.clearFaults());

const allowedKeys = new Set(['name', 'code', 'status', 'retryAfter', 'hint', 'serverError']);

/** Every way an error gets printed, logged or serialised. */
function renderings(error: ZchatError): string[] {
  return [
    inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    String(error.stack),
    JSON.stringify(error),
    String(error),
    error.sentence,
    JSON.stringify(Object.getOwnPropertyDescriptors(error)),
  ];
}

function expectNoSecrets(thrown: unknown, secrets: string[]): ZchatError {
  expect(thrown).toBeInstanceOf(ZchatError);
  const error = thrown as ZchatError;
  for (const key of Object.keys(error)) expect(allowedKeys.has(key), `own property ${key}`).toBe(true);
  expect(error.cause).toBeUndefined();
  for (const text of renderings(error)) {
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    expect(text).not.toMatch(/\b(options|headers|request|response|timings|input)\b\s*:/);
    expect(text).not.toMatch(/authorization:/i);
  }
  return error;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('errors never carry secrets', () => {
  it('a spent code with the real client secret (invalid_grant)', async () => {
    const client = createTokenClient({ baseUrl: sandbox.url });
    const code = await authorizationCode(sandbox);
    const p = {
      code,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scope: 'read write',
    };
    const token = await client.exchangeCode(p);
    const error = expectNoSecrets(await caught(client.exchangeCode(p)), [code, sandbox.demo.clientSecret]);
    expect(error.code).toBe('invalid_grant');
    const refresh = expectNoSecrets(
      await caught(
        client.refresh({
          refreshToken: `${token.refreshToken}x`,
          clientId: p.clientId,
          clientSecret: p.clientSecret,
        }),
      ),
      [token.refreshToken!, p.clientSecret],
    );
    expect(refresh.code).toBe('invalid_grant');
  });

  it.each<[string, Fault, string]>([
    ['an HTML page', { kind: 'html', status: 502 }, 'html_response'],
    ['a 500', { kind: 'status', status: 500 }, 'server_error'],
    ['a reset', { kind: 'reset' }, 'network'],
    ['a 429', { kind: 'rate-limit', retryAfter: 5 }, 'rate_limited'],
    ['a slow answer', { kind: 'slow', delayMs: 2000 }, 'timeout'],
  ])('a token POST that meets %s', async (_name, fault, code) => {
    sandbox.inject(fault);
    const secrets = ['c0de-0123456789-secret', sandbox.demo.clientSecret, 'v'.repeat(43)];
    const error = expectNoSecrets(
      await caught(
        createTokenClient({ baseUrl: sandbox.url, timeoutMs: 300 }).exchangeCode({
          code: secrets[0]!,
          clientId: sandbox.demo.clientId,
          clientSecret: secrets[1]!,
          redirectUri: sandbox.demo.redirectUri,
          scope: 'read',
          codeVerifier: secrets[2]!,
        }),
      ),
      secrets,
    );
    expect(error.code).toBe(code);
  });

  it.each<[string, Fault | 'revoked', string]>([
    ['a revoked token (401)', 'revoked', 'unauthorized'],
    ['an HTML page', { kind: 'html', status: 503 }, 'html_response'],
    ['a slow answer', { kind: 'slow', delayMs: 2000 }, 'timeout'],
    ['a reset', { kind: 'reset' }, 'network'],
  ])('a Bearer GET that meets %s', async (_name, fault, code) => {
    const bearer = (
      await createTokenClient({ baseUrl: sandbox.url }).exchangeCode({
        code: await authorizationCode(sandbox),
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        redirectUri: sandbox.demo.redirectUri,
        scope: 'read write',
      })
    ).accessToken;
    if (fault === 'revoked') sandbox.revokeAccessToken(bearer);
    else sandbox.inject(fault);
    const api = createChatApi({
      baseUrl: sandbox.url,
      accessToken: bearer,
      timeoutMs: 300,
      retries: 1,
      retryDelayMs: 5,
    });
    const error = expectNoSecrets(await caught(api.chats()), [bearer]);
    expect(error.code).toBe(code);
  });

  it('a refused connection carrying a secret, a code and a bearer token', async () => {
    const port = await closedPort();
    const secrets = ['cl13nt-s3cret-value', 'auth-c0de-value-123', 'tok_b34rer-value-456'];
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, retryDelayMs: 5 });
    const error = expectNoSecrets(
      await caught(
        client.send({
          method: 'GET',
          path: `/oauth2/chat/token?code=${secrets[1]}&client_secret=${secrets[0]}`,
          headers: { Authorization: `Bearer ${secrets[2]}` },
          secrets,
        }),
      ),
      secrets,
    );
    expect(error.code).toBe('network');
  });

  it.each(['json', 'html'] as const)('a server that echoes everything back (%s)', async (kind) => {
    echoAs = kind;
    const secrets = ['cl13nt-s3cret-value', 'auth-c0de-value-123', 'tok_b34rer-value-456'];
    const client = createHttpClient({ baseUrl: echo.url, endpoint: 'token' });
    const error = expectNoSecrets(
      await caught(
        client.send({
          method: 'POST',
          path: `/oauth2/chat/token?code=${secrets[1]}`,
          headers: { Authorization: `Bearer ${secrets[2]}` },
          form: { grant_type: 'authorization_code', code: secrets[1], client_secret: secrets[0] },
          secrets,
        }),
      ),
      secrets,
    );
    expect(error.code).toBe(kind === 'json' ? 'oauth_error' : 'html_response');
    // The server's words are still there, masked.
    if (kind === 'json')
      expect(error.message).toMatch(
        /^Zendesk called the token request malformed: you sent grant_type=authorization_code&code=…&client_secret=… with Bearer tok_…-456 to /,
      );
  });

  it('the got instance itself (beforeError hook) maps refused and echoed requests', async () => {
    echoAs = 'json';
    const secrets = ['cl13nt-s3cret-value', 'auth-c0de-value-123', 'tok_b34rer-value-456'];
    const port = await closedPort();
    const targets = [`http://127.0.0.1:${port}`, echo.url];
    for (const baseUrl of targets) {
      const instance = createGot({ baseUrl, endpoint: 'token', retries: 0 });
      const error = expectNoSecrets(
        await caught(
          instance.post(`${baseUrl}/oauth2/chat/token?code=${secrets[1]}`, {
            form: { code: secrets[1], client_secret: secrets[0] },
            headers: { authorization: `Bearer ${secrets[2]}` },
          }),
        ),
        // Without request secrets the hook still masks secret parameters in what the server said.
        [secrets[0]!, secrets[1]!],
      );
      expect(['network', 'oauth_error']).toContain(error.code);
    }
  });
});
