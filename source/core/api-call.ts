/**
 * A Chat API call as the stored profile, for `zchat-auth api` and `exec`: where a PATH points (never off
 * the profile's origin), fields as a JSON body or a query, and the call itself with its two recoveries:
 * a 401 with a refresh token stored refreshes once (through refreshProfile, under the store's lock) and
 * retries once; a 429 waits its Retry-After (capped) and retries. A request to the token endpoint is
 * never repeated: a retried exchange can burn a grant.
 */
import { ZchatError } from './errors.js';
import type { Profile, TokenStore } from './store/types.js';
import { paths, resolveBaseUrl } from './zendesk/endpoints.js';
import { httpTimeoutMs } from './zendesk/http-timeout.js';
import type { ProxyEnv } from './zendesk/proxy.js';
import { type RawResponse, sendRaw } from './zendesk/raw-http.js';
import type { TokenClient } from './zendesk/token-client.js';

export type FieldValue = string | number | boolean | null;
export type JsonValue = FieldValue | JsonValue[] | { [key: string]: JsonValue };

export function baseUrlOf(profile: Profile): string {
  return resolveBaseUrl(profile.subdomain, profile.baseUrl);
}

/** `https://acme.zendesk.com/api/v2/chat`: what relative paths are relative to (ZENDESK_CHAT_API). */
export function apiRootOf(profile: Profile): string {
  return `${baseUrlOf(profile)}${paths.api}`;
}

function foreign(shown: string, origin: string): ZchatError {
  return new ZchatError('usage', `${shown} is not on the profile's origin ${origin}; it was not called.`, {
    hint: 'zchat-auth api sends the token only to its own origin: give a path such as `chats`, or a URL on that origin.',
  });
}

/**
 * The URL a PATH argument names: `chats` and `/chats` under the API root; `/api/...` and `/oauth2/...`
 * from the base URL (so `/api/v2/chat/chats` works as the docs write it); a full URL only on the
 * profile's own origin.
 */
export function resolveApiUrl(baseUrl: string, pathArg: string): URL {
  const base = new URL(baseUrl);
  const trimmed = pathArg.trim();
  if (trimmed === '') throw new ZchatError('usage', 'Which path? Give one, e.g. `zchat-auth api chats`.');
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(trimmed.startsWith('//') ? `${base.protocol}${trimmed}` : trimmed);
    } catch {
      throw new ZchatError('usage', 'The path is not a valid URL.', {
        hint: 'Give a path such as `chats` or a full URL on the profile origin.',
      });
    }
    if (url.origin !== base.origin) throw foreign(`${url.protocol}//${url.host}`, base.origin);
    if (url.username || url.password)
      throw new ZchatError('usage', 'The URL may not carry a user name or password.');
    return url;
  }
  const fromBase = /^\/(api|oauth2)(\/|$)/.test(trimmed);
  const joined = fromBase ? `${baseUrl}${trimmed}` : `${baseUrl}${paths.api}/${trimmed.replace(/^\/+/, '')}`;
  const url = new URL(joined);
  // `chats/../../..` and friends resolve on the same origin; a backslash or control trick must not leave it.
  if (url.origin !== base.origin) throw foreign(url.origin, base.origin);
  return url;
}

/** Whether a URL is the token endpoint, whose POST must never be repeated. */
export function isTokenEndpoint(url: URL): boolean {
  return url.pathname.replace(/\/+$/, '').endsWith(paths.token);
}

// ---- fields -------------------------------------------------------------------------------------------

/** `name`, `name[key]`, `name[]`, `name[key][]`...: the path into the body a field key names. */
function keyPath(key: string): (string | null)[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) {
    throw new ZchatError('usage', `The field name "${key.slice(0, 40)}" is not valid.`, {
      hint: 'Use name=value, name[key]=value or name[]=value.',
    });
  }
  const parts: (string | null)[] = [match[1]!];
  for (const [, inner] of (match[2] ?? '').matchAll(/\[([^[\]]*)\]/g))
    parts.push(inner === '' ? null : inner!);
  return parts;
}

/** Fields as a JSON object: `a[b]=1` nests, `a[]=1 a[]=2` makes a list, a repeated plain key is refused. */
export function fieldsToBody(fields: readonly [string, FieldValue][]): Record<string, JsonValue> {
  const root: Record<string, JsonValue> = {};
  for (const [key, value] of fields) {
    const parts = keyPath(key);
    let node: Record<string, JsonValue> | JsonValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsList = !last && parts[i + 1] === null;
      if (part === null) {
        if (!Array.isArray(node)) throw conflict(key);
        if (last) {
          node.push(value);
        } else {
          // `a[][b]=1`: a list of objects; each new key that is already set starts the next object.
          const tail = node[node.length - 1];
          const nextKey = parts[i + 1];
          if (!isObject(tail) || (typeof nextKey === 'string' && nextKey in tail)) node.push({});
          node = node[node.length - 1] as Record<string, JsonValue>;
        }
        continue;
      }
      if (Array.isArray(node)) throw conflict(key);
      if (last) {
        if (Object.hasOwn(node, part)) throw conflict(key);
        node[part] = value;
        continue;
      }
      const existing: JsonValue | undefined = Object.hasOwn(node, part) ? node[part] : undefined;
      if (existing === undefined) node[part] = nextIsList ? [] : {};
      else if (nextIsList ? !Array.isArray(existing) : !isObject(existing)) throw conflict(key);
      node = node[part] as Record<string, JsonValue> | JsonValue[];
    }
  }
  return root;
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function conflict(key: string): ZchatError {
  return new ZchatError('usage', `The field "${key.slice(0, 40)}" is given twice or clashes with another.`, {
    hint: 'Use name[]=value to send a list.',
  });
}

