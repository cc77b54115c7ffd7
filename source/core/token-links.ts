/**
 * Which stored profile holds which server token: only when certain. The server's token list carries each
 * access token (the API client keeps only its SHA-256), compared with the stored token's hash (kept in the
 * file even when the secrets are in the keyring). Where the server sends no value nothing is linked: a guess
 * (same client, close in time) could name the wrong token in a revoke prompt.
 */
import { nodeCrypto } from './redact.js';
import type { ProfileView } from './store/types.js';
import type { OAuthTokenInfo } from './zendesk/types.js';

/** Which account a profile talks to: tokens and clients of one account are shown together. */
export function accountKey(p: Pick<ProfileView, 'subdomain' | 'baseUrl'>): string {
  return `${p.baseUrl ?? `https://${p.subdomain}.zendesk.com`}|${p.subdomain}`;
}

/** Profile name → server token ID. One Map lookup per server token: linear in profiles plus tokens. */
export function linkServerTokens(
  profiles: readonly Pick<ProfileView, 'name' | 'token'>[],
  serverTokens: readonly OAuthTokenInfo[],
): Map<string, number> {
  const links = new Map<string, number>();
  // Before the server's list arrives (the first frame) there is nothing to link: no token is hashed.
  if (serverTokens.length === 0) return links;
  const byHash = new Map<string, string>();
  for (const p of profiles) if (p.token?.accessTokenSha256) byHash.set(p.token.accessTokenSha256, p.name);
  for (const t of serverTokens) {
    const name = t.access_token_sha256 === undefined ? undefined : byHash.get(t.access_token_sha256);
    if (name !== undefined && !links.has(name)) links.set(name, t.id);
  }
  return links;
}

/**
 * Does ahead, `batch` profiles a call, what linking `profiles` to the server's list will need: node:crypto
 * loaded and each stored token's hash computed (a view keeps its hash). For the time a screen waits for
 * that list after its first frame: the linking then finds it all done. Resolves when done or `live()` is
 * false; each batch waits for the event loop's next turn, so a key press is not held up.
 */
export async function prepareLinks(
  profiles: readonly Pick<ProfileView, 'token'>[],
  live: () => boolean,
  batch = 500,
): Promise<void> {
  for (let at = 0; at < profiles.length && live(); at += batch) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    if (!live()) return;
    nodeCrypto();
    for (const p of profiles.slice(at, at + batch)) void p.token?.accessTokenSha256;
  }
}

/** Server token ID → the profile holding it, among the profiles of `account` (see accountKey). */
export function profilesByToken(
  profiles: readonly ProfileView[],
  account: string,
  serverTokens: readonly OAuthTokenInfo[],
): Map<number, string> {
  const links = linkServerTokens(
    profiles.filter((p) => accountKey(p) === account),
    serverTokens,
  );
  const out = new Map<number, string>();
  for (const [name, id] of links) out.set(id, name);
  return out;
}
