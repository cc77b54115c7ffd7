import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { ProfileView } from '../../source/core/store/types.js';
import type { OAuthClient, OAuthTokenInfo } from '../../source/core/zendesk/types.js';
import {
  accountKey,
  buildClientRows,
  buildTokenRows,
  filterRows,
  linkServerTokens,
  searchText,
} from '../../source/ui/dashboard-rows.js';
import { describeGrowth, LINEAR_BOUND, measureGrowth } from '../growth.js';

const sha = (value: string) => createHash('sha256').update(value).digest('hex');

const profile = (
  name: string,
  clientId: string,
  obtainedAt?: string,
  access = `value-${name}`,
): ProfileView => ({
  name,
  subdomain: 'demo',
  baseUrl: 'http://127.0.0.1:1',
  clientId,
  redirectUri: 'http://localhost:8080',
  scopes: ['read'],
  flow: 'code',
  secretsIn: 'file',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  isDefault: false,
  hasClientSecret: false,
  ...(obtainedAt
    ? {
        token: {
          accessTokenMasked: 'a…1234',
          accessTokenSha256: sha(access),
          hasRefreshToken: true,
          tokenType: 'Bearer',
          scope: 'read',
          grant: 'authorization_code' as const,
          obtainedAt,
        },
      }
    : {}),
});
const server = (id: number, client: string, at: string, access?: string): OAuthTokenInfo => ({
  id,
  client_identifier: client,
  scopes: 'read',
  create_date: at,
  ...(access ? { access_token_sha256: sha(access) } : {}),
});

describe('dashboard rows', () => {
  test('stored tokens link to the server entry whose token value is theirs, not the one closest in time', () => {
    const profiles = [profile('a', 'C1', '2025-01-01T10:00:00Z'), profile('b', 'C1', '2025-01-01T10:00:30Z')];
    const tokens = [
      // Same client and within seconds of both, but another token: the old guess linked it.
      server(1, 'C1', '2025-01-01T10:00:01Z', 'someone-else'),
      server(2, 'C1', '2025-01-01T10:00:29Z', 'value-b'),
      server(3, 'C2', '2025-01-01T10:00:00Z'),
      server(4, 'C1', '2025-01-01T12:00:00Z', 'value-a'),
    ];
    expect([...linkServerTokens(profiles, tokens)].sort()).toEqual([
      ['a', 4],
      ['b', 2],
    ]);
    const rows = buildTokenRows(profiles, tokens, accountKey(profiles[0]!));
    expect(rows.map((r) => r.key)).toEqual(['p:a', 'p:b', 's:1', 's:2', 's:3', 's:4']);
    expect(rows[0]).toMatchObject({ serverId: 4 });
    expect(rows[5]).toMatchObject({ storedAs: 'a' });
    expect(rows[2]).not.toHaveProperty('storedAs');
    // Another account's profiles are never linked.
    expect(buildTokenRows(profiles, tokens, 'elsewhere')[0]).not.toHaveProperty('serverId');
  });

  test('without token values in the list nothing is linked, however close in time and client', () => {
    const profiles = [profile('a', 'C1', '2025-01-01T10:00:00Z')];
    const tokens = [server(1, 'C1', '2025-01-01T10:00:00Z')];
    expect(linkServerTokens(profiles, tokens).size).toBe(0);
    const rows = buildTokenRows(profiles, tokens, accountKey(profiles[0]!));
    expect(rows[0]).not.toHaveProperty('serverId');
    expect(rows[1]).not.toHaveProperty('storedAs');
  });

  // Hashing 1,000 stored tokens (and loading node:crypto) cost the first frame ~5 ms: its rows are built
  // without. They are hashed after it, while the server's list is awaited (dashboard-prefetch.test.tsx).
  test('the rows of the first frame (no server list yet) hash no stored token', () => {
    let hashed = 0;
    const profiles = Array.from({ length: 1000 }, (_, i) => {
      const p = profile(`p${i}`, 'C1', '2025-01-01T10:00:00Z');
      // The store's views hash a token on first read of this field (view.ts): count the reads.
      Object.defineProperty(p.token!, 'accessTokenSha256', {
        get: () => {
          hashed++;
          return `hash-${i}`;
        },
      });
      return p;
    });
    expect(linkServerTokens(profiles, []).size).toBe(0);
    expect(buildTokenRows(profiles, [], accountKey(profiles[0]!))).toHaveLength(1000);
    expect(hashed).toBe(0);
    // Once it has arrived, they are.
    linkServerTokens(profiles, [server(1, 'C1', '2025-01-01T10:00:00Z', 'x')]);
    expect(hashed).toBeGreaterThanOrEqual(1000);
  });

  test('linking is linear: 20 000 profiles and server tokens in well under a second', () => {
    const n = 20_000;
    const profiles = Array.from({ length: n }, (_, i) => profile(`p${i}`, 'C1', '2025-01-01T10:00:00Z'));
    const tokens = Array.from({ length: n }, (_, i) =>
      server(i, 'C1', '2025-01-01T10:00:00Z', `value-p${n - 1 - i}`),
    );
    const started = performance.now();
    const links = linkServerTokens(profiles, tokens);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(links.size).toBe(n);
    expect(links.get('p0')).toBe(n - 1);
  });

  test('clients from the API, or the stored client IDs when offline', () => {
    const offline = buildClientRows(undefined, [profile('a', 'C1'), profile('b', 'C1'), profile('c', 'C2')]);
    expect(offline).toMatchObject([
      { kind: 'stored', clientId: 'C1', profiles: ['a', 'b'] },
      { kind: 'stored', clientId: 'C2', profiles: ['c'] },
    ]);
  });

  test('a rebuild keeps the row object of every profile, server token and client it did not change', () => {
    // Another process's write gives new views for the records it changed only (the store keeps the rest):
    // the memoised row components then draw only those rows again.
    const a = profile('a', 'C1', '2025-01-01T10:00:00Z');
    const b = profile('b', 'C1', '2025-01-01T10:00:00Z');
    const tokens = [
      server(1, 'C1', '2025-01-01T10:00:01Z', 'value-a'),
      server(2, 'C1', '2025-01-01T10:00:02Z'),
    ];
    const account = accountKey(a);
    const before = buildTokenRows([a, b], tokens, account);
    const bAgain = { ...b, lastTest: { at: '2025-01-02T00:00:00Z', ok: true, result: 'valid' as const } };
    const after = buildTokenRows([a, bAgain], tokens, account);
    expect(after.map((row, i) => row === before[i])).toEqual([true, false, true, true]);
    expect(after[1]).toMatchObject({ kind: 'stored', profile: bAgain });
    // A link that changes is a new row, on both sides: a's token is no longer the server's #1.
    const relinked = buildTokenRows([a, bAgain], [tokens[0]!, server(2, 'C1', '2025-01-01T10:00:02Z')], 'x');
    expect(relinked[0]).not.toBe(after[0]);
    expect(relinked[0]).not.toHaveProperty('serverId');
    expect(relinked[2]).not.toHaveProperty('storedAs');
    expect(buildTokenRows([a, bAgain], tokens, account)[0]).toMatchObject({ serverId: 1 });
    const clients = [
      { id: 1, name: 'One', client_identifier: 'C1', client_type: 'public', scopes: 'read' },
      { id: 2, name: 'Two', client_identifier: 'C2', client_type: 'public', scopes: 'read' },
    ] as OAuthClient[];
    const patched = [clients[0]!, { ...clients[1]!, client_type: 'confidential' }] as OAuthClient[];
    const first = buildClientRows(clients, [a]);
    const second = buildClientRows(patched, [a, bAgain]);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(searchText(second[1]!)).toContain('confidential');
  });

  test('filter: case-insensitive, every word must match', () => {
    const rows = buildTokenRows([profile('Alpha', 'X1'), profile('beta', 'X2')], [], undefined);
    expect(filterRows(rows, 'ALP').map((r) => r.key)).toEqual(['p:Alpha']);
    expect(filterRows(rows, 'x2 bet').map((r) => r.key)).toEqual(['p:beta']);
    expect(filterRows(rows, '  ')).toBe(rows);
    expect(filterRows(rows, 'zzz')).toEqual([]);
  });

  test('rows carry no search text until a filter reads it; every kind is found by the fields it shows', () => {
    const profiles = [profile('Alpha', 'CLIENT-A', '2025-01-01T10:00:00Z', 'va')];
    const tokens = buildTokenRows(profiles, [server(7, 'CLIENT-S', '2025-01-01T10:00:01Z')], 'x');
    const clients = buildClientRows(
      [
        {
          id: 3,
          name: 'Web App',
          client_identifier: 'WEB-ID',
          client_type: 'confidential',
          scopes: 'read write',
          company: 'Acme',
        },
      ] as OAuthClient[],
      profiles,
    );
    const offline = buildClientRows(undefined, profiles);
    // 4,000 texts at 1,000 profiles, made with the rows, were 0.5 MB of an idle dashboard's heap.
    for (const row of [...tokens, ...clients, ...offline]) expect(Object.keys(row)).not.toContain('text');
    expect(filterRows(tokens, 'alpha DEMO client-a code read').map((r) => r.key)).toEqual(['p:Alpha']);
    expect(filterRows(tokens, '#7 client-s read').map((r) => r.key)).toEqual(['s:7']);
    expect(filterRows(clients, 'web-id CONFIDENTIAL write acme app').map((r) => r.key)).toEqual(['c:3']);
    expect(filterRows(offline, 'client-a alpha').map((r) => r.key)).toEqual(['sc:CLIENT-A']);
    expect(searchText(tokens[0]!)).toBe(searchText(tokens[0]!));
  });
});

