import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { type LoginFlow, type LoginOptions, startLogin } from '../../../source/core/oauth/login-flow.js';
import { capturePath } from '../../../source/core/oauth/loopback-server.js';
import type { FlowEvent, TokenResponse } from '../../../source/core/oauth/types.js';
import { createTokenClient, type TokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox, SandboxOptions } from '../../../source/sandbox/types.js';
import { canBind, freePort, hit } from './http-helper.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f().catch(() => {})));
});

async function sandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ quiet: true, ...o });
  cleanup.push(() => sb.close());
  return sb;
}

async function admin(sb: Sandbox, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sb.url}/api/v2/chat${path}`, {
    method,
    headers: { Authorization: `Bearer ${sb.demo.adminToken}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Registers a loopback redirect URI on a free port for the demo client (as a user would on Zendesk). */
async function registerRedirect(sb: Sandbox, path = ''): Promise<{ port: number; redirectUri: string }> {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}${path}`;
  const res = await admin(sb, 'PUT', `/oauth/clients/${sb.demo.clientNumericId}`, {
    redirect_uris: [redirectUri],
  });
  expect(res.status).toBe(200);
  return { port, redirectUri };
}

/** What a person does in the browser: open the authorize URL, press Allow or Deny; returns the Location. */
async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const id = /name="consent_id" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(id).toBeDefined();
  const res = await fetch(new URL('/oauth2/chat/authorizations', authorizeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: id!, decision }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

/** The browser following the redirect to the loopback server (the fragment stays in the browser). */
async function follow(location: string): Promise<{ status: number; body: string }> {
  const url = new URL(location);
  const res = await hit(Number(url.port), `${url.pathname}${url.search}`, { headers: { Host: url.host } });
  if (!url.hash) return res;
  // Implicit: what the capture page does with location.hash.
  const fragment = url.hash.slice(1);
  return hit(Number(url.port), capturePath, {
    method: 'POST',
    headers: { Host: url.host, Origin: url.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ fragment, state: new URLSearchParams(fragment).get('state') ?? '' }),
  });
}

interface Run {
  flow: LoginFlow;
  events: FlowEvent[];
  stored: TokenResponse[];
  browserCalls: string[];
  /** What the simulated browser did, once it has finished. */
  browsing: Promise<unknown>[];
}

function login(
  sb: Sandbox,
  options: Partial<LoginOptions> & Pick<LoginOptions, 'flow'>,
  extra: {
    browser?: (url: string) => Promise<void> | void;
    persist?: (t: TokenResponse) => Promise<string>;
    noOpener?: boolean;
    wrapTokenClient?: (client: TokenClient) => TokenClient;
  } = {},
): Run {
  const events: FlowEvent[] = [];
  const stored: TokenResponse[] = [];
  const browserCalls: string[] = [];
  const browsing: Promise<unknown>[] = [];
  const flow = startLogin(
    {
      subdomain: 'demo',
      baseUrl: sb.url,
      clientId: sb.demo.clientId,
      clientSecret: sb.demo.clientSecret,
      redirectUri: sb.demo.redirectUri,
      scopes: ['read', 'write'],
      timeoutMs: 10_000,
      ...options,
    },
    {
      tokenClient: (extra.wrapTokenClient ?? ((c) => c))(
        createTokenClient({ baseUrl: sb.url, timeoutMs: 5000 }),
      ),
      ...(extra.noOpener
        ? {}
        : {
            openBrowser: async (url: string) => {
              browserCalls.push(url);
              // Like a real browser: it goes its own way while the terminal waits.
              if (extra.browser) {
                const going = Promise.resolve(extra.browser(url));
                going.catch(() => {}); // tests that care await run.browsing
                browsing.push(going);
              }
              return { opened: true };
            },
          }),
      persist:
        extra.persist ??
        (async (t) => {
          stored.push(t);
          return 'demo';
        }),
    },
  );
  flow.subscribe((e) => events.push(e));
  cleanup.push(async () => {
    flow.cancel();
    await flow.done.catch(() => {});
  });
  return { flow, events, stored, browserCalls, browsing };
}

const types = (events: FlowEvent[]) => events.map((e) => e.type);

async function waitFor(events: FlowEvent[], type: FlowEvent['type']): Promise<FlowEvent> {
  for (let i = 0; i < 500; i++) {
    const found = events.find((e) => e.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no ${type} event; saw ${types(events).join(', ')}`);
}

