import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import { authorizeUrl, consentId, decide, demoCodeParams, sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(async () => {
  await sb.close();
});

async function page(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  return { res, text: await res.text() };
}

describe('GET /oauth2/chat/authorizations/new', () => {
  test('serves a consent page with Allow and Deny, posting back to the sandbox, nothing third-party', async () => {
    const { res, text } = await page(authorizeUrl(sb, demoCodeParams(sb)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(text).toContain('<form method="post" action="/oauth2/chat/authorizations">');
    expect(text).toContain('id="allow"');
    expect(text).toContain('id="deny"');
    expect(text).toContain('Tutorial client');
    expect(text).not.toMatch(/(src|href)="https?:/);
  });

  test('an unknown or missing client_id is a 400 page, never a redirect', async () => {
    for (const clientId of ['nope', undefined]) {
      const { res, text } = await page(authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId })));
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(text).toContain('Invalid client');
    }
  });

  test('redirect_uri is optional with one registered URL, exact match otherwise', async () => {
    const ok = await page(authorizeUrl(sb, demoCodeParams(sb, { redirect_uri: 'http://localhost:8080' })));
    expect(ok.res.status).toBe(200);
    for (const wrong of ['http://localhost:8080/', 'http://LOCALHOST:8080', 'http://evil.example']) {
      const bad = await page(authorizeUrl(sb, demoCodeParams(sb, { redirect_uri: wrong })));
      expect(bad.res.status).toBe(400);
      expect(bad.text).toContain('Invalid redirect_uri');
    }
  });

  test('a client with several redirect URLs needs redirect_uri', async () => {
    const params = demoCodeParams(sb, { client_id: sb.demo.multiRedirectClientId });
    const missing = await page(authorizeUrl(sb, params));
    expect(missing.res.status).toBe(400);
    expect(missing.text).toContain('several Redirect URLs');
    const given = await page(authorizeUrl(sb, { ...params, redirect_uri: 'http://127.0.0.1:8765/callback' }));
    expect(given.res.status).toBe(200);
  });

  test('response_type must be code or token', async () => {
    const { res, text } = await page(authorizeUrl(sb, demoCodeParams(sb, { response_type: 'id_token' })));
    expect(res.status).toBe(400);
    expect(text).toContain('Unsupported response_type');
  });

  test('a foreign subdomain is refused; the subdomain parameter itself is optional', async () => {
    const foreign = await page(authorizeUrl(sb, demoCodeParams(sb, { subdomain: 'acme' })));
    expect(foreign.res.status).toBe(400);
    const absent = await page(authorizeUrl(sb, demoCodeParams(sb, { subdomain: undefined })));
    expect(absent.res.status).toBe(200);
  });

  test('a bad or missing scope redirects with invalid_scope (query for code, fragment for token)', async () => {
    for (const scope of ['read admin', undefined, '']) {
      const { res } = await page(authorizeUrl(sb, demoCodeParams(sb, { scope })));
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect(loc.searchParams.get('error')).toBe('invalid_scope');
      expect(loc.searchParams.get('state')).toBe('state-123');
    }
    const implicit = await page(
      authorizeUrl(sb, demoCodeParams(sb, { response_type: 'token', scope: 'root' })),
    );
    const fragment = new URLSearchParams(new URL(implicit.res.headers.get('location')!).hash.slice(1));
    expect(fragment.get('error')).toBe('invalid_scope');
  });

  test('a scope the client was not registered for is refused', async () => {
    const created = await fetch(`${sb.url}/api/v2/chat/oauth/clients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.demo.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'ro', redirect_uris: 'https://app.example/cb', scopes: 'read' }),
    });
    const client = (await created.json()) as { client_identifier: string };
    const { res } = await page(
      authorizeUrl(sb, demoCodeParams(sb, { client_id: client.client_identifier, scope: 'read write' })),
    );
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });

  test('PKCE: only S256 with a well-formed challenge', async () => {
    const plain = await page(authorizeUrl(sb, demoCodeParams(sb, { code_challenge: 'a'.repeat(43) })));
    expect(new URL(plain.res.headers.get('location')!).searchParams.get('error_description')).toContain(
      'S256',
    );
    const short = await page(
      authorizeUrl(sb, demoCodeParams(sb, { code_challenge: 'abc', code_challenge_method: 'S256' })),
    );
    expect(new URL(short.res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const good = await page(
      authorizeUrl(sb, demoCodeParams(sb, { code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })),
    );
    expect(good.res.status).toBe(200);
  });
});

describe('POST /oauth2/chat/authorizations (Allow / Deny)', () => {
  test('Allow in the code flow redirects to redirect_uri?code=...&state=...', async () => {
    const res = await decide(sb, await consentId(sb, demoCodeParams(sb)), 'allow');
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe('http://localhost:8080/');
    expect(loc.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(loc.searchParams.get('state')).toBe('state-123');
    expect(loc.hash).toBe('');
  });

  test('Allow in the implicit flow puts the token in the fragment (a valid token, no refresh token)', async () => {
    const res = await decide(
      sb,
      await consentId(sb, demoCodeParams(sb, { response_type: 'token' })),
      'allow',
    );
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^http:\/\/localhost:8080#access_token=/);
    expect(location).toContain('scope=read%20write');
    const fragment = new URLSearchParams(new URL(location).hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('scope')).toBe('read write');
    expect(fragment.get('state')).toBe('state-123');
    expect(fragment.get('refresh_token')).toBeNull();
    expect(fragment.get('expires_in')).toBeNull();
    const token = fragment.get('access_token')!;
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(sb.isTokenValid(token)).toBe(true);
    expect(sb.stats.tokensIssued.implicit).toBe(1);
  });

  test('a redirect_uri with its own query keeps it', async () => {
    const created = await fetch(`${sb.url}/api/v2/chat/oauth/clients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.demo.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'q', redirect_uris: ['https://app.example/cb?x=1'], scopes: 'read' }),
    });
    const client = (await created.json()) as { client_identifier: string };
    const id = await consentId(
      sb,
      demoCodeParams(sb, { client_id: client.client_identifier, scope: 'read' }),
    );
    const loc = (await decide(sb, id, 'allow')).headers.get('location')!;
    expect(loc).toMatch(/^https:\/\/app\.example\/cb\?x=1&code=/);
  });

  test('Deny sends error=access_denied in the query (code) or the fragment (implicit)', async () => {
    const code = await decide(sb, await consentId(sb, demoCodeParams(sb)), 'deny');
    const q = new URL(code.headers.get('location')!).searchParams;
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('error_description')).toBeTruthy();
    expect(q.get('state')).toBe('state-123');
    const implicit = await decide(
      sb,
      await consentId(sb, demoCodeParams(sb, { response_type: 'token' })),
      'deny',
    );
    const loc = new URL(implicit.headers.get('location')!);
    expect(loc.search).toBe('');
    expect(new URLSearchParams(loc.hash.slice(1)).get('error')).toBe('access_denied');
  });

  test('a consent id works once', async () => {
    const id = await consentId(sb, demoCodeParams(sb));
    expect((await decide(sb, id, 'allow')).status).toBe(302);
    const again = await decide(sb, id, 'allow');
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
    expect((await decide(sb, 'made-up', 'allow')).status).toBe(400);
  });

  test('a decision other than allow/deny is refused', async () => {
    expect((await decide(sb, await consentId(sb, demoCodeParams(sb)), 'maybe')).status).toBe(400);
  });

  test('without state, none is sent back', async () => {
    const res = await decide(sb, await consentId(sb, demoCodeParams(sb, { state: undefined })), 'allow');
    expect(new URL(res.headers.get('location')!).searchParams.has('state')).toBe(false);
  });
});