describe('dashboard rows grow linearly (1,000 → 10,000 profiles and server tokens)', () => {
  const clientIds = (n: number) => Array.from({ length: Math.max(1, n / 10) }, (_, i) => `C${i}`);
  // Every token made in the same few minutes, as a bench or a script makes them: the worst case for a link
  // search, where every server token of a client is within the window of every profile of that client.
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 10) + (i % 240) * 1000).toISOString();
  const world = (n: number) => {
    const ids = clientIds(n);
    const profiles = Array.from({ length: n }, (_, i) => profile(`p${i}`, ids[i % ids.length]!, at(i)));
    const tokens = Array.from({ length: n }, (_, i) => server(i + 1, ids[i % ids.length]!, at(i + 7)));
    return { profiles, tokens };
  };

  test('linkServerTokens', () => {
    const growth = measureGrowth(1000, world, (w) => linkServerTokens(w.profiles, w.tokens));
    expect(growth.ratio, describeGrowth(growth)).toBeLessThan(LINEAR_BOUND);
  });

  test('buildTokenRows', () => {
    const growth = measureGrowth(1000, world, (w) =>
      buildTokenRows(w.profiles, w.tokens, accountKey(w.profiles[0]!)),
    );
    expect(growth.ratio, describeGrowth(growth)).toBeLessThan(LINEAR_BOUND);
  });

  test('buildClientRows offline, many profiles of one client', () => {
    const profiles = (n: number) => Array.from({ length: n }, (_, i) => profile(`p${i}`, 'C1'));
    const growth = measureGrowth(2000, profiles, (p) => buildClientRows(undefined, p));
    expect(growth.ratio, describeGrowth(growth)).toBeLessThan(LINEAR_BOUND);
  });
});
