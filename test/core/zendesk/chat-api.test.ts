import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { sha256Hex } from '../../../source/core/redact.js';
import { createChatApi, tokenInfo, utcDate } from '../../../source/core/zendesk/chat-api.js';
import { parseClient } from '../../../source/core/zendesk/shapes.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { authorizationCode, type Listener, startListener } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox.close());

describe('Chat API against the sandbox', () => {
  it('reads chats and the account with the Bearer token, and reports each exchange', async () => {
    const exchanges: HttpExchange[] = [];
    const api = createChatApi({
      baseUrl: sandbox.url,
      accessToken: sandbox.demo.adminToken,
      onExchange: (e) => exchanges.push(e),
    });
    const page = await api.chats();
    expect(page.chats.length).toBeGreaterThan(0);
    expect(page.next_url).toBeNull();
    expect(page.count).toBe(page.chats.length);
    const account = await api.account();
    expect(account.account_key).toBeTruthy();
    expect(account.status).toBe('active');
    expect(exchanges.map((e) => [e.method, e.url, e.status])).toEqual([
      ['GET', `${sandbox.url}/api/v2/chat/chats`, 200],
      ['GET', `${sandbox.url}/api/v2/chat/account`, 200],
    ]);
    expect(exchanges[0]!.requestHeaders.Authorization).toBe(`Bearer ${sandbox.demo.adminToken}`);
    expect(exchanges[0]!.requestBody).toBeUndefined();
  });

  it('lists, reads, creates, updates and deletes OAuth clients', async () => {
    const api = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    const clients = await api.listClients();
    const tutorial = clients.find((c) => c.client_identifier === sandbox.demo.clientId);
    expect(tutorial).toMatchObject({
      id: sandbox.demo.clientNumericId,
      redirect_uris: ['http://localhost:8080'],
      client_type: 'public',
    });
    expect(tutorial!.client_secret ?? null).toBeNull();

    const one = await api.getClient(sandbox.demo.multiRedirectClientNumericId);
    expect(one.redirect_uris).toHaveLength(2);

    const created = await api.createClient({
      name: 'Made by a test',
      company: 'Tests',
      redirect_uris: 'http://localhost:9999/cb',
      scopes: 'read write',
    });
    expect(created).toMatchObject({
      name: 'Made by a test',
      redirect_uris: ['http://localhost:9999/cb'],
      client_type: 'public',
      scopes: 'read write',
    });
    expect(created.client_secret).toBeTruthy();

    const updated = await api.updateClient(created.id, {
      client_type: 'confidential',
      redirect_uris: ['https://example.com/a', 'http://localhost:1/b'],
    });
    expect(updated).toMatchObject({
      client_type: 'confidential',
      redirect_uris: ['https://example.com/a', 'http://localhost:1/b'],
    });
    expect(sandbox.getClient(created.client_identifier)?.client_type).toBe('confidential');

    await api.deleteClient(created.id);
    await expect(api.getClient(created.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect((await api.listClients()).some((c) => c.id === created.id)).toBe(false);
  });

  it('refuses a bad client with a sentence that quotes the server', async () => {
    const api = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    const error = await api
      .createClient({ name: 'x', redirect_uris: ['ftp://nope'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZchatError);
    expect(error).toMatchObject({ code: 'bad_request', status: 400 });
    expect((error as ZchatError).message).toMatch(
      /^Zendesk refused the request \(status 400\): Redirect URL "ftp:\/\/nope" must be absolute/,
    );
  });

  it('lists tokens and revokes one', async () => {
    const token = await createTokenClient({ baseUrl: sandbox.url }).exchangeCode({
      code: await authorizationCode(sandbox),
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scope: 'read write',
    });
    const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
    const before = await admin.listTokens();
    expect(before.length).toBeGreaterThanOrEqual(2);
    for (const t of before) expect(typeof t.id).toBe('number');
    // The newest token is the one just made.
    const newest = before.reduce((a, b) => (b.id > a.id ? b : a));
    expect(newest.client_identifier).toBe(sandbox.demo.clientId);
    expect(newest.scopes).toBe('read write');
    // The server lists the values in full; the client keeps only their hash.
    expect(newest.access_token_sha256).toBe(sha256Hex(token.accessToken));
    expect(newest.has_refresh_token).toBe(true);
    expect(JSON.stringify(before)).not.toContain(token.accessToken);
    expect(JSON.stringify(before)).not.toContain(token.refreshToken);
    expect(JSON.stringify(before)).not.toContain(sandbox.demo.adminToken);

    await admin.revokeToken(newest.id);
    expect(sandbox.isTokenValid(token.accessToken)).toBe(false);
    expect((await admin.listTokens()).some((t) => t.id === newest.id)).toBe(false);
    await expect(admin.revokeToken(newest.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('Chat API against answers the sandbox does not give', () => {
  let listener: Listener;
  let body: unknown;
  beforeAll(async () => {
    listener = await startListener((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  afterAll(() => listener.close());
  const api = () => createChatApi({ baseUrl: listener.url, accessToken: 'tok_0123456789' });

  it('accepts wrapped lists and redirect_uris as a string', async () => {
    body = {
      clients: [
        {
          id: 1,
          name: 'n',
          redirect_uris: 'http://localhost:8080 https://x.test/cb',
          client_identifier: 'c',
          scopes: 'read',
        },
        'junk',
      ],
    };
    const clients = await api().listClients();
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({
      redirect_uris: ['http://localhost:8080', 'https://x.test/cb'],
      client_type: 'public',
    });
    body = {
      client: {
        id: 2,
        name: 'n',
        redirect_uris: 'http://localhost:8080',
        client_type: 'confidential',
        scopes: ['read', 'write'],
      },
    };
    expect(await api().getClient(2)).toMatchObject({
      id: 2,
      redirect_uris: ['http://localhost:8080'],
      client_type: 'confidential',
      scopes: 'read write',
    });
    body = { tokens: [{ id: 5, scopes: 'read' }, { scopes: 'no id' }] };
    expect(await api().listTokens()).toEqual([{ id: 5, scopes: 'read' }]);
    body = { chats: [{ id: 'a' }, 3], next_url: 'https://x/next' };
    expect(await api().chats()).toEqual({ chats: [{ id: 'a' }], next_url: 'https://x/next' });
  });

  it('token list: values become hashes, any other field is left out; dates without a zone are UTC', async () => {
    const access = 'AT_full_value_0123456789abcdef';
    body = [
      {
        id: 7,
        agent_id: 3,
        client_identifier: 'c',
        access_token: access,
        refresh_token: 'RT_full_value_0123456789abcdef',
        token: 'another_full_value_0123456789',
        token_type: 'Bearer',
        scopes: 'read write',
        create_date: '2024-05-01T10:00:00',
        expire_date: '2024-05-01T20:00:00Z',
      },
      { id: 8, scopes: 'read', refresh_token: null, expire_date: null },
    ];
    const list = await api().listTokens();
    expect(list).toEqual([
      {
        id: 7,
        agent_id: 3,
        client_identifier: 'c',
        token_type: 'Bearer',
        scopes: 'read write',
        create_date: '2024-05-01T10:00:00Z',
        expire_date: '2024-05-01T20:00:00Z',
        access_token_sha256: sha256Hex(access),
        has_refresh_token: true,
      },
      { id: 8, scopes: 'read', expire_date: null, has_refresh_token: false },
    ]);
    expect(JSON.stringify(list)).not.toMatch(/full_value/);
    expect(tokenInfo({ id: 1, scopes: ['read'] })).toEqual({ id: 1, scopes: 'read' });
    for (const [raw, read] of [
      ['2024-05-01T10:00:00', '2024-05-01T10:00:00Z'],
      ['2024-05-01T10:00', '2024-05-01T10:00Z'],
      ['2024-05-01T10:00:00.123', '2024-05-01T10:00:00.123Z'],
      ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z'],
      ['2024-05-01T10:00:00+02:00', '2024-05-01T10:00:00+02:00'],
      ['garbage', 'garbage'],
    ]) {
      expect(utcDate(raw!)).toBe(read);
    }
    body = [{ id: 3, name: 'n', redirect_uris: [], create_date: '2024-05-01T10:00:00' }];
    expect((await api().listClients())[0]!.create_date).toBe('2024-05-01T10:00:00Z');
  });

  it('says what is missing when the JSON has the wrong shape', async () => {
    body = { nothing: true };
    await expect(api().chats()).rejects.toMatchObject({
      code: 'bad_response',
      message: "Zendesk's answer (status 200) is missing the chats list.",
    });
    await expect(api().listClients()).rejects.toMatchObject({ code: 'bad_response' });
    await expect(api().listTokens()).rejects.toMatchObject({ code: 'bad_response' });
    await expect(api().getClient(1)).rejects.toMatchObject({ code: 'bad_response' });
    body = [1, 2];
    await expect(api().account()).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('parseClient', () => {
  it('turns redirect URIs given as a string or a list into a list', () => {
    const uris = (value: unknown) => parseClient({ id: 1, redirect_uris: value })?.redirect_uris;
    expect(uris('http://localhost:8080')).toEqual(['http://localhost:8080']);
    expect(uris(' a \n b ')).toEqual(['a', 'b']);
    expect(uris(['a', 3, ''])).toEqual(['a']);
    expect(uris(undefined)).toEqual([]);
    expect(parseClient({ id: 1, scopes: 7 })).toMatchObject({
      redirect_uris: [],
      client_type: 'public',
      scopes: '',
    });
  });
});
