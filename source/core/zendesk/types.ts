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

export interface OAuthTokenInfo {
  id: number;
  client_identifier?: string;
  client_id?: number;
  scopes: string;
  create_date?: string;
  expire_date?: string | null;
  agent_id?: number | null;
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
