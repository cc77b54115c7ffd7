import { ZchatError } from '../errors.js';
import { builtin } from '../platform/builtin.js';

// node:net on first use: it loads Node's stream and socket machinery, a few milliseconds of every
// `zchat-auth token`, which never looks at a proxy.
const isIP = (input: string) => builtin('node:net').isIP(input);

/** Environment as proxies read it; a plain record so tests pass their own. */
export type ProxyEnv = Record<string, string | undefined>;

export interface ProxyChoice {
  /** The proxy URL, normalised (a bare `host:port` gets `http://`). */
  url: string;
  /** Which variable it came from, for messages (`HTTPS_PROXY`, `http_proxy`...). */
  variable: string;
}

function bareHost(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** localhost (and *.localhost), 127.0.0.0/8, ::1 and the IPv4-mapped 127 addresses. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname).replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(host)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped ? mapped[1]!.startsWith('127.') : false;
  }
  return false;
}

function matchesEntry(host: string, port: string, rawEntry: string): boolean {
  let entry = rawEntry;
  let entryPort: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    entry = bracketed[1]!;
    entryPort = bracketed[2];
  } else if (isIP(entry) !== 6) {
    const withPort = /^(.*):(\d+)$/.exec(entry);
    if (withPort) {
      entry = withPort[1]!;
      entryPort = withPort[2];
    }
  }
  if (entryPort !== undefined && entryPort !== port) return false;
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(entry);
  if (cidr) {
    if (isIP(host) !== 4 || isIP(cidr[1]!) !== 4) return false;
    const bits = Number(cidr[2]);
    if (bits > 32) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (ipv4ToNumber(host) & mask) >>> 0 === (ipv4ToNumber(cidr[1]!) & mask) >>> 0;
  }
  if (entry.startsWith('*.')) entry = entry.slice(1);
  if (entry.startsWith('.')) return host === entry.slice(1) || host.endsWith(entry);
  return host === entry || host.endsWith(`.${entry}`);
}

/**
 * Whether a request to `url` goes direct: always for loopback, else when NO_PROXY (or no_proxy) names
 * the host. Entries: `*`, `host`, `.domain`, `*.domain`, `host:port`, IPs, `[::1]:port`, IPv4 CIDR.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  const host = bareHost(url.hostname);
  if (isLoopbackHost(host)) return true;
  if (!noProxy) return false;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => entry === '*' || matchesEntry(host, port, entry));
}

function pick(env: ProxyEnv, names: string[]): { value: string; variable: string } | undefined {
  for (const variable of names) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

/**
 * The proxy a request to `target` should use, from HTTPS_PROXY (https targets) or HTTP_PROXY (http
 * targets), lowercase first as curl does; undefined when it goes direct.
 */
export function proxyForUrl(target: string | URL, env: ProxyEnv = process.env): ProxyChoice | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const found = pick(env, names);
  if (!found) return undefined;
  if (bypassesProxy(url, env.no_proxy ?? env.NO_PROXY)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(found.value) ? found.value : `http://${found.value}`;
  let proxy: URL;
  try {
    proxy = new URL(withScheme);
  } catch {
    // The value is not echoed: it may carry proxy credentials.
    throw new ZchatError('usage', `The proxy setting ${found.variable} is not a valid URL.`, {
      hint: 'Set it to http://host:port, or unset it.',
    });
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new ZchatError('usage', `The proxy setting ${found.variable} must be an http:// or https:// URL.`, {
      hint: 'SOCKS proxies are not supported; use an HTTP proxy.',
    });
  }
  return { url: proxy.href, variable: found.variable };
}
