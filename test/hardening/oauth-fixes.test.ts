/**
 * The two OAuth core fixes the hardening pass made, at the module level (the CLI-level proof is in
 * hostile-login.test.ts): a forged path is reported short, and a pasted address for another redirect URI
 * is refused before its code is spent.
 */
import http from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { startLogin } from '../../source/core/oauth/login-flow.js';
import {
  type LoopbackServer,
  maxShownPath,
  startLoopbackServer,
} from '../../source/core/oauth/loopback-server.js';
import { pastedAddress } from '../../source/core/oauth/redirect-parse.js';
import type { SeenRequest } from '../../source/core/oauth/types.js';
import { createTokenClient } from '../../source/core/zendesk/token-client.js';
import { quietSandbox } from './helpers.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function hit(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { Host: `localhost:${port}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('the loopback server reports what it saw in one short line', () => {
  test('a 12 kB forged query is cut to the limit, secrets still masked', async () => {
    const seen: SeenRequest[] = [];
    server = await startLoopbackServer({
      redirectUri: 'http://localhost:0',
      state: 's'.repeat(43),
      mode: 'code',
      onRequest: (r) => seen.push(r),
    });
    expect(await hit(server.port, `/?code=verysecretcode&state=bad&pad=${'x'.repeat(12_000)}`)).toBe(400);
    expect(await hit(server.port, '/short?code=verysecretcode')).toBe(404);
    expect(seen[0]!.path).toHaveLength(maxShownPath);
    expect(seen[0]!.path.endsWith('…')).toBe(true);
    expect(seen[0]!.path).not.toContain('verysecretcode');
    expect(seen[1]!.path).toBe('/short?code=ve…code');
  });
});

describe('pastedAddress', () => {
  test.each([
    ['http://localhost:8080/?code=abc&state=x', 'http://localhost:8080/'],
    ['  <http://LOCALHOST:8080?code=abc>  ', 'http://localhost:8080/'],
    ['localhost:8080/?code=abc', 'http://localhost:8080/'],
    ['https://evil.example/callback?code=abc', 'https://evil.example/callback'],
    ['http://localhost:8080/callback#access_token=t', 'http://localhost:8080/callback'],
    ['javascript:alert(1)//?code=abc', 'javascript:'],
    ['data:text/html,?code=abc', 'data:'],
    ['code=abc&state=x', undefined],
    ['?code=abc', undefined],
    ['#access_token=abc', undefined],
    ['abc123def', undefined],
  ])('%j → %j', (input, expected) => {
    expect(pastedAddress(input)).toBe(expected);
  });
});

describe('a paste for another redirect URI', () => {
  test('is refused with the expected URI named, and the login keeps waiting', async () => {
    const sandbox = await quietSandbox();
    const flow = startLogin(
      {
        flow: 'code',
        subdomain: 'demo',
        baseUrl: sandbox.url,
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        redirectUri: 'http://localhost:8080/callback',
        scopes: ['read'],
        timeoutMs: 60_000,
        listen: false,
      },
      { tokenClient: createTokenClient({ baseUrl: sandbox.url, env: {} }) },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const state = new URL(flow.authorizeUrl!).searchParams.get('state')!;
    for (const input of [
      `https://evil.example/callback?code=abc&state=${state}`,
      `http://localhost:8080/other?code=abc&state=${state}`,
      `http://127.0.0.1:8080/callback?code=abc&state=${state}`,
      `http://localhost:9999/callback?code=abc`,
      `javascript:alert(1)//?code=abc&state=${state}`,
    ]) {
      await expect(flow.paste(input), input).rejects.toMatchObject({
        code: 'usage',
        message: 'That address is not the redirect URI of this login (http://localhost:8080/callback).',
      });
    }
    expect(flow.events.some((e) => e.type === 'callback')).toBe(false);
    expect(sandbox.stats.tokenRequests).toEqual({});
    await expect(flow.paste(`code=abc&state=${'z'.repeat(state.length)}`)).rejects.toMatchObject({
      code: 'state_mismatch',
    });
    // The address of this login is still taken (and its made-up code refused by the server).
    await flow.paste(`http://localhost:8080/callback?code=abc&state=${state}`);
    await expect(flow.done).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(sandbox.stats.tokenRequests).toEqual({ authorization_code: 1 });
    await sandbox.close();
  });
});
