/**
 * The loopback pages in a real headless Chromium: the implicit capture page must run under its own strict
 * CSP, post the fragment, and wipe the token from the address bar. Skipped only when no Chromium is
 * installed (the e2e setup installs Debian's `chromium`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoginOptions, startLogin } from '../../../source/core/oauth/login-flow.js';
import type { FlowEvent } from '../../../source/core/oauth/types.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { launchChromium } from '../../e2e/helpers/chromium.js';
import { freePort } from './http-helper.js';

// Never skipped: without Chromium, launchChromium fails with a sentence naming it.
describe('loopback pages in Chromium', () => {
  let browser: Browser;
  let sb: Sandbox;
  let shared: Sandbox;
  beforeAll(async () => {
    browser = await launchChromium();
    sb = await startSandbox({ quiet: true });
    shared = sb;
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await sb?.close();
  });

  async function setup(
    flow: LoginOptions['flow'],
    persist?: () => Promise<string>,
    o: { sandbox?: Sandbox; options?: Partial<LoginOptions> } = {},
  ) {
    const sb = o.sandbox ?? shared;
    const port = await freePort();
    const redirectUri = `http://localhost:${port}`;
    const put = await fetch(`${sb.url}/api/v2/chat/oauth/clients/${sb.demo.clientNumericId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${sb.demo.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirectUri] }),
    });
    expect(put.status).toBe(200);
    const events: FlowEvent[] = [];
    const login = startLogin(
      {
        flow,
        subdomain: 'demo',
        baseUrl: sb.url,
        clientId: sb.demo.clientId,
        clientSecret: sb.demo.clientSecret,
        redirectUri,
        scopes: ['read', 'write'],
        timeoutMs: 15_000,
        ...o.options,
      },
      { tokenClient: createTokenClient({ baseUrl: sb.url }), ...(persist ? { persist } : {}) },
    );
    login.subscribe((e) => events.push(e));
    for (let i = 0; i < 200 && !login.authorizeUrl; i++) await new Promise((r) => setTimeout(r, 5));
    return { login, events, port };
  }

  it('implicit: Allow, the page posts the fragment under its CSP and clears the address bar', async () => {
    const { login, events } = await setup('implicit');
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    try {
      await page.goto(login.authorizeUrl!);
      await page.click('#allow');
      // The page starts as "Finishing the login…"; the script turns it to "Signed in" after the post.
      await page.locator('#title', { hasText: 'Signed in' }).waitFor({ timeout: 10_000 });
      const { token } = await login.done;
      expect(sb.isTokenValid(token.accessToken)).toBe(true);
      expect(token.grant).toBe('implicit');
      expect(page.url()).not.toContain('#');
      expect(page.url()).not.toContain(token.accessToken);
      expect(await page.textContent('#message')).toContain(
        'You can close this tab and return to the terminal',
      );
      expect(violations).toEqual([]);
      const accepted = events.filter((e) => e.type === 'request-accepted');
      expect(accepted.map((e) => e.type === 'request-accepted' && e.request.method)).toEqual(['GET', 'POST']);
    } finally {
      await page.close();
      login.cancel();
      await login.done.catch(() => {});
    }
  });

  it('implicit with the token in the query string: the page reads it there, posts it and clears it', async () => {
    const { login } = await setup('implicit');
    // Allow without a browser, to get the redirect; then the query form a server may send instead.
    const consentPage = await (await fetch(login.authorizeUrl!)).text();
    const id = /name="consent_id" value="([^"]+)"/.exec(consentPage)![1]!;
    const allowed = await fetch(new URL('/oauth2/chat/authorizations', login.authorizeUrl!), {
      method: 'POST',
      body: new URLSearchParams({ consent_id: id, decision: 'allow' }),
      redirect: 'manual',
    });
    const location = new URL(allowed.headers.get('location')!);
    const inQuery = `${location.origin}${location.pathname}?${location.hash.slice(1)}`;
    const page = await browser.newPage();
    try {
      await page.goto(inQuery);
      await page.locator('#title', { hasText: 'Signed in' }).waitFor({ timeout: 10_000 });
      const { token } = await login.done;
      expect(token.grant).toBe('implicit');
      expect(sb.isTokenValid(token.accessToken)).toBe(true);
      expect(page.url()).not.toContain('access_token');
    } finally {
      await page.close();
      login.cancel();
      await login.done.catch(() => {});
    }
  });

  it('a redirect without the state: the page says the terminal is asking, and y there finishes the login', async () => {
    const stateless = await startSandbox({ quiet: true, echoState: false });
    const { login, events } = await setup('code', undefined, {
      sandbox: stateless,
      options: { missingState: 'ask' },
    });
    const page = await browser.newPage();
    try {
      await page.goto(login.authorizeUrl!);
      await page.click('#allow');
      await page.locator('#title', { hasText: 'Confirm in the terminal' }).waitFor({ timeout: 10_000 });
      expect(await page.textContent('#message')).toContain(
        'The terminal is asking whether you just pressed Allow: answer y or n there.',
      );
      for (let i = 0; i < 200 && !events.some((e) => e.type === 'state-missing'); i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      login.confirmMissingState(true);
      const { token } = await login.done;
      expect(stateless.isTokenValid(token.accessToken)).toBe(true);
    } finally {
      await page.close();
      login.cancel();
      await login.done.catch(() => {});
      await stateless.close();
    }
  });

  it('code: Allow lands on the friendly page; a reload says already done', async () => {
    // Hold the flow open in "persist" so the server is still there for the reload (it closes with the flow).
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { login, events } = await setup('code', async () => {
      await gate;
      return 'demo';
    });
    const page = await browser.newPage();
    try {
      await page.goto(login.authorizeUrl!);
      // The redirect's page is held until the token is stored: a reload meanwhile is "already done".
      const [redirect] = await Promise.all([
        page.waitForRequest(/code=/),
        page.click('#allow', { noWaitAfter: true }),
      ]);
      for (let i = 0; i < 400 && !events.some((e) => e.type === 'token'); i++)
        await new Promise((r) => setTimeout(r, 10));
      const again = await fetch(redirect.url());
      expect(await again.text()).toContain('<h1 id="title">Already done</h1>');
      release();
      await page.waitForURL(/code=/);
      expect(await page.textContent('h1')).toBe('Signed in');
      const { token } = await login.done;
      // Once the flow is over the port is closed: a further reload finds nobody.
      await expect(page.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
      expect(sb.isTokenValid(token.accessToken)).toBe(true);
      expect(sb.stats.tokensIssued.authorization_code).toBe(1);
    } finally {
      await page.close();
      login.cancel();
      await login.done.catch(() => {});
    }
  });

  it('a page on another origin cannot post to the capture endpoint', async () => {
    const { login, events, port } = await setup('implicit');
    const page = await browser.newPage();
    let cleanupEvil = async () => {};
    try {
      // A stand-in for a malicious site, on another loopback origin.
      const evil = http.createServer((_req, res) => {
        res.setHeader('Content-Type', 'text/html');
        res.end('<!doctype html><title>evil</title>');
      });
      await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
      cleanupEvil = () => new Promise((r) => evil.close(() => r()));
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const outcome = await page.evaluate(async (target) => {
        const results: string[] = [];
        const body = JSON.stringify({ fragment: 'access_token=forged1234&state=x', state: 'x' });
        try {
          const r = await fetch(target, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
          });
          results.push(String(r.status));
        } catch {
          results.push('blocked');
        }
        // A "simple" request skips the preflight: it reaches the server, which must refuse it (and its
        // Cross-Origin-Resource-Policy makes the browser drop even the opaque answer).
        try {
          await fetch(target, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'Content-Type': 'text/plain' },
            body,
          });
          results.push('answered');
        } catch {
          results.push('blocked');
        }
        return results;
      }, `http://localhost:${port}/__zchat_auth/capture`);
      expect(outcome).toEqual(['blocked', 'blocked']);
      for (
        let i = 0;
        i < 100 && !events.some((e) => e.type === 'request-ignored' && e.request.method === 'POST');
        i++
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const refused = events.filter((e) => e.type === 'request-ignored');
      const reasons = refused.map(
        (e) => e.type === 'request-ignored' && `${e.request.method} ${e.request.reason}`,
      );
      // The JSON post needs a preflight, which is refused; the simple post arrives and is refused.
      expect(reasons).toEqual(['OPTIONS method not allowed', 'POST cross-origin post']);
      expect(refused.every((e) => e.type === 'request-ignored' && e.request.verdict === 'rejected')).toBe(
        true,
      );
      expect(events.some((e) => e.type === 'callback')).toBe(false);
    } finally {
      await cleanupEvil();
      await page.close();
      login.cancel();
      await login.done.catch(() => {});
    }
  });
});
