/**
 * Proxies, through the built CLI: HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured for Zendesk calls and
 * never used for loopback. The test starts its own proxy (CONNECT tunnels and absolute-form requests,
 * counted) that alone resolves `demo.zendesk.test` to 127.0.0.1; without it that name does not resolve,
 * so a call that works went through the proxy. For HTTPS, a TLS front (self-signed certificate made here,
 * trusted through NODE_EXTRA_CA_CERTS) forwards to the sandbox: the same shape as https://acme.zendesk.com.
 * Node reads NODE_EXTRA_CA_CERTS when it starts, so every run that reaches the far host is the built CLI in
 * a process of its own (runBuilt/startBuilt); runs that fail before any TLS stay in process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  authorizeUrlIn,
  consent,
  ensureBuilt,
  expectSentence,
  findLeaks,
  freePort,
  type Home,
  makeHome,
  quietSandbox,
  readStore,
  registerRedirect,
  runBuilt,
  runCli,
  seedProfile,
  startBuilt,
  visit,
} from './helpers.js';

const FAR = 'demo.zendesk.test';

interface CountingProxy {
  url: string;
  port: number;
  /** `host:port` of each CONNECT, and `METHOD absolute-url` of each plain proxied request. */
  seen: string[];
  authorizations: string[];
  close(): Promise<void>;
}

/** Where the proxy sends a host: the far-away test name and loopback names go to 127.0.0.1, others nowhere. */
function resolveForProxy(host: string): string | undefined {
  return host === FAR || host === 'localhost' || host === '127.0.0.1' ? '127.0.0.1' : undefined;
}

