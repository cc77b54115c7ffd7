/**
 * Which stored token the dashboard calls an account's API with. Core, not a hook: the dashboard's command
 * asks for the account's lists with it before the screens have loaded (early-lists.ts), and the screens
 * then pick the same one.
 */
import { accessTokenOf } from './store/access-token-of.js';
import type { ProfileView, TokenStore } from './store/types.js';
import { accountKey } from './token-links.js';
import { resolveBaseUrl } from './zendesk/endpoints.js';

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
 * profile's, else another stored one for the same account. Without one: the account, and why no token
 * could be read when that is the reason (a keyring out of reach), not "log in".
 */
export function credentialFor(
  source: { store: Pick<TokenStore, 'get'> },
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
    const read = accessTokenOf(source.store, view.name);
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
  return problem === undefined ? { account } : { account, problem };
}

/**
 * The profile the dashboard's first frame is about, and the one whose token fetches first: the dashboard
 * selects `initialProfile` (else the first profile listed) and fetches with it, else with the default one.
 */
export function firstSelection(
  store: Pick<TokenStore, 'defaultProfile'>,
  profiles: readonly ProfileView[],
  initialProfile?: string,
): { index: number; startWith: string | undefined } {
  return {
    index: Math.max(
      profiles.findIndex((p) => p.name === initialProfile),
      0,
    ),
    startWith: initialProfile ?? store.defaultProfile() ?? profiles[0]?.name,
  };
}