async function rejection(p: Promise<unknown>): Promise<ZchatError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZchatError);
  return error as ZchatError;
}

describe('startLogin: authorization code flow', () => {
  it('listens before showing the URL, takes the redirect, exchanges once and stores', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      { browser: async (url) => void (await follow(await consent(url, 'allow'))) },
    );
    const { token, profile } = await run.flow.done;

    expect(types(run.events)).toEqual([
      'listening',
      'authorize-url',
      'browser',
      'request-accepted',
      'callback',
      'exchanging',
      'token',
      'stored',
    ]);
    const listening = run.events[0] as Extract<FlowEvent, { type: 'listening' }>;
    expect(listening).toMatchObject({ port, redirectUri, addresses: [`127.0.0.1:${port}`, `[::1]:${port}`] });
    expect(run.events[1]).toEqual({ type: 'authorize-url', url: run.flow.authorizeUrl });
    expect(run.flow.authorizeUrl).toContain(`redirect_uri=${encodeURIComponent(redirectUri)}`);
    expect(run.flow.authorizeUrl).toContain('scope=read%20write');
    expect(run.flow.authorizeUrl).toContain('code_challenge_method=S256');
    expect(run.browserCalls).toEqual([run.flow.authorizeUrl]);
    expect(run.events[4]).toEqual({ type: 'callback', source: 'loopback', result: 'code' });
    expect(run.events[5]).toEqual({ type: 'exchanging', grant: 'authorization_code' });
    expect(run.events[7]).toEqual({ type: 'stored', profile: 'demo' });
    expect(profile).toBe('demo');
    expect(token).toMatchObject({ grant: 'authorization_code', tokenType: 'Bearer', scope: 'read write' });
    expect(token.refreshToken).toBeTruthy();
    expect(run.stored).toEqual([token]);
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
    // the request it reports carries no code
    const accepted = run.events[3] as Extract<FlowEvent, { type: 'request-accepted' }>;
    expect(accepted.request.path).toMatch(/^\/\?code=/);
    expect(JSON.stringify(run.events.slice(0, 5))).not.toMatch(/code=[A-Za-z0-9_-]{12,}/);
    // the server is gone with the flow
    expect(await canBind(port)).toBe(true);
    expect(await canBind(port, '::1')).toBe(true);
  });

  // The code leaves first; the events' listeners (a terminal's lines) run while it is on the wire.
  it('sends the code for its token before the callback and exchanging events reach their listeners', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    let seenWhenSent: string[] | undefined;
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      {
        browser: async (url) => void (await follow(await consent(url, 'allow'))),
        wrapTokenClient: (client) => ({
          ...client,
          exchangeCode: (p) => {
            seenWhenSent = types(run.events);
            return client.exchangeCode(p);
          },
        }),
      },
    );
    await run.flow.done;
    expect(seenWhenSent).toEqual(['listening', 'authorize-url', 'browser', 'request-accepted']);
    expect(types(run.events).slice(4)).toEqual(['callback', 'exchanging', 'token', 'stored']);
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
  });

  it('sends a PKCE challenge and verifier by default (the sandbox checks them)', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb, '/callback');
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      { browser: async (url) => void (await follow(await consent(url, 'allow'))) },
    );
    const { token } = await run.flow.done;
    const url = new URL(run.flow.authorizeUrl!);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    // The sandbox issues a token for a challenged code only with the matching verifier.
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('usePkce: false sends no challenge and no verifier', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(
      sb,
      { flow: 'code', redirectUri, usePkce: false },
      { browser: async (url) => void (await follow(await consent(url, 'allow'))) },
    );
    const { token } = await run.flow.done;
    expect(run.flow.authorizeUrl).not.toContain('code_challenge');
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('a refused verifier or challenge says to use --no-pkce', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    // A code issued for another login's challenge: this login's verifier does not match it.
    const other = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(other.events, 'authorize-url');
    const code = new URL(await consent(other.flow.authorizeUrl!, 'allow')).searchParams.get('code')!;
    const run = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    await run.flow.paste(code, { bareCode: true });
    const token = await rejection(run.flow.done);
    expect(token.sentence).toMatch(/code_verifier.*--no-pkce/);
    expect(sb.stats.tokensIssued.authorization_code).toBeUndefined();

    const third = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(third.events, 'authorize-url');
    const state = new URL(third.flow.authorizeUrl!).searchParams.get('state');
    await third.flow.paste(
      `${redirectUri}?error=invalid_request&error_description=code_challenge_method+not+supported&state=${state}`,
    );
    const authorize = await rejection(third.flow.done);
    expect(authorize.sentence).toBe(
      'Zendesk refused the PKCE check (invalid_request: code_challenge_method not supported). If this server does not support PKCE, log in again with --no-pkce (the profile remembers it).',
    );
  });

  it('ends with access_denied when the user presses Deny', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    let page = '';
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      {
        browser: async (url) => {
          page = (await follow(await consent(url, 'deny'))).body;
        },
      },
    );
    const error = await rejection(run.flow.done);
    await Promise.all(run.browsing);
    expect(error.code).toBe('access_denied');
    expect(error.message).toMatch(/^Access was denied: you pressed Deny/);
    expect(page).toContain('You pressed Deny');
    expect(types(run.events).slice(-2)).toEqual(['callback', 'failed']);
    expect(run.events.at(-1)).toEqual({ type: 'failed', error });
    expect(sb.stats.tokenRequests.authorization_code).toBeUndefined();
    expect(await canBind(port)).toBe(true);
  });

  it('ignores a wrong state, a foreign Host and the favicon while it waits', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    let location = '';
    const run = login(sb, { flow: 'code', redirectUri }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    location = await consent(run.flow.authorizeUrl!, 'allow');
    const real = new URL(location);
    const code = real.searchParams.get('code')!;

    expect((await hit(port, `/?code=${code}&state=forged`)).status).toBe(400);
    expect(
      (await hit(port, real.pathname + real.search, { headers: { Host: `attacker.example:${port}` } }))
        .status,
    ).toBe(400);
    expect((await hit(port, '/favicon.ico')).status).toBe(404);
    const ignored = run.events.filter((e) => e.type === 'request-ignored');
    expect(ignored.map((e) => e.type === 'request-ignored' && e.request.reason)).toEqual([
      'wrong state',
      'foreign Host header',
      'favicon',
    ]);
    expect(types(run.events)).not.toContain('callback');

    expect((await follow(location)).status).toBe(200);
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(run.events.find((e) => e.type === 'browser')).toEqual({
      type: 'browser',
      opened: false,
      reason: '--no-browser',
    });
  });

  it('answers a reload with "already done" and exchanges the code only once', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      {
        noOpener: true,
        persist: async () => {
          await gate;
          return 'demo';
        },
      },
    );
    await waitFor(run.events, 'authorize-url');
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    // The first page is held until the token is stored; a reload meanwhile is "already done".
    const first = follow(location);
    await waitFor(run.events, 'token');
    const reload = await follow(location);
    expect(reload.status).toBe(200);
    expect(reload.body).toContain('already received its answer');
    expect(run.events.at(-1)).toMatchObject({ type: 'request-ignored', request: { reason: 'already done' } });
    release();
    await run.flow.done;
    expect((await first).status).toBe(200);
    expect((await first).body).toContain('Signed in');
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
    expect(sb.stats.tokensIssued.authorization_code).toBe(1);
  });

  it('reports a failed exchange (spent code) and closes the server', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    // Without PKCE, so that someone else can spend the code first.
    const run = login(sb, { flow: 'code', redirectUri, usePkce: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    const code = new URL(location).searchParams.get('code')!;
    const spent = await fetch(`${sb.url}/oauth2/chat/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: sb.demo.clientId,
        client_secret: sb.demo.clientSecret,
        redirect_uri: redirectUri,
        scope: 'read write',
      }),
    });
    expect(spent.status).toBe(200);
    await follow(location);
    const error = await rejection(run.flow.done);
    expect(error.code).toBe('invalid_grant');
    expect(error.message).not.toContain(code);
    expect(types(run.events).slice(-3)).toEqual(['callback', 'exchanging', 'failed']);
    expect(await canBind(port)).toBe(true);
  });

  it('reports a server error from the token endpoint', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    sb.inject({ kind: 'status', status: 500, path: '/oauth2/chat/token' });
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      { browser: async (url) => void (await follow(await consent(url, 'allow'))) },
    );
    const error = await rejection(run.flow.done);
    expect(error.code).toBe('server_error');
    expect(run.events.at(-1)).toMatchObject({ type: 'failed' });
  });

  it('fails fast, naming the port, when the port is busy', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port, host: '127.0.0.1' }, r));
    cleanup.push(() => new Promise((r) => blocker.close(r)));
    const t0 = Date.now();
    const run = login(sb, { flow: 'code', redirectUri });
    const error = await rejection(run.flow.done);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(error.code).toBe('port_busy');
    expect(error.message).toContain(`Port ${port} is already in use`);
    expect(types(run.events)).toEqual(['failed']);
    expect(run.browserCalls).toEqual([]);
  });

  it('times out: timed-out event, timed_out error, port free', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, timeoutMs: 300 });
    const error = await rejection(run.flow.done);
    expect(error.code).toBe('timed_out');
    expect(run.events.at(-1)).toEqual({ type: 'timed-out', afterMs: 300 });
    expect(await canBind(port)).toBe(true);
    await expect(run.flow.paste('code=abcd1234')).rejects.toMatchObject({ code: 'usage' });
  });

  it('cancel() closes the server at once: the port can be bound again right after', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri });
    await waitFor(run.events, 'browser');
    run.flow.cancel();
    const error = await rejection(run.flow.done);
    expect(error.code).toBe('cancelled');
    expect(run.events.at(-1)).toEqual({ type: 'cancelled' });
    expect(await canBind(port)).toBe(true);
    expect(await canBind(port, '::1')).toBe(true);
    run.flow.cancel(); // twice is harmless
    expect(types(run.events).filter((t) => t === 'cancelled')).toHaveLength(1);
  });

  it('cancel() during a slow exchange ends at once and ignores the late token', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    sb.inject({ kind: 'slow', delayMs: 400, path: '/oauth2/chat/token' });
    const run = login(sb, { flow: 'code', redirectUri, timeoutMs: 2 ** 40 }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const page = follow(await consent(run.flow.authorizeUrl!, 'allow'));
    await waitFor(run.events, 'exchanging');
    run.flow.cancel();
    expect((await rejection(run.flow.done)).code).toBe('cancelled');
    // The browser's page, held for the exchange, says the login did not finish.
    expect((await page).body).toContain('Login failed');
    expect(await canBind(port)).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(types(run.events).slice(-2)).toEqual(['exchanging', 'cancelled']);
    expect(run.stored).toEqual([]);
  });

  it('cancel() right after start, before the server is up, leaves nothing listening', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri });
    run.flow.cancel();
    await rejection(run.flow.done);
    await new Promise((r) => setTimeout(r, 50));
    expect(await canBind(port)).toBe(true);
    expect(types(run.events)).toEqual(['cancelled']);
  });
});

describe('startLogin: pasting the redirect', () => {
  it('takes a pasted full URL while the server listens, and a later browser hit is "already done"', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    await run.flow.paste(`  "${location}"\n`);
    expect((await follow(location)).body).toContain('already received its answer');
    const { token } = await run.flow.done;
    expect(run.events.find((e) => e.type === 'callback')).toEqual({
      type: 'callback',
      source: 'paste',
      result: 'code',
    });
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(sb.stats.tokenRequests.authorization_code).toBe(1);
  });

  it('paste only (listen: false): a bare query string works, junk and a foreign state are refused first', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    expect(types(run.events)).not.toContain('listening');
    expect(await canBind(port)).toBe(true);
    const location = new URL(await consent(run.flow.authorizeUrl!, 'allow'));
    const code = location.searchParams.get('code')!;

    await expect(run.flow.paste('hello there')).rejects.toMatchObject({ code: 'usage' });
    const mismatch = await rejection(run.flow.paste(`code=${code}&state=someone-elses`));
    expect(mismatch.code).toBe('state_mismatch');
    expect(mismatch.message).not.toContain(code);
    await expect(
      run.flow.paste(`#access_token=tok123456&state=${location.searchParams.get('state')}`),
    ).rejects.toMatchObject({
      code: 'usage',
    });
    await run.flow.paste(location.search.slice(1));
    await expect(run.flow.paste(location.search.slice(1))).rejects.toMatchObject({ code: 'usage' });
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('takes a bare code (no state to check) only when the person chose to paste a bare code', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const code = new URL(await consent(run.flow.authorizeUrl!, 'allow')).searchParams.get('code')!;
    const bare = await rejection(run.flow.paste(`<${code}>`));
    expect(bare.sentence).toContain('choose to paste a bare code (--paste-code, or c in the panel)');
    expect(sb.stats.tokenRequests.authorization_code).toBeUndefined();
    await run.flow.paste(`<${code}>`, { bareCode: true });
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('is paste only for a redirect URI that is not on this computer', async () => {
    const sb = await sandbox();
    const redirectUri = 'https://app.example.com/oauth/callback';
    expect(
      (await admin(sb, 'PUT', `/oauth/clients/${sb.demo.clientNumericId}`, { redirect_uris: [redirectUri] }))
        .status,
    ).toBe(200);
    const run = login(sb, { flow: 'code', redirectUri }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    expect(types(run.events)).toEqual(['authorize-url', 'browser']);
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    expect(location.startsWith(`${redirectUri}?code=`)).toBe(true);
    await run.flow.paste(location);
    await run.flow.done;
  });

  it('takes a pasted implicit redirect with the token in the fragment', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'implicit', redirectUri }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    await expect(run.flow.paste('abcdef123456')).rejects.toMatchObject({ code: 'usage' });
    await run.flow.paste(location);
    const { token } = await run.flow.done;
    expect(token.grant).toBe('implicit');
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('maps other OAuth errors: invalid_scope from Zendesk, anything else as oauth_error', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, scopes: ['read', 'admin'] }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    // An invalid scope is refused before consent: Zendesk redirects straight back with the error.
    const res = await fetch(run.flow.authorizeUrl!, { redirect: 'manual' });
    expect(res.status).toBe(302);
    await follow(res.headers.get('location')!);
    const error = await rejection(run.flow.done);
    expect(error).toMatchObject({ code: 'invalid_scope', serverError: 'invalid_scope' });
    expect(error.message).toContain('scopes');

    const other = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(other.events, 'authorize-url');
    const state = new URL(other.flow.authorizeUrl!).searchParams.get('state');
    await other.flow.paste(`${redirectUri}?error=temporarily_unavailable&state=${state}`);
    const second = await rejection(other.flow.done);
    expect(second).toMatchObject({ code: 'oauth_error', serverError: 'temporarily_unavailable' });
    expect(second.message).toContain('temporarily_unavailable');
  });

  it('ends with access_denied for a pasted Deny redirect', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    await run.flow.paste(await consent(run.flow.authorizeUrl!, 'deny'));
    expect((await rejection(run.flow.done)).code).toBe('access_denied');
  });
});

