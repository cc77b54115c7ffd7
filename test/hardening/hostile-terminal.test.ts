/**
 * A server (and a store) whose every field tries to drive the terminal: OSC 52 clipboard writes, OSC 8
 * links, OSC 0 titles, blink, a C1 CSI (U+009B), bidi overrides and NUL in client names, companies,
 * redirect URIs, scopes, dates, token fields and error descriptions. No raw control byte reaches stdout,
 * stderr or a frame of the dashboard; the fields are still shown, as visible escapes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { ensureBuilt, type Home, makeHome, pool, readStoreText, runCli } from './helpers.js';
import { frames, startPty, stripAnsi } from './pty.js';

/** Every trick at once, between letters so a field stays recognisable. */
const HOSTILE =
  'A\x1b]52;c;Y3VybCBldmlsfHNo\x07B\x1b]8;;http://evil.example/\x1b\\L\x1b]0;PWNED\x07T\x1b[5mK\x9b2JC\u202eR\u2066I\x00N\x1b[2JZ';

/** Raw controls a terminal acts on (C0 but line breaks, DEL, C1, bidi). */
const raw = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function rawIn(text: string): string | undefined {
  const match = raw.exec(text);
  if (!match) return undefined;
  const at = match.index;
  return JSON.stringify(text.slice(Math.max(0, at - 40), at + 40));
}

const client = (id: number) => ({
  id,
  name: `name${HOSTILE}`,
  company: `company${HOSTILE}`,
  redirect_uris: [`http://localhost:8080/${HOSTILE}`],
  client_identifier: `cid${HOSTILE}`,
  client_secret: 'never-shown-secret',
  client_type: 'public',
  scopes: `read ${HOSTILE}`,
  create_date: HOSTILE,
  update_date: HOSTILE,
});
const serverToken = {
  id: 2,
  client_identifier: `cid${HOSTILE}`,
  client_id: 1,
  scopes: `read ${HOSTILE}`,
  create_date: HOSTILE,
  expire_date: HOSTILE,
};
const oauthError = { error: `bad${HOSTILE}`, error_description: `desc${HOSTILE}`, description: HOSTILE };

type Mode = 'values' | 'errors';

function answer(mode: Mode, req: http.IncomingMessage, res: http.ServerResponse): undefined {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
    return undefined;
  };
  const url = req.url ?? '';
  if (mode === 'errors') return json(url.startsWith('/oauth2') ? 400 : 422, oauthError);
  if (url.startsWith('/oauth2/chat/token')) {
    return json(200, {
      access_token: `tok${HOSTILE}`,
      token_type: HOSTILE,
      scope: HOSTILE,
      refresh_token: HOSTILE,
      expires_in: 1e15,
    });
  }
  if (url === '/api/v2/chat/oauth/clients' && req.method === 'GET') return json(200, [client(1)]);
  if (url.startsWith('/api/v2/chat/oauth/clients/')) return json(200, { client: client(1) });
  if (url === '/api/v2/chat/oauth/tokens') return json(200, { tokens: [serverToken] });
  if (url.startsWith('/api/v2/chat/chats')) return json(400, oauthError);
  return json(404, oauthError);
}

