/**
 * Clients and tokens with missing or wrongly typed fields (a name that is a number, scopes that are an
 * object, no client ID) never crash `clients`, `tokens` or the dashboard: they are shown with what is
 * known. And the dashboard never loads React DevTools, whatever DEV says.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { ensureBuilt, expectNoStack, type Home, makeHome, root, runCli } from './helpers.js';
import { startPty, stripAnsi } from './pty.js';

const clients: unknown[] = [
  {
    id: 1,
    name: 42,
    company: ['x'],
    redirect_uris: 5,
    client_identifier: null,
    client_type: 'weird',
    scopes: { read: true },
    create_date: 7,
  },
  { id: 3, name: 'Only a name' },
  { id: 'not-a-number', name: 'dropped' },
  null,
  'a string',
  [1, 2],
  { id: 5, name: 'Fine', client_identifier: 'fine_client', scopes: ['read', 'write'], redirect_uris: 'a b' },
];
const tokens: unknown[] = [
  { id: 2, client_identifier: 9, scopes: null, create_date: {}, expire_date: 1 },
  { id: 4 },
  { nothing: true },
  7,
];

let server: http.Server;
let url: string;
beforeAll(async () => {
  ensureBuilt();
  server = http.createServer((req, res) => {
    req.resume();
    const body =
      req.url === '/api/v2/chat/oauth/clients'
        ? { clients }
        : req.url === '/api/v2/chat/oauth/tokens'
          ? tokens
          : req.url?.startsWith('/api/v2/chat/oauth/clients/')
            ? { client: clients[0] }
            : { chats: [] };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function home(): Promise<Home> {
  const h = await makeHome({ TERM: 'xterm-256color' });
  await openStore({ dir: h.store }).save({
    name: 'demo',
    subdomain: 'demo',
    baseUrl: url,
    clientId: 'fine_client',
    redirectUri: 'http://localhost:8080',
    scopes: ['read'],
    flow: 'code',
    token: {
      accessToken: 'stored-access-token-value',
      tokenType: 'Bearer',
      scope: 'read',
      obtainedAt: new Date().toISOString(),
      grant: 'authorization_code',
    },
  });
  return h;
}

test('clients and tokens, plain and --json: exit 0, every record with a numeric id shown', async () => {
  const h = await home();
  try {
    const list = await runCli(['clients'], h.env);
    expect(list.code, list.stderr).toBe(0);
    expectNoStack(list.stdout + list.stderr);
    expect(list.stdout).toMatch(/^1 +42 +public$/m);
    expect(list.stdout).toMatch(/^3 +Only a name +public$/m);
    expect(list.stdout).toMatch(/^5 +Fine +fine_client +public +read write +a b$/m);
    expect(list.stdout).not.toContain('dropped');
    const json = await runCli(['clients', '--json'], h.env);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(parsed.map((c) => c.id)).toEqual([1, 3, 5]);
    // What was wrong is "not known", not made up; a name sent as a number is still the name.
    expect(parsed[0]).toMatchObject({ name: '42', client_type: 'public', scopes: '', redirect_uris: [] });
    expect(parsed[0]).not.toHaveProperty('company');
    expect(parsed[0]).not.toHaveProperty('create_date');
    const confidential = await runCli(['clients', 'confidential', '1'], h.env);
    expect(confidential.code, confidential.stderr).toBe(0);
    expectNoStack(confidential.stdout + confidential.stderr);

    const tokenList = await runCli(['tokens'], h.env);
    expect(tokenList.code, tokenList.stderr).toBe(0);
    expectNoStack(tokenList.stdout + tokenList.stderr);
    expect(tokenList.stdout).toMatch(/^2$/m);
    expect(tokenList.stdout).toMatch(/^4$/m);
    const tokenJson = await runCli(['tokens', '--json'], h.env);
    expect((JSON.parse(tokenJson.stdout) as { id: number }[]).map((t) => t.id)).toEqual([2, 4]);
  } finally {
    await h.remove();
  }
}, 60_000);

test('the dashboard shows the same account, moves through it, and quits cleanly', async () => {
  const h = await home();
  try {
    const pty = startPty([], { columns: 160, rows: 30, env: h.env });
    try {
      await pty.waitFor(/Only a name/);
      // Three clients are kept (ids 1, 3 and 5): tab, j, j each lead to a frame (the selection moves); a
      // third j at the end of the list draws nothing, so the k after it is the marker that it was read.
      for (const keys of [['\t'], ['j'], ['j'], ['j', 'k']]) {
        const from = pty.output().length;
        for (const key of keys) pty.press(key);
        await pty.waitForFrame(() => true, from);
      }
      pty.press('q');
      const end = await pty.exited;
      expect(end.code).toBe(0);
      expectNoStack(stripAnsi(end.output));
    } finally {
      pty.kill();
    }
  } finally {
    await h.remove();
  }
}, 60_000);

test('DEV=true: the dashboard neither loads React DevTools nor warns about it', async () => {
  const h = await home();
  try {
    const pty = startPty([], { columns: 120, rows: 30, env: { ...h.env, DEV: 'true' } });
    try {
      await pty.waitFor(/q quit/);
      pty.press('q');
      const end = await pty.exited;
      expect(end.code).toBe(0);
      expect(stripAnsi(end.output)).not.toMatch(/devtools|DEV is set|package\.json/i);
    } finally {
      pty.kill();
    }
    // And the bundle has no path to it: no import of react-devtools-core anywhere in dist.
    const dist = path.join(root, 'dist');
    const chunks = fs
      .readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(dist, f), 'utf8'));
    for (const code of chunks) expect(code).not.toMatch(/(from|import\()\s*["']react-devtools-core["']/);
  } finally {
    await h.remove();
  }
}, 60_000);
