import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ProfileView } from '../../source/core/store/types.js';
import type { OAuthTokenInfo } from '../../source/core/zendesk/types.js';
import {
  accountKey,
  buildClientRows,
  buildTokenRows,
  filterRows,
  linkServerTokens,
} from '../../source/ui/dashboard-rows.js';
import { describeGrowth, LINEAR_BOUND, measureGrowth } from '../growth.js';

const profile = (name: string, clientId: string, obtainedAt?: string): ProfileView => ({
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
          hasRefreshToken: true,
          tokenType: 'Bearer',
          scope: 'read',
          grant: 'authorization_code' as const,
          obtainedAt,
        },
      }
    : {}),
});
const server = (id: number, client: string, at: string): OAuthTokenInfo => ({
  id,
  client_identifier: client,
  scopes: 'read',
  create_date: at,
});

describe('dashboard rows', () => {
  test('stored tokens link to the server entry of the same client closest in time', () => {
    const profiles = [profile('a', 'C1', '2025-01-01T10:00:00Z'), profile('b', 'C1', '2025-01-01T10:00:30Z')];
    const tokens = [
      server(1, 'C1', '2025-01-01T10:00:01Z'),
      server(2, 'C1', '2025-01-01T10:00:29Z'),
      server(3, 'C2', '2025-01-01T10:00:00Z'),
      server(4, 'C1', '2025-01-01T12:00:00Z'),
    ];
    expect([...linkServerTokens(profiles, tokens)].sort()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const rows = buildTokenRows(profiles, tokens, accountKey(profiles[0]!));
    expect(rows.map((r) => r.key)).toEqual(['p:a', 'p:b', 's:1', 's:2', 's:3', 's:4']);
    expect(rows[0]).toMatchObject({ serverId: 1 });
    expect(rows[2]).toMatchObject({ storedAs: 'a' });
    // Another account's profiles are never linked.
    expect(buildTokenRows(profiles, tokens, 'elsewhere')[0]).not.toHaveProperty('serverId');
  });

  test('clients from the API, or the stored client IDs when offline', () => {
    const offline = buildClientRows(undefined, [profile('a', 'C1'), profile('b', 'C1'), profile('c', 'C2')]);
    expect(offline).toMatchObject([
      { kind: 'stored', clientId: 'C1', profiles: ['a', 'b'] },
      { kind: 'stored', clientId: 'C2', profiles: ['c'] },
    ]);
  });

  test('filter: case-insensitive, every word must match', () => {
    const rows = buildTokenRows([profile('Alpha', 'X1'), profile('beta', 'X2')], [], undefined);
    expect(filterRows(rows, 'ALP').map((r) => r.key)).toEqual(['p:Alpha']);
    expect(filterRows(rows, 'x2 bet').map((r) => r.key)).toEqual(['p:beta']);
    expect(filterRows(rows, '  ')).toBe(rows);
    expect(filterRows(rows, 'zzz')).toEqual([]);
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

describe('linkServerTokens keeps its matching rule', () => {
  // The rule as first written (quadratic): newest stored token first, the closest unused server entry of the
  // same client within two minutes, the earlier-listed on a tie.
  function reference(profiles: readonly ProfileView[], serverTokens: readonly OAuthTokenInfo[]) {
    const links = new Map<string, number>();
    const used = new Set<number>();
    const candidates = profiles
      .filter((p) => p.token)
      .map((p) => ({ name: p.name, clientId: p.clientId, at: Date.parse(p.token!.obtainedAt) }))
      .sort((a, b) => b.at - a.at);
    for (const p of candidates) {
      let best: { id: number; gap: number } | undefined;
      for (const t of serverTokens) {
        if (used.has(t.id) || t.client_identifier !== p.clientId || !t.create_date) continue;
        const gap = Math.abs(Date.parse(t.create_date) - p.at);
        if (gap <= 120_000 && (!best || gap < best.gap)) best = { id: t.id, gap };
      }
      if (best) {
        links.set(p.name, best.id);
        used.add(best.id);
      }
    }
    return links;
  }

  test('same links as the rule as first written, on random worlds with many ties', () => {
    // Times on a coarse grid (whole 30 s steps over 10 minutes) so equal times and equal gaps are common.
    const time = fc.integer({ min: 0, max: 20 }).map((k) => new Date(Date.UTC(2025, 0, 1) + k * 30_000));
    const iso = time.map((d) => d.toISOString());
    const world = fc.record({
      profiles: fc.array(fc.record({ client: fc.constantFrom('A', 'B'), at: fc.option(iso) }), {
        maxLength: 12,
      }),
      tokens: fc.array(fc.record({ client: fc.constantFrom('A', 'B', ''), at: fc.option(iso) }), {
        maxLength: 12,
      }),
    });
    fc.assert(
      fc.property(world, (w) => {
        const profiles = w.profiles.map((p, i) => profile(`p${i}`, p.client, p.at ?? undefined));
        const tokens = w.tokens.map((t, i) => ({
          id: 100 + i,
          client_identifier: t.client || undefined,
          scopes: 'read',
          ...(t.at ? { create_date: t.at } : {}),
        })) as OAuthTokenInfo[];
        expect([...linkServerTokens(profiles, tokens)].sort()).toEqual(
          [...reference(profiles, tokens)].sort(),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
