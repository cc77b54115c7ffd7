import { paths } from '../zendesk/endpoints.js';

export interface AuthorizeUrlParams {
  baseUrl: string;
  responseType: 'code' | 'token';
  clientId: string;
  scopes: string[];
  subdomain: string;
  /** Left out only when the client has exactly one registered redirect URI. */
  redirectUri?: string;
  state: string;
  /** PKCE S256 challenge; sent on every code-flow login unless the profile turned it off (--no-pkce). */
  codeChallenge?: string;
}

/**
 * The browser URL of the consent screen. Built by hand rather than with URLSearchParams, which would send
 * the scope as `read+write`: the documented form is `read%20write`.
 */
export function buildAuthorizeUrl(p: AuthorizeUrlParams): string {
  const params: [string, string][] = [
    ['response_type', p.responseType],
    ['client_id', p.clientId],
    ['scope', p.scopes.join(' ')],
    ['subdomain', p.subdomain],
  ];
  if (p.redirectUri) params.push(['redirect_uri', p.redirectUri]);
  params.push(['state', p.state]);
  if (p.codeChallenge) {
    params.push(['code_challenge', p.codeChallenge], ['code_challenge_method', 'S256']);
  }
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${p.baseUrl.replace(/\/+$/, '')}${paths.authorize}?${query}`;
}
