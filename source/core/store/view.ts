/** The masked form of a profile that listings get. Built field by field so nothing secret slips through. */
import { mask, sha256Hex } from '../redact.js';
import type { ProfileView, StoredProfile } from './types.js';

type TokenView = NonNullable<ProfileView['token']>;

/**
 * The access token behind each token view whose SHA-256 is worked out on first read, and the hash once it
 * is. `status` lists 1,000 profiles and never reads a hash: hashing them all (and loading node:crypto for
 * it) was a third of its listing. The dashboard reads them to match server tokens.
 */
const toHash = new WeakMap<object, { access: string; hash?: string }>();

function accessTokenSha256(this: object): string {
  const entry = toHash.get(this);
  if (!entry) return '';
  entry.hash ??= sha256Hex(entry.access);
  return entry.hash;
}

// One getter for every view, so the views keep one shape (a getter made per view gave each its own).
// Enumerable: spreads, clones and JSON see the field and its value, as before.
const lazySha256: PropertyDescriptor = { enumerable: true, get: accessTokenSha256 };

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
    const access = token.accessToken;
    // Field by field in the order listings always had (JSON and key order).
    const tokenView = {
      tokenType: token.tokenType,
      scope: token.scope,
      grant: token.grant,
      obtainedAt: token.obtainedAt,
      accessTokenMasked: access !== undefined ? mask(access) : (token.accessTokenMasked ?? ''),
    } as TokenView;
    if (access !== undefined) {
      toHash.set(tokenView, { access });
      Object.defineProperty(tokenView, 'accessTokenSha256', lazySha256);
    } else {
      tokenView.accessTokenSha256 = token.accessTokenSha256 ?? '';
    }
    tokenView.hasRefreshToken = Boolean(token.refreshToken) || token.hasRefreshToken === true;
    if (token.expiresAt !== undefined) tokenView.expiresAt = token.expiresAt;
    if (token.revokedAt !== undefined) tokenView.revokedAt = token.revokedAt;
    view.token = tokenView;
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
