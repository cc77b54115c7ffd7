import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import { authorizeUrl, demoCodeParams, exchange, json, sandbox, target } from './helpers.js';

let sb: Sandbox;
let tgt: Awaited<ReturnType<typeof target>>;
let redirectUri: string;
let clientId: string;

beforeEach(async () => {
  sb = await sandbox({ autoApprove: true });
  tgt = await target();
  redirectUri = `http://127.0.0.1:${tgt.port}/callback`;
  // A client whose redirect URI is the test's own listener.
  const res = await json(sb, '/oauth/clients', sb.demo.adminToken, 'POST', {
    name: 'Loopback',
    redirect_uris: [redirectUri],
    scopes: 'read write',
  });
  clientId = ((await res.json()) as { client_identifier: string }).client_identifier;
});
afterEach(async () => {
  await sb.close();
  await tgt.close();
});

describe('autoApprove', () => {
  test('code flow: the sandbox itself GETs redirect_uri?code=...&state=... and says so', async () => {
    const res = await fetch(authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId, state: 's1' })));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Approved automatically');
    expect(page).toContain('answered 200');
    expect(tgt.seen).toHaveLength(1);
    const hit = tgt.seen[0]!;
    expect(hit.method).toBe('GET');
    const url = new URL(hit.url, redirectUri);
    expect(url.pathname).toBe('/callback');
    expect(url.searchParams.get('state')).toBe('s1');
    const code = url.searchParams.get('code')!;
    expect(page).not.toContain(code);
    expect(hit.headers.host).toBe(`127.0.0.1:${tgt.port}`);
    // The code is real.
    const { status } = await exchange(sb, code, { client_id: clientId, redirect_uri: redirectUri });
    expect(status).toBe(401); // public client without the secret and no PKCE
  });

  test('implicit: POSTs the fragment as JSON to <origin>/__zchat_auth/capture with Origin', async () => {
    const res = await fetch(
      authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId, response_type: 'token', state: 's2' })),
    );
    expect(res.status).toBe(200);
    expect(tgt.seen).toHaveLength(1);
    const hit = tgt.seen[0]!;
    expect(hit.method).toBe('POST');
    expect(hit.url).toBe('/__zchat_auth/capture');
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers.origin).toBe(`http://127.0.0.1:${tgt.port}`);
    const body = JSON.parse(hit.body) as { fragment: string; state: string };
    expect(body.state).toBe('s2');
    const fragment = new URLSearchParams(body.fragment);
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('scope')).toBe('read write');
    expect(fragment.get('state')).toBe('s2');
    expect(body.fragment).toMatch(
      /^access_token=[A-Za-z0-9]{64}&token_type=Bearer&scope=read%20write&state=s2$/,
    );
    expect(sb.isTokenValid(fragment.get('access_token')!)).toBe(true);
  });

  test('implicit without echoed state sends state "" as the capture page would', async () => {
    const quiet = await sandbox({ autoApprove: true, echoState: false });
    try {
      const res = await json(quiet, '/oauth/clients', quiet.demo.adminToken, 'POST', {
        name: 'L',
        redirect_uris: redirectUri,
        scopes: 'read',
      });
      const id = ((await res.json()) as { client_identifier: string }).client_identifier;
      await fetch(
        authorizeUrl(quiet, { response_type: 'token', client_id: id, scope: 'read', state: 'kept-back' }),
      );
      const body = JSON.parse(tgt.seen[0]!.body) as { fragment: string; state: string };
      expect(body.state).toBe('');
      expect(body.fragment).not.toContain('state=');
    } finally {
      await quiet.close();
    }
  });

  test('implicitIn: query GETs redirect_uri?access_token=... as a browser would, nothing posted', async () => {
    const inQuery = await sandbox({ autoApprove: true, implicitIn: 'query' });
    try {
      const res = await json(inQuery, '/oauth/clients', inQuery.demo.adminToken, 'POST', {
        name: 'L',
        redirect_uris: redirectUri,
      });
      const id = ((await res.json()) as { client_identifier: string }).client_identifier;
      await fetch(
        authorizeUrl(inQuery, { response_type: 'token', client_id: id, scope: 'read', state: 's3' }),
      );
      expect(tgt.seen).toHaveLength(1);
      const hit = tgt.seen[0]!;
      expect(hit.method).toBe('GET');
      const url = new URL(hit.url, redirectUri);
      expect(url.searchParams.get('state')).toBe('s3');
      expect(inQuery.isTokenValid(url.searchParams.get('access_token')!)).toBe(true);
    } finally {
      await inQuery.close();
    }
  });

  test('a redirect target that refuses, or is not there, gives a 502 page', async () => {
    const refusing = await target(400);
    try {
      const uri = `http://127.0.0.1:${refusing.port}/cb`;
      await json(sb, `/oauth/clients/${sb.demo.clientNumericId}`, sb.demo.adminToken, 'PUT', {
        redirect_uris: [uri],
      });
      const res = await fetch(authorizeUrl(sb, demoCodeParams(sb)));
      expect(res.status).toBe(502);
      expect(await res.text()).toContain('answered 400');
    } finally {
      await refusing.close();
    }
    const res = await fetch(authorizeUrl(sb, demoCodeParams(sb)));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('Could not reach the redirect target');
  });

  test('request errors are still a 400 page, with nothing sent', async () => {
    const res = await fetch(
      authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId, redirect_uri: 'http://x' })),
    );
    expect(res.status).toBe(400);
    // A HEAD (a link preview, say) never approves anything.
    const head = await fetch(authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId })), {
      method: 'HEAD',
    });
    expect(head.status).toBe(404);
    expect(tgt.seen).toHaveLength(0);
  });

  test('setAutoApprove(false) brings the consent page back, and true turns it on again', async () => {
    sb.setAutoApprove(false);
    const page = await (await fetch(authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId })))).text();
    expect(page).toContain('id="allow"');
    expect(tgt.seen).toHaveLength(0);
    sb.setAutoApprove(true);
    await fetch(authorizeUrl(sb, demoCodeParams(sb, { client_id: clientId })));
    expect(tgt.seen).toHaveLength(1);
  });
});
