import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  api,
  codeToken,
  consentId,
  decide,
  demoCodeParams,
  exchange,
  form,
  getCode,
  json,
  makeConfidential,
  sandbox,
} from './helpers.js';

let sb: Sandbox;
let admin: string;
beforeEach(async () => {
  sb = await sandbox();
  admin = sb.demo.adminToken;
});
afterEach(async () => {
  vi.useRealTimers();
  await sb.close();
});

interface ClientJson {
  id: number;
  name: string;
  company: string | null;
  redirect_uris: string[];
  client_identifier: string;
  client_secret: string | null;
  client_type: string;
  scopes: string;
  agent_id: number;
  create_date: string;
  update_date: string;
}

/** A token with the given scopes, from the implicit flow. */
async function implicitToken(scope: string): Promise<string> {
  const res = await decide(
    sb,
    await consentId(sb, demoCodeParams(sb, { response_type: 'token', scope })),
    'allow',
  );
  return new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1)).get('access_token')!;
}

describe('Bearer auth', () => {
  test('401 with the Chat body when the token is missing, unknown, revoked or expired', async () => {
    const missing = await api(sb, '/chats', undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await missing.json()).toMatchObject({ error: 'Unauthorized', description: expect.any(String) });
    const basic = await api(sb, '/chats', undefined, { headers: { Authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
    expect((await api(sb, '/chats', 'made-up')).status).toBe(401);
    const { access_token } = await codeToken(sb);
    sb.revokeAccessToken(access_token);
    expect(await (await api(sb, '/chats', access_token)).json()).toEqual({
      error: 'Unauthorized',
      description: 'The access token is invalid or has been revoked.',
    });
    const other = await codeToken(sb);
    sb.expireAccessToken(other.access_token);
    expect((await api(sb, '/chats', other.access_token)).status).toBe(401);
    // Assertion helpers on unknown tokens do nothing.
    sb.revokeAccessToken('nope');
    sb.expireAccessToken('nope');
    expect(sb.isTokenValid('nope')).toBe(false);
  });

  test('the scheme is case-insensitive', async () => {
    const res = await fetch(`${sb.url}/api/v2/chat/chats`, { headers: { Authorization: `bearer ${admin}` } });
    expect(res.status).toBe(200);
  });
});

describe('chats and account', () => {
  test('GET /chats: the seeded chats in one page, count, next_url null', async () => {
    const res = await api(sb, '/chats', admin);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      chats: { id: string; type: string }[];
      count: number;
      next_url: null;
    };
    expect(body.count).toBe(12);
    expect(body.chats).toHaveLength(12);
    expect(body.chats[0]!.type).toBe('chat');
    expect(body.next_url).toBeNull();
  });

  test('GET /account', async () => {
    const body = (await (await api(sb, '/account', admin)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'active',
      account_key: expect.any(String),
      plan: expect.any(Object),
    });
    expect(body.create_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('a trailing slash is fine; unknown paths are 404 Not Found', async () => {
    expect((await api(sb, '/chats/', admin)).status).toBe(200);
    for (const path of ['/nothing', '', '/oauth', '/oauth/things', '/oauth/clients/1/2']) {
      const res = await api(sb, path, admin);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'Not Found' });
    }
  });
});

describe('scopes and roles', () => {
  test('GETs need read, writes need write: 403 Forbidden with a description', async () => {
    const writeOnly = await implicitToken('write');
    const res = await api(sb, '/chats', writeOnly);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: 'Forbidden',
      description: expect.stringContaining('read'),
    });
    const readOnly = await implicitToken('read');
    expect((await api(sb, '/chats', readOnly)).status).toBe(200);
    const put = await json(sb, `/oauth/clients/${sb.demo.clientNumericId}`, readOnly, 'PUT', { name: 'x' });
    expect(put.status).toBe(403);
    expect(((await put.json()) as { description: string }).description).toContain('write');
  });

  test('managing clients and tokens needs an administrator: the Chat agent of the password grant is not', async () => {
    sb.setChatOnlyAccount(true);
    await makeConfidential(sb);
    const res = await form(sb, {
      grant_type: 'password',
      username: sb.demo.username,
      password: sb.demo.password,
      client_id: sb.demo.clientId,
      client_secret: sb.demo.clientSecret,
    });
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await api(sb, '/chats', access_token)).status).toBe(200);
    for (const path of ['/oauth/clients', '/oauth/tokens']) {
      const denied = await api(sb, path, access_token);
      expect(denied.status).toBe(403);
      expect(await denied.json()).toMatchObject({ error: 'Forbidden' });
    }
  });
});

