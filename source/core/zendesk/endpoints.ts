import { ZchatError } from '../errors.js';
import { normalizeSubdomain } from './subdomain.js';

/** Paths are the same on Zendesk, on the sandbox and behind any base-URL override. */
export const paths = {
  authorize: '/oauth2/chat/authorizations/new',
  token: '/oauth2/chat/token',
  api: '/api/v2/chat',
} as const;

function refuseOverride(problem: string): never {
  throw new ZchatError('usage', `The base URL ${problem}`, {
    hint: 'Use an http(s) URL such as https://acme.zendesk.com or the sandbox URL.',
  });
}

/**
 * The URL that paths are appended to: the override when given (sandbox, test servers), else
 * `https://{subdomain}.zendesk.com`. Never ends with a slash.
 */
export function resolveBaseUrl(subdomain: string, override?: string): string {
  const raw = override?.trim();
  if (raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refuseOverride('is not a valid URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      refuseOverride('must start with http:// or https://.');
    // Over plain http a token, a code or the client secret can be read by anyone on the way; only this
    // machine (the sandbox, a local proxy) is spared that.
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new ZchatError('usage', `The base URL ${url.origin} uses http:// to another machine.`, {
        hint: 'Use https:// (http:// is allowed only for localhost, 127.0.0.1 and ::1).',
      });
    }
    // Credentials in a URL end up in logs, process lists and curl lines.
    if (url.username || url.password) refuseOverride('may not carry a user name or password.');
    if (url.search || url.hash) refuseOverride('may not carry a query or a fragment.');
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.protocol}//${url.host}${path}`;
  }
  return `https://${normalizeSubdomain(subdomain)}.zendesk.com`;
}

/** localhost, 127.0.0.0/8 and ::1: traffic to them never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '::1' ||
    host === '::ffff:127.0.0.1' ||
    host === '::ffff:7f00:1'
  );
}

/** The host (and port, when not the default) a base URL points at, for error sentences. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
