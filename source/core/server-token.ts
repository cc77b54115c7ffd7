/**
 * The server token a stored profile holds: found by value (never guessed), revoked, and the revoke recorded
 * on the profile so later advice is right (a revoked token's refresh token died with it: log in again).
 */
import { toZchatError } from './errors.js';
import { sha256Hex } from './redact.js';
import type { TokenStore } from './store/types.js';
import type { ChatApi } from './zendesk/chat-api.js';
import type { OAuthTokenInfo } from './zendesk/types.js';

export type HeldToken =
  /** The server lists a token with this very value. */
  | { state: 'listed'; token: OAuthTokenInfo }
  /** The server refuses the token (401): revoked or expired already, so there is nothing to revoke. */
  | { state: 'rejected' }
  /** The server lists no token with this value (another agent's, or a list without values). */
  | { state: 'not-listed' }
  /** The list could not be fetched: `reason` says why. */
  | { state: 'unknown'; reason: string };

/** Lists the agent's tokens with the token itself and finds the one with its value. */
export async function findHeldToken(api: ChatApi, accessToken: string): Promise<HeldToken> {
  try {
    const hash = sha256Hex(accessToken);
    const token = (await api.listTokens()).find((t) => t.access_token_sha256 === hash);
    return token ? { state: 'listed', token } : { state: 'not-listed' };
  } catch (error) {
    const z = toZchatError(error);
    if (z.code === 'unauthorized') return { state: 'rejected' };
    return { state: 'unknown', reason: z.sentence };
  }
}

/** DELETE the token. A 404 (or a 401 from the token revoking itself) means it was revoked already. */
export async function revokeServerToken(api: ChatApi, id: number): Promise<'revoked' | 'already-revoked'> {
  try {
    await api.revokeToken(id);
    return 'revoked';
  } catch (error) {
    const code = toZchatError(error).code;
    if (code === 'not_found' || code === 'unauthorized') return 'already-revoked';
    throw error;
  }
}

/** Records on the profile that its token was revoked, unless the token was replaced meanwhile. */
export async function markRevoked(
  store: TokenStore,
  name: string,
  accessTokenSha256: string,
  at: Date,
): Promise<boolean> {
  let marked = false;
  await store.update(name, (profile) => {
    const token = profile.token;
    if (!token || token.revokedAt || sha256Hex(token.accessToken) !== accessTokenSha256) return profile;
    marked = true;
    return { ...profile, token: { ...token, revokedAt: at.toISOString() } };
  });
  return marked;
}
