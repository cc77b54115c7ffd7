/** Finding an OAuth client on the server with any token stored for the same account (best effort). */

import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import type { OAuthClient } from '../core/zendesk/types.js';
import type { Services } from '../services.js';

/**
 * The client whose client_identifier is `clientId`, listed with a token of a stored profile on the same
 * base URL; undefined when no such token exists or the call fails (listing clients needs an admin).
 */
export async function lookupClient(
  services: Services,
  baseUrl: string,
  clientId: string,
): Promise<OAuthClient | undefined> {
  const candidates = services.store
    .list()
    .filter((p) => p.token && safeBaseUrl(p.subdomain, p.baseUrl) === baseUrl);
  for (const view of candidates) {
    const accessToken = services.store.get(view.name)?.token?.accessToken;
    if (!accessToken) continue;
    try {
      const api = await services.chatApi(baseUrl, accessToken);
      const clients = await api.listClients();
      return clients.find((c) => c.client_identifier === clientId);
    } catch {
      // This token cannot list clients (expired, not an admin): try the next one.
    }
  }
  return undefined;
}

function safeBaseUrl(subdomain: string, override?: string): string | undefined {
  try {
    return resolveBaseUrl(subdomain, override);
  } catch {
    return undefined;
  }
}
