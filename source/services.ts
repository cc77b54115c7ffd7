/**
 * The small context object every command and screen receives, so each can be tested against the real
 * sandbox or a fake, and nothing reaches for globals. Factories are async so that got (and the modules that
 * use it) load only on the paths that make HTTP calls.
 */

import type { TokenStore } from './core/store/types.js';
import type { ChatApi } from './core/zendesk/chat-api.js';
import type { TokenClient } from './core/zendesk/token-client.js';
import type { HttpExchange } from './core/zendesk/types.js';

export interface Services {
  store: TokenStore;
  env: NodeJS.ProcessEnv;
  /** Token endpoint client for a base URL (see resolveBaseUrl). */
  tokenClient(baseUrl: string, onExchange?: (e: HttpExchange) => void): Promise<TokenClient>;
  /** Chat REST client for a base URL and access token. */
  chatApi(baseUrl: string, accessToken: string, onExchange?: (e: HttpExchange) => void): Promise<ChatApi>;
  /** Opens the user's browser when it can, and says why not when it cannot. */
  openBrowser(url: string): Promise<{ opened: boolean; reason?: string }>;
  now(): Date;
}
