/**
 * A stored profile's access token for the screens, or why it cannot be read now (its keyring is out of
 * reach, its entry gone). Renders and key handlers call this, never `store.get` bare: a throw there would
 * take the whole dashboard down for one unreadable profile.
 */
import { toZchatError } from '../core/errors.js';
import type { Profile, TokenStore } from '../core/store/types.js';

export function accessTokenOf(
  store: Pick<TokenStore, 'get'>,
  name: string,
): { profile?: Profile; accessToken?: string; problem?: string } {
  try {
    const profile = store.get(name);
    const accessToken = profile?.token?.accessToken;
    if (!profile) return {};
    return accessToken === undefined ? { profile } : { profile, accessToken };
  } catch (error) {
    return { problem: toZchatError(error).sentence };
  }
}
