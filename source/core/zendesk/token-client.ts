import { ZchatError } from '../errors.js';
import { clampExpiresIn, tokenValueProblem } from '../oauth/token-values.js';
import type { GrantType, TokenResponse } from '../oauth/types.js';
import { hostOf, paths } from './endpoints.js';
import { createHttpClient, type HttpOptions, type HttpResponse } from './http.js';
import { unexpectedBody } from './http-errors.js';
import type { HttpExchange } from './types.js';

export interface TokenClient {
  exchangeCode(p: {
    code: string;
    clientId: string;
    clientSecret?: string;
    redirectUri: string;
    scope: string;
    codeVerifier?: string;
  }): Promise<TokenResponse>;
  refresh(p: { refreshToken: string; clientId: string; clientSecret?: string }): Promise<TokenResponse>;
  clientCredentials(p: { clientId: string; clientSecret: string; scope: string }): Promise<TokenResponse>;
  password(p: {
    username: string;
    password: string;
    clientId: string;
    clientSecret?: string;
    scope: string;
  }): Promise<TokenResponse>;
  /**
   * Warms the exchange while the browser is out (see HttpClient.prepare): the code's exchange after the
   * redirect then runs compiled code. Sends nothing to the server; never fails.
   */
  prepare?(): Promise<void>;
}

export interface TokenClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  onExchange?: (e: HttpExchange) => void;
  /** Where proxy variables are read (default process.env). */
  env?: HttpOptions['env'] /** Where ZCHAT_AUTH_DEBUG output goes (default: stderr, when the variable is set in `env`). */;
  debug?: HttpOptions['debug'];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * The token endpoint's JSON in our own names, or what is wrong with it (a phrase: "access_token contains
 * control characters"). A reply with a bad field is refused whole: nothing of it may be stored.
 */
export function readTokenReply(
  body: unknown,
  grant: GrantType,
  requestedScope?: string,
): { token: TokenResponse } | { problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { problem: 'no access_token (the answer is not a JSON object)' };
  const record = body as Record<string, unknown>;
  const strings: Partial<Record<'access_token' | 'refresh_token' | 'token_type' | 'scope', string>> = {};
  for (const name of ['access_token', 'refresh_token', 'token_type', 'scope'] as const) {
    const value = record[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return { problem: `${name} is ${kindOf(value)}, not a string` };
    const problem = tokenValueProblem(name, value);
    if (problem) return { problem };
    strings[name] = value;
  }
  if (!strings.access_token) return { problem: 'no access_token' };
  const token: TokenResponse = {
    accessToken: strings.access_token,
    tokenType: strings.token_type ?? 'Bearer',
    scope: strings.scope ?? requestedScope ?? '',
    grant,
  };
  if (strings.refresh_token) token.refreshToken = strings.refresh_token;
  // Chat has not been seen to send expires_in; use it when it comes, as a number or a numeric string.
  const expiresIn = clampExpiresIn(record.expires_in);
  if (expiresIn !== undefined) token.expiresIn = expiresIn;
  return { token };
}

/** readTokenReply's token, or undefined when the reply is not a usable one. */
export function toTokenResponse(
  body: unknown,
  grant: GrantType,
  requestedScope?: string,
): TokenResponse | undefined {
  const read = readTokenReply(body, grant, requestedScope);
  return 'token' in read ? read.token : undefined;
}

/**
 * Form-encoded POSTs to /oauth2/chat/token. Never retried: a repeated exchange can burn a code or a
 * single-use refresh token.
 */
export function createTokenClient(o: TokenClientOptions): TokenClient {
  const http = createHttpClient({
    baseUrl: o.baseUrl,
    endpoint: 'token',
    retries: 0,
    ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    ...(o.onExchange ? { onExchange: o.onExchange } : {}),
    ...(o.env ? { env: o.env } : {}),
    ...(o.debug ? { debug: o.debug } : {}),
  });

  async function post(
    grant: GrantType,
    form: Record<string, string | undefined>,
    secrets: (string | undefined)[],
  ): Promise<TokenResponse> {
    const response: HttpResponse = await http.send({
      method: 'POST',
      path: paths.token,
      form,
      secrets,
      grant,
    });
    const read = readTokenReply(response.body, grant, form.scope);
    if ('token' in read) return read.token;
    const ctx = { host: hostOf(o.baseUrl), timeoutMs: o.timeoutMs ?? 0, endpoint: 'token' as const, secrets };
    if (read.problem.startsWith('no access_token')) throw unexpectedBody(response, ctx, 'an access token');
    throw new ZchatError(
      'bad_response',
      `The token endpoint at ${ctx.host} answered ${response.status} but its ${read.problem}, so nothing was stored.`,
      { status: response.status, hint: 'Check the base URL; a real Zendesk never sends such a token.' },
    );
  }

  return {
    exchangeCode: (p) =>
      post(
        'authorization_code',
        {
          grant_type: 'authorization_code',
          code: p.code,
          client_id: p.clientId,
          client_secret: p.clientSecret,
          redirect_uri: p.redirectUri,
          scope: p.scope,
          code_verifier: p.codeVerifier,
        },
        [p.code, p.clientSecret, p.codeVerifier],
      ),
    refresh: (p) =>
      post(
        'refresh_token',
        {
          grant_type: 'refresh_token',
          refresh_token: p.refreshToken,
          client_id: p.clientId,
          client_secret: p.clientSecret,
        },
        [p.refreshToken, p.clientSecret],
      ),
    clientCredentials: (p) => {
      if (!p.clientSecret) {
        return Promise.reject(
          new ZchatError('usage', 'The client credentials grant needs the client secret.', {
            hint: 'Set ZENDESK_CHAT_CLIENT_SECRET or use --client-secret-stdin.',
          }),
        );
      }
      return post(
        'client_credentials',
        {
          grant_type: 'client_credentials',
          client_id: p.clientId,
          client_secret: p.clientSecret,
          scope: p.scope,
        },
        [p.clientSecret],
      );
    },
    password: (p) =>
      post(
        'password',
        {
          grant_type: 'password',
          username: p.username,
          password: p.password,
          client_id: p.clientId,
          client_secret: p.clientSecret,
          scope: p.scope,
        },
        [p.password, p.clientSecret],
      ),
    prepare: () =>
      http.prepare({
        method: 'POST',
        path: paths.token,
        form: { grant_type: 'authorization_code', code: 'warm-up', client_id: 'warm-up', scope: 'read' },
        grant: 'authorization_code',
      }),
  };
}
