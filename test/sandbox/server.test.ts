import { afterEach, describe, expect, test, vi } from 'vitest';
import { ZchatError } from '../../source/core/errors.js';
import { sandboxBanner, switches } from '../../source/sandbox/banner.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { api, sandbox } from './helpers.js';

const open: Sandbox[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startSandbox>[0] = {}) {
  const sb = await sandbox(options);
  open.push(sb);
  return sb;
}

describe('startSandbox', () => {
  test('binds 127.0.0.1 on a free port and seeds the demo account', async () => {
    const sb = await start();
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
    expect(sb.port).toBeGreaterThan(0);
    expect(sb.demo).toMatchObject({ subdomain: 'demo', redirectUri: 'http://localhost:8080' });
    expect(sb.demo.clientId).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(sb.demo.clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(sb.demo.adminToken.length).toBeGreaterThanOrEqual(40);
    expect(sb.getClient(sb.demo.clientId)).toEqual({
      client_type: 'public',
      redirect_uris: ['http://localhost:8080'],
      scopes: 'read write',
    });
    expect(sb.getClient(sb.demo.multiRedirectClientId)?.redirect_uris).toHaveLength(2);
    expect(sb.getClient('nope')).toBeUndefined();
    expect(sb.isTokenValid(sb.demo.adminToken)).toBe(true);
  });

  test('two sandboxes have different secrets and tokens', async () => {
    const [a, b] = [await start(), await start()];
    expect(a.demo.clientId).not.toBe(b.demo.clientId);
    expect(a.demo.clientSecret).not.toBe(b.demo.clientSecret);
    expect(a.demo.adminToken).not.toBe(b.demo.adminToken);
    expect(a.demo.password).not.toBe(b.demo.password);
    expect((await api(a, '/chats', b.demo.adminToken)).status).toBe(401);
  });

  test('listens on ::1 when asked', async () => {
    const sb = await start({ host: '::1' });
    expect(sb.url).toBe(`http://[::1]:${sb.port}`);
    expect((await api(sb, '/chats', sb.demo.adminToken)).status).toBe(200);
  });

  test('refuses a non-loopback host', async () => {
    await expect(startSandbox({ host: '0.0.0.0', quiet: true })).rejects.toMatchObject({ code: 'usage' });
  });

  test('a busy port is a port_busy ZchatError naming it', async () => {
    const first = await start();
    const err = await startSandbox({ port: first.port, quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZchatError);
    expect(err).toMatchObject({ code: 'port_busy', message: expect.stringContaining(String(first.port)) });
  });

  test('when not quiet, logs each request without its query', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const sb = await startSandbox();
    open.push(sb);
    await fetch(`${sb.url}/api/v2/chat/chats?token=secret`);
    await expect.poll(() => writes.join('')).toContain('sandbox: GET /api/v2/chat/chats 401');
    expect(writes.join('')).not.toContain('secret');
  });

  test('close frees the port, even with a connection open', async () => {
    const sb = await sandbox();
    sb.inject({ kind: 'slow', delayMs: 5000 });
    const pending = fetch(`${sb.url}/api/v2/chat/chats`).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 50));
    await sb.close();
    expect(await pending).toBe('closed');
    await expect(fetch(`${sb.url}/`)).rejects.toThrow();
  });
});

describe('sandboxBanner', () => {
  test('shows the URL, the demo client, the redirect URI and a ready login line', async () => {
    const sb = await start();
    const text = sandboxBanner(sb);
    expect(text).toContain(sb.url);
    expect(text).toContain(sb.demo.clientId);
    expect(text).toContain(sb.demo.clientSecret);
    expect(text).toContain('http://localhost:8080');
    expect(text).toContain(
      `zchat-auth login --base-url ${sb.url} --subdomain demo --client-id ${sb.demo.clientId}`,
    );
    expect(text).toContain('(needs a confidential client and --chat-only-account)');
    expect(text).toContain(
      'switches        --state echoed --refresh-tokens rotate --implicit-in fragment --dates z --redirect-uris list\n',
    );
  });

  test('the switches show as the flags that chose them', async () => {
    const sb = await startSandbox({
      quiet: true,
      echoState: false,
      refreshTokens: 'reusable',
      implicitIn: 'query',
      datesWithZ: false,
      redirectUrisAs: 'string',
      chatOnlyAccount: true,
    });
    try {
      expect(switches(sb)).toBe(
        '--state omitted --refresh-tokens reusable --implicit-in query --dates no-zone --redirect-uris string --chat-only-account',
      );
      expect(sandboxBanner(sb)).toContain('(needs a confidential client)');
    } finally {
      await sb.close();
    }
  });
});
