/** Shapes of the Zendesk Chat API, in the server's own names. */

export interface OAuthClient {
  id: number;
  name: string;
  company?: string | null;
  /** The API sends a string or a list: normalised to a list by the API client. */
  redirect_uris: string[];
  client_identifier: string;
  client_secret?: string | null;
  client_type: 'public' | 'confidential';
  scopes: string; // space separated
  agent_id?: number | null;
  create_date?: string;
  update_date?: string;
}

export interface OAuthClientInput {
  name: string;
  company?: string;
  redirect_uris: string[] | string;
  scopes?: string;
  client_type?: 'public' | 'confidential';
}

/**
 * One entry of the token list. The server sends `access_token` and `refresh_token` in full; the API client
 * drops them as it reads the answer and keeps only their SHA-256 (hex), so no listing, log or copy can
 * ever show a value, yet a stored token can be matched to its entry exactly.
 */
export interface OAuthTokenInfo {
  id: number;
  client_identifier?: string;
  client_id?: number;
  scopes: string;
  token_type?: string;
  create_date?: string;
  expire_date?: string | null;
  agent_id?: number | null;
  /** SHA-256 of the access token the server listed (ours, not the server's field). */
  access_token_sha256?: string;
  /** Whether the server listed a refresh token for it (its value is dropped). */
  has_refresh_token?: boolean;
}

export interface ChatAccount {
  account_key: string;
  status: string;
  plan?: Record<string, unknown> | string;
  create_date?: string;
  [key: string]: unknown;
}

export interface ChatsPage {
  chats: Record<string, unknown>[];
  count?: number;
  next_url: string | null;
}

/**
 * The last HTTP exchange of an action, for the details pane and "copy as curl".
 * Secret header values and body fields are kept here in full only inside the process, and `redacted`
 * forms are what screens show unless the user reveals them.
 */
export interface HttpExchange {
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  requestHeaders: Record<string, string>;
  /** Form or JSON body as sent, if any. */
  requestBody?: string;
  at: number;
}
