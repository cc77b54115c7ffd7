/**
 * `zchat-auth api` in process (injected CommandIO) against the sandbox over loopback: what reaches the
 * server, what the user sees, and the exit code.
 */

import fs from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { command } from '../../source/commands/api.js';
import { openStore } from '../../source/core/store/store.js';
import type { TokenStore } from '../../source/core/store/types.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { removeDir, tempDir } from '../core/store/helpers.js';
import { codeToken, sandbox } from '../sandbox/helpers.js';
import { runCommand, saveLoggedIn, type TestIO, testIO } from './io.js';

let sb: Sandbox;
let root: string;
let store: TokenStore;
let access: string;
let refresh: string;

beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  root = tempDir();
  store = openStore({ dir: path.join(root, 'store') });
  ({ access, refresh } = await saveLoggedIn(store, sb));
  sb.clearFaults();
});
afterEach(() => removeDir(root));

/** Runs `zchat-auth api ARGS` as cli.ts does: parse, build, run; a thrown error becomes its exit code. */
async function api(
  args: string[],
  opts: Parameters<typeof testIO>[1] = {},
): Promise<{ code: number; io: TestIO }> {
  const io = testIO(store, opts);
  return { code: await runCommand(command, args, io), io };
}

const apiRequests = () => sb.stats.requests.filter((r) => r.path.startsWith('/api/'));

describe('GET', () => {
  test('PATH forms: `chats`, `/api/v2/chat/chats` and a full URL on the origin all reach /api/v2/chat/chats', async () => {
    for (const p of ['chats', '/api/v2/chat/chats', `${sb.url}/api/v2/chat/chats`]) {
      const before = sb.stats.requests.length;
      const { code, io } = await api([p]);
      expect(code).toBe(0);
      expect(sb.stats.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'GET /api/v2/chat/chats 200',
      ]);
      const body = JSON.parse(io.out()) as { chats: unknown[] };
      expect(body.chats).toHaveLength(12);
    }
  });

  test('piped output is compact JSON on one line; a terminal gets it indented and coloured, NO_COLOR plain', async () => {
    const piped = (await api(['account'])).io.out();
    expect(piped.split('\n')).toHaveLength(2);
    expect(piped).not.toContain('\u001b');

    const tty = (await api(['account'], { tty: true })).io.out();
    expect(tty).toContain('\u001b[1;34m"account_key"\u001b[0m');
    expect(tty).toMatch(/^\S.*\n {2}\S/s);

    const noColor = (await api(['account'], { tty: true, env: { NO_COLOR: '1' } })).io.out();
    expect(noColor).not.toContain('\u001b');
    expect(noColor).toContain('\n  "account_key": "');
    expect(JSON.parse(noColor)).toEqual(JSON.parse(piped));
  });

  test('-f on a GET (-X GET, or --paginate) goes to the query: limit=5 gives a page of 5 with a next_url', async () => {
    const { code, io } = await api(['chats', '-X', 'GET', '-f', 'limit=5']);
    expect(code).toBe(0);
    const page = JSON.parse(io.out()) as { count: number; next_url: string };
    expect(page.count).toBe(5);
    expect(page.next_url).toContain(`${sb.url}/api/v2/chat/chats?limit=5&cursor=`);
  });

  test('--silent prints nothing, exit 0', async () => {
    const { code, io } = await api(['chats', '--silent']);
    expect(code).toBe(0);
    expect(io.out()).toBe('');
  });

  test('a 404: exit 1, the body on stderr, nothing on stdout', async () => {
    const { code, io } = await api(['nothing/here']);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('{"error":"Not Found"}');
    expect(io.err()).toContain('zchat-auth: GET /api/v2/chat/nothing/here answered 404 Not Found.');
  });
});

