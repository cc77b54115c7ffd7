import { ZchatError } from '../errors.js';
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
}

export interface TokenClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  onExchange?: (e: HttpExchange) => void;
  /** Where proxy variables are read (default process.env). */
  env?: HttpOptions['env'];
}

/** The token endpoint's JSON in our own names; a 200 without an access token is a bad answer. */
export function toTokenResponse(
  body: unknown,
  grant: GrantType,
  requestedScope?: string,
): TokenResponse | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const accessToken = record.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) return undefined;
  const token: TokenResponse = {
    accessToken,
    tokenType: typeof record.token_type === 'string' && record.token_type ? record.token_type : 'Bearer',
    scope: typeof record.scope === 'string' ? record.scope : (requestedScope ?? ''),
    grant,
  };
  if (typeof record.refresh_token === 'string' && record.refresh_token)
    token.refreshToken = record.refresh_token;
  // Chat has not been seen to send expires_in; use it when it comes, as a number or a numeric string.
  const expiresIn = typeof record.expires_in === 'string' ? Number(record.expires_in) : record.expires_in;
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0)
    token.expiresIn = expiresIn;
  return token;
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
    const token = toTokenResponse(response.body, grant, form.scope);
    if (!token) {
      throw unexpectedBody(
        response,
        { host: hostOf(o.baseUrl), timeoutMs: o.timeoutMs ?? 0, endpoint: 'token', secrets },
        'an access token',
      );
    }
    return token;
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
  };
}
