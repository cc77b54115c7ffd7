/** The Chat API data routes `zchat-auth api` works with: chats pages, agents, departments. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import { api, exchange, getCode, json, sandbox } from './helpers.js';

let sb: Sandbox;
let admin: string;
beforeAll(async () => {
  sb = await sandbox();
  admin = sb.demo.adminToken;
});
afterAll(async () => {
  await sb.close();
});

interface Page {
  chats: { id: string }[];
  count: number;
  next_url: string | null;
}

describe('chats pagination', () => {
  test('limit=5 gives three pages linked by next_url on the sandbox origin, every chat once', async () => {
    const seen: string[] = [];
    let url: string | null = `${sb.url}/api/v2/chat/chats?limit=5`;
    let pages = 0;
    while (url) {
      expect(new URL(url).origin).toBe(sb.url);
      const res = await fetch(url, { headers: { Authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      expect(page.count).toBe(page.chats.length);
      seen.push(...page.chats.map((c) => c.id));
      url = page.next_url;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  test.each([['0'], ['101'], ['x'], ['-1']])('limit=%s is a 400', async (limit) => {
    const res = await api(sb, `/chats?limit=${limit}`, admin);
    expect(res.status).toBe(400);
  });

  test('a forged cursor is a 400', async () => {
    expect((await api(sb, '/chats?cursor=bm9wZQ', admin)).status).toBe(400);
  });
});

describe('agents and departments', () => {
  test('agents list carries no password', async () => {
    const res = await api(sb, '/agents', admin);
    const body = (await res.json()) as { id: number; email: string }[];
    expect(body.map((a) => a.email)).toEqual([
      'admin@demo.example',
      'agent@demo.example',
      'other@demo.example',
    ]);
    expect(JSON.stringify(body)).not.toContain(sb.demo.password);
    expect((await api(sb, `/agents/${body[0]!.id}`, admin)).status).toBe(200);
    expect((await api(sb, '/agents/1', admin)).status).toBe(404);
  });

  test('POST /departments creates one (typed fields kept), then GET lists it', async () => {
    const res = await json(sb, '/departments', admin, 'POST', {
      name: 'Billing',
      enabled: false,
      members: [],
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: number; name: string; enabled: boolean };
    expect(made).toMatchObject({ name: 'Billing', enabled: false });
    const list = (await (await api(sb, '/departments', admin)).json()) as { name: string }[];
    expect(list.map((d) => d.name)).toContain('Billing');
    expect((await api(sb, `/departments/${made.id}`, admin)).status).toBe(200);
  });

  test.each([
    [{}, 'name is required.'],
    [{ name: '  ' }, 'name is required.'],
    [{ name: 'X', enabled: 'yes' }, 'enabled must be true or false.'],
    [{ name: 'X', members: ['1'] }, 'members must be a list of agent IDs.'],
    ['not json', 'The body must be a JSON object.'],
  ])('POST /departments %j is a 400', async (body, description) => {
    const res = await json(sb, '/departments', admin, 'POST', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Bad Request', description });
  });

  test('a read-only token may list but not create', async () => {
    const { body } = await exchange(sb, await getCode(sb, { scope: 'read' }));
    const access_token = body.access_token!;
    expect((await api(sb, '/departments', access_token)).status).toBe(200);
    expect((await json(sb, '/departments', access_token, 'POST', { name: 'Y' })).status).toBe(403);
  });
});
