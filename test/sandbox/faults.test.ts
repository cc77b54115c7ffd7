import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import { api, form, sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(async () => {
  await sb.close();
});

const chats = () => api(sb, '/chats', sb.demo.adminToken);

describe('inject', () => {
  test('status: a JSON body by default, or an empty one', async () => {
    sb.inject({ kind: 'status', status: 503, times: 1 });
    const res = await chats();
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'Service Unavailable' });
    expect((await chats()).status).toBe(200);

    sb.inject({ kind: 'status', status: 502, body: 'empty', times: 1 });
    const empty = await chats();
    expect(empty.status).toBe(502);
    expect(await empty.text()).toBe('');

    sb.inject({ kind: 'status', times: 1 });
    expect((await chats()).status).toBe(500);
  });

  test('html: an HTML page with the status (502 by default)', async () => {
    sb.inject({ kind: 'html', times: 1 });
    const res = await chats();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<html');
    sb.inject({ kind: 'html', status: 504, times: 1 });
    expect((await chats()).status).toBe(504);
  });

  test('slow: delays, then the route answers', async () => {
    sb.inject({ kind: 'slow', delayMs: 300, times: 1 });
    const t0 = performance.now();
    expect((await chats()).status).toBe(200);
    const slow = performance.now() - t0;
    expect(slow).toBeGreaterThanOrEqual(290);
    const t1 = performance.now();
    await chats();
    // Used up: the next one is not delayed (relative, so a busy machine does not fail it).
    expect(performance.now() - t1).toBeLessThan(slow - 200);
  });

  test('slow then status: the delay stacks with the next fault', async () => {
    sb.inject({ kind: 'slow', delayMs: 100, times: 1 });
    sb.inject({ kind: 'status', status: 500, times: 1 });
    const t0 = performance.now();
    expect((await chats()).status).toBe(500);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
  });

  test('reset: the socket is destroyed with no answer', async () => {
    sb.inject({ kind: 'reset', times: 1 });
    await expect(chats()).rejects.toThrow();
    expect((await chats()).status).toBe(200);
    expect(sb.stats.requests[0]).toMatchObject({ path: '/api/v2/chat/chats', status: 0 });
  });

  test('rate-limit: 429 with Retry-After (default 60) and a JSON body', async () => {
    sb.inject({ kind: 'rate-limit', retryAfter: 7, times: 1 });
    const res = await chats();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error: 'Too Many Requests' });
    sb.inject({ kind: 'rate-limit', times: 1 });
    expect((await chats()).headers.get('retry-after')).toBe('60');
  });

  test('path filters by prefix; other paths pass', async () => {
    sb.inject({ kind: 'status', status: 500, path: '/oauth2/chat/token' });
    expect((await chats()).status).toBe(200);
    const res = await form(sb, { grant_type: 'client_credentials' });
    expect(res.status).toBe(500);
    // A fault answers before the route: the token endpoint never counted it.
    expect(sb.stats.tokenRequests).toEqual({});
    expect(sb.stats.requests.at(-1)).toEqual({ method: 'POST', path: '/oauth2/chat/token', status: 500 });
  });

  test('times: used up after n hits; forever without it; remove and clearFaults end it', async () => {
    sb.inject({ kind: 'status', status: 500, times: 2 });
    expect([(await chats()).status, (await chats()).status, (await chats()).status]).toEqual([500, 500, 200]);

    const remove = sb.inject({ kind: 'status', status: 502 });
    for (let i = 0; i < 3; i++) expect((await chats()).status).toBe(502);
    remove();
    expect((await chats()).status).toBe(200);

    sb.inject({ kind: 'status', status: 503 });
    sb.inject({ kind: 'html' });
    expect((await chats()).status).toBe(503);
    sb.clearFaults();
    expect((await chats()).status).toBe(200);
  });

  test('a client that gives up during a slow answer does not break the sandbox', async () => {
    sb.inject({ kind: 'slow', delayMs: 150, times: 1 });
    await expect(
      new Promise((resolve, reject) => {
        const req = request(`${sb.url}/api/v2/chat/chats`, { timeout: 30 }, resolve);
        req.on('timeout', () => req.destroy(new Error('gave up')));
        req.on('error', reject);
        req.end();
      }),
    ).rejects.toThrow('gave up');
    await new Promise((r) => setTimeout(r, 200));
    expect((await chats()).status).toBe(200);
  });
});
