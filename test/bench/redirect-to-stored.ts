/**
 * Redirect received → token stored, on loopback against the sandbox: the login flow as the product runs it
 * (loopback server, code exchange over HTTP, a locked save to a real store). The clock starts when the
 * browser's redirect is sent to the loopback server and stops at the flow's `stored` event.
 */
import { performance } from 'node:perf_hooks';
import { startLogin } from '../../source/core/oauth/login-flow.js';
import { tokenToStored } from '../../source/core/profile-actions.js';
import type { TokenStore } from '../../source/core/store/types.js';
import { createTokenClient } from '../../source/core/zendesk/token-client.js';
import type { Sandbox } from '../../source/sandbox/types.js';

/** Presses Allow on the sandbox's consent page over HTTP and returns the redirect it answers with. */
async function allow(authorizeUrl: string): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  if (!consentId) throw new Error(`no consent form in the sandbox page (status ${page.status})`);
  const action = new URL('/oauth2/chat/authorizations', authorizeUrl);
  const answer = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision: 'allow' }),
  });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`the sandbox did not redirect (status ${answer.status})`);
  return location;
}

export async function redirectToStored(
  sandbox: Sandbox,
  store: TokenStore,
  redirectUri: string,
): Promise<number> {
  const tokenClient = createTokenClient({ baseUrl: sandbox.url });
  const flow = startLogin(
    {
      flow: 'code',
      subdomain: sandbox.demo.subdomain,
      baseUrl: sandbox.url,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri,
      scopes: ['read', 'write'],
      timeoutMs: 30_000,
    },
    {
      tokenClient,
      persist: async (token) => {
        const saved = await store.save({
          name: 'bench',
          subdomain: sandbox.demo.subdomain,
          baseUrl: sandbox.url,
          clientId: sandbox.demo.clientId,
          clientSecret: sandbox.demo.clientSecret,
          redirectUri: flow.redirectUri,
          scopes: ['read', 'write'],
          flow: 'code',
          token: tokenToStored(token),
        });
        return saved.name;
      },
    },
  );
  const url = await new Promise<string>((resolve) =>
    flow.subscribe((e) => {
      if (e.type === 'authorize-url') resolve(e.url);
    }),
  );
  const redirect = await allow(url);
  let storedAt = 0;
  flow.subscribe((e) => {
    if (e.type === 'stored') storedAt = performance.now();
  });
  const sentAt = performance.now();
  const hit = await fetch(redirect);
  await hit.text();
  await flow.done;
  return storedAt - sentAt;
}
