/** The account's OAuth clients and server-side tokens, fetched with the token of a stored profile. */
import { type Dispatch, type SetStateAction, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toZchatError } from '../../core/errors.js';
import type { ProfileView } from '../../core/store/types.js';
import { prepareLinks } from '../../core/token-links.js';
import type { ChatApi } from '../../core/zendesk/chat-api.js';
import type { OAuthClient, OAuthTokenInfo } from '../../core/zendesk/types.js';
import type { Services } from '../../services.js';
import { accessTokenOf } from '../access-token-of.js';
import { type Credential, credentialFor } from '../account-credential.js';
import { takeListsPrefetch } from '../account-prefetch.js';
import { accountKey } from '../dashboard-rows.js';
import type { ExchangeLog } from '../exchange-log.js';

export interface AccountData {
  status: 'none' | 'loading' | 'ok' | 'error';
  /** Which account (see accountKey) this is about. */
  account?: string | undefined;
  /** The profile whose token the calls use. */
  via?: string;
  clients?: OAuthClient[];
  tokens: OAuthTokenInfo[];
  /** Why the clients could not be fetched: a sentence. */
  error?: string;
  /** Why the server's token list could not be fetched (the clients may still be there). */
  tokensError?: string;
}

export interface AccountDataApi {
  data: AccountData;
  /** Fetch again; `quiet` keeps what is shown, without a spinner, until the answer comes (idle refresh). */
  reload(o?: { quiet?: boolean }): void;
  patchClient(client: OAuthClient): void;
  dropServerToken(id: number): void;
  /** A Chat API client for this account whose exchanges are logged under `logKey`. */
  api(logKey: string): Promise<ChatApi> | undefined;
}

export { credentialFor };

/** What was fetched, held apart from the fetching (useAccountData) so a screen can read it first. */
export interface AccountState {
  data: AccountData;
  setData: Dispatch<SetStateAction<AccountData>>;
}

/**
 * The account data as state. The dashboard builds its token rows from it before it knows the active
 * profile (the stored profile under the selection), which useAccountData then fetches for: one render.
 */
export function useAccountState(first: () => AccountData): AccountState {
  const [data, setData] = useState<AccountData>(first);
  return useMemo(() => ({ data, setData }), [data]);
}

/**
 * What the first frame shows: the fetch useAccountData starts once it is drawn, when a stored token can
 * make it. Drawn so from the start, the first frame needs no second one to show the spinner, and the
 * fetch is not held up by it.
 */
export function firstAccountData(
  services: Services,
  profiles: readonly ProfileView[],
  active: ProfileView | undefined,
  startWith: string | undefined,
): AccountData {
  const found = credentialFor(services, profiles, active, startWith);
  if (!found || !('accessToken' in found)) return { status: 'none', tokens: [] };
  const { account, via } = found as Credential;
  return { status: 'loading', account, via, tokens: [] };
}

