/** The outcome of a login, stored: the planned profile, the redirect URI as sent, the token. */
import type { TokenResponse } from '../oauth/types.js';
import { tokenToStored } from '../profile-actions.js';
import type { TokenStore } from '../store/types.js';
import type { LoginPlan } from './plan.js';

/** Stores the token as the plan says; returns the profile's name. */
export async function saveLogin(
  store: Pick<TokenStore, 'save'>,
  plan: LoginPlan,
  token: TokenResponse,
  redirectUri: string,
  now: Date,
): Promise<string> {
  await store.save({ ...plan.record, redirectUri, token: tokenToStored(token, now) });
  return plan.profile;
}
