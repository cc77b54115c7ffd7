/**
 * The account's two lists (clients, server tokens), requested by the dashboard's command while the screens
 * load, and handed to the dashboard's first fetch (useAccountData) when it is for the very same base URL and
 * token. Asked for only once the first frame was drawn, the answers came 110-125 ms after it (1,000
 * clients and tokens); asked for beside the screens' loading, they have arrived by then.
 *
 * The answers are read only when the dashboard takes them, after its first frame (the effect that fetches
 * runs then): parsing and shaping 1,000 records would otherwise land in the middle of that frame's work.
 * Free of React: the command starts this before the screens have loaded.
 */
import type { ProfileView } from '../core/store/types.js';
import type { HttpExchange, OAuthClient, OAuthTokenInfo } from '../core/zendesk/types.js';
import type { Services } from '../services.js';
import { type Credential, firstCredential } from './account-credential.js';

/** The exchange log's keys of the two lists (useAccountData logs its own fetches under the same). */
export type ListLogKey = 'clients' | 'server-tokens';

export interface ListsPrefetch {
  clients: Promise<OAuthClient[]>;
  tokens: Promise<OAuthTokenInfo[]>;
}

interface Pending extends ListsPrefetch {
  baseUrl: string;
  accessToken: string;
  /** Lets the answers be read (see readAfter). */
  release(): void;
  /** Where the exchanges go once taken; before that they wait in `early`. */
  onExchange?: (key: ListLogKey, e: HttpExchange) => void;
  early: [ListLogKey, HttpExchange][];
}

/** One prefetch per services object (one dashboard start), until the dashboard takes or drops it. */
const pending = new WeakMap<Services, Pending>();

/**
 * Sends the two list requests the dashboard's first fetch would send, with the credential it would use
 * (firstCredential, from the same store listing and the same profile asked for). Nothing when no stored
 * token can be read: the dashboard then says why, as before. Resolves once both requests have been written
 * to the network, or after `sendMs` at most; never rejects. The first frame is drawn in one synchronous
 * stretch: a request not yet written by then (its socket connects on a later turn of the event loop) left
 * only after it, and its answer came 40-60 ms after the frame instead of beside it. A loopback server is
 * written to within a turn or two; a remote one needs its handshake first, which no short wait covers:
 * the bound keeps what a slow network can cost the first frame small (the screens' own loading, yoga's
 * WebAssembly included, runs meanwhile).
 */
export async function prefetchLists(
  services: Services,
  profiles: readonly ProfileView[],
  initialProfile?: string,
  sendMs = 10,
): Promise<void> {
  let found: ReturnType<typeof firstCredential>;
  try {
    found = firstCredential(services, profiles, initialProfile);
  } catch {
    return; // the dashboard reads the store again, and says what is wrong
  }
  if (!found || !('accessToken' in found)) return;
  const { baseUrl, accessToken } = found as Credential;
  let release = () => {};
  const readAfter = new Promise<void>((resolve) => {
    release = resolve;
  });
  const entry: Pending = {
    baseUrl,
    accessToken,
    release,
    early: [],
    clients: undefined!,
    tokens: undefined!,
  };
  const logUnder = (key: ListLogKey) => (e: HttpExchange) => {
    if (entry.onExchange) entry.onExchange(key, e);
    else entry.early.push([key, e]);
  };
  let unsent = 2;
  let timer: NodeJS.Timeout | undefined;
  const sent = new Promise<void>((resolve) => {
    const onSent = () => {
      let done = false;
      return () => {
        if (done) return; // a retry sends again
        done = true;
        if (--unsent === 0) resolve();
      };
    };
    entry.clients = services
      .chatApi(baseUrl, accessToken, logUnder('clients'))
      .then((api) => api.listClients({ readAfter, onSent: onSent() }));
    entry.tokens = services
      .chatApi(baseUrl, accessToken, logUnder('server-tokens'))
      .then((api) => api.listTokens({ readAfter, onSent: onSent() }));
    timer = setTimeout(resolve, sendMs);
  });
  // Failures are the dashboard's to show, once it takes them; dropped, they are nobody's.
  entry.clients.catch(() => undefined);
  entry.tokens.catch(() => undefined);
  pending.set(services, entry);
  await sent;
  clearTimeout(timer);
}

/**
 * The prefetched lists, once, when they were asked for with exactly this base URL and token: their
 * exchanges so far are replayed to `onExchange`, later ones go there as they come, and the answers are read
 * from now on. Any other credential drops them (read, unused) and gets undefined: the caller fetches as before.
 */
export function takeListsPrefetch(
  services: Services,
  baseUrl: string,
  accessToken: string,
  onExchange: (key: ListLogKey, e: HttpExchange) => void,
): ListsPrefetch | undefined {
  const entry = pending.get(services);
  if (!entry) return undefined;
  pending.delete(services);
  if (entry.baseUrl !== baseUrl || entry.accessToken !== accessToken) {
    // Read and let go, so their connections are freed; their failures were already caught.
    entry.release();
    return undefined;
  }
  entry.onExchange = onExchange;
  for (const [key, e] of entry.early.splice(0)) onExchange(key, e);
  entry.release();
  return { clients: entry.clients, tokens: entry.tokens };
}
