/**
 * Which stored token the dashboard calls the account with. It is chosen for the first frame: with
 * 10,000 profiles of one account, it reads the profiles it needs, not the whole list.
 */
import { describe, expect, test } from 'vitest';
import type { Profile, ProfileView } from '../../source/core/store/types.js';
import type { Services } from '../../source/services.js';
import { credentialFor } from '../../source/ui/hooks/use-account-data.js';

function view(i: number, token: { revokedAt?: string } | undefined = {}): ProfileView {
  return {
    name: `p${String(i).padStart(5, '0')}`,
    subdomain: 'demo',
    baseUrl: 'http://127.0.0.1:9',
    clientId: 'cid',
    redirectUri: 'http://localhost:8080',
    scopes: ['read'],
    flow: 'code',
    isDefault: i === 0,
    ...(token
      ? {
          token: {
            tokenType: 'Bearer',
            scope: 'read',
            grant: 'authorization_code',
            obtainedAt: '',
            ...token,
          },
        }
      : {}),
  } as unknown as ProfileView;
}

/** A list that counts the profiles read from it (by index or by iteration). */
function counted(list: ProfileView[]) {
  const reads = { count: 0 };
  const proxy = new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.count++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { profiles: proxy as readonly ProfileView[], reads };
}

/** Services whose store holds an access token for each name in `withToken`. */
function servicesWith(withToken: Set<string>): Services {
  return {
    store: {
      get: (name: string) =>
        ({
          name,
          subdomain: 'demo',
          baseUrl: 'http://127.0.0.1:9',
          token: withToken.has(name) ? { accessToken: `at-${name}` } : undefined,
        }) as unknown as Profile,
    },
  } as unknown as Services;
}

describe('credentialFor', () => {
  test('the active profile holding a token: taken without reading the other 9,999 profiles', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => view(i));
    const { profiles, reads } = counted(list);
    const found = credentialFor(servicesWith(new Set(['p00500'])), profiles, list[500], undefined);
    expect(found).toMatchObject({ via: 'p00500', accessToken: 'at-p00500' });
    expect(reads.count).toBe(0);
  });

  test.each([
    ['the one the user chose', ['p00000', 'p00002'], 'p00002', 'p00002'],
    ['the active one', ['p00000', 'p00002', 'p00003'], undefined, 'p00000'],
    ['another of the account when the active one has none', ['p00003'], undefined, 'p00003'],
    ['one zchat-auth revoked only when no other is left', ['p00001'], undefined, 'p00001'],
    ['not one zchat-auth revoked while another is left', ['p00001', 'p00002'], undefined, 'p00002'],
  ])('%s', (_, withToken, preferred, via) => {
    const list = [view(0), view(1, { revokedAt: '2026-01-01T00:00:00.000Z' }), view(2), view(3)];
    const found = credentialFor(servicesWith(new Set(withToken)), list, list[0], preferred);
    expect(found).toMatchObject({ via });
  });

  test('no token to read: the account, no credential', () => {
    const list = [view(0), view(1)];
    expect(credentialFor(servicesWith(new Set()), list, list[0], undefined)).toEqual({
      account: expect.any(String),
    });
  });
});