const servers: http.Server[] = [];
const urls = {} as Record<Mode, string>;
beforeAll(async () => {
  ensureBuilt();
  for (const mode of ['values', 'errors'] as const) {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(mode, req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[mode] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
}, 120_000);
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A profile as a tampered store would hold it: its own fields carry the tricks too. */
async function seed(home: Home, baseUrl: string): Promise<void> {
  await openStore({ dir: home.store }).save({
    name: 'demo',
    subdomain: 'demo',
    baseUrl,
    clientId: `cid${HOSTILE}`,
    redirectUri: 'http://localhost:8080',
    scopes: ['read', HOSTILE],
    flow: 'code',
    token: {
      accessToken: 'stored-access-token-value',
      refreshToken: 'stored-refresh-token-value',
      tokenType: `Bearer${HOSTILE}`,
      scope: `read ${HOSTILE}`,
      obtainedAt: new Date().toISOString(),
      grant: 'authorization_code',
    },
  });
}

const commands: string[][] = [
  ['clients'],
  ['clients', '--json'],
  ['clients', 'confidential', '1'],
  ['tokens'],
  ['tokens', '--json'],
  ['tokens', 'revoke', '2'],
  ['status'],
  ['status', '--json'],
  ['test'],
  ['refresh'],
  ['login', '--flow', 'password', '--username', 'agent@demo.example', '--subdomain', 'demo'],
  ['login', '--flow', 'client-credentials', '--subdomain', 'demo', '--json'],
];

describe('every command against a server and a store full of terminal tricks', () => {
  test('no raw control byte on stdout or stderr; the fields show as visible escapes', async () => {
    const pairs = (['values', 'errors'] as const).flatMap((mode) =>
      commands.map((args) => [mode, args] as const),
    );
    const homes: Home[] = [];
    try {
      const results = await pool(
        6,
        pairs.map(([mode, args]) => async () => {
          const home = await makeHome();
          homes.push(home);
          await seed(home, urls[mode]);
          const argv = args[0] === 'login' ? [...args, '--client-id', 'CID', '--base-url', urls[mode]] : args;
          const result = await runCli(argv, {
            ...home.env,
            ZENDESK_CHAT_CLIENT_SECRET: 'the-client-secret',
            ZENDESK_CHAT_PASSWORD: 'the-password',
          });
          return { mode, args, result, store: readStoreText(home) ?? '' };
        }),
      );
      let shown = 0;
      for (const { mode, args, result, store } of results) {
        const label = `${mode} × ${args.join(' ')}`;
        expect(rawIn(result.stdout), `${label} stdout`).toBeUndefined();
        expect(rawIn(result.stderr), `${label} stderr`).toBeUndefined();
        if (/\\(x9b|u009b)2J/.test(`${result.stdout}${result.stderr}`)) shown++;
        if (args.includes('--json') && result.code === 0) {
          // JSON keeps the value itself, escaped: a script reading it gets what the server sent.
          expect(result.stdout, label).toContain('\\u009b');
          expect(result.stdout, label).toContain('\\u202e');
          expect(() => JSON.parse(result.stdout), label).not.toThrow();
        }
        // A token reply with control characters is refused whole: nothing of it reaches the store.
        expect(store, label).not.toContain('tokA');
        if (args[0] === 'login' || args[0] === 'refresh') {
          expect(result.code, `${label}\n${result.stderr}`).toBe(1);
          if (mode === 'values') {
            expect(result.stderr, label).toMatch(
              /access_token contains control characters, so nothing was stored/,
            );
          }
        }
      }
      // The tricks were not simply dropped: most commands show the fields, escaped.
      expect(shown).toBeGreaterThanOrEqual(16);
    } finally {
      for (const h of homes) await h.remove();
    }
  }, 120_000);

  test('the JSON of a client still holds the exact server value', async () => {
    const home = await makeHome();
    try {
      await seed(home, urls.values);
      const result = await runCli(['clients', '--json'], home.env);
      expect(result.code).toBe(0);
      const [parsed] = JSON.parse(result.stdout) as { name: string }[];
      expect(parsed?.name).toBe(`name${HOSTILE}`);
    } finally {
      await home.remove();
    }
  });
});

describe('the dashboard, in a terminal, with the same server and store', () => {
  test('no frame carries a raw control byte, OSC, C1 or bidi character', async () => {
    const home = await makeHome({ TERM: 'xterm-256color' });
    try {
      await seed(home, urls.values);
      const pty = startPty([], { columns: 200, rows: 40, env: home.env });
      try {
        await pty.waitFor(/cidA\\x1b\]52/);
        pty.press('t');
        await pty.waitFor(/refused|error|rejected/i);
        // The clients pane and its details (`e` would copy through our own OSC 52, so it is not pressed).
        const beforeTab = pty.output().length;
        pty.press('\t');
        await pty.waitForFrame(() => true, beforeTab);
        pty.press('q');
        const end = await pty.exited;
        // Ink's own drawing: CSI sequences and line breaks. Anything else is a field that got through.
        const drawn = end.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
        expect(rawIn(drawn)).toBeUndefined();
        expect(end.output).not.toContain('\x1b[5m');
        expect(end.output).not.toContain('\x1b]');
        const text = frames(end.output).flat().join('\n');
        expect(text).toContain('nameA\\x1b]52;c;');
        expect(stripAnsi(end.output)).not.toMatch(/Error|at .+\(/);
      } finally {
        pty.kill();
      }
    } finally {
      await home.remove();
    }
  }, 60_000);
});

describe('the login screen, in a terminal, against the same server', () => {
  test('the refusal of a hostile token reply and a hostile error are drawn inert', async () => {
    for (const mode of ['values', 'errors'] as const) {
      const home = await makeHome({
        TERM: 'xterm-256color',
        ZENDESK_CHAT_PASSWORD: 'the-password',
        ZENDESK_CHAT_CLIENT_SECRET: 'the-client-secret',
      });
      try {
        const args = [
          'login',
          '--flow',
          'password',
          '--username',
          'agent@demo.example',
          '--subdomain',
          'demo',
        ];
        const pty = startPty([...args, '--client-id', 'CID', '--base-url', urls[mode]], {
          columns: 160,
          rows: 30,
          env: home.env,
        });
        try {
          await pty.waitFor(mode === 'values' ? /nothing was stored/ : /descA/, 20_000);
          // esc leads back to the wizard's summary: its frame is checked too.
          const beforeEsc = pty.output().length;
          pty.press('\x1b');
          await pty.waitForFrame((frame) => frame.includes('Start the login'), beforeEsc);
          const drawn = pty
            .output()
            .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
            .replace(/\r/g, '');
          expect(rawIn(drawn), mode).toBeUndefined();
          expect(pty.output(), mode).not.toContain('\x1b]');
          expect(readStoreText(home) ?? '', mode).not.toContain('tokA');
        } finally {
          pty.kill();
        }
      } finally {
        await home.remove();
      }
    }
  }, 60_000);
});
