import { mask, maskForm, maskUrl } from '../redact.js';
import type { HttpExchange } from './types.js';

/** Headers curl sends on its own or that add nothing to a copied command. */
const skipped = new Set(['accept', 'user-agent', 'content-length', 'host', 'connection']);
const secretJsonKeys = new Set([
  'access_token',
  'refresh_token',
  'client_secret',
  'password',
  'code',
  'code_verifier',
]);

function singleQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Double quotes as the tutorial writes headers, unless the value holds something the shell expands. */
function headerQuoted(value: string): string {
  return /[$`"\\!]/.test(value) ? singleQuoted(value) : `"${value}"`;
}

function urlQuoted(url: string): string {
  return /^[A-Za-z0-9_.:/~%@+=,-]+$/.test(url) ? url : singleQuoted(url);
}

/** Headers whose whole value (after an auth scheme) is a credential. */
const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

function maskHeader(name: string, value: string): string {
  if (!secretHeaders.has(name.toLowerCase())) return value;
  const space = value.indexOf(' ');
  return space === -1 ? mask(value) : `${value.slice(0, space)} ${mask(value.slice(space + 1))}`;
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      secretJsonKeys.has(key) && typeof item === 'string' ? mask(item) : maskJson(item),
    ]),
  );
}

function maskBody(body: string): string {
  if (/^\s*[[{]/.test(body)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(body)));
    } catch {
      // Not JSON after all: fall through to the form rule.
    }
  }
  return maskForm(body);
}

/**
 * The exchange as a ready-to-run curl command, one option a line as in the tutorial:
 *
 *     curl https://acme.zendesk.com/oauth2/chat/token \
 *      -H "Content-Type: application/x-www-form-urlencoded" \
 *      -d 'grant_type=authorization_code&code=…' \
 *      -X POST
 *
 * Secrets (bearer token, client_secret, code, refresh_token, password) are masked unless `reveal`.
 */
export function toCurl(e: HttpExchange, o: { reveal: boolean }): string {
  const lines = [`curl ${urlQuoted(o.reveal ? e.url : maskUrl(e.url))}`];
  for (const [name, value] of Object.entries(e.requestHeaders)) {
    if (skipped.has(name.toLowerCase())) continue;
    lines.push(`-H ${headerQuoted(`${name}: ${o.reveal ? value : maskHeader(name, value)}`)}`);
  }
  if (e.requestBody !== undefined && e.requestBody !== '') {
    lines.push(`-d ${singleQuoted(o.reveal ? e.requestBody : maskBody(e.requestBody))}`);
  }
  const method = e.method.toUpperCase();
  // The tutorial spells out -X POST even where -d implies it; a GET with a body needs it too.
  if (method !== 'GET' || e.requestBody) lines.push(`-X ${method}`);
  return lines.join(' \\\n ');
}
