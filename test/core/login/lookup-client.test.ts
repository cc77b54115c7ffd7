/**
 * Finding the OAuth client with a stored token, against the sandbox over loopback: found with an admin's
 * token; and a store full of tokens that cannot list clients costs a few requests, not one per profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { clientLookup, MAX_TOKENS_TRIED } from '../../../source/core/login/lookup-client.js';
import { openStore } from '../../../source/core/store/store.js';
import { createServices } from '../../../source/create-services.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { sampleProfile } from '../store/helpers.js';

let sb: Sandbox;
let dir: string;
afterEach(async () => {
  await sb?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const token = (accessToken: string) => ({
  accessToken,
  tokenType: 'Bearer',
  scope: 'read write',
  grant: 'authorization_code' as const,
  obtainedAt: new Date().toISOString(),
});

test('tries a few stored tokens at most, then says it does not know', async () => {
  sb = await startSandbox({ quiet: true });
  dir = await mkdtemp(path.join(tmpdir(), 'zchat-lookup-'));
  const store = openStore({ dir });
  for (let i = 0; i < 10; i++) {
    await store.save(
      sampleProfile(`p${String(i).padStart(2, '0')}`, {
        subdomain: 'demo',
        baseUrl: sb.url,
        token: token(`revoked-${i}`),
      }),
    );
  }
  const services = createServices({}, { store });
  const lookup = clientLookup(store, (baseUrl, t) => services.chatApi(baseUrl, t));
  const before = sb.stats.requests.length;
  expect(await lookup(sb.url, sb.demo.clientId)).toBeUndefined();
  const calls = sb.stats.requests.slice(before).filter((r) => r.path.endsWith('/oauth/clients'));
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.length).toBeLessThanOrEqual(MAX_TOKENS_TRIED);
});

test("an admin's stored token finds the client", async () => {
  sb = await startSandbox({ quiet: true });
  dir = await mkdtemp(path.join(tmpdir(), 'zchat-lookup-'));
  const store = openStore({ dir });
  await store.save(
    sampleProfile('admin', { subdomain: 'demo', baseUrl: sb.url, token: token(sb.demo.adminToken) }),
  );
  const services = createServices({}, { store });
  const lookup = clientLookup(store, (baseUrl, t) => services.chatApi(baseUrl, t));
  expect((await lookup(sb.url, sb.demo.clientId))?.client_identifier).toBe(sb.demo.clientId);
});