async function startProxy(): Promise<CountingProxy> {
  const tunnels = new Set<{ destroy(): void }>();
  const seen: string[] = [];
  const authorizations: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.headers['proxy-authorization']) authorizations.push(req.headers['proxy-authorization']);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const address = resolveForProxy(target.hostname);
    if (!address) {
      res.writeHead(502).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: address,
        port: target.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    seen.push(req.url ?? '');
    if (req.headers['proxy-authorization']) authorizations.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const address = resolveForProxy(host ?? '');
    if (!address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = net.connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => {
      tunnels.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        // A tunnel leaves the HTTP server's books once established: end those by hand.
        for (const socket of tunnels) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** HTTPS in front of the sandbox, with a certificate for demo.zendesk.test made for this run. */
async function startTlsFront(
  sandbox: Sandbox,
  dir: string,
): Promise<{ port: number; ca: string; close(): Promise<void> }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${FAR}`,
      '-addext',
      `subjectAltName=DNS:${FAR}`,
    ],
    { stdio: 'ignore' },
  );
  const server = https.createServer(
    { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
    (req, res) => {
      const upstream = http.request(
        { host: '127.0.0.1', port: sandbox.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let sandbox: Sandbox;
let proxy: CountingProxy;
let home: Home;
let tls: Awaited<ReturnType<typeof startTlsFront>>;
beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
  proxy = await startProxy();
  home = await makeHome();
  tls = await startTlsFront(sandbox, home.home);
}, 120_000);
afterAll(async () => {
  await tls.close();
  await proxy.close();
  await sandbox.close();
  await home.remove();
});
beforeEach(() => {
  proxy.seen.length = 0;
  proxy.authorizations.length = 0;
  fs.rmSync(home.store, { recursive: true, force: true });
});

const farHttps = () => `https://${FAR}:${tls.port}`;

describe('Zendesk calls go through the proxy', () => {
  test('HTTPS_PROXY: test, clients, tokens, refresh and token --check all reach the far host through it', async () => {
    const { granted } = await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const env = { ...home.env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls.ca };
    for (const args of [['test'], ['clients'], ['tokens'], ['refresh'], ['token', '--check']]) {
      const result = await runBuilt(args, env);
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    }
    expect(proxy.seen.length).toBeGreaterThanOrEqual(5);
    for (const entry of proxy.seen) expect(entry).toMatch(new RegExp(`${FAR}:${tls.port}`));
    // The refresh rotated the token; the new one works.
    const stored = readStore(home.store).profiles.demo!.token!;
    expect(stored.accessToken).not.toBe(granted.accessToken);
    expect(sandbox.isTokenValid(stored.accessToken)).toBe(true);
  });

  test('HTTPS_PROXY for an https base URL: a CONNECT tunnel, TLS end to end, lowercase https_proxy first', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const env = {
      ...home.env,
      https_proxy: proxy.url,
      HTTPS_PROXY: 'http://127.0.0.1:9', // curl's rule: the lowercase one wins
      HTTP_PROXY: 'http://127.0.0.1:9',
      NODE_EXTRA_CA_CERTS: tls.ca,
    };
    for (const args of [['test'], ['clients'], ['refresh']]) {
      // NODE_EXTRA_CA_CERTS is read when Node starts: this needs a process of its own.
      const result = await runBuilt(args, env);
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    }
    expect(proxy.seen).toEqual([`${FAR}:${tls.port}`, `${FAR}:${tls.port}`, `${FAR}:${tls.port}`]);
  });

  test('api and exec (on node:http, not got) go through the proxy too; plain http to a far host is refused', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const env = { ...home.env, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls.ca };
    const api = await runBuilt(['api', 'account'], env);
    expect(api.code, api.stderr).toBe(0);
    expect(JSON.parse(api.stdout)).toMatchObject({ status: 'active' });
    const exec = await runBuilt(['exec', '--', process.execPath, '-e', '0'], env);
    expect(exec.code, exec.stderr).toBe(0);
    expect(proxy.seen).toEqual([`${FAR}:${tls.port}`, `${FAR}:${tls.port}`]);

    // Over plain http the token could be read on the way: refused before anything is sent, proxy or not.
    proxy.seen.length = 0;
    fs.rmSync(home.store, { recursive: true, force: true });
    await seedProfile(home.store, sandbox, { baseUrl: `http://${FAR}:${sandbox.port}` });
    for (const args of [
      ['api', 'account'],
      ['exec', '--', process.execPath, '-e', '0'],
    ]) {
      const refused = await runCli(args, { ...home.env, HTTP_PROXY: proxy.url });
      expect(refused.code, args.join(' ')).not.toBe(0);
      expect(expectSentence(refused, args.join(' '))).toMatch(/uses http:\/\/ to another machine/);
    }
    expect(proxy.seen).toEqual([]);
  });

  test('login (code flow): the exchange goes through the proxy; the loopback server never does', async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}`;
    await registerRedirect(sandbox, sandbox.demo.clientNumericId, redirectUri);
    const env = {
      ...home.env,
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: tls.ca,
      ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret,
    };
    const cli = startBuilt(
      [
        'login',
        '--base-url',
        farHttps(),
        '--subdomain',
        'demo',
        '--client-id',
        sandbox.demo.clientId,
        '--redirect-uri',
        redirectUri,
        '--no-browser',
      ],
      env,
    );
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    // The browser (this test) reaches Zendesk its own way; only the CLI's calls are the point here.
    const authorizeUrl = authorizeUrlIn(cli.stderr())!.replace(farHttps(), sandbox.url);
    const redirected = await consent(authorizeUrl, 'allow');
    expect(await visit(redirected)).toBe(200);
    const result = await cli.finished;
    expect(result.code, result.stderr).toBe(0);
    // The exchange, and the check before the wait that the server answers: both through the proxy.
    expect(new Set(proxy.seen)).toEqual(new Set([`${FAR}:${tls.port}`]));
    expect(proxy.seen.join(' ')).not.toMatch(/localhost|127\.0\.0\.1|\[::1\]/);
  });

  test('proxy credentials are sent, and never shown, not even by doctor', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const withAuth = `http://alice:Pr0xyS3cret@127.0.0.1:${proxy.port}`;
    const env = { ...home.env, HTTP_PROXY: withAuth, HTTPS_PROXY: withAuth, NODE_EXTRA_CA_CERTS: tls.ca };
    const runs = [
      await runBuilt(['test'], env),
      await runBuilt(['doctor'], env),
      await runBuilt(['doctor', '--json'], env),
    ];
    expect(runs[0]!.code, runs[0]!.stderr).toBe(0);
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('alice:Pr0xyS3cret').toString('base64')}`);
    for (const run of runs) {
      expect(
        findLeaks(run.stdout + run.stderr, {
          proxyPassword: 'Pr0xyS3cret',
          clientSecret: sandbox.demo.clientSecret,
        }),
      ).toEqual([]);
    }
    expect(runs[1]!.stdout).toMatch(/proxy/);
  });
});

describe('what never goes through the proxy', () => {
  test('loopback base URLs (the sandbox on 127.0.0.1, localhost) go direct even with every variable set', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: sandbox.url });
    const env = {
      ...home.env,
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      http_proxy: proxy.url,
      NO_PROXY: '',
    };
    for (const args of [['test'], ['clients'], ['refresh'], ['doctor']]) {
      const result = await runCli(args, env);
      expect(result.code, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    fs.rmSync(home.store, { recursive: true, force: true });
    await seedProfile(home.store, sandbox, { baseUrl: `http://localhost:${sandbox.port}` });
    expect((await runCli(['test'], env)).code).toBe(0);
    expect(proxy.seen).toEqual([]);
  });

  test.each([
    [FAR],
    [`.zendesk.test`],
    [`*.zendesk.test`],
    [`zendesk.test`],
    [`${FAR}:${0}`], // replaced below by the real port
    ['*'],
    [`other.example, ${FAR}`],
  ])('NO_PROXY=%s: the far host goes direct (and, unresolvable, fails in a sentence)', async (entry) => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const noProxy = entry.replace(':0', `:${tls.port}`);
    // refresh: a POST, never retried, so the DNS failure shows at once.
    const result = await runCli(['refresh'], { ...home.env, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy });
    expect(result.code).toBe(1);
    expect(expectSentence(result)).toMatch(/Could not reach/);
    expect(proxy.seen).toEqual([]);
  });

  test('a NO_PROXY for another host, or another port, leaves the proxy in use', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    for (const noProxy of ['other.example', `${FAR}:1`, 'zendesk.test.evil', 'emo.zendesk.test']) {
      const result = await runBuilt(['test'], {
        ...home.env,
        HTTPS_PROXY: proxy.url,
        NODE_EXTRA_CA_CERTS: tls.ca,
        no_proxy: noProxy,
      });
      expect(result.code, `${noProxy}\n${result.stderr}`).toBe(0);
    }
    expect(proxy.seen).toHaveLength(4);
  });

  test('without a proxy the far host cannot be reached at all: the proxy is what made it work', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const result = await runCli(['refresh'], home.env);
    expect(result.code).toBe(1);
    expect(expectSentence(result)).toMatch(/Could not reach/);
  });
});