describe('startLogin: a redirect without the state', () => {
  async function statelessSandbox(): Promise<Sandbox> {
    const sb = await startSandbox({ quiet: true, echoState: false });
    cleanup.push(() => sb.close());
    return sb;
  }

  it('refused by default: the flow ends naming --accept-missing-state, and the page says it was not used', async () => {
    const sb = await statelessSandbox();
    const { redirectUri } = await registerRedirect(sb);
    let page = '';
    const run = login(
      sb,
      { flow: 'code', redirectUri },
      {
        browser: async (url) => {
          page = (await follow(await consent(url, 'allow'))).body;
        },
      },
    );
    const error = await rejection(run.flow.done);
    await Promise.all(run.browsing);
    expect(error.code).toBe('state_missing');
    expect(error.sentence).toBe(
      'Zendesk returned the code without the state it was sent, so it was not used: if you just pressed Allow for this login, run it again with --accept-missing-state (it accepts one such redirect).',
    );
    expect(page).toContain('without the state the terminal’s login sent with it, so it was not used');
    expect(sb.stats.tokenRequests.authorization_code).toBeUndefined();
  });

  it("'accept' takes exactly one state-less redirect; a wrong state is still refused", async () => {
    const sb = await statelessSandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, missingState: 'accept' }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = new URL(await consent(run.flow.authorizeUrl!, 'allow'));
    expect(location.searchParams.has('state')).toBe(false);
    const wrong = await hit(port, `/?code=${location.searchParams.get('code')}&state=forged`, {
      headers: { Host: location.host },
    });
    expect(wrong.status).toBe(400);
    expect(run.events.some((e) => e.type === 'callback')).toBe(false);
    expect((await follow(location.toString())).status).toBe(200);
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    // the one taken: the next state-less hit finds the server gone
    await expect(follow(location.toString())).rejects.toThrow();
  });

  it("'ask': the flow asks, n drops it and keeps waiting, y takes the next one; the page says to answer in the terminal", async () => {
    const sb = await statelessSandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, missingState: 'ask' }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const first = await follow(await consent(run.flow.authorizeUrl!, 'allow'));
    expect(first.body).toContain(
      'The terminal is asking whether you just pressed Allow: answer y or n there.',
    );
    expect(await waitFor(run.events, 'state-missing')).toEqual({
      type: 'state-missing',
      source: 'loopback',
      result: 'code',
    });
    // While it asks, no other state-less answer is taken or asked about.
    const meanwhile = await hit(port, '/?code=other', { headers: { Host: `localhost:${port}` } });
    expect(meanwhile.status).toBe(409);
    run.flow.confirmMissingState(false);
    expect(run.events.at(-1)).toEqual({ type: 'state-missing-answered', accepted: false });
    expect(sb.stats.tokenRequests.authorization_code).toBeUndefined();

    const location = await consent(run.flow.authorizeUrl!, 'allow');
    await follow(location);
    await waitFor(run.events, 'state-missing-answered');
    for (let i = 0; i < 200 && run.events.filter((e) => e.type === 'state-missing').length < 2; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    run.flow.confirmMissingState(true);
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(types(run.events).filter((t) => t.startsWith('state-missing'))).toEqual([
      'state-missing',
      'state-missing-answered',
      'state-missing',
      'state-missing-answered',
    ]);
  });

  it('a pasted address without the state is refused by default and asked about in ask mode', async () => {
    const sb = await statelessSandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri, listen: false }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = await consent(run.flow.authorizeUrl!, 'allow');
    expect((await rejection(run.flow.paste(location))).code).toBe('state_missing');
    const fragmentOnly = new URL(location).search.slice(1);
    expect((await rejection(run.flow.paste(fragmentOnly))).code).toBe('state_missing');
    expect(sb.stats.tokenRequests.authorization_code).toBeUndefined();

    const asked = login(
      sb,
      { flow: 'code', redirectUri, listen: false, missingState: 'ask' },
      { noOpener: true },
    );
    await waitFor(asked.events, 'authorize-url');
    await asked.flow.paste(await consent(asked.flow.authorizeUrl!, 'allow'));
    expect(await waitFor(asked.events, 'state-missing')).toMatchObject({ source: 'paste' });
    asked.flow.confirmMissingState(true);
    const { token } = await asked.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });
});