describe('echoState: false', () => {
  test('leaves state out of every redirect', async () => {
    const quiet = await sandbox({ echoState: false });
    try {
      const allow = await decide(quiet, await consentId(quiet, demoCodeParams(quiet)), 'allow');
      expect(new URL(allow.headers.get('location')!).searchParams.has('state')).toBe(false);
      const implicit = await decide(
        quiet,
        await consentId(quiet, demoCodeParams(quiet, { response_type: 'token' })),
        'deny',
      );
      expect(implicit.headers.get('location')).not.toContain('state=');
      const scope = await fetch(authorizeUrl(quiet, demoCodeParams(quiet, { scope: 'x' })), {
        redirect: 'manual',
      });
      expect(scope.headers.get('location')).not.toContain('state=');
    } finally {
      await quiet.close();
    }
  });
});

describe('scope chat at authorize', () => {
  test('a default client does not allow chat: invalid_scope naming what it allows; a client that allows it may', async () => {
    const res = await fetch(authorizeUrl(sb, demoCodeParams(sb, { scope: 'read write chat' })), {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_description')).toContain('This client allows: read write.');
    sb.setClientScopes(sb.demo.clientId, ['read', 'write', 'chat']);
    const ok = await page(authorizeUrl(sb, demoCodeParams(sb, { scope: 'read write chat' })));
    expect(ok.res.status).toBe(200);
  });
});

describe('implicitIn: query', () => {
  test('the implicit token (and state, and a denial) ride in the query, not the fragment', async () => {
    const inQuery = await sandbox({ implicitIn: 'query' });
    try {
      const params = demoCodeParams(inQuery, { response_type: 'token' });
      const allow = await decide(inQuery, await consentId(inQuery, params), 'allow');
      const location = new URL(allow.headers.get('location')!);
      expect(location.hash).toBe('');
      expect(location.searchParams.get('token_type')).toBe('Bearer');
      expect(location.searchParams.get('state')).toBe('state-123');
      expect(inQuery.isTokenValid(location.searchParams.get('access_token')!)).toBe(true);
      const deny = await decide(inQuery, await consentId(inQuery, params), 'deny');
      expect(new URL(deny.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
      // The code flow is unchanged.
      const code = await decide(inQuery, await consentId(inQuery, demoCodeParams(inQuery)), 'allow');
      expect(new URL(code.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    } finally {
      await inQuery.close();
    }
  });

  test('by default the implicit token rides in the fragment', async () => {
    const allow = await decide(
      sb,
      await consentId(sb, demoCodeParams(sb, { response_type: 'token' })),
      'allow',
    );
    const location = new URL(allow.headers.get('location')!);
    expect(location.search).toBe('');
    expect(new URLSearchParams(location.hash.slice(1)).get('access_token')).toBeTruthy();
  });
});

describe('other routes', () => {
  test('GET / is a small page; unknown paths are JSON 404', async () => {
    const index = await fetch(`${sb.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain(sb.url);
    const missing = await fetch(`${sb.url}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Not Found' });
  });

  test('every request is recorded with its status', async () => {
    await fetch(`${sb.url}/nothing?secret=1`);
    expect(sb.stats.requests).toEqual([{ method: 'GET', path: '/nothing', status: 404 }]);
  });
});
