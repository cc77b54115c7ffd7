import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '../../../source/core/oauth/authorize-url.js';

const base = {
  baseUrl: 'https://acme.zendesk.com',
  clientId: 'my_client',
  scopes: ['read', 'write'],
  subdomain: 'acme',
  state: 'st4te',
};

describe('buildAuthorizeUrl', () => {
  it('builds the documented code request with the scope as read%20write and an encoded redirect_uri', () => {
    const url = buildAuthorizeUrl({ ...base, responseType: 'code', redirectUri: 'http://localhost:8080' });
    expect(url).toBe(
      'https://acme.zendesk.com/oauth2/chat/authorizations/new?response_type=code&client_id=my_client' +
        '&scope=read%20write&subdomain=acme&redirect_uri=http%3A%2F%2Flocalhost%3A8080&state=st4te',
    );
    expect(url).not.toContain('+');
    expect(url).not.toContain('code_challenge');
  });

  it('asks for a token in the implicit flow and leaves redirect_uri out when not given', () => {
    const url = new URL(
      buildAuthorizeUrl({ ...base, responseType: 'token', scopes: ['read', 'write', 'chat'] }),
    );
    expect(url.searchParams.get('response_type')).toBe('token');
    expect(url.searchParams.has('redirect_uri')).toBe(false);
    expect(url.search).toContain('scope=read%20write%20chat');
  });

  it('adds the PKCE challenge only when asked, and drops a trailing slash from the base URL', () => {
    const url = buildAuthorizeUrl({
      ...base,
      baseUrl: 'http://127.0.0.1:4000/',
      responseType: 'code',
      redirectUri: 'http://localhost:8080/cb?x=1&y=2',
      codeChallenge: 'abc-_',
    });
    expect(url.startsWith('http://127.0.0.1:4000/oauth2/chat/authorizations/new?')).toBe(true);
    const q = new URL(url).searchParams;
    expect(q.get('code_challenge')).toBe('abc-_');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toBe('http://localhost:8080/cb?x=1&y=2');
  });

  it('encodes characters that would break the query', () => {
    const url = buildAuthorizeUrl({ ...base, responseType: 'code', clientId: 'a&b=c', state: 's/t+u' });
    const q = new URL(url).searchParams;
    expect(q.get('client_id')).toBe('a&b=c');
    expect(q.get('state')).toBe('s/t+u');
  });
});