describe('startLogin: implicit flow', () => {
  it('serves the capture page and takes the token the page posts', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    let capture = { status: 0, body: '' };
    const run = login(
      sb,
      { flow: 'implicit', redirectUri, scopes: ['read', 'write'] },
      {
        browser: async (url) => {
          capture = await follow(await consent(url, 'allow'));
        },
      },
    );
    const { token } = await run.flow.done;
    await Promise.all(run.browsing);
    expect(new URL(run.flow.authorizeUrl!).searchParams.get('response_type')).toBe('token');
    expect(token).toMatchObject({ grant: 'implicit', tokenType: 'Bearer', scope: 'read write' });
    expect(token.refreshToken).toBeUndefined();
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(capture.status).toBe(200);
    expect(JSON.parse(capture.body)).toMatchObject({ ok: true, clear: true });
    expect(types(run.events)).toEqual([
      'listening',
      'authorize-url',
      'browser',
      'request-accepted', // the capture page
      'request-accepted', // the posted fragment
      'callback',
      'token',
      'stored',
    ]);
    expect(await canBind(port)).toBe(true);
  });

  it('refuses a cross-origin capture post and keeps waiting', async () => {
    const sb = await sandbox();
    const { port, redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'implicit', redirectUri }, { noOpener: true });
    await waitFor(run.events, 'authorize-url');
    const location = new URL(await consent(run.flow.authorizeUrl!, 'allow'));
    const fragment = location.hash.slice(1);
    const body = JSON.stringify({ fragment, state: new URLSearchParams(fragment).get('state') });
    const forged = await hit(port, capturePath, {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      body,
    });
    expect(forged.status).toBe(403);
    expect(run.events.at(-1)).toMatchObject({
      type: 'request-ignored',
      request: { verdict: 'rejected', reason: 'cross-origin post' },
    });
    expect(types(run.events)).not.toContain('callback');
    await follow(location.href);
    const { token } = await run.flow.done;
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });

  it('works with the sandbox pressing Allow itself (auto-approve posts to the capture endpoint)', async () => {
    const sb = await sandbox();
    sb.setAutoApprove(true);
    const { redirectUri } = await registerRedirect(sb);
    let page = '';
    const run = login(
      sb,
      { flow: 'implicit', redirectUri },
      {
        browser: async (url) => {
          page = await (await fetch(url)).text();
        },
      },
    );
    const { token } = await run.flow.done;
    await Promise.all(run.browsing);
    expect(page).toContain('Approved automatically');
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
  });
});

