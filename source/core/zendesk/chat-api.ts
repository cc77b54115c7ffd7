import { sha256Hex } from '../redact.js';
import { hostOf, paths } from './endpoints.js';
import { createHttpClient, type HttpMethod, type HttpOptions, type HttpResponse } from './http.js';
import { unexpectedBody } from './http-errors.js';
import { parseClient, parseTokenInfo } from './shapes.js';
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
  listClients(o?: ListOptions): Promise<OAuthClient[]>;
  getClient(id: number): Promise<OAuthClient>;
  updateClient(id: number, patch: Partial<OAuthClientInput>): Promise<OAuthClient>;
  createClient(input: OAuthClientInput): Promise<OAuthClient>;
  deleteClient(id: number): Promise<void>;
  listTokens(o?: ListOptions): Promise<OAuthTokenInfo[]>;
  revokeToken(id: number): Promise<void>;
}

export interface ListOptions {
  /** The answer is read only once this settles (see HttpRequest.readAfter). */
  readAfter?: PromiseLike<unknown>;
  /** Called once the request has been sent (see HttpRequest.onSent). */
  onSent?: () => void;
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
  env?: HttpOptions['env'] /** Where ZCHAT_AUTH_DEBUG output goes (default: stderr, when the variable is set in `env`). */;
  debug?: HttpOptions['debug'];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A date without a zone (one third-party sample has none) is UTC, as Zendesk's own end in Z; JavaScript
 * would read it as local time. */
export function utcDate(value: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
}

/** A client with UTC dates (see utcDate). */
function withUtcDates(c: OAuthClient): OAuthClient {
  return {
    ...c,
    ...(c.create_date ? { create_date: utcDate(c.create_date) } : {}),
    ...(c.update_date ? { update_date: utcDate(c.update_date) } : {}),
  };
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

/** A token list entry without its values: the known fields are copied, never the whole object, so a value
 * under any other name (`token`, `access_token`) cannot ride along. */
export function tokenInfo(raw: Json): OAuthTokenInfo {
  const info: OAuthTokenInfo = {
    id: raw.id as number,
    scopes:
      typeof raw.scopes === 'string' ? raw.scopes : Array.isArray(raw.scopes) ? raw.scopes.join(' ') : '',
  };
  if (typeof raw.client_identifier === 'string') info.client_identifier = raw.client_identifier;
  if (typeof raw.client_id === 'number') info.client_id = raw.client_id;
  if (typeof raw.token_type === 'string') info.token_type = raw.token_type;
  if (typeof raw.create_date === 'string') info.create_date = utcDate(raw.create_date);
  if (typeof raw.expire_date === 'string') info.expire_date = utcDate(raw.expire_date);
  else if (raw.expire_date === null) info.expire_date = null;
  if (typeof raw.agent_id === 'number' || raw.agent_id === null) info.agent_id = raw.agent_id;
  if (typeof raw.access_token === 'string' && raw.access_token !== '') {
    info.access_token_sha256 = sha256Hex(raw.access_token);
  }
  if ('refresh_token' in raw) {
    info.has_refresh_token = typeof raw.refresh_token === 'string' && raw.refresh_token !== '';
  }
  return info;
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
    ...(o.debug ? { debug: o.debug } : {}),
  });
  const ctx = { host: hostOf(o.baseUrl), timeoutMs: o.timeoutMs ?? 0, endpoint: 'api' as const };

  function call(method: HttpMethod, path: string, json?: unknown, list?: ListOptions): Promise<HttpResponse> {
    return http.send({
      method,
      path: `${paths.api}${path}`,
      headers: { Authorization: `Bearer ${o.accessToken}` },
      ...(json === undefined ? {} : { json }),
      secrets: [o.accessToken],
      ...(list?.readAfter ? { readAfter: list.readAfter } : {}),
      ...(list?.onSent ? { onSent: list.onSent } : {}),
    });
  }

  async function client(method: HttpMethod, path: string, json?: unknown): Promise<OAuthClient> {
    const response = await call(method, path, json);
    const body =
      isRecord(response.body) && isClient(response.body.client) ? response.body.client : response.body;
    const parsed = parseClient(body);
    if (!parsed) throw unexpectedBody(response, ctx, 'the OAuth client');
    return withUtcDates(parsed);
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
    async listClients(options) {
      const response = await call('GET', '/oauth/clients', undefined, options);
      const list = listOf(response.body, 'clients');
      if (!list) throw unexpectedBody(response, ctx, 'the list of OAuth clients');
      return list
        .map(parseClient)
        .filter((c): c is OAuthClient => c !== undefined)
        .map(withUtcDates);
    },
    getClient: (id) => client('GET', `/oauth/clients/${encodeURIComponent(id)}`),
    updateClient: (id, patch) => client('PUT', `/oauth/clients/${encodeURIComponent(id)}`, patch),
    createClient: (input) => client('POST', '/oauth/clients', input),
    async deleteClient(id) {
      await call('DELETE', `/oauth/clients/${encodeURIComponent(id)}`);
    },
    async listTokens(options) {
      const response = await call('GET', '/oauth/tokens', undefined, options);
      const list = listOf(response.body, 'tokens');
      if (!list) throw unexpectedBody(response, ctx, 'the list of OAuth tokens');
      // Checked leniently, then copied field by field: the values the list carries never leave here.
      return list
        .map(parseTokenInfo)
        .filter((t): t is OAuthTokenInfo => t !== undefined)
        .map((t) => tokenInfo(t as unknown as Json));
    },
    async revokeToken(id) {
      await call('DELETE', `/oauth/tokens/${encodeURIComponent(id)}`);
    },
  };
}