describe('POST with -f and -F', () => {
  test('fields make a JSON body with strings, booleans, numbers, null and @file; the default method is POST', async () => {
    const file = path.join(root, 'description.txt');
    fs.writeFileSync(file, 'From a file');
    const { code, io } = await api([
      'departments',
      '-f',
      'name=Billing',
      '-F',
      'enabled=false',
      '-F',
      'members[]=100000201',
      '-F',
      `description=@${file}`,
    ]);
    expect(code).toBe(0);
    const made = JSON.parse(io.out()) as Record<string, unknown>;
    expect(made).toMatchObject({
      name: 'Billing',
      enabled: false,
      members: [100000201],
      description: 'From a file',
    });
    expect(apiRequests().at(-1)).toEqual({ method: 'POST', path: '/api/v2/chat/departments', status: 201 });
    const list = JSON.parse((await api(['departments'])).io.out()) as { name: string }[];
    expect(list.map((d) => d.name)).toContain('Billing');
  });

  test('-f keeps "false" a string: the server refuses it (400, exit 1, body on stderr)', async () => {
    const { code, io } = await api(['departments', '-f', 'name=X', '-f', 'enabled=false']);
    expect(code).toBe(1);
    expect(io.err()).toContain('enabled must be true or false.');
  });

  test('--input - sends stdin as the body', async () => {
    const { code, io } = await api(['departments', '--input', '-'], { stdin: '{"name":"From stdin"}' });
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ name: 'From stdin' });
  });
});

describe('--paginate', () => {
  test('follows next_url over 3 pages and prints each page, as gh api --paginate', async () => {
    const before = apiRequests().length;
    const { code, io } = await api(['chats', '-f', 'limit=5', '--paginate']);
    expect(code).toBe(0);
    const pages = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { chats: { id: string }[]; next_url: string | null });
    expect(pages.map((p) => p.chats.length)).toEqual([5, 5, 2]);
    expect(pages.at(-1)!.next_url).toBeNull();
    expect(apiRequests().length - before).toBe(3);
  });

  test('--slurp wraps the pages in one array', async () => {
    const { code, io } = await api(['chats', '-f', 'limit=5', '--paginate', '--slurp']);
    expect(code).toBe(0);
    const pages = JSON.parse(io.out()) as { chats: { id: string }[] }[];
    expect(pages).toHaveLength(3);
    expect(new Set(pages.flatMap((p) => p.chats.map((c) => c.id))).size).toBe(12);
  });
});

describe('recoveries', () => {
  test('401 → refresh under the lock → retry once with the new token, which is stored', async () => {
    sb.expireAccessToken(access);
    const { code, io } = await api(['chats']);
    expect(code).toBe(0);
    expect(JSON.parse(io.out()).chats).toHaveLength(12);
    expect(io.err()).toContain('refreshed it and retried');
    const stored = store.resolve('demo').token!;
    expect(stored.accessToken).not.toBe(access);
    expect(sb.isTokenValid(stored.accessToken)).toBe(true);
    expect(sb.stats.tokenRequests.refresh_token).toBeGreaterThan(0);
    const tail = sb.stats.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(tail).toEqual([
      'GET /api/v2/chat/chats 401',
      'POST /oauth2/chat/token 200',
      'GET /api/v2/chat/chats 200',
    ]);
  });

  test('401 with no refresh token: no refresh, exit 1', async () => {
    await store.update('demo', (p) => ({ ...p, token: { ...p.token!, refreshToken: undefined } as never }));
    sb.revokeAccessToken(access);
    const tokenCalls = sb.stats.tokenRequests.refresh_token ?? 0;
    const { code, io } = await api(['chats']);
    expect(code).toBe(1);
    expect(io.err()).toContain('answered 401');
    expect(sb.stats.tokenRequests.refresh_token ?? 0).toBe(tokenCalls);
  });

  test('429 → waits Retry-After (1 s) → retries; on a terminal a countdown on stderr', async () => {
    sb.inject({ kind: 'rate-limit', path: '/api/v2/chat/chats', retryAfter: 1, times: 1 });
    const started = Date.now();
    const { code, io } = await api(['chats'], { errTty: true });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(io.err()).toContain('\rzchat-auth: rate-limited (429); retrying in 1 s');
    const tail = sb.stats.requests.slice(-2).map((r) => `${r.path} ${r.status}`);
    expect(tail).toEqual(['/api/v2/chat/chats 429', '/api/v2/chat/chats 200']);
  });

  test('a Retry-After beyond the cap is not waited out: exit 1 at once', async () => {
    sb.inject({ kind: 'rate-limit', path: '/api/v2/chat/chats', retryAfter: 3600, times: 1 });
    const started = Date.now();
    const { code } = await api(['chats']);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(900);
  });

  test('a token POST is sent once, whatever it answers', async () => {
    sb.inject({ kind: 'rate-limit', path: '/oauth2/chat/token', retryAfter: 1, times: 1 });
    const before = sb.stats.requests.length;
    const { code } = await api(['-X', 'POST', '/oauth2/chat/token']);
    expect(code).toBe(1);
    expect(sb.stats.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /oauth2/chat/token 429',
    ]);
  });
});

