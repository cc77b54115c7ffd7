import { describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { hostOf, paths, resolveBaseUrl } from '../../../source/core/zendesk/endpoints.js';

describe('resolveBaseUrl', () => {
  it('builds https://{subdomain}.zendesk.com from a normalised subdomain', () => {
    expect(resolveBaseUrl('acme')).toBe('https://acme.zendesk.com');
    expect(resolveBaseUrl('https://ACME.zendesk.com/agent')).toBe('https://acme.zendesk.com');
    expect(resolveBaseUrl('acme', '   ')).toBe('https://acme.zendesk.com');
  });

  it('lets the override win, without a trailing slash', () => {
    expect(resolveBaseUrl('acme', 'http://127.0.0.1:43123')).toBe('http://127.0.0.1:43123');
    expect(resolveBaseUrl('acme', 'http://127.0.0.1:43123/')).toBe('http://127.0.0.1:43123');
    expect(resolveBaseUrl('acme', 'https://gateway.example/zendesk//')).toBe(
      'https://gateway.example/zendesk',
    );
    expect(resolveBaseUrl('', 'HTTP://[::1]:9000')).toBe('http://[::1]:9000');
    // The subdomain is not checked when the override is used (the sandbox ignores it).
    expect(resolveBaseUrl('not a subdomain', 'http://localhost:1')).toBe('http://localhost:1');
  });

  it.each([
    ['not a url', /not a valid URL/],
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['https://user:secret@example.com', /user name or password/],
    ['https://example.com/?q=1', /query or a fragment/],
    ['https://example.com/#x', /query or a fragment/],
  ])('refuses the override %j', (override, pattern) => {
    let caught: unknown;
    try {
      resolveBaseUrl('acme', override);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ZchatError);
    expect((caught as ZchatError).code).toBe('usage');
    expect((caught as ZchatError).message).toMatch(pattern);
    expect((caught as ZchatError).message).not.toContain('secret');
  });

  it.each([
    'http://127.0.0.1:1',
    'http://127.8.9.10:1',
    'http://localhost:1',
    'http://app.localhost:1',
    'http://[::1]:1',
    'https://acme.example',
  ])('allows %s (https, or plain http to this machine)', (override) => {
    expect(() => resolveBaseUrl('acme', override)).not.toThrow();
  });

  it.each([
    'http://acme.zendesk.com',
    'http://demo.zendesk.test:8443',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example',
    'http://[::2]',
  ])('refuses plain http to another machine: %s', (override) => {
    expect(() => resolveBaseUrl('acme', override)).toThrow(/uses http:\/\/ to another machine/);
  });

  it('refuses a bad subdomain when there is no override', () => {
    expect(() => resolveBaseUrl('acme.example.com')).toThrow(/not a zendesk\.com address/);
  });

  it('keeps the documented paths', () => {
    expect(paths).toEqual({
      authorize: '/oauth2/chat/authorizations/new',
      token: '/oauth2/chat/token',
      api: '/api/v2/chat',
    });
  });

  it('names the host of a base URL', () => {
    expect(hostOf('https://acme.zendesk.com')).toBe('acme.zendesk.com');
    expect(hostOf('http://127.0.0.1:4000/x')).toBe('127.0.0.1:4000');
    expect(hostOf('nonsense')).toBe('nonsense');
  });
});
