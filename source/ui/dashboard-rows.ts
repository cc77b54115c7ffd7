/** The rows of the dashboard's two lists, built from the store and the API, and filtered (pure). */
import type { ProfileView } from '../core/store/types.js';
import type { OAuthClient, OAuthTokenInfo } from '../core/zendesk/types.js';

export type TokenRow =
  | { kind: 'stored'; key: string; profile: ProfileView; serverId?: number; text: string }
  | { kind: 'server'; key: string; token: OAuthTokenInfo; storedAs?: string; text: string };

export type ClientRow =
  | { kind: 'api'; key: string; client: OAuthClient; text: string }
  /** Offline: the client IDs the store knows, so the pane still says something useful. */
  | { kind: 'stored'; key: string; clientId: string; profiles: string[]; text: string };

/** Which account a profile talks to: tokens and clients of one account are shown together. */
export function accountKey(p: Pick<ProfileView, 'subdomain' | 'baseUrl'>): string {
  return `${p.baseUrl ?? `https://${p.subdomain}.zendesk.com`}|${p.subdomain}`;
}

/** How far apart a stored token's obtainedAt and the server's create_date may be to be the same token. */
const LINK_WINDOW_MS = 120_000;

/**
 * The server lists tokens without their value, so a stored token is linked to its server entry by client
 * and creation time (closest within two minutes, the earlier-listed on a tie; newest stored token first);
 * each server entry links at most once. Linear in profiles + tokens (times a log): each time is parsed
 * once, each client's tokens are sorted once, and the nearest unused one is found by binary search and two
 * "next unused" pointer forests, so 10,000 profiles of one client never scan each other's tokens.
 */
export function linkServerTokens(
  profiles: readonly ProfileView[],
  serverTokens: readonly OAuthTokenInfo[],
): Map<string, number> {
  const links = new Map<string, number>();
  const byClient = new Map<string, ServerTimes>();
  serverTokens.forEach((t, index) => {
    if (!t.client_identifier || !t.create_date) return;
    const at = Date.parse(t.create_date);
    if (Number.isNaN(at)) return;
    let list = byClient.get(t.client_identifier);
    if (!list) {
      list = new ServerTimes();
      byClient.set(t.client_identifier, list);
    }
    list.add(at, index, t.id);
  });
  for (const list of byClient.values()) list.seal();
  const candidates = profiles
    .filter((p) => p.token)
    .map((p) => ({ name: p.name, clientId: p.clientId, at: Date.parse(p.token!.obtainedAt) }))
    .sort((a, b) => b.at - a.at);
  for (const p of candidates) {
    if (Number.isNaN(p.at)) continue;
    const id = byClient.get(p.clientId)?.take(p.at, LINK_WINDOW_MS);
    if (id !== undefined) links.set(p.name, id);
  }
  return links;
}

/**
 * One client's server tokens sorted by time (and, within one time, by list position descending), with the
 * used ones skipped through path-compressed pointers in both directions.
 */
class ServerTimes {
  #entries: { at: number; index: number; id: number }[] = [];
  #next: Int32Array = new Int32Array(0);
  #prev: Int32Array = new Int32Array(0);

  add(at: number, index: number, id: number): void {
    this.#entries.push({ at, index, id });
  }

  seal(): void {
    this.#entries.sort((a, b) => a.at - b.at || b.index - a.index);
    const n = this.#entries.length;
    // #next[i]: i if unused, else a later position to look from (n: none). #prev likewise, -1: none.
    this.#next = Int32Array.from({ length: n + 1 }, (_, i) => i);
    this.#prev = Int32Array.from({ length: n + 1 }, (_, i) => i);
  }

  /** The nearest unused entry within `window` of `at` (earliest listed on a tie), marked used; its id. */
  take(at: number, window: number): number | undefined {
    const entries = this.#entries;
    const n = entries.length;
    // Left: the latest time <= at; within that time the last position is the earliest listed.
    const left = this.#findPrev(this.#bound(at, true) - 1);
    // Right: the earliest time >= at, then the earliest listed within that time.
    const firstRight = this.#findNext(this.#bound(at, false));
    const right = firstRight < n ? this.#findPrev(this.#bound(entries[firstRight]!.at, true) - 1) : -1;
    let best: number | undefined;
    let bestGap = 0;
    for (const i of [left, right]) {
      if (i < 0) continue;
      const e = entries[i]!;
      const gap = Math.abs(e.at - at);
      if (gap > window) continue;
      if (best === undefined || gap < bestGap || (gap === bestGap && e.index < entries[best]!.index)) {
        best = i;
        bestGap = gap;
      }
    }
    if (best === undefined) return undefined;
    this.#next[best] = best + 1;
    this.#prev[best] = best - 1;
    return entries[best]!.id;
  }

  /** First position whose time is > at (`after`) or >= at. */
  #bound(at: number, after: boolean): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.#entries[mid]!.at;
      if (t < at || (after && t === at)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #findNext(i: number): number {
    const next = this.#next;
    let root = i;
    while (next[root] !== root) root = next[root]!;
    while (next[i] !== root) {
      const up = next[i]!;
      next[i] = root;
      i = up;
    }
    return root;
  }

  #findPrev(i: number): number {
    if (i < 0) return -1;
    const prev = this.#prev;
    let root = i;
    while (root >= 0 && prev[root] !== root) root = prev[root]!;
    while (i >= 0 && prev[i] !== root) {
      const up = prev[i]!;
      prev[i] = root;
      i = up;
    }
    return root;
  }
}

export function buildTokenRows(
  profiles: readonly ProfileView[],
  serverTokens: readonly OAuthTokenInfo[],
  activeAccount: string | undefined,
): TokenRow[] {
  const sameAccount = profiles.filter((p) => accountKey(p) === activeAccount);
  const links = linkServerTokens(sameAccount, serverTokens);
  const storedBy = new Map<number, string>();
  for (const [name, id] of links) storedBy.set(id, name);
  const rows: TokenRow[] = profiles.map((profile) => {
    const serverId = links.get(profile.name);
    const text = [profile.name, profile.subdomain, profile.clientId, profile.flow, profile.token?.scope ?? '']
      .join(' ')
      .toLowerCase();
    return serverId === undefined
      ? { kind: 'stored', key: `p:${profile.name}`, profile, text }
      : { kind: 'stored', key: `p:${profile.name}`, profile, serverId, text };
  });
  for (const token of serverTokens) {
    const storedAs = storedBy.get(token.id);
    const text = [`#${token.id}`, token.client_identifier ?? '', token.scopes, storedAs ?? '']
      .join(' ')
      .toLowerCase();
    rows.push(
      storedAs === undefined
        ? { kind: 'server', key: `s:${token.id}`, token, text }
        : { kind: 'server', key: `s:${token.id}`, token, storedAs, text },
    );
  }
  return rows;
}

export function buildClientRows(
  clients: readonly OAuthClient[] | undefined,
  profiles: readonly ProfileView[],
): ClientRow[] {
  if (clients) {
    return clients.map((client) => ({
      kind: 'api',
      key: `c:${client.id}`,
      client,
      text: [client.name, client.client_identifier, client.client_type, client.scopes, client.company ?? '']
        .join(' ')
        .toLowerCase(),
    }));
  }
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
    text: `${clientId} ${names.join(' ')}`.toLowerCase(),
  }));
}

/** Case-insensitive substring filter; every word must match. */
export function filterRows<T extends { text: string }>(rows: readonly T[], filter: string): readonly T[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => words.every((w) => row.text.includes(w)));
}