describe('plain http to another machine', () => {
  test('an http:// base URL that is not loopback is refused before anything is sent, proxy or not', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: `http://${FAR}:${sandbox.port}` });
    for (const env of [home.env, { ...home.env, HTTP_PROXY: proxy.url }]) {
      const result = await runCli(['refresh'], env);
      expect(result.code).toBe(2);
      expect(expectSentence(result)).toMatch(/uses http:\/\/ to another machine\. Use https:\/\//);
    }
    expect(proxy.seen).toEqual([]);
  });
});

describe('a broken proxy setting', () => {
  test('a proxy that refuses, one that is down, and one that is not a URL: each a sentence, exit 1 or 2', async () => {
    await seedProfile(home.store, sandbox, { baseUrl: farHttps() });
    const down = `http://127.0.0.1:${await freePort()}`;
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ HTTPS_PROXY: down }, 1, /Could not reach the proxy 127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/],
      [{ HTTPS_PROXY: 'http://[oops' }, 2, /The proxy setting HTTPS_PROXY is not a valid URL/],
      [{ HTTPS_PROXY: 'socks5://127.0.0.1:1080' }, 2, /must be an http:\/\/ or https:\/\/ URL/],
      [{ HTTPS_PROXY: 'http://bob:S3cr3tPr0xy@[oops' }, 2, /not a valid URL/],
    ];
    for (const [vars, code, sentence] of cases) {
      const result = await runCli(['refresh'], { ...home.env, ...vars });
      expect(result.code, `${JSON.stringify(vars)}\n${result.stderr}`).toBe(code);
      expect(expectSentence(result)).toMatch(sentence);
      expect(result.stderr).not.toContain('S3cr3tPr0xy');
    }
  });
});
