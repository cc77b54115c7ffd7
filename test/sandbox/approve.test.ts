import { afterEach, expect, test } from 'vitest';
import { approveInSandbox } from '../../source/sandbox/approve.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox } from '../../source/sandbox/types.js';

let sandbox: Sandbox;
afterEach(async () => {
  await sandbox?.close();
});

const authorize = (s: Sandbox, redirectUri: string) =>
  `${s.url}/oauth2/chat/authorizations/new?${new URLSearchParams({
    response_type: 'code',
    client_id: s.demo.clientId,
    scope: 'read write',
    subdomain: 'demo',
    redirect_uri: redirectUri,
    state: 'st',
  })}`;

test('presses Allow: the emulator calls the redirect URI with a code; consent is back on afterwards', async () => {
  sandbox = await startSandbox({ quiet: true });
  const { createServer } = await import('node:http');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const redirectUri = `http://localhost:${port}`;
  const admin = `Bearer ${sandbox.demo.adminToken}`;
  await fetch(`${sandbox.url}/api/v2/chat/oauth/clients/${sandbox.demo.clientNumericId}`, {
    method: 'PUT',
    headers: { Authorization: admin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [redirectUri] }),
  });
  const result = await approveInSandbox(sandbox, authorize(sandbox, redirectUri));
  expect(result).toEqual({ ok: true, message: 'Approved in the sandbox: it called the redirect URL.' });
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatch(/^\/\?code=[^&]+&state=st$/);
  // Auto-approve was only for that one request: a browser now sees the consent page again.
  const page = await (await fetch(authorize(sandbox, redirectUri))).text();
  expect(page).toContain('consent_id');
  server.close();
});

test('refusals and unreachable targets come back as sentences', async () => {
  sandbox = await startSandbox({ quiet: true });
  expect(
    await approveInSandbox(sandbox, 'https://acme.zendesk.com/oauth2/chat/authorizations/new'),
  ).toMatchObject({
    ok: false,
    message: expect.stringMatching(/not the sandbox’s/),
  });
  const wrongClient = authorize(sandbox, 'http://localhost:1').replace(sandbox.demo.clientId, 'nope');
  expect(await approveInSandbox(sandbox, wrongClient)).toMatchObject({
    ok: false,
    message: expect.stringMatching(/HTTP 400/),
  });
  // Nothing listens at the redirect URI: the emulator says so (502).
  const admin = `Bearer ${sandbox.demo.adminToken}`;
  await fetch(`${sandbox.url}/api/v2/chat/oauth/clients/${sandbox.demo.clientNumericId}`, {
    method: 'PUT',
    headers: { Authorization: admin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: ['http://localhost:1'] }),
  });
  expect((await approveInSandbox(sandbox, authorize(sandbox, 'http://localhost:1'))).ok).toBe(false);
  const url = sandbox.url;
  await sandbox.close();
  expect(
    await approveInSandbox({ ...sandbox, url } as Sandbox, `${url}/oauth2/chat/authorizations/new`),
  ).toEqual({
    ok: false,
    message: 'Could not reach the sandbox to approve; it may have stopped.',
  });
});
