/** The rows of the dashboard's two lists, built from the store and the API, and filtered (pure). */
import type { ProfileView } from '../core/store/types.js';
import { accountKey, linkServerTokens } from '../core/token-links.js';
import type { OAuthClient, OAuthTokenInfo } from '../core/zendesk/types.js';

export type TokenRow =
  | { kind: 'stored'; key: string; profile: ProfileView; serverId?: number }
  | {
      kind: 'server';
      key: string;
      token: OAuthTokenInfo;
      /** The stored profile holding this very token, and its value masked, when one does. */
      storedAs?: string;
      storedMasked?: string;
    };

export type ClientRow =
  | { kind: 'api'; key: string; client: OAuthClient }
  /** Offline: the client IDs the store knows, so the pane still says something useful. */
  | { kind: 'stored'; key: string; clientId: string; profiles: string[] };

export { accountKey, linkServerTokens };

export function buildTokenRows(
  profiles: readonly ProfileView[],
  serverTokens: readonly OAuthTokenInfo[],
  activeAccount: string | undefined,
): TokenRow[] {
  const sameAccount = profiles.filter((p) => accountKey(p) === activeAccount);
  const links = linkServerTokens(sameAccount, serverTokens);
  const storedBy = new Map<number, string>();
  for (const [name, id] of links) storedBy.set(id, name);
  const masked = new Map<string, string>();
  for (const p of sameAccount)
    if (p.token && links.has(p.name)) masked.set(p.name, p.token.accessTokenMasked);
  const rows: TokenRow[] = profiles.map((profile) => storedRow(profile, links.get(profile.name)));
  for (const token of serverTokens) {
    const storedAs = storedBy.get(token.id);
    rows.push(serverRow(token, storedAs, storedAs === undefined ? undefined : masked.get(storedAs)));
  }
  return rows;
}

/*
 * Each row is kept with the object it shows (a store view, frozen; an API record, never changed in place),
 * so rebuilding the lists after another process's write or a refresh hands the same row object for what
 * did not change: the row components are memoised on it, and only the rows that changed are drawn again.
 * A row depends on nothing else than its object and its link, so this is the same as building it afresh.
 */
type StoredRow = Extract<TokenRow, { kind: 'stored' }>;
type ServerRow = Extract<TokenRow, { kind: 'server' }>;
type ApiRow = Extract<ClientRow, { kind: 'api' }>;
const storedRows = new WeakMap<ProfileView, StoredRow>();
const serverRows = new WeakMap<OAuthTokenInfo, ServerRow>();
const apiRows = new WeakMap<OAuthClient, ApiRow>();

function storedRow(profile: ProfileView, serverId: number | undefined): StoredRow {
  const kept = storedRows.get(profile);
  if (kept && kept.serverId === serverId) return kept;
  const row: StoredRow =
    serverId === undefined
      ? { kind: 'stored', key: `p:${profile.name}`, profile }
      : { kind: 'stored', key: `p:${profile.name}`, profile, serverId };
  storedRows.set(profile, row);
  return row;
}

function serverRow(
  token: OAuthTokenInfo,
  storedAs: string | undefined,
  storedMasked: string | undefined,
): ServerRow {
  const kept = serverRows.get(token);
  if (kept && kept.storedAs === storedAs && kept.storedMasked === storedMasked) return kept;
  const row: ServerRow =
    storedAs === undefined
      ? { kind: 'server', key: `s:${token.id}`, token }
      : {
          kind: 'server',
          key: `s:${token.id}`,
          token,
          storedAs,
          ...(storedMasked === undefined ? {} : { storedMasked }),
        };
  serverRows.set(token, row);
  return row;
}

function apiRow(client: OAuthClient): ApiRow {
  let row = apiRows.get(client);
  if (!row) {
    row = { kind: 'api', key: `c:${client.id}`, client };
    apiRows.set(client, row);
  }
  return row;
}

export function buildClientRows(
  clients: readonly OAuthClient[] | undefined,
  profiles: readonly ProfileView[],
): ClientRow[] {
  if (clients) return clients.map(apiRow);
  const byClient = new Map<string, string[]>();
  for (const p of profiles) {
    const names = byClient.get(p.clientId);
    if (names) names.push(p.name);
    else byClient.set(p.clientId, [p.name]);
  }
  return [...byClient].map(([clientId, names]) => ({
    kind: 'stored',
    key: `sc:${clientId}`,
    clientId,
    profiles: names,
  }));
}

/**
 * The lower-case text a filter searches in a row, made the first time a filter reads it and kept with the
 * row. Not made with the rows: nobody filters most of the time, and 4,000 such texts (1,000 profiles,
 * 1,000 server tokens, 1,000 clients) were 0.5 MB of an idle dashboard's heap.
 */
const searchTexts = new WeakMap<TokenRow | ClientRow, string>();

function joinedText(row: TokenRow | ClientRow): string {
  switch (row.kind) {
    case 'stored':
      if ('profile' in row) {
        const p = row.profile;
        return [p.name, p.subdomain, p.clientId, p.flow, p.token?.scope ?? ''].join(' ');
      }
      return `${row.clientId} ${row.profiles.join(' ')}`;
    case 'server': {
      const t = row.token;
      return [`#${t.id}`, t.client_identifier ?? '', t.scopes, row.storedAs ?? ''].join(' ');
    }
    case 'api': {
      const c = row.client;
      return [c.name, c.client_identifier, c.client_type, c.scopes, c.company ?? ''].join(' ');
    }
  }
}

export function searchText(row: TokenRow | ClientRow): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = joinedText(row).toLowerCase();
    searchTexts.set(row, text);
  }
  return text;
}

/** Case-insensitive substring filter; every word must match. */
export function filterRows<T extends TokenRow | ClientRow>(rows: readonly T[], filter: string): readonly T[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const text = searchText(row);
    return words.every((w) => text.includes(w));
  });
}
