/** The login plan: flags, then the environment, then the stored profile, then the defaults (real store). */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  DEFAULT_REDIRECT_URI,
  DEFAULT_SCOPES,
  DEFAULT_TIMEOUT_MS,
  type LoginRequest,
  planLogin,
} from '../../../source/core/login/index.js';
import { openStore } from '../../../source/core/store/store.js';
import type { Profile, TokenStore } from '../../../source/core/store/types.js';
import { removeDir, sampleProfile, tempDir } from '../store/helpers.js';

let dir: string;
let store: TokenStore;
beforeEach(() => {
  dir = tempDir();
  store = openStore({ dir });
});
afterEach(() => removeDir(dir));

const plan = (request: LoginRequest, env: NodeJS.ProcessEnv = {}, sandboxUrl?: string) =>
  planLogin({ request, env, store, ...(sandboxUrl ? { sandboxUrl } : {}) });

const save = (name: string, extra: Partial<Profile> = {}) => store.save(sampleProfile(name, extra));

describe('planLogin', () => {
  test('nothing stored, nothing given: the subdomain and client ID are missing, the defaults prefilled', () => {
    const planned = plan({});
    expect(planned.ready).toBe(false);
    expect(planned.draft.missing).toEqual(['subdomain', 'clientId', 'clientSecret']);
    expect(planned.draft.values).toMatchObject({
      flow: 'code',
      scopes: DEFAULT_SCOPES,
      redirectUri: DEFAULT_REDIRECT_URI,
      profile: '',
    });
  });

  test('flags and the environment complete it: the defaults, one scope order, the subdomain as profile', () => {
    const planned = plan(
      { subdomain: 'acme', clientId: 'cid', scopes: ['chat', 'read'] },
      { ZENDESK_CHAT_CLIENT_SECRET: 's3cret' },
    );
    if (!planned.ready) throw new Error(`missing ${planned.draft.missing}`);
    expect(planned.plan.options).toEqual({
      flow: 'code',
      subdomain: 'acme',
      baseUrl: 'https://acme.zendesk.com',
      clientId: 'cid',
      clientSecret: 's3cret',
      redirectUri: DEFAULT_REDIRECT_URI,
      scopes: ['read', 'chat'],
      timeoutMs: DEFAULT_TIMEOUT_MS,
      usePkce: true,
    });
    expect(planned.plan.profile).toBe('acme');
    expect(planned.plan.record).not.toHaveProperty('baseUrl');
  });

  test.each([
    ['the stored base URL, for its own subdomain', { profile: 'p' }, {}, 'http://127.0.0.1:9'],
    ['not for another subdomain', { profile: 'p', subdomain: 'other' }, {}, 'https://other.zendesk.com'],
    [
      '--base-url wins, normalised',
      { profile: 'p', baseUrl: 'http://127.0.0.1:7/x/' },
      {},
      'http://127.0.0.1:7/x',
    ],
    [
      'ZCHAT_AUTH_BASE_URL wins',
      { profile: 'p' },
      { ZCHAT_AUTH_BASE_URL: 'http://[::1]:5' },
      'http://[::1]:5',
    ],
  ] as const)('base URL: %s', async (_name, request, env, baseUrl) => {
    await save('p');
    // Given anew: the stored secret goes only to its own server (see the next test).
    const planned = plan(request, { ZENDESK_CHAT_CLIENT_SECRET: 'anew', ...env });
    if (!planned.ready) throw new Error(`missing ${planned.draft.missing}`);
    expect(planned.plan.options.baseUrl).toBe(baseUrl);
    expect(planned.plan.record.baseUrl).toBe(baseUrl.endsWith('zendesk.com') ? undefined : baseUrl);
  });

  test('the stored secret belongs to its client only', async () => {
    await save('p');
    expect(plan({ profile: 'p' }).ready).toBe(true);
    const other = plan({ profile: 'p', clientId: 'another' });
    expect(other.ready).toBe(false);
    expect(other.draft.missing).toEqual(['clientSecret']);
  });

  test('the stored secret goes only to the origin it was stored for', async () => {
    await save('p', { baseUrl: 'http://127.0.0.1:9/x' });
    const same = plan({ profile: 'p', baseUrl: 'http://127.0.0.1:9/y' });
    if (!same.ready) throw new Error('not ready');
    expect(same.plan.options.clientSecret).toBe(sampleProfile('p').clientSecret);
    for (const [request, env] of [
      [{ profile: 'p', baseUrl: 'http://127.0.0.1:8' }, {}],
      [{ profile: 'p' }, { ZCHAT_AUTH_BASE_URL: 'http://localhost:9' }],
      [{ profile: 'p', subdomain: 'other' }, {}],
    ] as const) {
      const elsewhere = plan(request, env);
      expect(elsewhere.ready).toBe(false);
      expect(elsewhere.draft.missing).toEqual(['clientSecret']);
      expect(elsewhere.draft.secretElsewhere?.storedFor).toBe('http://127.0.0.1:9');
      const anew = plan(request, { ...env, ZENDESK_CHAT_CLIENT_SECRET: 'anew' });
      if (!anew.ready) throw new Error('not ready');
      expect(anew.plan.options.clientSecret).toBe('anew');
    }
  });

  test('PKCE: on by default; --no-pkce turns it off and the profile remembers it', async () => {
    const request = { subdomain: 'acme', clientId: 'c' };
    const env = { ZENDESK_CHAT_CLIENT_SECRET: 's' };
    const on = plan(request, env);
    if (!on.ready) throw new Error('not ready');
    expect(on.plan.options.usePkce).toBe(true);
    expect(on.plan.record).not.toHaveProperty('pkce');
    const off = plan({ ...request, usePkce: false }, env);
    if (!off.ready) throw new Error('not ready');
    expect(off.plan.options.usePkce).toBe(false);
    expect(off.plan.record.pkce).toBe(false);
    await save('p', { pkce: false });
    const again = plan({ profile: 'p' });
    if (!again.ready) throw new Error('not ready');
    expect(again.plan.options.usePkce).toBe(false);
    const back = plan({ profile: 'p', usePkce: true });
    if (!back.ready) throw new Error('not ready');
    expect(back.plan.record).not.toHaveProperty('pkce');
  });

  test('the profile to continue: named, else the default, else none for a new name (only suggested)', async () => {
    await save('first');
    await save('second', { subdomain: 'two' });
    expect(plan({}).draft.source?.name).toBe(store.defaultProfile());
    expect(plan({ subdomain: 'two' }).draft.source).toBeUndefined();
    const fresh = plan({ profile: 'new' });
    expect(fresh.draft.source).toBeUndefined();
    expect(fresh.draft.suggestion?.name).toBe(store.defaultProfile());
    expect(fresh.draft.values.subdomain).toBe('demo');
    expect(fresh.draft.missing).toEqual(['subdomain', 'clientId', 'clientSecret']);
  });

  test('password flow: the password comes from ZENDESK_CHAT_PASSWORD, the username is stored, not the password', () => {
    const request: LoginRequest = { subdomain: 'acme', clientId: 'c', flow: 'password', username: 'u@x' };
    expect(plan(request, { ZENDESK_CHAT_CLIENT_SECRET: 's' }).draft.missing).toEqual(['password']);
    const planned = plan(request, { ZENDESK_CHAT_CLIENT_SECRET: 's', ZENDESK_CHAT_PASSWORD: 'pw' });
    if (!planned.ready) throw new Error('not ready');
    expect(planned.plan.options).toMatchObject({ username: 'u@x', password: 'pw' });
    expect(planned.plan.record).toMatchObject({ username: 'u@x' });
    expect(JSON.stringify(planned.plan.record)).not.toContain('pw');
  });

  test('paste only: --paste, or a redirect URI not on this computer; --no-browser opens none', () => {
    const base = { subdomain: 'a', clientId: 'c', flow: 'implicit' } as const;
    const ready = (r: LoginRequest) => {
      const planned = plan(r);
      if (!planned.ready) throw new Error('not ready');
      return planned.plan;
    };
    expect(ready(base)).toMatchObject({ pasteOnly: false, openBrowser: true });
    expect(ready({ ...base, listen: false })).toMatchObject({ pasteOnly: true });
    expect(ready({ ...base, redirectUri: 'https://example.com/cb' })).toMatchObject({ pasteOnly: true });
    expect(ready({ ...base, noBrowser: true })).toMatchObject({ openBrowser: false });
  });

  test('a bad stored value is refused with a sentence, not carried into the flow', async () => {
    await save('p', { redirectUri: 'not a url' });
    expect(() => plan({ profile: 'p' })).toThrow(/redirect URI "not a url" is not an absolute http\(s\) URL/);
  });
});
