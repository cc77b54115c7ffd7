import { hostOf, paths } from './endpoints.js';
import { createHttpClient, type HttpMethod, type HttpOptions, type HttpResponse } from './http.js';
import { unexpectedBody } from './http-errors.js';
import type {
  ChatAccount,
  ChatsPage,
  HttpExchange,
  OAuthClient,
  OAuthClientInput,
  OAuthTokenInfo,
} from './types.js';

export interface ChatApi {
  chats(): Promise<ChatsPage>;
  account(): Promise<ChatAccount>;
  listClients(): Promise<OAuthClient[]>;
  getClient(id: number): Promise<OAuthClient>;
  updateClient(id: number, patch: Partial<OAuthClientInput>): Promise<OAuthClient>;
  createClient(input: OAuthClientInput): Promise<OAuthClient>;
  deleteClient(id: number): Promise<void>;
  listTokens(): Promise<OAuthTokenInfo[]>;
  revokeToken(id: number): Promise<void>;
}

export interface ChatApiOptions {
  baseUrl: string;
  accessToken: string;
  timeoutMs?: number;
  /** GET retries (default 2); other methods are never retried. */
  retries?: number;
  onExchange?: (e: HttpExchange) => void;
  /** Longest Retry-After a GET waits out (default 30 s); tests make it short. */
  maxRetryAfterMs?: number;
  /** First backoff delay (default 1 s). */
  retryDelayMs?: number;
  env?: HttpOptions['env'];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isClient(value: unknown): value is Json {
  return isRecord(value) && typeof value.id === 'number';
}

/** A list that may come bare or wrapped (`{"clients": [...]}`). */
function listOf(body: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (isRecord(body) && Array.isArray(body[key])) return body[key] as unknown[];
  return undefined;
}

/** The Chat REST API with a Bearer token. GETs retry (backoff, Retry-After); writes never do. */
export function createChatApi(o: ChatApiOptions): ChatApi {
  const http = createHttpClient({
    baseUrl: o.baseUrl,
    endpoint: 'api',
    ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    ...(o.retries === undefined ? {} : { retries: o.retries }),
    ...(o.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: o.maxRetryAfterMs }),
    ...(o.retryDelayMs === undefined ? {} : { retryDelayMs: o.retryDelayMs }),
    ...(o.onExchange ? { onExchange: o.onExchange } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  const ctx = { host: hostOf(o.baseUrl), timeoutMs: o.timeoutMs ?? 0, endpoint: 'api' as const };

  function call(method: HttpMethod, path: string, json?: unknown): Promise<HttpResponse> {
    return http.send({
      method,
      path: `${paths.api}${path}`,
      headers: { Authorization: `Bearer ${o.accessToken}` },
      ...(json === undefined ? {} : { json }),
      secrets: [o.accessToken],
    });
  }

  async function client(method: HttpMethod, path: string, json?: unknown): Promise<OAuthClient> {
    const response = await call(method, path, json);
    const body =
      isRecord(response.body) && isClient(response.body.client) ? response.body.client : response.body;
    const { parseClient } = await import('./shapes.js');
    const parsed = parseClient(body);
    if (!parsed) throw unexpectedBody(response, ctx, 'the OAuth client');
    return parsed;
  }

  return {
    async chats() {
      const response = await call('GET', '/chats');
      const body = response.body;
      if (!isRecord(body) || !Array.isArray(body.chats))
        throw unexpectedBody(response, ctx, 'the chats list');
      const page: ChatsPage = {
        chats: body.chats.filter(isRecord),
        next_url: typeof body.next_url === 'string' ? body.next_url : null,
      };
      if (typeof body.count === 'number') page.count = body.count;
      return page;
    },
    async account() {
      const response = await call('GET', '/account');
      if (!isRecord(response.body)) throw unexpectedBody(response, ctx, 'the account');
      return response.body as ChatAccount;
    },
    async listClients() {
      const response = await call('GET', '/oauth/clients');
      const list = listOf(response.body, 'clients');
      if (!list) throw unexpectedBody(response, ctx, 'the list of OAuth clients');
      const { parseClient } = await import('./shapes.js');
      return list.map(parseClient).filter((c): c is OAuthClient => c !== undefined);
    },
    getClient: (id) => client('GET', `/oauth/clients/${encodeURIComponent(id)}`),
    updateClient: (id, patch) => client('PUT', `/oauth/clients/${encodeURIComponent(id)}`, patch),
    createClient: (input) => client('POST', '/oauth/clients', input),
    async deleteClient(id) {
      await call('DELETE', `/oauth/clients/${encodeURIComponent(id)}`);
    },
    async listTokens() {
      const response = await call('GET', '/oauth/tokens');
      const list = listOf(response.body, 'tokens');
      if (!list) throw unexpectedBody(response, ctx, 'the list of OAuth tokens');
      const { parseTokenInfo } = await import('./shapes.js');
      return list.map(parseTokenInfo).filter((t): t is OAuthTokenInfo => t !== undefined);
    },
    async revokeToken(id) {
      await call('DELETE', `/oauth/tokens/${encodeURIComponent(id)}`);
    },
  };
}
