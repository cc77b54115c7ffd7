/**
 * A server that is not the Zendesk it claims to be (a captive portal, a misconfigured proxy, a hostile
 * host), as the built CLI meets it: it echoes every secret it is sent back in its errors, redirects to a
 * sign-in page, answers 200 with a web page or the wrong JSON, or asks to be left alone for an hour. Each
 * command ends in a sentence and nothing secret reaches the output.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  ensureBuilt,
  expectSentence,
  findLeaks,
  type Home,
  makeHome,
  pool,
  quietSandbox,
  runCli,
  seedProfile,
} from './helpers.js';

type Mode = 'echo-json' | 'echo-html' | 'redirect' | 'html-200' | 'wrong-json' | 'empty-200';
const modes: Mode[] = ['echo-json', 'echo-html', 'redirect', 'html-200', 'wrong-json', 'empty-200'];

/** One server per way of misbehaving, so every (mode, command) pair can run at once. */
function answer(m: Mode, req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const said = `you sent ${req.method} ${req.url} ${body} with ${req.headers.authorization ?? 'no auth'}`;
  if (m === 'echo-json') {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_request', error_description: said, description: said }));
  } else if (m === 'echo-html') {
    // 400, not 500: the point is the echo, and a 5xx GET would be retried (slowly) first.
    res.writeHead(400, { 'Content-Type': 'text/html' });
    res.end(`<html><body><pre>${said}</pre></body></html>`);
  } else if (m === 'redirect') {
    res.writeHead(302, { Location: `https://sso.example/login?next=${encodeURIComponent(said)}` });
    res.end();
  } else if (m === 'html-200') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<html><body>Please sign in. ${said}</body></html>`);
  } else if (m === 'wrong-json') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: 42, chats: 'nope', clients: { said } }));
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '0' });
    res.end();
  }
}

const servers: http.Server[] = [];
const urls = new Map<Mode, string>();
let sandbox: Sandbox;
beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
  for (const m of modes) {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => answer(m, req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.set(m, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
}, 120_000);
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await sandbox.close();
});

const commands: string[][] = [
  ['test'],
  ['refresh'],
  ['clients'],
  ['clients', 'confidential', '100000002'],
  ['tokens', 'revoke', '200000001'],
  [
    'login',
    '--flow',
    'password',
    '--username',
    'agent@demo.example',
    '--subdomain',
    'demo',
    '--client-id',
    'CLIENT',
    '--base-url',
    'URL',
  ],
];

test('every command against every misbehaving server: exit 1, one sentence, no secret repeated', async () => {
  const homes: Home[] = [];
  try {
    const pairs = modes.flatMap((m) => commands.map((args) => [m, args] as const));
    const results = await pool(
      8,
      pairs.map(([m, args]) => async () => {
        const home = await makeHome();
        homes.push(home);
        const url = urls.get(m)!;
        const { granted } = await seedProfile(home.store, sandbox, { baseUrl: url });
        const password = 'Pa55-word-of-the-agent';
        const argv = args.map((a) => (a === 'CLIENT' ? sandbox.demo.clientId : a === 'URL' ? url : a));
        const result = await runCli(argv, {
          ...home.env,
          ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret,
          ZENDESK_CHAT_PASSWORD: password,
        });
        return {
          m,
          args,
          result,
          secrets: { ...granted, clientSecret: sandbox.demo.clientSecret, password },
        };
      }),
    );
    expect(results).toHaveLength(modes.length * commands.length);
    for (const { m, args, result, secrets } of results) {
      const label = `${m} × ${args.join(' ')}`;
      // A DELETE answered 2xx is a revoked token, whatever the body says.
      const success = args[1] === 'revoke' && (m === 'wrong-json' || m === 'empty-200');
      expect(result.code, `${label}\n${result.stdout}${result.stderr}`).toBe(success ? 0 : 1);
      if (!success) expectSentence(result, label);
      // The REST API's errors are not called token errors.
      if (m === 'echo-json' && ['clients', 'tokens'].includes(args[0]!)) {
        expect(result.stderr, label).toMatch(/refused the request \(status 400\)/);
      }
      const { code: _code, scope: _scope, ...values } = secrets;
      expect(findLeaks(result.stdout + result.stderr, values), label).toEqual([]);
    }
  } finally {
    for (const h of homes) await h.remove();
  }
}, 60_000);

describe('a Retry-After of an hour', () => {
  test('is not waited out: the GET says when to come back, at once', async () => {
    const home = await makeHome();
    try {
      await seedProfile(home.store, sandbox);
      sandbox.inject({ kind: 'rate-limit', retryAfter: 3600, path: '/api/v2/chat' });
      const started = Date.now();
      const result = await runCli(['clients'], home.env);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(result.code).toBe(1);
      expect(expectSentence(result)).toMatch(
        /limiting the request rate; try again in (3600 seconds|60 minutes|1 hour)/,
      );
    } finally {
      sandbox.clearFaults();
      await home.remove();
    }
  });
});
