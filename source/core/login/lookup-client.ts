/** Finding an OAuth client on the server with any token stored for the same account (best effort). */
import type { TokenStore } from '../store/types.js';
import type { ChatApi } from '../zendesk/chat-api.js';
import { resolveBaseUrl } from '../zendesk/endpoints.js';
import type { OAuthClient } from '../zendesk/types.js';

/** How many stored tokens a lookup tries before it gives up (unknown, so nothing is said). */
export const MAX_TOKENS_TRIED = 3;

export type ClientLookup = (baseUrl: string, clientId: string) => Promise<OAuthClient | undefined>;

/**
 * The client whose client_identifier is `clientId`, listed with a token of a stored profile on the same
 * base URL; undefined when no such token exists or the call fails (listing clients needs an admin).
 */
export function clientLookup(
  store: Pick<TokenStore, 'list' | 'get'>,
  chatApi: (baseUrl: string, accessToken: string) => Promise<ChatApi>,
): ClientLookup {
  return async (baseUrl, clientId) => {
    // A few tokens at most: listing clients needs an admin's token, and a store of 1,000 non-admin profiles
    // must not become 1,000 requests while the login waits for the browser.
    const candidates = store
      .list()
      .filter((p) => p.token && safeBaseUrl(p.subdomain, p.baseUrl) === baseUrl)
      .slice(0, MAX_TOKENS_TRIED);
    for (const view of candidates) {
      const accessToken = store.get(view.name)?.token?.accessToken;
      if (!accessToken) continue;
      try {
        const api = await chatApi(baseUrl, accessToken);
        const clients = await api.listClients();
        return clients.find((c) => c.client_identifier === clientId);
      } catch {
        // This token cannot list clients (expired, not an admin): try the next one.
      }
    }
    return undefined;
  };
}

function safeBaseUrl(subdomain: string, override?: string): string | undefined {
  try {
    return resolveBaseUrl(subdomain, override);
  } catch {
    return undefined;
  }
}
