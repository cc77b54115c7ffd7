/**
 * Which stored token the dashboard calls the account with (credentialFor), and where it starts
 * (dashboardStart). Free of React: the dashboard's command reads it before the screens have loaded, to send
 * the account's list requests beside their loading (account-prefetch.ts).
 */
import type { ProfileView, TokenStore } from '../core/store/types.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import type { Services } from '../services.js';
import { accessTokenOf } from './access-token-of.js';
import { accountKey } from './dashboard-rows.js';

export interface Credential {
  account: string;
  via: string;
  /** The listing's view of `via` it was read from: the same view is the same record, so the same token. */
  view: ProfileView;
  baseUrl: string;
  accessToken: string;
}

/**
 * The token to call the account with: the one the user chose (`preferred`, same account), else the active
 * profile's, else another stored one for the same account.
 */
export function credentialFor(
  services: Services,
  profiles: readonly ProfileView[],
  active: ProfileView | undefined,
  preferred: string | undefined,
) {
  if (!active) return undefined;
  const account = accountKey(active);
  const chosen =
    preferred === undefined
      ? undefined
      : profiles.find((p) => p.name === preferred && accountKey(p) === account);
  // Walked lazily, up to the first usable token: listed whole, the same account's other profiles cost
  // the dashboard's first frame ~30 ms with 10,000 profiles, for the active profile's token.
  function* candidates(): Generator<ProfileView> {
    if (chosen) yield chosen;
    yield active as ProfileView;
    for (const p of profiles) if (p.name !== active?.name && accountKey(p) === account) yield p;
  }
  // A token zchat-auth revoked only when no other is left (its lists then say it was refused).
  function* usable(): Generator<ProfileView> {
    for (const p of candidates()) if (!p.token?.revokedAt) yield p;
    for (const p of candidates()) if (p.token?.revokedAt) yield p;
  }
  let problem: string | undefined;
  for (const view of usable()) {
    if (!view.token) continue;
    const read = accessTokenOf(services.store, view.name);
    problem ??= read.problem;
    const { profile: full, accessToken } = read;
    if (!full || !accessToken) continue;
    try {
      const baseUrl = resolveBaseUrl(full.subdomain, full.baseUrl);
      return { account, via: view.name, view, baseUrl, accessToken } satisfies Credential;
    } catch {
      // A profile with a broken base URL cannot be used to call anything.
    }
  }
  // No token could be read: say why (a keyring out of reach), not "log in".
  return problem === undefined ? { account } : { account, problem };
}

/**
 * Where the dashboard starts: the token row selected first (the profile asked for, else the first) and the
 * profile whose token fetches the account's lists first (the one asked for, else the default profile).
 */
export function dashboardStart(
  store: Pick<TokenStore, 'defaultProfile'>,
  profiles: readonly ProfileView[],
  initialProfile: string | undefined,
): { selected: number; firstName: string | undefined } {
  return {
    selected: Math.max(
      profiles.findIndex((p) => p.name === initialProfile),
      0,
    ),
    firstName: initialProfile ?? store.defaultProfile() ?? profiles[0]?.name,
  };
}

/** The credential the dashboard's first fetch uses (firstAccountData, then useAccountData), from its start. */
export function firstCredential(
  services: Services,
  profiles: readonly ProfileView[],
  initialProfile: string | undefined,
): ReturnType<typeof credentialFor> {
  const { selected, firstName } = dashboardStart(services.store, profiles, initialProfile);
  return credentialFor(services, profiles, profiles[selected], firstName);
}