describe('the token list', () => {
  test('`api oauth/tokens` shows every listed token value masked, never in full (the list carries them all)', async () => {
    // A second login's pair: listed by the server in full, stored in no profile.
    const other = await codeToken(sb);
    const { code, io } = await api(['oauth/tokens']);
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('access_token');
    for (const value of [access, refresh, other.access_token, other.refresh_token]) {
      expect(out).not.toContain(value);
    }
  });
});

describe('the token stays home', () => {
  let foreign: ReturnType<typeof createServer>;
  let foreignUrl: string;
  const hits: IncomingMessage[] = [];
  beforeAll(async () => {
    foreign = createServer((req, res) => {
      hits.push(req);
      // A hostile server echoes the Authorization header it got and points next_url elsewhere.
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo': req.headers.authorization ?? '' });
      res.end(JSON.stringify({ chats: [], next_url: 'http://127.0.0.2:9/steal' }));
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

  test.each([
    ['a URL on another origin', () => `${foreignUrl}/api/v2/chat/chats`],
    ['a scheme-relative URL', () => `//127.0.0.1:${new URL(foreignUrl).port}/api/v2/chat/chats`],
    ['another scheme', () => `https://127.0.0.1:${new URL(sb.url).port}/api/v2/chat/chats`],
  ])('%s is refused before any request: exit 2, nothing sent', async (_what, target) => {
    const before = hits.length;
    const { code, io } = await api([target()]);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/is not on the profile's origin http:\/\/127\.0\.0\.1:\d+; it was not called/);
    expect(hits.length).toBe(before);
  });

  // Hostile PATHs: each is refused (exit 2, nothing sent anywhere) or stays on the sandbox's origin.
  test.each([
    ['userinfo trick', (p: string) => `http://127.0.0.1:${p}@127.0.0.2:${p}/api/v2/chat/chats`, 'refused'],
    ['javascript:', () => 'javascript:alert(1)', 'refused'],
    ['file:', () => 'file:///etc/passwd', 'refused'],
    ['backslashes', () => '\\\\127.0.0.2\\api', 'home'],
    ['dot segments', () => 'chats/../../../../x', 'home'],
    ['encoded CRLF', () => 'chats%0d%0aX-Injected:%20yes', 'home'],
    ['at sign', () => '@127.0.0.2/chats', 'home'],
  ])('%s', async (_what, target, expected) => {
    const port = new URL(sb.url).port;
    const before = { sandbox: sb.stats.requests.length, foreign: hits.length };
    const { code } = await api([target(port)]);
    expect(hits.length).toBe(before.foreign);
    if (expected === 'refused') {
      expect(code).toBe(2);
      expect(sb.stats.requests.length).toBe(before.sandbox);
    } else {
      expect(sb.stats.requests.length).toBe(before.sandbox + 1);
    }
  });

  test.each([['X-A: 1\r\nX-Injected: yes'], ['X-A: 1\nX-B: 2'], ['X-A: \u0000']])(
    'a header with a line break or NUL (%j) is refused',
    async (header) => {
      const before = sb.stats.requests.length;
      const { code } = await api(['chats', '-H', header]);
      expect(code).toBe(2);
      expect(sb.stats.requests.length).toBe(before);
    },
  );

  test('a next_url on another origin is not followed', async () => {
    await store.update('demo', (p) => ({ ...p, baseUrl: foreignUrl }));
    const before = hits.length;
    const { code, io } = await api(['chats', '--paginate']);
    expect(code).toBe(1);
    expect(hits.length - before).toBe(1);
    expect(io.err()).toContain('points to http://127.0.0.2:9');
  });

  test('-i: status line and headers; the token masked even where the server echoes it', async () => {
    await store.update('demo', (p) => ({ ...p, baseUrl: foreignUrl }));
    const { code, io } = await api(['chats', '-i']);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(io.out()).toMatch(/\nX-Echo: Bearer \S+…\S{4}\n/);
    expect(io.out()).not.toContain(access);
    expect(hits.at(-1)!.headers.authorization).toBe(`Bearer ${access}`);
  });

  test('ZCHAT_AUTH_DEBUG=1 against a server that echoes the token: masked in its headers too', async () => {
    await store.update('demo', (p) => ({ ...p, baseUrl: foreignUrl }));
    const { code, io } = await api(['chats'], { env: { ZCHAT_AUTH_DEBUG: '1' } });
    expect(code).toBe(0);
    expect(io.err()).toMatch(/< X-Echo: Bearer \S+…\S{4}\n/);
    expect(io.err()).not.toContain(access);
  });

  test('-i against the sandbox: Content-Type and the JSON after a blank line', async () => {
    const { code, io } = await api(['account', '-i']);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^HTTP\/1\.1 200 OK\nContent-Type: application\/json; charset=utf-8\n/);
    expect(io.out()).toMatch(/\n\n\{"account_key":/);
  });

  test('ZCHAT_AUTH_DEBUG=1 shows the exchange with the token masked', async () => {
    const { code, io } = await api(['account'], { env: { ZCHAT_AUTH_DEBUG: '1' } });
    expect(code).toBe(0);
    expect(io.err()).toMatch(/\* GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/account\n/);
    expect(io.err()).toMatch(/> Authorization: Bearer \S+…\S{4}\n/);
    expect(io.err()).toContain('< HTTP/1.1 200 OK');
    expect(io.err()).not.toContain(access);
  });
});

describe('usage errors: exit 2, one line', () => {
  test.each([
    [[], 'Which path?'],
    [['chats', '-f', 'novalue'], 'A field must look like key=value'],
    [['chats', '-H', 'Authorization: Bearer x'], 'sets the Authorization header itself'],
    [['chats', '-H', 'no colon'], "A header must look like 'Name: value'"],
    [['chats', '-X', 'BREW'], 'Unknown method "BREW"'],
    [['chats', '--slurp'], '--slurp needs --paginate'],
    [['departments', '-X', 'POST', '--paginate'], '--paginate follows pages of a GET only'],
    [['departments', '-F', 'a=1', '-F', 'a=2'], 'is given twice'],
    [['departments', '-F', 'x=@/nonexistent/file'], 'Could not read the field file'],
  ])('%j', async (args, message) => {
    const before = apiRequests().length;
    const { code, io } = await api(args);
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(apiRequests().length).toBe(before);
  });
});

describe('terminal safety', () => {
  test('control characters in server text reach a terminal as escapes; JSON stays the same value', async () => {
    await api(['departments', '-f', 'name=Evil\u001b]0;pwned\u0007\u202e', '--silent']);
    const tty = (await api(['departments'], { tty: true, env: { NO_COLOR: '1' } })).io.out();
    expect(tty).not.toMatch(/[\u0007\u001b\u202e]/);
    expect(tty).toContain('Evil\\u001b]0;pwned\\u0007\\u202e');
    const piped = (await api(['departments'])).io.out();
    expect((JSON.parse(piped) as { name: string }[]).map((d) => d.name)).toContain(
      'Evil\u001b]0;pwned\u0007\u202e',
    );
  });
});
