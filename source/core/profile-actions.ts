/**
 * What the CLI and the dashboard both do with a stored profile: store a fresh token, refresh it, test it.
 * Factories for the HTTP clients are passed in (and may be async) so got loads only on the paths that call.
 */
import { ZchatError } from './errors.js';
import type { TokenResponse } from './oauth/types.js';
import type { LastTest, Profile, StoredToken, TokenStore } from './store/types.js';
import type { ChatApi } from './zendesk/chat-api.js';
import { resolveBaseUrl } from './zendesk/endpoints.js';
import { testToken } from './zendesk/test-token.js';
import type { TokenClient } from './zendesk/token-client.js';

type Maybe<T> = T | Promise<T>;

/** A token endpoint answer as the store keeps it: when it came, and when it ends if the server said. */
export function tokenToStored(token: TokenResponse, now: Date = new Date()): StoredToken {
  const stored: StoredToken = {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    scope: token.scope,
    grant: token.grant,
    obtainedAt: now.toISOString(),
  };
  if (token.refreshToken) stored.refreshToken = token.refreshToken;
  if (token.expiresIn !== undefined && token.expiresIn > 0) {
    stored.expiresAt = new Date(now.getTime() + token.expiresIn * 1000).toISOString();
  }
  return stored;
}

export interface RefreshOutcome {
  /** The profile's name (resolved when none was given). */
  name: string;
  token: StoredToken;
  /** The reply carried no new refresh token: the one sent is taken as spent, and none is stored. */
  refreshTokenSpent: boolean;
  /** True when another process had already refreshed: its token was taken and nothing was spent. */
  rotatedElsewhere: boolean;
}

/**
 * The refresh_token grant, decided inside the store's lock: if another process rotated the token since we
 * read the profile, its new token is used and the (already spent) refresh token is not sent again. A reply
 * without a new refresh token leaves the profile with none: Chat's refresh tokens may be single-use, and a
 * profile must never claim one it may no longer have (if it was reusable, the next login brings one back).
 * A reply without a scope keeps the old scope.
 */
export async function refreshProfile(
  store: TokenStore,
  name: string | undefined,
  makeTokenClient: (baseUrl: string) => Maybe<TokenClient>,
  now: () => Date = () => new Date(),
): Promise<RefreshOutcome> {
  const seen = store.resolve(name);
  requireRefreshToken(seen);
  // Built before taking the lock: loading the HTTP stack should not lengthen the time others wait.
  const seenBaseUrl = baseUrlOf(seen);
  const client = await makeTokenClient(seenBaseUrl);
  const { token, rotatedElsewhere } = await store.refreshLocked(
    seen.name,
    seen.token?.accessToken,
    async (profile) => {
      const refreshToken = requireRefreshToken(profile);
      const baseUrl = baseUrlOf(profile);
      const tokens = baseUrl === seenBaseUrl ? client : await makeTokenClient(baseUrl);
      const reply = await tokens.refresh({
        refreshToken,
        clientId: profile.clientId,
        ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
      });
      return tokenToStored({ ...reply, scope: reply.scope || (profile.token?.scope ?? '') }, now());
    },
  );
  return { name: seen.name, token, rotatedElsewhere, refreshTokenSpent: !token.refreshToken };
}

/**
 * GET /api/v2/chat/chats with the stored token, and the verdict stored as the profile's last test — unless
 * the token was replaced meanwhile (a verdict on the old token would mislabel the new one).
 */
export async function testProfile(
  store: TokenStore,
  name: string | undefined,
  makeChatApi: (baseUrl: string, accessToken: string) => Maybe<ChatApi>,
): Promise<LastTest> {
  const profile = store.resolve(name);
  const accessToken = profile.token?.accessToken;
  if (!accessToken) throw noToken(profile.name, 'has no token');
  const api = await makeChatApi(baseUrlOf(profile), accessToken);
  const test = await testToken(api);
  await store.update(profile.name, (current) =>
    current.token?.accessToken === accessToken ? { ...current, lastTest: test } : current,
  );
  return test;
}

function baseUrlOf(profile: Profile): string {
  return resolveBaseUrl(profile.subdomain, profile.baseUrl);
}

function requireRefreshToken(profile: Profile): string {
  const refreshToken = profile.token?.refreshToken;
  if (!refreshToken) {
    throw noToken(profile.name, profile.token ? 'has no refresh token' : 'has no token');
  }
  return refreshToken;
}

function noToken(name: string, what: string): ZchatError {
  return new ZchatError('no_token', `The profile "${name}" ${what}.`, {
    hint: `Run \`zchat-auth login --profile ${name}\` to get a new token.`,
  });
}
