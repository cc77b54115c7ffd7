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