/** Fields as query parameters, in order; `null` is sent as an empty value. */
export function addQuery(url: URL, fields: readonly [string, FieldValue][]): URL {
  const out = new URL(url);
  for (const [key, value] of fields) {
    keyPath(key);
    out.searchParams.append(key, value === null ? '' : String(value));
  }
  return out;
}

// ---- the call -----------------------------------------------------------------------------------------

export interface ApiExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBytes: number;
  response?: RawResponse;
  error?: ZchatError;
  durationMs: number;
}

export interface CallApiOptions {
  store: TokenStore;
  /** The profile to act as (undefined: the default, else the only one). */
  profile?: string;
  method: string;
  url: URL;
  /** The user's own headers; Authorization and Host are the command's. */
  headers?: Record<string, string>;
  body?: Buffer;
  env: ProxyEnv;
  timeoutMs?: number;
  makeTokenClient: (baseUrl: string) => Promise<TokenClient> | TokenClient;
  /** Waits out a 429; `seconds` is already capped. */
  wait: (seconds: number) => Promise<void>;
  /** Longest Retry-After waited out (default 60 s); a longer one is returned as the answer. */
  maxWaitSeconds?: number;
  /** How many 429s in a row are waited out (default 3). */
  maxRateRetries?: number;
  onExchange?: (exchange: ApiExchange) => void;
  /** Told when the token was refreshed (for a line on stderr). */
  onRefresh?: (rotatedElsewhere: boolean) => void;
}

export interface ApiResult {
  response: RawResponse;
  profile: Profile;
  /** The access token the answer was given to (after any refresh), for masking. */
  accessToken: string;
}

const userAgent = 'zendesk-chat-auth';

function requireToken(profile: Profile): string {
  const token = profile.token?.accessToken;
  if (!token) {
    throw new ZchatError('no_token', `No token is stored for profile "${profile.name}".`, {
      hint: 'Run `zchat-auth login` first.',
    });
  }
  return token;
}

/** One request as the profile, with the 401 and 429 recoveries described at the top of this file. */
export async function callApi(o: CallApiOptions): Promise<ApiResult> {
  const timeoutMs = o.timeoutMs ?? httpTimeoutMs(o.env, 30_000);
  let profile = o.store.resolve(o.profile);
  let accessToken = requireToken(profile);
  const origin = new URL(baseUrlOf(profile)).origin;
  if (o.url.origin !== origin) throw foreign(o.url.origin, origin);
  const once = isTokenEndpoint(o.url);
  let refreshed = false;
  let rateRetries = 0;
  for (;;) {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': userAgent,
      ...o.headers,
      Authorization: `Bearer ${accessToken}`,
    };
    const started = performance.now();
    let response: RawResponse;
    try {
      response = await sendRaw({
        url: o.url.href,
        method: o.method,
        headers,
        ...(o.body ? { body: o.body } : {}),
        timeoutMs,
        env: o.env,
        secrets: [accessToken, profile.token?.refreshToken, profile.clientSecret],
      });
    } catch (error) {
      o.onExchange?.({
        method: o.method,
        url: o.url.href,
        requestHeaders: headers,
        requestBytes: o.body?.length ?? 0,
        error: error as ZchatError,
        durationMs: performance.now() - started,
      });
      throw error;
    }
    o.onExchange?.({
      method: o.method,
      url: o.url.href,
      requestHeaders: headers,
      requestBytes: o.body?.length ?? 0,
      response,
      durationMs: performance.now() - started,
    });
    if (once) return { response, profile, accessToken };

    if (response.status === 401 && !refreshed && profile.token?.refreshToken) {
      refreshed = true;
      const { refreshProfile } = await import('./profile-actions.js');
      const outcome = await refreshProfile(o.store, profile.name, o.makeTokenClient);
      o.onRefresh?.(outcome.rotatedElsewhere);
      profile = o.store.resolve(profile.name);
      accessToken = outcome.token.accessToken;
      continue;
    }
    if (response.status === 429 && rateRetries < (o.maxRateRetries ?? 3)) {
      const header = response.headers['retry-after'];
      const { parseRetryAfter } = await import('./zendesk/http-errors.js');
      const after = parseRetryAfter(Array.isArray(header) ? header[0] : header) ?? 5;
      if (after > (o.maxWaitSeconds ?? 60)) return { response, profile, accessToken };
      rateRetries++;
      await o.wait(Math.max(after, 1));
      continue;
    }
    return { response, profile, accessToken };
  }
}

// ---- pagination ---------------------------------------------------------------------------------------

/**
 * The next page's URL from a Chat answer (`next_url`), or undefined on the last page. A next_url on
 * another origin is refused: following it would hand the token to that host.
 */
export function nextPageUrl(body: unknown, origin: string): URL | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const next = (body as Record<string, unknown>).next_url;
  if (typeof next !== 'string' || next === '') return undefined;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    throw new ZchatError(
      'bad_response',
      'The answer carried a next_url that is not a URL; pagination stopped.',
    );
  }
  if (url.origin !== origin) {
    throw new ZchatError(
      'bad_response',
      `The answer's next_url points to ${url.protocol}//${url.host}, not ${origin}; it was not followed, so the token stayed home.`,
    );
  }
  return url;
}
