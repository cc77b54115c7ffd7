/** The masked form of a profile that listings get. Built field by field so nothing secret slips through. */
import { mask, sha256Hex } from '../redact.js';
import type { ProfileView, StoredProfile } from './types.js';

/** From the file form: with the secrets in the keyring, the file keeps their masked form and flags. */
export function toView(profile: StoredProfile, isDefault: boolean): ProfileView {
  const view: ProfileView = {
    name: profile.name,
    subdomain: profile.subdomain,
    clientId: profile.clientId,
    redirectUri: profile.redirectUri,
    scopes: [...profile.scopes],
    flow: profile.flow,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    isDefault,
    hasClientSecret: Boolean(profile.clientSecret) || profile.hasClientSecret === true,
    secretsIn: profile.secretsIn ?? 'file',
  };
  if (profile.insecureStorage) view.insecureStorage = true;
  if (profile.keyringUnusable !== undefined) view.keyringUnusable = profile.keyringUnusable;
  if (profile.baseUrl !== undefined) view.baseUrl = profile.baseUrl;
  if (profile.username !== undefined) view.username = profile.username;
  if (profile.lastTest) view.lastTest = { ...profile.lastTest };
  const token = profile.token;
  if (token) {
    view.token = {
      tokenType: token.tokenType,
      scope: token.scope,
      grant: token.grant,
      obtainedAt: token.obtainedAt,
      accessTokenMasked:
        token.accessToken !== undefined ? mask(token.accessToken) : (token.accessTokenMasked ?? ''),
      accessTokenSha256:
        token.accessToken !== undefined ? sha256Hex(token.accessToken) : (token.accessTokenSha256 ?? ''),
      hasRefreshToken: Boolean(token.refreshToken) || token.hasRefreshToken === true,
    };
    if (token.expiresAt !== undefined) view.token.expiresAt = token.expiresAt;
    if (token.revokedAt !== undefined) view.token.revokedAt = token.revokedAt;
  }
  return view;
}

/** Where a profile's secrets are, in words for `status` and the dashboard: the keyring, or the file and why. */
export function secretsPlace(
  p: Pick<ProfileView, 'secretsIn' | 'insecureStorage' | 'keyringUnusable'>,
): string {
  if (p.secretsIn === 'keyring') return 'OS keyring';
  if (p.insecureStorage) return 'config file (--insecure-storage)';
  if (p.keyringUnusable) return `config file (no keyring: ${p.keyringUnusable})`;
  return 'config file';
}
