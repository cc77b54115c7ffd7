// A code login warms its token client once the authorize URL is out, while a person is at the browser: the
// exchange after the redirect then runs compiled code. The warm-up sends nothing to the server.
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { planLogin, runLogin } from '../../../source/core/login/index.js';
import type { FlowEvent } from '../../../source/core/oauth/types.js';
import { openStore } from '../../../source/core/store/store.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { freePort } from '../oauth/http-helper.js';
import { removeDir, tempDir } from '../store/helpers.js';

let sandbox: Sandbox;
let root: string;
beforeEach(async () => {
  sandbox = await startSandbox({ quiet: true });
  root = tempDir();
});
afterEach(async () => {
  await sandbox.close();
  removeDir(root);
});

/** The HTTP requests this process starts while `run` runs, as `host path`. */
async function clientRequests(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    seen.push(`${request.host} ${request.path}`);
  };
  diagnostics.subscribe('http.client.request.start', onStart);
  try {
    await run();
  } finally {
    diagnostics.unsubscribe('http.client.request.start', onStart);
  }
  return seen;
}

test('prepare sends one token request to a server of this process, none to the server, and reports none', async () => {
  const exchanges: HttpExchange[] = [];
  // A proxy that does not exist: the warm-up must not go through it.
  const client = createTokenClient({
    baseUrl: sandbox.url,
    onExchange: (e) => exchanges.push(e),
    env: { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9' },
  });
  const seen = await clientRequests(async () => {
    await client.prepare?.();
  });
  expect(seen).toEqual(['127.0.0.1 /oauth2/chat/token']);
  expect(sandbox.stats.requests).toEqual([]);
  expect(exchanges).toEqual([]);
});

test('a code login warms the token client after the authorize URL is out; the code is exchanged once', async () => {
  const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}`;
  await admin.updateClient(sandbox.demo.clientNumericId, {
    client_type: 'confidential',
    redirect_uris: [redirectUri],
  });
  const store = openStore({ dir: path.join(root, 'store') });
  const planned = planLogin({
    request: {
      profile: 'demo',
      subdomain: sandbox.demo.subdomain,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      baseUrl: sandbox.url,
      redirectUri,
      flow: 'code',
      scopes: ['read'],
    },
    env: {},
    store,
  });
  if (!planned.ready) throw new Error(`plan not ready: ${planned.draft.missing.join(', ')}`);
  const real = createTokenClient({ baseUrl: sandbox.url });
  const order: string[] = [];
  let warmed!: () => void;
  const prepared = new Promise<void>((resolve) => {
    warmed = resolve;
  });
  const tokenClient = {
    ...real,
    prepare: async () => {
      order.push('prepare');
      await real.prepare?.();
      warmed();
    },
  };
  const flow = runLogin(planned.plan, {
    store,
    tokenClient,
    openBrowser: async () => ({ opened: false }),
    now: () => new Date(),
  });
  flow.subscribe((e: FlowEvent) => order.push(e.type));
  await prepared;
  expect(order.indexOf('authorize-url')).toBeGreaterThanOrEqual(0);
  expect(order.indexOf('prepare')).toBeGreaterThan(order.indexOf('authorize-url'));
  expect(order.filter((o) => o === 'prepare')).toHaveLength(1);
  expect(sandbox.stats.requests.filter((r) => r.path.startsWith('/oauth2/chat/token'))).toEqual([]);

  // The person presses Allow; the browser follows the redirect.
  const url = flow.authorizeUrl as string;
  const page = await fetch(url);
  const consentId = /name="consent_id" value="([^"]+)"/.exec(await page.text())?.[1] as string;
  const answer = await fetch(new URL('/oauth2/chat/authorizations', url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision: 'allow' }),
  });
  await (await fetch(answer.headers.get('location') as string)).text();
  await flow.done;
  expect(store.get('demo')?.token?.grant).toBe('authorization_code');
  expect(sandbox.stats.requests.filter((r) => r.path.startsWith('/oauth2/chat/token'))).toHaveLength(1);
  expect(order.filter((o) => o === 'prepare')).toHaveLength(1);
});
