/**
 * Hostile input to a running `zchat-auth login` (the built CLI): forged callbacks to its loopback server,
 * cross-origin posts to the capture endpoint, and pastes that are not this login's answer. Each forgery is
 * refused, reported, and the login keeps waiting; then the genuine answer still logs in, and no forged code
 * ever reaches the token endpoint.
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  authorizeUrlIn,
  consent,
  ensureBuilt,
  expectNoStack,
  expectSentence,
  findLeaks,
  type Home,
  makeHome,
  readStore,
  sandboxWithPort,
  startCli,
  visit,
} from './helpers.js';
import { get, post, rawRequest } from './raw-http.js';

let sandbox: Sandbox;
let home: Home;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(async () => {
  await sandbox?.close();
  await home?.remove();
});

async function startLogin(flow: 'code' | 'implicit', extra: string[] = []) {
  const fx = await sandboxWithPort();
  sandbox = fx.sandbox;
  home = await makeHome({ ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret });
  const cli = startCli(
    [
      'login',
      '--base-url',
      sandbox.url,
      '--subdomain',
      'demo',
      '--client-id',
      sandbox.demo.clientId,
      '--redirect-uri',
      fx.redirectUri,
      '--flow',
      flow,
      '--no-browser',
      '--timeout',
      '60',
      ...extra,
    ],
    home.env,
  );
  return { cli, ...fx };
}

describe('forged callbacks to the loopback server of a code-flow login', () => {
  test('each is refused and reported, the login keeps waiting, then the real redirect logs in', async () => {
    const { cli, port } = await startLogin('code');
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const authorizeUrl = authorizeUrlIn(cli.stderr())!;
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const host = `localhost:${port}`;
    const forgeries: [string, string | Buffer, number[]][] = [
      ['wrong state', get(`/?code=FORGED-1&state=${'A'.repeat(state.length)}`, { Host: host }), [400]],
      ['state with one character more', get(`/?code=FORGED-2&state=${state}x`, { Host: host }), [400]],
      [
        'two states, the right one second',
        get(`/?code=FORGED-5&state=bad&state=${state}`, { Host: host }),
        [400],
      ],
      [
        'foreign Host (DNS rebinding), right state',
        get(`/?code=FORGED-6&state=${state}`, { Host: `evil.example:${port}` }),
        [400],
      ],
      [
        'loopback Host on another port',
        get(`/?code=FORGED-7&state=${state}`, { Host: 'localhost:1' }),
        [400],
      ],
      ['no Host header', `GET /?code=FORGED-8&state=${state} HTTP/1.0\r\n\r\n`, [400]],
      ['other path, right state', get(`/evil?code=FORGED-9&state=${state}`, { Host: host }), [404]],
      [
        'path traversal, right state',
        get(`/../../etc/passwd?code=FORGED-10&state=${state}`, { Host: host }),
        [404],
      ],
      ['POST to the redirect path', post(`/?code=FORGED-11&state=${state}`, { Host: host }, 'x'), [405]],
      [
        'capture endpoint (code flow)',
        post(
          '/__zchat_auth/capture',
          { Host: host, 'Content-Type': 'application/json' },
          `{"fragment":"code=FORGED-12&state=${state}","state":"${state}"}`,
        ),
        [404],
      ],
      [
        'huge query (200 kB)',
        get(`/?code=FORGED-13&state=${state}&pad=${'A'.repeat(200_000)}`, { Host: host }),
        [400, 431, 0],
      ],
      [
        'long query (12 kB, under the header limit)',
        get(`/?code=FORGED-17&state=bad&pad=${'D'.repeat(12_000)}`, { Host: host }),
        [400],
      ],
      [
        'huge header (64 kB)',
        get(`/?code=FORGED-14&state=${state}`, { Host: host, 'X-Pad': 'B'.repeat(64_000) }),
        [400, 431, 0],
      ],
      [
        'raw non-UTF-8 bytes in the request line',
        Buffer.concat([
          Buffer.from('GET /?code=FORGED-15&state='),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
        ]),
        [400],
      ],
      ['percent-encoded invalid UTF-8', get('/?code=%FF%FE%FD&state=%C3%28', { Host: host }), [400]],
      [
        'invalid UTF-8 code with the right state',
        get(`/?code=%FF%FE%00FORGED&state=${state}`, { Host: host }),
        [400],
      ],
      [
        'an HTTP request smuggling attempt',
        `GET /?code=FORGED-16&state=bad HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        [400],
      ],
      ['not HTTP at all', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]), [400, 0]],
    ];
    const seen: string[] = [];
    for (const [what, request, statuses] of forgeries) {
      const answer = await rawRequest(port, request);
      seen.push(`${what}: ${answer.status}`);
      expect(statuses, `${what} answered ${answer.status}\n${answer.text.slice(0, 300)}`).toContain(
        answer.status,
      );
      expect(answer.text, what).not.toMatch(/Signed in/);
    }
    // Still waiting, still listening on both addresses.
    expect(cli.exitCode()).toBeNull();
    expect(sandbox.stats.tokenRequests.authorization_code ?? 0).toBe(0);

    const redirected = await consent(authorizeUrl, 'allow');
    const code = new URL(redirected).searchParams.get('code')!;
    expect(await visit(redirected)).toBe(200);
    const result = await cli.finished;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Logged in: profile "demo", grant authorization_code/);
    // One exchange: the real code. No forged one was ever sent.
    expect(sandbox.stats.tokenRequests).toEqual({ authorization_code: 1 });
    const stored = readStore(home.store).profiles.demo!;
    expect(sandbox.isTokenValid(stored.token!.accessToken)).toBe(true);

    // Each forgery that reached the handler is reported on stderr as ignored, the login "still waiting".
    const ignored = result.stderr.split('\n').filter((l) => l.startsWith('Ignored a request'));
    expect(ignored.length).toBeGreaterThanOrEqual(12);
    for (const reason of [
      'wrong state',
      'foreign Host header',
      'no Host header',
      'not the redirect path',
      'method not allowed',
    ]) {
      expect(result.stderr, reason).toContain(`(${reason}); still waiting.`);
    }
    expectNoStack(result.stderr);
    expect(
      findLeaks(result.stderr + result.stdout, { code, clientSecret: sandbox.demo.clientSecret }),
    ).toEqual([]);
    // What a forger sent is shown short: a 12 kB query does not become a 12 kB line in the terminal.
    for (const line of result.stderr.split('\n')) {
      if (!line.startsWith('http')) expect(line.length, line.slice(0, 200)).toBeLessThan(400);
    }
    // No raw control bytes from the forgeries reach the terminal.
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f\ufffd]/);
  }, 30_000);
});

describe('a forged callback without a state, to a plain code-flow login', () => {
  // A state-less redirect is what a server that does not echo the state sends: it is never exchanged, and
  // the plain login stops at once with the sentence naming --accept-missing-state (a forger can end the
  // wait, as a person can, but never gets a code exchanged or a token stored).
  test.each([
    ['missing state', '/?code=FORGED-3'],
    ['empty state', '/?code=FORGED-4&state='],
  ])(
    '%s: 400, nothing exchanged, exit 1 naming --accept-missing-state',
    async (_what, path) => {
      const { cli, port } = await startLogin('code');
      await cli.waitFor(/authorizations\/new\?\S+\n/);
      const answer = await rawRequest(port, get(path, { Host: `localhost:${port}` }));
      expect(answer.status).toBe(400);
      expect(answer.text).not.toMatch(/Signed in/);
      const result = await cli.finished;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('run it again with --accept-missing-state');
      expect(sandbox.stats.tokenRequests).toEqual({});
      expectNoStack(result.stderr);
    },
    30_000,
  );
});

describe('the capture endpoint of an implicit-flow login', () => {
  test('refuses cross-origin and cross-site posts even with the real fragment, then takes the page’s own', async () => {
    const { cli, port } = await startLogin('implicit');
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const redirected = await consent(authorizeUrlIn(cli.stderr())!, 'allow');
    const fragment = new URL(redirected).hash.slice(1);
    const params = new URLSearchParams(fragment);
    const state = params.get('state')!;
    const accessToken = params.get('access_token')!;
    const origin = `http://localhost:${port}`;
    const host = `localhost:${port}`;
    const body = JSON.stringify({ fragment, state });
    const json = { Host: host, 'Content-Type': 'application/json' };
    const forgeries: [string, string, number][] = [
      [
        'a page on another origin',
        post('/__zchat_auth/capture', { ...json, Origin: 'http://evil.example' }, body),
        403,
      ],
      [
        'another loopback port',
        post('/__zchat_auth/capture', { ...json, Origin: 'http://localhost:1' }, body),
        403,
      ],
      [
        'an opaque origin (sandboxed iframe, file:)',
        post('/__zchat_auth/capture', { ...json, Origin: 'null' }, body),
        403,
      ],
      [
        'https on the same host',
        post('/__zchat_auth/capture', { ...json, Origin: `https://localhost:${port}` }, body),
        403,
      ],
      [
        'cross-site without Origin',
        post('/__zchat_auth/capture', { ...json, 'Sec-Fetch-Site': 'cross-site' }, body),
        403,
      ],
      [
        'a form post (no preflight)',
        post('/__zchat_auth/capture', { Host: host, Origin: origin, 'Content-Type': 'text/plain' }, body),
        415,
      ],
      [
        'a urlencoded form post',
        post(
          '/__zchat_auth/capture',
          { Host: host, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
          `fragment=${encodeURIComponent(fragment)}`,
        ),
        415,
      ],
      [
        'DNS rebinding (foreign Host, matching Origin)',
        post(
          '/__zchat_auth/capture',
          { ...json, Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` },
          body,
        ),
        400,
      ],
      [
        'same origin, wrong state',
        post(
          '/__zchat_auth/capture',
          { ...json, Origin: origin },
          JSON.stringify({
            fragment: fragment.replace(state, 'x'.repeat(state.length)),
            state: 'x'.repeat(state.length),
          }),
        ),
        400,
      ],
      [
        'same origin, body not JSON',
        post('/__zchat_auth/capture', { ...json, Origin: origin }, '{"fragment": '),
        400,
      ],
      [
        'same origin, wrong types',
        post(
          '/__zchat_auth/capture',
          { ...json, Origin: origin },
          JSON.stringify({ fragment: [fragment], state: { state } }),
        ),
        400,
      ],
      [
        'same origin, 64 kB body',
        post(
          '/__zchat_auth/capture',
          { ...json, Origin: origin },
          JSON.stringify({ fragment: 'a'.repeat(64_000), state }),
        ),
        413,
      ],
      ['GET', get('/__zchat_auth/capture', { Host: host }), 405],
    ];
    for (const [what, request, status] of forgeries) {
      const answer = await rawRequest(port, request);
      expect(answer.status, `${what}\n${answer.text.slice(0, 400)}`).toBe(status);
      expect(answer.text, what).not.toContain(accessToken);
    }
    expect(cli.exitCode()).toBeNull();
    expect(readStore(home.store).profiles).toEqual({});

    // The page's own post: same origin, right state.
    const ok = await rawRequest(
      port,
      post('/__zchat_auth/capture', { ...json, Origin: origin, 'Sec-Fetch-Site': 'same-origin' }, body),
    );
    expect(ok.status).toBe(200);
    const result = await cli.finished;
    expect(result.code, result.stderr).toBe(0);
    expect(readStore(home.store).profiles.demo!.token!.accessToken).toBe(accessToken);
    expect(
      findLeaks(result.stdout + result.stderr, { accessToken, clientSecret: sandbox.demo.clientSecret }),
    ).toEqual([]);
    for (const reason of [
      'cross-origin post',
      'cross-site post',
      'not JSON',
      'foreign Host header',
      'wrong state',
      'bad capture body',
      'body too large',
    ]) {
      expect(result.stderr, reason).toContain(`(${reason}); still waiting.`);
    }
  }, 30_000);
});

describe('pasted answers (login --paste)', () => {
  test('junk, another login’s address and another redirect URI are refused one by one; the right one logs in', async () => {
    const { cli, redirectUri } = await startLogin('code', ['--paste']);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const authorizeUrl = authorizeUrlIn(cli.stderr())!;
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const redirected = await consent(authorizeUrl, 'allow');
    const code = new URL(redirected).searchParams.get('code')!;
    const pastes: [string, string, RegExp][] = [
      ['words', 'hello world', /not a redirect address or a code/],
      [
        'another login',
        `${redirectUri}/?code=${code}&state=${'B'.repeat(state.length)}`,
        /belongs to another login/,
      ],
      [
        'another redirect URI, this state',
        `https://evil.example/callback?code=${code}&state=${state}`,
        /another redirect URI|not the redirect URI/i,
      ],
      [
        'another loopback port, this state',
        `http://localhost:1/?code=${code}&state=${state}`,
        /another redirect URI|not the redirect URI/i,
      ],
      [
        'a token where a code is due',
        `${redirectUri}/#access_token=abcdef123456&state=${state}`,
        /carries an access token/,
      ],
      [
        'a javascript: URL',
        `javascript:alert(document.cookie)//?code=${code}&state=${state}`,
        /another redirect URI|not a redirect address|not the redirect URI/i,
      ],
      [
        'a control character',
        `${redirectUri}/?code=${code}\u0007x&state=${state}`,
        /not a redirect address|carries no code/,
      ],
      [
        'a 100 kB line',
        `${redirectUri}/?code=${'C'.repeat(100_000)}&state=${state}`,
        /not a redirect address/,
      ],
    ];
    for (const [, text] of pastes) cli.write(`${text}\n`);
    // And bytes that are not UTF-8 at all: `?code=` between invalid sequences.
    cli.write(Buffer.from([0xff, 0xfe, 0x3f, 0x63, 0x6f, 0x64, 0x65, 0x3d, 0xc3, 0x28, 0x0a]));
    pastes.push(['bytes that are not UTF-8', '', /not a redirect address|carries no code/]);
    await cli.waitFor(new RegExp(`(zchat-auth: .*\\n[^]*){${pastes.length}}`), 'stderr', 10_000);
    expect(cli.exitCode(), 'still waiting after the bad pastes').toBeNull();
    expect(sandbox.stats.tokenRequests.authorization_code ?? 0).toBe(0);
    cli.end(`${redirected}\n`);
    const result = await cli.finished;
    expect(result.code, result.stderr).toBe(0);
    expect(sandbox.stats.tokenRequests).toEqual({ authorization_code: 1 });
    const refusals = result.stderr.split('\n').filter((l) => l.startsWith('zchat-auth: '));
    expect(refusals).toHaveLength(pastes.length);
    for (const [i, [what, , sentence]] of pastes.entries()) expect(refusals[i], what).toMatch(sentence);
    expect(findLeaks(result.stderr, { code, clientSecret: sandbox.demo.clientSecret })).toEqual([]);
    expectNoStack(result.stderr);
  }, 30_000);

  test('stdin closed at once: exit 1 with a sentence, nothing stored, no port left open', async () => {
    const { cli } = await startLogin('code', ['--paste']);
    cli.end();
    const result = await cli.finished;
    expect(result.code).toBe(1);
    expect(expectSentence(result)).toMatch(
      /stdin ended before a redirected address was pasted; nothing was stored/,
    );
    expect(readStore(home.store).profiles).toEqual({});
  });
});
