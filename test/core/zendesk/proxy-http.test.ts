import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { inspect } from 'node:util';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { agentsFor } from '../../../source/core/zendesk/got-client.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { authorizationCode, closedPort } from './helpers.js';

/**
 * A tiny CONNECT proxy on loopback. Whatever host it is asked for, it connects to 127.0.0.1 on the
 * same port, so a non-loopback-looking name goes through the proxy and all traffic stays local.
 */
interface TestProxy {
  url: string;
  port: number;
  connects: { target: string; proxyAuthorization?: string }[];
  refuseWith?: number;
  close(): Promise<void>;
}

async function startProxy(): Promise<TestProxy> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  const proxy: TestProxy = {
    url: '',
    port: 0,
    connects: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('connect', (req, client, head) => {
    const entry: TestProxy['connects'][number] = { target: req.url ?? '' };
    if (req.headers['proxy-authorization']) entry.proxyAuthorization = req.headers['proxy-authorization'];
    proxy.connects.push(entry);
    if (proxy.refuseWith) {
      client.end(`HTTP/1.1 ${proxy.refuseWith} Refused\r\n\r\n`);
      return;
    }
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  return proxy;
}

let sandbox: Sandbox;
let proxy: TestProxy;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  proxy = await startProxy();
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});
beforeEach(() => {
  proxy.connects.length = 0;
  delete proxy.refuseWith;
});

const farAway = () => `http://demo.zendesk.test:${sandbox.port}`;

describe('requests through HTTP_PROXY', () => {
  it('tunnels API calls and token POSTs for a non-loopback host through the proxy', async () => {
    const env = { HTTP_PROXY: proxy.url };
    const page = await createChatApi({
      baseUrl: farAway(),
      accessToken: sandbox.demo.adminToken,
      env,
    }).chats();
    expect(page.chats.length).toBeGreaterThan(0);
    expect(proxy.connects.map((c) => c.target)).toEqual([`demo.zendesk.test:${sandbox.port}`]);

    const token = await createTokenClient({
      baseUrl: farAway(),
      env: { http_proxy: proxy.url },
    }).exchangeCode({
      code: await authorizationCode(sandbox),
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scope: 'read write',
    });
    expect(sandbox.isTokenValid(token.accessToken)).toBe(true);
    expect(proxy.connects).toHaveLength(2);
  });

  it('sends proxy credentials from the proxy URL, and never shows them in errors', async () => {
    proxy.refuseWith = 407;
    const env = { HTTP_PROXY: `http://alice:pr0xy-s3cret@127.0.0.1:${proxy.port}` };
    const error = await createChatApi({
      baseUrl: farAway(),
      accessToken: sandbox.demo.adminToken,
      env,
      retries: 0,
    })
      .chats()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZchatError);
    expect((error as ZchatError).message).toBe(
      `The proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY) would not connect to demo.zendesk.test:${sandbox.port} (status 407).`,
    );
    expect((error as ZchatError).hint).toMatch(/credentials/);
    expect(proxy.connects[0]!.proxyAuthorization).toBe(
      `Basic ${Buffer.from('alice:pr0xy-s3cret').toString('base64')}`,
    );
    const shown = inspect(error, { showHidden: true, depth: 10 });
    expect(shown).not.toContain('pr0xy-s3cret');
    expect(shown).not.toContain(sandbox.demo.adminToken);
  });

  it('says when the proxy itself cannot be reached', async () => {
    const port = await closedPort();
    const error = await createChatApi({
      baseUrl: farAway(),
      accessToken: 'tok_x',
      env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: `http://127.0.0.1:${port}` },
      retries: 0,
    })
      .chats()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'network',
      message: `Could not reach the proxy 127.0.0.1:${port} (from HTTP_PROXY).`,
    });
  });

  it('always goes direct to loopback, even with a proxy set', async () => {
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' };
    await createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken, env }).account();
    expect(proxy.connects).toHaveLength(0);
  });

  it('refuses a proxy variable that is not a URL, when the first request is made', async () => {
    const api = createChatApi({
      baseUrl: farAway(),
      accessToken: 'tok_x',
      env: { HTTP_PROXY: 'http://[oops' },
    });
    await expect(api.chats()).rejects.toMatchObject({
      code: 'usage',
      message: 'The proxy setting HTTP_PROXY is not a valid URL.',
    });
  });
});

describe('agentsFor', () => {
  it('picks hpagent agents for proxied hosts and plain ones otherwise', () => {
    const proxied = agentsFor('https://acme.zendesk.com', { HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(proxied.proxy).toEqual({ url: 'http://proxy.corp:3128/', variable: 'HTTPS_PROXY' });
    expect(proxied.agent.https).toBeInstanceOf(HttpsProxyAgent);
    expect(proxied.agent.http).toBeInstanceOf(HttpProxyAgent);
    // The same proxy reuses its agents.
    expect(agentsFor('https://other.zendesk.com', { HTTPS_PROXY: 'http://proxy.corp:3128' }).agent).toBe(
      proxied.agent,
    );

    const bypassed = agentsFor('https://acme.zendesk.com', {
      HTTPS_PROXY: 'http://proxy.corp:3128',
      NO_PROXY: 'zendesk.com',
    });
    expect(bypassed.proxy).toBeUndefined();
    expect(bypassed.agent.https).not.toBeInstanceOf(HttpsProxyAgent);
    expect(agentsFor('https://acme.zendesk.com', {}).agent).toBe(bypassed.agent);
    expect(agentsFor('http://127.0.0.1:9', { HTTP_PROXY: 'http://proxy.corp:3128' }).proxy).toBeUndefined();
  });
});