describe('startLogin: grants without a browser', () => {
  it('client credentials fail while the client is public and work once it is confidential', async () => {
    const sb = await sandbox();
    const first = login(sb, { flow: 'client-credentials' });
    const error = await rejection(first.flow.done);
    expect(error.code).toBe('invalid_client');
    expect(types(first.events)).toEqual(['exchanging', 'failed']);
    expect(error.message).not.toContain(sb.demo.clientSecret);

    const put = await admin(sb, 'PUT', `/oauth/clients/${sb.demo.clientNumericId}`, {
      client_type: 'confidential',
    });
    expect(put.status).toBe(200);
    const second = login(sb, { flow: 'client-credentials' });
    const { token, profile } = await second.flow.done;
    expect(types(second.events)).toEqual(['exchanging', 'token', 'stored']);
    expect(second.events[0]).toEqual({ type: 'exchanging', grant: 'client_credentials' });
    expect(token.grant).toBe('client_credentials');
    expect(profile).toBe('demo');
    expect(sb.isTokenValid(token.accessToken)).toBe(true);
    expect(second.browserCalls).toEqual([]);
    expect(second.flow.authorizeUrl).toBeUndefined();
    await expect(second.flow.paste('abcd1234')).rejects.toMatchObject({ code: 'usage' });
  });

  it('client credentials without a secret is a usage error', async () => {
    const sb = await sandbox();
    const run = login(sb, { flow: 'client-credentials', clientSecret: undefined });
    expect((await rejection(run.flow.done)).code).toBe('usage');
  });

  it('password grant for the Chat-only user', async () => {
    const sb = await sandbox({ chatOnlyAccount: true });
    await admin(sb, 'PUT', `/oauth/clients/${sb.demo.clientNumericId}`, { client_type: 'confidential' });
    const run = login(sb, { flow: 'password', username: sb.demo.username, password: sb.demo.password });
    const { token } = await run.flow.done;
    expect(run.events[0]).toEqual({ type: 'exchanging', grant: 'password' });
    expect(token.grant).toBe('password');
    expect(sb.isTokenValid(token.accessToken)).toBe(true);

    const wrong = login(sb, { flow: 'password', username: sb.demo.username, password: 'not-the-password' });
    const error = await rejection(wrong.flow.done);
    expect(error.message).not.toContain('not-the-password');
    const missing = login(sb, { flow: 'password', username: sb.demo.username });
    expect((await rejection(missing.flow.done)).code).toBe('usage');
  });

  it('a failing persist ends the flow with its error', async () => {
    const sb = await sandbox();
    await admin(sb, 'PUT', `/oauth/clients/${sb.demo.clientNumericId}`, { client_type: 'confidential' });
    const run = login(
      sb,
      { flow: 'client-credentials' },
      {
        persist: async () => {
          throw new ZchatError('store_locked', 'The token store is busy.');
        },
      },
    );
    expect((await rejection(run.flow.done)).code).toBe('store_locked');
    expect(types(run.events)).toEqual(['exchanging', 'token', 'failed']);
  });
});