export function useAccountData(
  { data, setData }: AccountState,
  services: Services,
  profiles: readonly ProfileView[],
  active: ProfileView | undefined,
  log: ExchangeLog,
  /** The profile whose token the user chose for the lists (u), when it holds one for this account. */
  preferred?: string,
  /** The profile whose token fetches first, when it holds one for the account (the default profile). */
  startWith?: string,
): AccountDataApi {
  // Reads the store (a stat when cached): once per change of profiles or selection, not per key press.
  // Moving between profiles of the same account keeps the credential in use, so the account's clients and
  // tokens are not fetched again on every key press (1,000 profiles must stay smooth).
  const kept = useRef<Credential | undefined>(undefined);
  const found = useMemo(() => {
    const previous = kept.current;
    if (
      previous &&
      active &&
      accountKey(active) === previous.account &&
      (preferred === undefined || preferred === previous.via)
    ) {
      const still = profiles.find((p) => p.name === previous.via);
      // The store hands the same view while the record is unchanged (a key press, another profile's write):
      // no need to read the secret again.
      if (still && still === previous.view) return previous;
      if (
        still?.token &&
        !still.token.revokedAt &&
        accessTokenOf(services.store, still.name).accessToken === previous.accessToken
      ) {
        return { ...previous, view: still };
      }
    }
    return credentialFor(services, profiles, active, preferred ?? (previous ? undefined : startWith));
  }, [services, profiles, active, preferred, startWith]);
  if (found?.accessToken !== undefined) kept.current = found as Credential;
  const credential = found && 'accessToken' in found ? found : undefined;
  const account = found?.account;
  const problem = found && 'problem' in found ? found.problem : undefined;
  const [reloads, setReloads] = useState({ count: 0, quiet: false });
  // The profiles as of the last render, for the effect below to read without fetching again on each change.
  const latestProfiles = useRef(profiles);
  latestProfiles.current = profiles;
  const baseUrl = credential?.baseUrl;
  const accessToken = credential?.accessToken;
  const via = credential?.via;

  useEffect(() => {
    void reloads;
    if (!baseUrl || !accessToken || !via) {
      setData({
        status: problem ? 'error' : 'none',
        tokens: [],
        ...(account ? { account } : {}),
        ...(problem ? { error: problem } : {}),
      });
      return;
    }
    let live = true;
    setData((prev) =>
      (reloads.quiet && prev.account === account && prev.status !== 'none') ||
      (prev.status === 'loading' && prev.account === account && prev.via === via)
        ? prev
        : {
            status: 'loading',
            account,
            via,
            tokens: prev.account === account ? prev.tokens : [],
            ...(prev.account === account && prev.clients ? { clients: prev.clients } : {}),
          },
    );
    // The first fetch takes over the lists the dashboard's command asked for beside the screens' loading,
    // when they were asked for with this very token (account-prefetch.ts); a reload asks afresh.
    const prefetched =
      reloads.count === 0
        ? takeListsPrefetch(services, baseUrl, accessToken, (key, e) => log.set(key, e))
        : undefined;
    const clientsCall =
      prefetched?.clients ??
      services.chatApi(baseUrl, accessToken, (e) => log.set('clients', e)).then((api) => api.listClients());
    const tokensCall =
      prefetched?.tokens ??
      services
        .chatApi(baseUrl, accessToken, (e) => log.set('server-tokens', e))
        .then((api) => api.listTokens());
    // The first frame is drawn: while the answers are awaited, the stored tokens' hashes that linking them
    // to the server's list needs are computed (not before that frame: they cost it ~5 ms per 1,000).
    const warm = setImmediate(() => {
      const same = latestProfiles.current.filter((p) => accountKey(p) === account);
      void prepareLinks(same, () => live);
    });
    void Promise.allSettled([clientsCall, tokensCall]).then(([clients, tokens]) => {
      if (!live) return;
      const next: AccountData = { status: 'ok', account, via, tokens: [] };
      if (clients.status === 'fulfilled') next.clients = clients.value;
      else {
        next.status = 'error';
        next.error = toZchatError(clients.reason).sentence;
      }
      if (tokens.status === 'fulfilled') next.tokens = tokens.value;
      else next.tokensError = toZchatError(tokens.reason).sentence;
      setData(next);
    });
    return () => {
      live = false;
      clearImmediate(warm);
    };
  }, [services, baseUrl, accessToken, via, account, problem, log, reloads, setData]);

  const reload = useCallback(
    (o: { quiet?: boolean } = {}) => setReloads((r) => ({ count: r.count + 1, quiet: o.quiet === true })),
    [],
  );
  const patchClient = useCallback(
    (client: OAuthClient) => {
      setData((prev) =>
        prev.clients
          ? { ...prev, clients: prev.clients.map((c) => (c.id === client.id ? client : c)) }
          : prev,
      );
    },
    [setData],
  );
  const dropServerToken = useCallback(
    (id: number) => {
      setData((prev) => ({ ...prev, tokens: prev.tokens.filter((t) => t.id !== id) }));
    },
    [setData],
  );
  const api = useCallback(
    (logKey: string) =>
      baseUrl && accessToken ? services.chatApi(baseUrl, accessToken, (e) => log.set(logKey, e)) : undefined,
    [services, baseUrl, accessToken, log],
  );
  return useMemo(
    () => ({ data, reload, patchClient, dropServerToken, api }),
    [data, reload, patchClient, dropServerToken, api],
  );
}
