import { describe, expect, it } from 'vitest';
import type { ZchatError } from '../../../source/core/errors.js';
import { bypassesProxy, isLoopbackHost, proxyForUrl } from '../../../source/core/zendesk/proxy.js';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'app.localhost',
    'localhost.',
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each([
    'acme.zendesk.com',
    '128.0.0.1',
    '10.0.0.1',
    '::2',
    '::ffff:10.0.0.1',
    'localhost.example.com',
    '127.example',
  ])('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('bypassesProxy', () => {
  const url = (s: string) => new URL(s);
  it('always bypasses loopback, whatever NO_PROXY says', () => {
    expect(bypassesProxy(url('http://127.0.0.1:8080/'), undefined)).toBe(true);
    expect(bypassesProxy(url('http://[::1]:8080/'), '')).toBe(true);
    expect(bypassesProxy(url('http://localhost/'), 'example.com')).toBe(true);
  });

  it.each([
    ['*', 'https://acme.zendesk.com', true],
    ['zendesk.com', 'https://acme.zendesk.com', true],
    ['zendesk.com', 'https://zendesk.com', true],
    ['.zendesk.com', 'https://acme.zendesk.com', true],
    ['.zendesk.com', 'https://zendesk.com', true],
    ['*.zendesk.com', 'https://acme.zendesk.com', true],
    ['acme.zendesk.com', 'https://acme.zendesk.com', true],
    ['ACME.zendesk.com', 'https://acme.zendesk.com', true],
    ['other.com, acme.zendesk.com', 'https://acme.zendesk.com', true],
    ['other.com acme.zendesk.com', 'https://acme.zendesk.com', true],
    ['acme.zendesk.com:443', 'https://acme.zendesk.com', true],
    ['acme.zendesk.com:8443', 'https://acme.zendesk.com', false],
    ['acme.zendesk.com:80', 'http://acme.zendesk.com', true],
    ['endesk.com', 'https://acme.zendesk.com', false],
    ['other.com', 'https://acme.zendesk.com', false],
    ['10.0.0.0/8', 'http://10.1.2.3/', true],
    ['10.0.0.0/8', 'http://11.1.2.3/', false],
    ['0.0.0.0/0', 'http://11.1.2.3/', true],
    ['10.0.0.0/33', 'http://10.1.2.3/', false],
    ['10.0.0.0/8', 'https://acme.zendesk.com', false],
    ['10.1.2.3', 'http://10.1.2.3:81/', true],
    ['[2001:db8::1]:443', 'https://[2001:db8::1]/', true],
    ['[2001:db8::1]:80', 'https://[2001:db8::1]/', false],
    ['2001:db8::1', 'https://[2001:db8::1]/', true],
    ['', 'https://acme.zendesk.com', false],
  ])('NO_PROXY=%j for %s → %s', (noProxy, target, expected) => {
    expect(bypassesProxy(url(target), noProxy)).toBe(expected);
  });
});

describe('proxyForUrl', () => {
  it('uses HTTPS_PROXY for https targets and HTTP_PROXY for http ones, lowercase first', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128' };
    expect(proxyForUrl('https://acme.zendesk.com', env)).toEqual({
      url: 'http://secure:3128/',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyForUrl('http://acme.zendesk.com', env)).toEqual({
      url: 'http://plain:3128/',
      variable: 'HTTP_PROXY',
    });
    expect(proxyForUrl('https://acme.zendesk.com', { ...env, https_proxy: 'http://lower:1' })?.variable).toBe(
      'https_proxy',
    );
    expect(proxyForUrl('http://acme.zendesk.com', { http_proxy: 'lower:8' })).toEqual({
      url: 'http://lower:8/',
      variable: 'http_proxy',
    });
  });

  it('goes direct without a proxy variable, for NO_PROXY hosts and for loopback', () => {
    expect(proxyForUrl('https://acme.zendesk.com', {})).toBeUndefined();
    expect(proxyForUrl('https://acme.zendesk.com', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(
      proxyForUrl('https://acme.zendesk.com', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.zendesk.com' }),
    ).toBeUndefined();
    expect(
      proxyForUrl('https://acme.zendesk.com', { HTTPS_PROXY: 'http://p:1', no_proxy: 'acme.zendesk.com' }),
    ).toBeUndefined();
    expect(proxyForUrl('http://127.0.0.1:4000', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyForUrl(new URL('http://localhost:4000'), { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyForUrl('https://acme.zendesk.com', { HTTPS_PROXY: '   ' })).toBeUndefined();
  });

  it('refuses a proxy value that is not an http(s) URL, without echoing it', () => {
    const attempt = (value: string) => {
      try {
        proxyForUrl('https://acme.zendesk.com', { HTTPS_PROXY: value });
      } catch (error) {
        return error as ZchatError;
      }
      throw new Error('accepted');
    };
    const bad = attempt('http://user:pa ss@[bad');
    expect(bad.code).toBe('usage');
    expect(bad.message).toBe('The proxy setting HTTPS_PROXY is not a valid URL.');
    expect(bad.message).not.toContain('pa ss');
    expect(attempt('socks5://user:pw@proxy:1080').message).toMatch(/must be an http:\/\/ or https:\/\/ URL/);
  });
});