describe('startLogin: events and the browser', () => {
  it('replays past events to a late subscriber, survives a throwing listener, and unsubscribes', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    const run = login(sb, { flow: 'code', redirectUri });
    run.flow.subscribe(() => {
      throw new Error('broken view');
    });
    await waitFor(run.events, 'browser');
    const late: FlowEvent[] = [];
    const off = run.flow.subscribe((e) => late.push(e));
    expect(types(late)).toEqual(['listening', 'authorize-url', 'browser']);
    off();
    run.flow.cancel();
    await run.flow.done.catch(() => {});
    expect(types(late)).toEqual(['listening', 'authorize-url', 'browser']);
    expect(run.flow.events.at(-1)).toEqual({ type: 'cancelled' });
  });

  it('openBrowser() opens again; a failing or refusing opener is reported, not fatal', async () => {
    const sb = await sandbox();
    const { redirectUri } = await registerRedirect(sb);
    let calls = 0;
    const flow = startLogin(
      {
        flow: 'code',
        subdomain: 'demo',
        baseUrl: sb.url,
        clientId: sb.demo.clientId,
        clientSecret: sb.demo.clientSecret,
        redirectUri,
        scopes: ['read'],
        timeoutMs: 5000,
      },
      {
        tokenClient: createTokenClient({ baseUrl: sb.url }),
        openBrowser: async () => {
          calls++;
          if (calls === 1) throw new Error('xdg-open exploded');
          return { opened: false, reason: 'SSH session: no browser here' };
        },
      },
    );
    cleanup.push(async () => {
      flow.cancel();
      await flow.done.catch(() => {});
    });
    const events: FlowEvent[] = [];
    flow.subscribe((e) => events.push(e));
    await waitFor(events, 'browser');
    await flow.openBrowser();
    expect(events.filter((e) => e.type === 'browser')).toEqual([
      { type: 'browser', opened: false, reason: 'the browser could not be started' },
      { type: 'browser', opened: false, reason: 'SSH session: no browser here' },
    ]);
    // No persist: done resolves without a profile and no 'stored' event.
    const location = await consent(flow.authorizeUrl!, 'allow');
    await flow.paste(location);
    const result = await flow.done;
    expect(result.profile).toBeUndefined();
    expect(types(events)).not.toContain('stored');
    await flow.openBrowser(); // after the end: nothing happens
    expect(calls).toBe(2);
  });

  it('refuses a redirect URI that is not a URL', async () => {
    const sb = await sandbox();
    const run = login(sb, { flow: 'code', redirectUri: 'not a url' });
    expect((await rejection(run.flow.done)).code).toBe('invalid_redirect_uri');
  });
});
