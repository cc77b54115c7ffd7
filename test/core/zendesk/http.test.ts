import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { createGot } from '../../../source/core/zendesk/got-client.js';
import { createHttpClient, defaults, encodeForm } from '../../../source/core/zendesk/http.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { closedPort, countRequests, type Listener, startListener } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.clearFaults());

const chats = '/api/v2/chat/chats';
const host = () => new URL(sandbox.url).host;

function api(o: Partial<Parameters<typeof createChatApi>[0]> = {}) {
  return createChatApi({
    baseUrl: sandbox.url,
    accessToken: sandbox.demo.adminToken,
    retryDelayMs: 20,
    ...o,
  });
}

async function failure(promise: Promise<unknown>): Promise<ZchatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZchatError);
  return error as ZchatError;
}

function attempts(method: string, path: string, run: () => Promise<unknown>): Promise<number> {
  const before = countRequests(sandbox, method, path);
  return run().then(
    () => countRequests(sandbox, method, path) - before,
    () => countRequests(sandbox, method, path) - before,
  );
}

describe('GET retries', () => {
  it('rides out one 500 and one reset', async () => {
    sandbox.inject({ kind: 'status', status: 500, path: chats, times: 1 });
    expect(await attempts('GET', chats, () => api().chats())).toBe(2);
    sandbox.inject({ kind: 'reset', path: chats, times: 1 });
    expect(await attempts('GET', chats, () => api().chats())).toBe(2);
  });

  it('gives up after the limit (2 by default) with the last answer mapped', async () => {
    sandbox.inject({ kind: 'status', status: 502, path: chats });
    let error: ZchatError | undefined;
    expect(
      await attempts('GET', chats, async () => {
        error = await failure(api().chats());
      }),
    ).toBe(1 + defaults.retries);
    expect(error).toMatchObject({
      code: 'server_error',
      status: 502,
      message: 'Zendesk had a server error (status 502).',
    });
    sandbox.clearFaults();

    sandbox.inject({ kind: 'html', status: 502, path: chats });
    const html = await failure(api({ retries: 1 }).chats());
    expect(html).toMatchObject({ code: 'html_response', status: 502 });
    expect(html.message).toBe('Zendesk answered with a web page (status 502) instead of JSON.');
  });

  it('backs off between attempts, doubling', async () => {
    sandbox.inject({ kind: 'status', status: 503, path: chats });
    const started = performance.now();
    await failure(api({ retryDelayMs: 100, retries: 2 }).chats());
    // 100 ms, then 200 ms (plus a little noise).
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('honours Retry-After on a GET 429 and then succeeds', async () => {
    sandbox.inject({ kind: 'rate-limit', retryAfter: 1, path: chats, times: 1 });
    const started = performance.now();
    expect(await attempts('GET', chats, () => api({ retryDelayMs: 1 }).chats())).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('surfaces a Retry-After longer than the cap at once, with the seconds', async () => {
    sandbox.inject({ kind: 'rate-limit', retryAfter: 60, path: chats });
    const started = performance.now();
    let error: ZchatError | undefined;
    expect(
      await attempts('GET', chats, async () => {
        error = await failure(api().chats());
      }),
    ).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 60 });
    expect(error!.message).toBe('Zendesk is limiting the request rate; try again in 60 seconds.');

    // The cap is configurable: a 1 s cap refuses to wait 2 s.
    sandbox.clearFaults();
    sandbox.inject({ kind: 'rate-limit', retryAfter: 2, path: chats });
    expect(await attempts('GET', chats, () => api({ maxRetryAfterMs: 1000 }).chats())).toBe(1);
  });

  it('retries a timeout, and reports one that lasts', async () => {
    sandbox.inject({ kind: 'slow', delayMs: 1500, path: chats, times: 1 });
    expect(await attempts('GET', chats, () => api({ timeoutMs: 300, retries: 1 }).chats())).toBe(2);

    sandbox.inject({ kind: 'slow', delayMs: 1500, path: chats });
    const started = performance.now();
    const error = await failure(api({ timeoutMs: 300, retries: 0 }).chats());
    expect(performance.now() - started).toBeLessThan(1200);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`${host()} did not answer within 0.3 seconds.`);
  });
});

describe('writes are never retried', () => {
  it('a PUT, POST and DELETE each go once through 500, 429, reset and slow', async () => {
    const id = sandbox.demo.multiRedirectClientNumericId;
    const path = `/api/v2/chat/oauth/clients/${id}`;
    const faults = [
      { kind: 'status', status: 500 },
      { kind: 'rate-limit', retryAfter: 1 },
      { kind: 'reset' },
    ] as const;
    for (const fault of faults) {
      const remove = sandbox.inject({ ...fault, path: '/api/v2/chat/oauth/clients' });
      expect(await attempts('PUT', path, () => api().updateClient(id, { name: 'x' }))).toBe(1);
      expect(
        await attempts('POST', '/api/v2/chat/oauth/clients', () =>
          api().createClient({ name: 'x', redirect_uris: ['http://localhost:1'] }),
        ),
      ).toBe(1);
      expect(
        await attempts('DELETE', '/api/v2/chat/oauth/clients/999999', () => api().deleteClient(999_999)),
      ).toBe(1);
      remove();
    }
    sandbox.inject({ kind: 'rate-limit', retryAfter: 3, path: '/api/v2/chat/oauth/clients' });
    const limited = await failure(api().createClient({ name: 'x', redirect_uris: ['http://localhost:1'] }));
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfter: 3 });
    sandbox.clearFaults();
    sandbox.inject({ kind: 'slow', delayMs: 1000, path: '/api/v2/chat/oauth/clients' });
    expect(await attempts('PUT', path, () => api({ timeoutMs: 200 }).updateClient(id, { name: 'x' }))).toBe(
      1,
    );
  });
});

