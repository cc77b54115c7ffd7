/** The masked form of a profile that listings get. Built field by field so nothing secret slips through. */
import { createHash } from 'node:crypto';
import { mask } from '../redact.js';
import type { Profile, ProfileView } from './types.js';

export function toView(profile: Profile, isDefault: boolean): ProfileView {
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
    hasClientSecret: Boolean(profile.clientSecret),
  };
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
      accessTokenMasked: mask(token.accessToken),
      accessTokenSha256: createHash('sha256').update(token.accessToken).digest('hex'),
      hasRefreshToken: Boolean(token.refreshToken),
    };
    if (token.expiresAt !== undefined) view.token.expiresAt = token.expiresAt;
  }
  return view;
}
