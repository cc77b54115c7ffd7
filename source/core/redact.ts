/** The one place that masks secrets. Everything shown or logged passes through here. */
import { builtin } from './platform/builtin.js';

let crypto: typeof import('node:crypto') | undefined;

/**
 * node:crypto, loaded on first use: every command imports this module to mask its errors, and `token`,
 * which hashes nothing, would pay for loading crypto at every start.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= builtin('node:crypto');
  return crypto;
}

/**
 * SHA-256 (hex) of a secret: compares it with another exactly, shows nothing of it. One call of
 * `crypto.hash` where Node has it (20.12 on): the dashboard hashes every stored token and every token of the
 * server's list, and a Hash object per value took 3 to 10 times as long (18 ms of a 10,000-profile start).
 */
export function sha256Hex(value: string): string {
  const c = nodeCrypto();
  return typeof c.hash === 'function'
    ? c.hash('sha256', value, 'hex')
    : c.createHash('sha256').update(value).digest('hex');
}

/** `hat_abcdef...9f3c` → `hat_…9f3c`: enough to tell tokens apart, never enough to use one. */
export function mask(secret: string | undefined | null): string {
  if (!secret) return '';
  if (secret.length <= 8) return '…';
  const underscore = secret.indexOf('_');
  const prefix = underscore > 0 && underscore <= 6 ? secret.slice(0, underscore + 1) : secret.slice(0, 2);
  return `${prefix}…${secret.slice(-4)}`;
}

/** Replace every occurrence of each secret (and its URL-encoded form) in `text` with its mask. */
export function redact(text: string, secrets: Iterable<string | undefined | null>): string {
  let out = text;
  const list = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so a secret that contains another is masked whole.
  list.sort((a, b) => b.length - a.length);
  for (const secret of list) {
    const masked = mask(secret);
    out = out.split(secret).join(masked);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(masked);
  }
  return out;
}

const secretParams = ['access_token', 'refresh_token', 'code', 'client_secret', 'password', 'code_verifier'];

/** Mask the values of secret-bearing parameters in a URL, query string, form body or free text. */
export function redactParams(text: string): string {
  return text.replace(
    // A parameter starts a string, follows a URL/form separator, or stands as a word in prose.
    new RegExp(`([?&#\\s;,("']|^)(${secretParams.join('|')})=([^&#\\s"']+)`, 'g'),
    (_all, lead: string, key: string, value: string) =>
      `${lead}${key}=${mask(decodeURIComponentSafe(value))}`,
  );
}

function decodeFormPart(part: string): string {
  return decodeURIComponentSafe(part.replace(/\+/g, ' '));
}

/**
 * A form body or query string with the value of each secret field masked, whatever the value holds: the
 * pairs are parsed (split on `&`, keys decoded), not matched by pattern, so an apostrophe, a quote or a
 * space inside a secret cannot end the match early and leave its tail in clear.
 */
export function maskForm(form: string): string {
  return form
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0 || !secretParams.includes(decodeFormPart(pair.slice(0, eq)))) return pair;
      return `${pair.slice(0, eq)}=${mask(decodeFormPart(pair.slice(eq + 1)))}`;
    })
    .join('&');
}

/** A URL with the secret fields of its query and fragment masked (see maskForm). */
export function maskUrl(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const base = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const query = question < 0 ? '' : `?${maskForm(beforeHash.slice(question + 1))}`;
  const fragment = hash < 0 ? '' : `#${maskForm(url.slice(hash + 1))}`;
  return `${base}${query}${fragment}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