describe('network failures', () => {
  it('names the host when the connection is refused, after the GET retries', async () => {
    const port = await closedPort();
    const exchanges: HttpExchange[] = [];
    const error = await failure(
      createChatApi({
        baseUrl: `http://127.0.0.1:${port}`,
        accessToken: 'tok_x',
        retryDelayMs: 5,
        onExchange: (e) => exchanges.push(e),
      }).chats(),
    );
    expect(error.code).toBe('network');
    expect(error.message).toBe(`Could not reach 127.0.0.1:${port}: the connection was refused.`);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.status).toBeUndefined();
  });

  it('says the connection was cut on a reset', async () => {
    sandbox.inject({ kind: 'reset', path: chats });
    const error = await failure(api({ retries: 0 }).chats());
    expect(error.message).toBe(`The connection to ${host()} was cut before Zendesk answered.`);
  });
});

describe('odd answers', () => {
  let listener: Listener;
  let reply: (res: import('node:http').ServerResponse) => void = (res) => res.end();
  beforeAll(async () => {
    listener = await startListener((_req, res) => reply(res));
  });
  afterAll(() => listener.close());

  it('does not follow a redirect (and so never hands the token to another host)', async () => {
    reply = (res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    const before = listener.requests.length;
    const error = await failure(createChatApi({ baseUrl: listener.url, accessToken: 'tok_x' }).chats());
    expect(error).toMatchObject({ code: 'bad_response', status: 302 });
    expect(listener.requests.length - before).toBe(1);
  });

  it('maps a 200 that is not JSON through got (ParseError)', async () => {
    reply = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"chats": [');
    };
    await expect(
      createChatApi({ baseUrl: listener.url, accessToken: 'tok_x' }).chats(),
    ).rejects.toMatchObject({
      code: 'bad_response',
      status: 200,
    });
    const instance = createGot({ baseUrl: listener.url });
    await expect(instance(`${listener.url}/x`)).rejects.toBeInstanceOf(ZchatError);
  });

  it('a throwing observer does not break a good call; the client sends what it was given', async () => {
    reply = (res) => {
      res.writeHead(204);
      res.end();
    };
    const client = createHttpClient({
      baseUrl: listener.url,
      onExchange: () => {
        throw new Error('observer bug');
      },
    });
    const answer = await client.send({
      method: 'POST',
      path: '/p',
      json: { a: 1 },
      headers: { 'X-Test': 'yes' },
    });
    expect(answer).toMatchObject({ status: 204, body: '' });
    const seen = listener.requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'POST', path: '/p', body: '{"a":1}' });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-test']).toBe('yes');
    expect(seen.headers['user-agent']).toBe('zendesk-chat-auth');
  });
});

describe('encodeForm', () => {
  it('encodes spaces as %20 and leaves out undefined fields', () => {
    expect(encodeForm({ a: 'read write', b: undefined, c: 'x&y=z', 'd e': 'é' })).toBe(
      'a=read%20write&c=x%26y%3Dz&d%20e=%C3%A9',
    );
  });
});