describe('/oauth/clients', () => {
  test('lists the seeded clients, secrets hidden, redirect_uris a list, scopes read write', async () => {
    const list = (await (await api(sb, '/oauth/clients', admin)).json()) as ClientJson[];
    expect(list).toHaveLength(2);
    const tutorial = list.find((c) => c.client_identifier === sb.demo.clientId)!;
    expect(tutorial).toMatchObject({
      id: sb.demo.clientNumericId,
      redirect_uris: ['http://localhost:8080'],
      client_type: 'public',
      scopes: 'read write',
      client_secret: null,
      agent_id: sb.demo.ownerAgentId,
    });
    expect(list.find((c) => c.id === sb.demo.multiRedirectClientNumericId)!.redirect_uris).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(sb.demo.clientSecret);
  });

  test('POST creates a client and returns the full secret once', async () => {
    const res = await json(sb, '/oauth/clients', admin, 'POST', {
      name: 'My app',
      company: 'Acme',
      redirect_uris: 'https://app.example/cb\nhttp://localhost:9000/cb',
      scopes: 'read write',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as ClientJson;
    expect(created.client_secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(created.client_identifier).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(created).toMatchObject({
      name: 'My app',
      company: 'Acme',
      client_type: 'public',
      redirect_uris: ['https://app.example/cb', 'http://localhost:9000/cb'],
    });
    const again = (await (await api(sb, `/oauth/clients/${created.id}`, admin)).json()) as ClientJson;
    expect(again.client_secret).toBeNull();
    expect(sb.getClient(created.client_identifier)).toEqual({
      client_type: 'public',
      redirect_uris: ['https://app.example/cb', 'http://localhost:9000/cb'],
      scopes: 'read write',
    });
    // The new secret works at the token endpoint (once confidential).
    await makeConfidential(sb, created.id);
    const cc = await form(sb, {
      grant_type: 'client_credentials',
      client_id: created.client_identifier,
      client_secret: created.client_secret!,
    });
    expect(cc.status).toBe(200);
  });

  test('POST accepts a list, defaults scopes and type', async () => {
    const res = await json(sb, '/oauth/clients', admin, 'POST', {
      name: 'L',
      redirect_uris: ['https://a.example'],
    });
    expect(await res.json()).toMatchObject({ scopes: 'read write', client_type: 'public', company: null });
  });

  test('POST validation: 400 Bad Request with a description', async () => {
    const cases: unknown[] = [
      'not json',
      '[1]',
      {},
      { name: '' },
      { name: 'x' },
      { name: 'x', redirect_uris: [] },
      { name: 'x', redirect_uris: [3] },
      { name: 'x', redirect_uris: 'http://example.com/cb' },
      { name: 'x', redirect_uris: 'not a url' },
      { name: 'x', redirect_uris: 'https://a.example/#frag' },
      { name: 'x', redirect_uris: 'https://a.example', scopes: 'admin' },
      { name: 'x', redirect_uris: 'https://a.example', scopes: ['read'] },
      { name: 'x', redirect_uris: 'https://a.example', client_type: 'secret' },
      { name: 'x', redirect_uris: 'https://a.example', company: 5 },
    ];
    for (const body of cases) {
      const res = await json(sb, '/oauth/clients', admin, 'POST', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'Bad Request', description: expect.any(String) });
    }
  });

  test('PUT is a partial update, including client_type, and moves update_date', async () => {
    const id = sb.demo.clientNumericId;
    const before = (await (await api(sb, `/oauth/clients/${id}`, admin)).json()) as ClientJson;
    // A second later by the emulator's clock (update_date has a resolution of seconds).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1100 });
    const res = await json(sb, `/oauth/clients/${id}`, admin, 'PUT', {
      client_type: 'confidential',
      redirect_uris: ['http://localhost:8080', 'http://127.0.0.1:8080'],
      company: null,
      id: 999,
      client_secret: 'ignored',
    });
    expect(res.status).toBe(200);
    const after = (await res.json()) as ClientJson;
    expect(after).toMatchObject({
      id,
      name: before.name,
      company: null,
      client_type: 'confidential',
      client_secret: null,
      redirect_uris: ['http://localhost:8080', 'http://127.0.0.1:8080'],
    });
    expect(after.update_date > before.update_date).toBe(true);
    expect(sb.getClient(sb.demo.clientId)?.client_type).toBe('confidential');
    const renamed = await json(sb, `/oauth/clients/${id}`, admin, 'PUT', { name: 'New', scopes: 'read' });
    expect(await renamed.json()).toMatchObject({ name: 'New', scopes: 'read', client_type: 'confidential' });
    const back = await json(sb, `/oauth/clients/${id}`, admin, 'PUT', { client_type: 'public' });
    expect(await back.json()).toMatchObject({ client_type: 'public' });
  });

  test('PUT validation and unknown ids', async () => {
    const id = sb.demo.clientNumericId;
    expect((await json(sb, `/oauth/clients/${id}`, admin, 'PUT', 'nope')).status).toBe(400);
    expect((await json(sb, `/oauth/clients/${id}`, admin, 'PUT', { client_type: 'x' })).status).toBe(400);
    expect((await json(sb, '/oauth/clients/42', admin, 'PUT', { name: 'x' })).status).toBe(404);
    expect((await json(sb, '/oauth/clients/abc', admin, 'PUT', { name: 'x' })).status).toBe(404);
    expect((await json(sb, `/oauth/clients/${id}`, admin, 'POST', { name: 'x' })).status).toBe(404);
    expect((await json(sb, '/oauth/clients', admin, 'PUT', { name: 'x' })).status).toBe(404);
  });

  test('DELETE removes the client and kills its tokens', async () => {
    const multi = sb.demo.multiRedirectClientNumericId;
    const id = await consentId(
      sb,
      demoCodeParams(sb, {
        client_id: sb.demo.multiRedirectClientId,
        response_type: 'token',
        redirect_uri: 'http://127.0.0.1:8765/callback',
      }),
    );
    const loc = (await decide(sb, id, 'allow')).headers.get('location')!;
    const token = new URLSearchParams(new URL(loc).hash.slice(1)).get('access_token')!;
    expect(sb.isTokenValid(token)).toBe(true);
    const res = await api(sb, `/oauth/clients/${multi}`, admin, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(sb.isTokenValid(token)).toBe(false);
    expect(sb.getClient(sb.demo.multiRedirectClientId)).toBeUndefined();
    expect((await api(sb, `/oauth/clients/${multi}`, admin)).status).toBe(404);
    expect((await api(sb, `/oauth/clients/${multi}`, admin, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('/oauth/tokens', () => {
  test('lists live tokens with their values in full, as the reference shows, expire_date ten hours on', async () => {
    const { access_token, refresh_token } = await codeToken(sb);
    const list = (await (await api(sb, '/oauth/tokens', admin)).json()) as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    const mine = list[1]!;
    expect(mine).toMatchObject({
      agent_id: sb.demo.ownerAgentId,
      client_identifier: sb.demo.clientId,
      scopes: 'read write',
      access_token,
      refresh_token,
      token_type: 'Bearer',
    });
    // The seeded admin token has no refresh token.
    expect(list[0]).toMatchObject({ access_token: admin, refresh_token: null, token_type: 'Bearer' });
    const hours = (Date.parse(String(mine.expire_date)) - Date.parse(String(mine.create_date))) / 3600_000;
    expect(hours).toBeCloseTo(10, 1);
  });

  test('DELETE /{id} revokes: 204, the token then gets 401, a second delete 404', async () => {
    const { access_token } = await codeToken(sb);
    const list = (await (await api(sb, '/oauth/tokens', admin)).json()) as { id: number }[];
    const id = list.at(-1)!.id;
    const res = await api(sb, `/oauth/tokens/${id}`, admin, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await api(sb, '/chats', access_token)).status).toBe(401);
    expect((await api(sb, `/oauth/tokens/${id}`, admin, { method: 'DELETE' })).status).toBe(404);
    expect((await api(sb, '/oauth/tokens', admin)).status).toBe(200);
    expect((await api(sb, '/oauth/tokens/x', admin, { method: 'DELETE' })).status).toBe(404);
    expect((await api(sb, `/oauth/tokens/${list[0]!.id}`, admin)).status).toBe(404);
    expect((await api(sb, '/oauth/tokens', admin, { method: 'POST' })).status).toBe(404);
    expect((await api(sb, '/oauth/tokens/1/2', admin)).status).toBe(404);
  });
});

describe('rate limit', () => {
  test('429 with Retry-After and an HTML body past the limit, per account: another token shares the budget', async () => {
    const limited = await sandbox({ rateLimitPerMinute: 3 });
    try {
      const a = limited.demo.adminToken;
      const { access_token } = await codeToken(limited);
      expect((await api(limited, '/chats', a)).status).toBe(200);
      expect((await api(limited, '/chats', access_token)).status).toBe(200);
      expect((await api(limited, '/account', limited.demo.otherAgentToken)).status).toBe(200);
      for (const token of [a, access_token, limited.demo.otherAgentToken]) {
        const res = await api(limited, '/chats', token);
        expect(res.status).toBe(429);
        const retry = Number(res.headers.get('retry-after'));
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(60);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await res.text()).toMatch(/^<!DOCTYPE html>.*Too Many Requests/s);
      }
    } finally {
      await limited.close();
    }
  });

  test('the default allows 200 a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 201; i++) statuses.push((await api(sb, '/account', admin)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('lists are per agent', () => {
  const ids = async (path: string, token: string) =>
    ((await (await api(sb, path, token)).json()) as { id: number }[]).map((x) => x.id);

  test('/oauth/clients and /oauth/tokens hold only what the calling token’s agent created', async () => {
    const other = sb.demo.otherAgentToken;
    expect(await ids('/oauth/clients', admin)).toEqual([
      sb.demo.clientNumericId,
      sb.demo.multiRedirectClientNumericId,
    ]);
    expect(await ids('/oauth/clients', other)).toEqual([sb.demo.otherAgentClientNumericId]);
    const ownerTokens = (await (await api(sb, '/oauth/tokens', admin)).json()) as { access_token: string }[];
    const otherTokens = (await (await api(sb, '/oauth/tokens', other)).json()) as {
      access_token: string;
      agent_id: number;
    }[];
    expect(ownerTokens.map((t) => t.access_token)).toEqual([admin]);
    expect(otherTokens).toMatchObject([{ access_token: other, agent_id: sb.demo.otherAgentId }]);
    // A client made by one agent is created under that agent, and the other does not see it.
    const made = await json(sb, '/oauth/clients', other, 'POST', {
      name: 'Theirs',
      redirect_uris: 'https://x.example/cb',
    });
    const { id, agent_id } = (await made.json()) as { id: number; agent_id: number };
    expect(agent_id).toBe(sb.demo.otherAgentId);
    expect(await ids('/oauth/clients', admin)).not.toContain(id);
  });

  test('one agent cannot read, change, delete or revoke what another created: 404', async () => {
    const theirs = sb.demo.otherAgentClientNumericId;
    expect((await api(sb, `/oauth/clients/${theirs}`, admin)).status).toBe(404);
    expect((await json(sb, `/oauth/clients/${theirs}`, admin, 'PUT', { name: 'x' })).status).toBe(404);
    expect((await api(sb, `/oauth/clients/${theirs}`, admin, { method: 'DELETE' })).status).toBe(404);
    const [theirToken] = await ids('/oauth/tokens', sb.demo.otherAgentToken);
    expect((await api(sb, `/oauth/tokens/${theirToken}`, admin, { method: 'DELETE' })).status).toBe(404);
    expect(sb.isTokenValid(sb.demo.otherAgentToken)).toBe(true);
  });

  test('the owner may log in with the other agent’s client; the token is the owner’s, listed under the owner', async () => {
    const code = await getCode(sb, { client_id: sb.demo.otherAgentClientId });
    const { body } = await exchange(sb, code, {
      client_id: sb.demo.otherAgentClientId,
      client_secret: sb.demo.otherAgentClientSecret,
    });
    const mine = (await (await api(sb, '/oauth/tokens', body.access_token!)).json()) as {
      access_token: string;
      client_identifier: string;
    }[];
    expect(mine.find((t) => t.access_token === body.access_token)?.client_identifier).toBe(
      sb.demo.otherAgentClientId,
    );
    expect(await ids('/oauth/clients', body.access_token!)).not.toContain(sb.demo.otherAgentClientNumericId);
  });
});

describe('client scopes are read and write only', () => {
  test('POST and PUT refuse chat (or anything else) in a client’s scopes', async () => {
    for (const scopes of ['read write chat', 'chat', 'admin']) {
      const res = await json(sb, '/oauth/clients', admin, 'POST', {
        name: 'x',
        redirect_uris: 'https://x.example/cb',
        scopes,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { description: string }).description).toContain("'read' or 'write'");
    }
    const put = await json(sb, `/oauth/clients/${sb.demo.clientNumericId}`, admin, 'PUT', {
      scopes: 'read write chat',
    });
    expect(put.status).toBe(400);
    expect(sb.getClient(sb.demo.clientId)!.scopes).toBe('read write');
  });
});

describe('a Zendesk Support token', () => {
  test('gets 401 on every Chat call', async () => {
    const support = sb.mintSupportToken();
    for (const [path, method] of [
      ['/chats', 'GET'],
      ['/account', 'GET'],
      ['/oauth/clients', 'GET'],
      ['/oauth/tokens', 'GET'],
      [`/oauth/clients/${sb.demo.clientNumericId}`, 'DELETE'],
    ] as const) {
      const res = await api(sb, path, support, { method });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'Unauthorized' });
    }
    expect(sb.getClient(sb.demo.clientId)).toBeDefined();
  });
});

describe('switches', () => {
  test('redirectUrisAs: string gives one space-separated string; dates without Z', async () => {
    const odd = await sandbox({ redirectUrisAs: 'string', datesWithZ: false });
    try {
      const list = (await (await api(odd, '/oauth/clients', odd.demo.adminToken)).json()) as {
        id: number;
        redirect_uris: unknown;
        create_date: string;
      }[];
      const multi = list.find((c) => c.id === odd.demo.multiRedirectClientNumericId)!;
      expect(multi.redirect_uris).toBe('http://localhost:8080/callback http://127.0.0.1:8765/callback');
      expect(multi.create_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      const tokens = (await (await api(odd, '/oauth/tokens', odd.demo.adminToken)).json()) as {
        expire_date: string;
      }[];
      expect(tokens[0]!.expire_date).toMatch(/:\d\d$/);
    } finally {
      await odd.close();
    }
  });
});
