import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import {
  capturePath,
  isLoopbackRedirect,
  type LoopbackServer,
  loopbackTarget,
  maxCaptureBytes,
  startLoopbackServer,
} from '../../../source/core/oauth/loopback-server.js';
import type { SeenRequest } from '../../../source/core/oauth/types.js';
import { canBind, freePort, hit } from './http-helper.js';

const state = 'S7ate_abcdefghijklmnopqrstuvwxyz0123456789';
const open: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(
  mode: 'code' | 'implicit',
  redirectUri = 'http://localhost:0',
  extra: { requestTimeoutMs?: number } = {},
): Promise<{ server: LoopbackServer; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = await startLoopbackServer({
    redirectUri,
    state,
    mode,
    onRequest: (r) => seen.push(r),
    ...extra,
  });
  open.push(server);
  return { server, seen };
}

/** Whether a promise is still pending after the event loop has had a turn. */
async function pending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([
    p.then(
      () => 'settled',
      () => 'settled',
    ),
    new Promise((r) => setTimeout(() => r(marker), 20)),
  ]);
  return winner === marker;
}

function capture(port: number, body: unknown, headers: Record<string, string> = {}) {
  return hit(port, capturePath, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: `http://localhost:${port}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('loopbackTarget', () => {
  it('accepts http loopback redirect URIs and reads port and path', () => {
    expect(loopbackTarget('http://localhost:8080')).toEqual({ port: 8080, path: '/' });
    expect(loopbackTarget('http://127.0.0.1:9000/cb')).toEqual({ port: 9000, path: '/cb' });
    expect(loopbackTarget('http://[::1]/x/y')).toEqual({ port: 80, path: '/x/y' });
    expect(isLoopbackRedirect('http://LOCALHOST:8080/')).toBe(true);
  });

  it('refuses https, other hosts and non-URLs with invalid_redirect_uri', () => {
    for (const uri of [
      'https://localhost:8080',
      'http://example.com/cb',
      'http://localhost.evil.com',
      'nope',
    ]) {
      expect(isLoopbackRedirect(uri)).toBe(false);
      expect(() => loopbackTarget(uri)).toThrow(ZchatError);
      try {
        loopbackTarget(uri);
      } catch (error) {
        expect((error as ZchatError).code).toBe('invalid_redirect_uri');
      }
    }
  });
});

describe('startLoopbackServer: listening', () => {
  it('listens on 127.0.0.1 and ::1 on one port and puts the real port in the redirect URI', async () => {
    const { server } = await start('code', 'http://localhost:0/callback');
    expect(server.port).toBeGreaterThan(0);
    expect(server.redirectUri).toBe(`http://localhost:${server.port}/callback`);
    expect(server.addresses).toEqual([`127.0.0.1:${server.port}`, `[::1]:${server.port}`]);
    expect(await canBind(server.port, '127.0.0.1')).toBe(false);
    expect(await canBind(server.port, '::1')).toBe(false);
  });

  it('keeps a redirect URI with a real port exactly as given', async () => {
    const port = await freePort();
    const { server } = await start('code', `http://localhost:${port}`);
    expect(server.port).toBe(port);
    expect(server.redirectUri).toBe(`http://localhost:${port}`);
  });

  it('fails fast with port_busy naming the port when it is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port: 0, host: '127.0.0.1' }, r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const error = await startLoopbackServer({
        redirectUri: `http://localhost:${port}`,
        state,
        mode: 'code',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ZchatError);
      expect((error as ZchatError).code).toBe('port_busy');
      expect((error as ZchatError).message).toContain(`Port ${port} is already in use`);
      expect((error as ZchatError).hint).toMatch(/redirect URI/);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('is port_busy too when only ::1 is taken (the browser may go there)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port: 0, host: '::1' }, r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startLoopbackServer({ redirectUri: `http://localhost:${port}`, state, mode: 'code' }),
      ).rejects.toMatchObject({ code: 'port_busy' });
      // and it let go of 127.0.0.1 again
      expect(await canBind(port)).toBe(true);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('close() frees the port at once, even with a kept-alive connection, and is idempotent', async () => {
    const { server } = await start('code');
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET /favicon.ico HTTP/1.1\r\nHost: localhost:${server.port}\r\n\r\n`);
    await new Promise((r) => socket.once('data', r));
    const closed = new Promise((r) => socket.once('close', r));
    const t0 = Date.now();
    await server.close();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await canBind(server.port)).toBe(true);
    expect(await canBind(server.port, '::1')).toBe(true);
    await closed;
    await expect(server.result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('close() does not wait for a request still in progress', async () => {
    const { server } = await start('implicit');
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.on('error', () => {});
    // Headers done, body promised but never sent: the request stays active.
    socket.write(
      `POST ${capturePath} HTTP/1.1\r\nHost: localhost:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await canBind(server.port)).toBe(true);
  });

  it('cuts off a request that is too slow', async () => {
    const { server } = await start('code', 'http://localhost:0', { requestTimeoutMs: 300 });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET / HTTP/1.1\r\nHost: localhost:${server.port}\r\n`); // never finishes the headers
    socket.on('data', () => {});
    const t0 = Date.now();
    await new Promise((r) => socket.once('close', r));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await pending(server.result)).toBe(true);
  });
});

describe('startLoopbackServer: code mode', () => {
  it('accepts the right state once, with safe headers, and masks the code in what it reports', async () => {
    const { server, seen } = await start('code');
    const res = await hit(server.port, `/?code=secretcode123&state=${state}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('You can close this tab and return to the terminal');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toContain('script-src');
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(res.body).not.toMatch(/(src|href)=["']?https?:/);
    await expect(server.result).resolves.toEqual({ kind: 'code', code: 'secretcode123', state });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', status: 200, verdict: 'accepted' });
    expect(seen[0]!.path).not.toContain('secretcode123');
    expect(seen[0]!.path).toMatch(/^\/\?code=/);

    // a reload: already done, and nothing new taken
    const again = await hit(server.port, `/?code=othercode456&state=${state}`);
    expect(again.status).toBe(200);
    expect(again.body).toContain('already received its answer');
    expect(seen[1]).toMatchObject({ verdict: 'ignored', reason: 'already done' });
    await expect(server.result).resolves.toMatchObject({ code: 'secretcode123' });
  });

  it('answers over IPv6 with a [::1] Host', async () => {
    const { server } = await start('code');
    const res = await hit(server.port, `/?code=v6code&state=${state}`, {
      address: '::1',
      headers: { Host: `[::1]:${server.port}` },
    });
    expect(res.status).toBe(200);
    await expect(server.result).resolves.toMatchObject({ code: 'v6code' });
  });

  it('refuses foreign Host headers (DNS rebinding) and keeps waiting', async () => {
    const { server, seen } = await start('code');
    const p = server.port;
    for (const host of [
      `evil.example:${p}`,
      `localhost:${p + 1}`,
      'localhost',
      `127.0.0.2:${p}`,
      `localhost.:${p}`,
    ]) {
      const res = await hit(p, `/?code=abcd&state=${state}`, { headers: { Host: host } });
      expect(res.status, host).toBe(400);
      expect(res.body).not.toContain('abcd');
    }
    expect(seen.every((s) => s.verdict === 'rejected' && s.reason === 'foreign Host header')).toBe(true);
    expect(await pending(server.result)).toBe(true);
    const ok = await hit(p, `/?code=good&state=${state}`, { headers: { Host: `127.0.0.1:${p}` } });
    expect(ok.status).toBe(200);
    await expect(server.result).resolves.toMatchObject({ code: 'good' });
  });

  it('refuses a request without a Host header', async () => {
    const { server } = await start('code');
    const socket = net.connect(server.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => {
        text += d;
      });
      socket.on('close', () => resolve(text));
      socket.write(`GET /?code=abcd&state=${state} HTTP/1.0\r\n\r\n`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(await pending(server.result)).toBe(true);
  });

  it('404s the favicon and stray paths without ending the flow', async () => {
    const { server, seen } = await start('code', 'http://localhost:0/callback');
    expect((await hit(server.port, '/favicon.ico')).status).toBe(404);
    expect((await hit(server.port, `/?code=abcd&state=${state}`)).status).toBe(404);
    expect((await hit(server.port, `/callback/extra?code=abcd&state=${state}`)).status).toBe(404);
    expect((await hit(server.port, capturePath, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(seen.map((s) => s.reason)).toEqual([
      'favicon',
      'not the redirect path',
      'not the redirect path',
      'not the redirect path',
    ]);
    expect(seen.every((s) => s.verdict === 'ignored')).toBe(true);
    expect(await pending(server.result)).toBe(true);
    expect((await hit(server.port, `/callback?code=abcd&state=${state}`)).status).toBe(200);
    await expect(server.result).resolves.toMatchObject({ code: 'abcd' });
  });

  it('400s a wrong or missing state and keeps waiting', async () => {
    const { server, seen } = await start('code');
    const wrong = await hit(server.port, '/?code=abcd&state=not-the-state');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('does not belong to the login');
    expect((await hit(server.port, '/?code=abcd')).status).toBe(400);
    expect((await hit(server.port, `/?code=abcd&state=${state}x`)).status).toBe(400);
    expect(seen.map((s) => s.reason)).toEqual(['wrong state', 'missing state', 'wrong state']);
    expect(await pending(server.result)).toBe(true);
    // a right state but nothing to take
    expect((await hit(server.port, `/?state=${state}`)).status).toBe(400);
    expect(await pending(server.result)).toBe(true);
    expect((await hit(server.port, `/?code=abcd&state=${state}`)).status).toBe(200);
  });

  it('ends with the OAuth error when the user denied (right state)', async () => {
    const { server } = await start('code');
    const res = await hit(
      server.port,
      `/?error=access_denied&error_description=The+user+said+no&state=${state}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('You pressed Deny');
    await expect(server.result).resolves.toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'The user said no',
      state,
    });
  });

  it('shows other OAuth errors escaped', async () => {
    const { server } = await start('code');
    const res = await hit(
      server.port,
      `/?error=invalid_scope&error_description=%3Cb%3Ebad%3C%2Fb%3E&state=${state}`,
    );
    expect(res.body).toContain('&lt;b&gt;bad&lt;/b&gt;');
    expect(res.body).not.toContain('<b>bad');
    await expect(server.result).resolves.toMatchObject({ kind: 'error', error: 'invalid_scope' });
  });

  it('refuses other methods on the redirect path', async () => {
    const { server, seen } = await start('code');
    const res = await hit(server.port, `/?code=abcd&state=${state}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(seen[0]).toMatchObject({ verdict: 'rejected', reason: 'method not allowed' });
    const head = await hit(server.port, `/?code=abcd&state=${state}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('startLoopbackServer: implicit mode', () => {
  const fragment = (s = state) =>
    `access_token=tok_implicit_1234&token_type=Bearer&scope=read%20write&state=${s}`;

  it('serves a capture page with a nonce-allowed inline script and a strict CSP', async () => {
    const { server, seen } = await start('implicit');
    const res = await hit(server.port, '/');
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(res.body).toContain(`<script nonce="${nonce}">`);
    expect(res.body).toContain('location.hash');
    expect(res.body).toContain(`"${capturePath}"`);
    expect(res.body).toContain("credentials: 'omit'");
    expect(res.body).toContain('history.replaceState');
    expect(res.body).toContain('<noscript>');
    expect(res.body).not.toMatch(/(src|href)=["']?https?:/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    // a fresh nonce each time
    const again = await hit(server.port, '/');
    expect(again.headers['content-security-policy']).not.toBe(csp);
    expect(seen[0]).toMatchObject({ verdict: 'accepted', reason: 'capture page' });
    expect(await pending(server.result)).toBe(true);
  });

  it('takes the token posted the way the page posts it, once', async () => {
    const { server, seen } = await start('implicit');
    const res = await capture(server.port, { fragment: fragment(), state });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, clear: true, title: 'Signed in' });
    await expect(server.result).resolves.toEqual({
      kind: 'token',
      accessToken: 'tok_implicit_1234',
      tokenType: 'Bearer',
      scope: 'read write',
      state,
    });
    expect(seen[0]).toMatchObject({ method: 'POST', path: capturePath, verdict: 'accepted' });
    const second = await capture(server.port, { fragment: `#${fragment()}`, state });
    expect(second.status).toBe(409);
    expect(JSON.parse(second.body)).toMatchObject({ clear: true, title: 'Already done' });
  });

  it('accepts a post without Origin (non-browser clients) but refuses a foreign or null Origin', async () => {
    const { server, seen } = await start('implicit');
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${server.port}`,
      'null',
      `https://localhost:${server.port}`,
    ]) {
      const res = await capture(server.port, { fragment: fragment(), state }, { Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, clear: false });
    }
    const site = await capture(
      server.port,
      { fragment: fragment(), state },
      { 'Sec-Fetch-Site': 'cross-site' },
    );
    expect(site.status).toBe(403);
    expect(seen.every((s) => s.verdict === 'rejected')).toBe(true);
    expect(await pending(server.result)).toBe(true);
    const ok = await hit(server.port, capturePath, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ fragment: fragment(), state }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses the wrong content type, a foreign Host, a GET, bad JSON and oversize bodies', async () => {
    const { server } = await start('implicit');
    const body = JSON.stringify({ fragment: fragment(), state });
    expect((await capture(server.port, body, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect(
      (await capture(server.port, body, { 'Content-Type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    expect((await capture(server.port, body, { Host: `evil.example:${server.port}` })).status).toBe(400);
    expect((await hit(server.port, capturePath)).status).toBe(405);
    expect((await capture(server.port, '{not json')).status).toBe(400);
    expect((await capture(server.port, { fragment: 42, state })).status).toBe(400);
    expect((await capture(server.port, '[]')).status).toBe(400);
    const big = { fragment: `${fragment()}&pad=${'x'.repeat(maxCaptureBytes)}`, state };
    const tooBig = await capture(server.port, big);
    expect(tooBig.status).toBe(413);
    expect(await pending(server.result)).toBe(true);
    expect((await capture(server.port, body)).status).toBe(200);
  });

  it('413s an oversize body sent without a Content-Length (chunked)', async () => {
    const { server, seen } = await start('implicit');
    const res = await capture(
      server.port,
      { fragment: `${fragment()}&pad=${'x'.repeat(maxCaptureBytes)}`, state },
      { 'Transfer-Encoding': 'chunked' },
    );
    expect(res.status).toBe(413);
    expect(seen[0]).toMatchObject({ verdict: 'rejected', reason: 'body too large' });
    expect(await pending(server.result)).toBe(true);
  });

  it('drops the connection for a body far over the limit', async () => {
    const { server } = await start('implicit');
    const error = await capture(server.port, { fragment: 'x'.repeat(2 * 1024 * 1024), state }).then(
      (r) => r.status,
      (e: NodeJS.ErrnoException) => e.code,
    );
    expect(['ECONNRESET', 'EPIPE', 413]).toContain(error);
    expect(await pending(server.result)).toBe(true);
  });

  it('checks both the posted state and the state inside the fragment', async () => {
    const { server, seen } = await start('implicit');
    expect((await capture(server.port, { fragment: fragment(), state: 'wrong' })).status).toBe(400);
    expect((await capture(server.port, { fragment: fragment('wrong'), state })).status).toBe(400);
    expect((await capture(server.port, { fragment: 'access_token=abcd1234', state })).status).toBe(400);
    const noToken = await capture(server.port, { fragment: `code=abcd&state=${state}`, state });
    expect(noToken.status).toBe(400);
    expect(JSON.parse(noToken.body)).toMatchObject({ ok: false, clear: false });
    expect(seen.map((s) => s.reason)).toEqual([
      'wrong state',
      'wrong state',
      'missing state',
      'no token in the redirect',
    ]);
    expect(await pending(server.result)).toBe(true);
  });

  it('ends with access_denied from a fragment or from the query', async () => {
    const a = await start('implicit');
    const res = await capture(a.server.port, { fragment: `error=access_denied&state=${state}`, state });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, clear: true, title: 'Login denied' });
    await expect(a.server.result).resolves.toMatchObject({ kind: 'error', error: 'access_denied' });

    const b = await start('implicit');
    const page = await hit(b.server.port, `/?error=access_denied&state=${state}`);
    expect(page.body).toContain('You pressed Deny');
    await expect(b.server.result).resolves.toMatchObject({ kind: 'error', error: 'access_denied' });
  });
});
