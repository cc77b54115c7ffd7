import { ZchatError } from '../errors.js';

/** One DNS label: what Zendesk puts before `.zendesk.com`. */
const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const zendeskHost = /^([^.]+)\.zendesk\.com$/;
const example = 'e.g. acme for acme.zendesk.com';

function refuse(problem: string): never {
  // The input is never echoed: a pasted redirect URL can carry a code or a token.
  throw new ZchatError('invalid_subdomain', `${problem} Enter the Zendesk subdomain, ${example}.`);
}

function checkLabel(value: string): string {
  if (value.length === 0) refuse('The subdomain is empty.');
  if (value.length > 63) refuse('The subdomain is longer than 63 characters.');
  if (/[^\x20-\x7e]/.test(value)) refuse('The subdomain may only contain ASCII letters, digits and hyphens.');
  if (/\s/.test(value)) refuse('The subdomain may not contain spaces.');
  if (value.startsWith('-') || value.endsWith('-'))
    refuse('The subdomain may not start or end with a hyphen.');
  if (!label.test(value)) refuse('The subdomain may only contain letters, digits and hyphens.');
  return value;
}

/** `acme.zendesk.com` → `acme`; anything with a dot that is not a Zendesk host is refused. */
function fromHost(host: string): string {
  if (host.includes(':')) refuse('The address may not carry a port.');
  if (!host.includes('.')) return checkLabel(host);
  const match = zendeskHost.exec(host);
  if (!match) refuse('That is not a zendesk.com address.');
  return checkLabel(match[1]!);
}

/**
 * Accepts `acme`, `ACME`, `acme.zendesk.com` and `https://acme.zendesk.com/any/path` and returns `acme`.
 * Throws ZchatError('invalid_subdomain') with a one-line sentence for everything else.
 */
export function normalizeSubdomain(input: string): string {
  const value = input.trim().toLowerCase();
  if (value.length === 0) refuse('The subdomain is empty.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(value);
  if (scheme) {
    if (scheme[1] !== 'https' && scheme[1] !== 'http') refuse('Only https:// addresses are accepted.');
    const rest = value.slice(scheme[0].length);
    const end = rest.search(/[/?#]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    if (authority.includes('@')) refuse('The address may not carry a user name or password.');
    return fromHost(authority);
  }
  if (/^[a-z][a-z0-9+.-]*:(?!\d)/.test(value)) refuse('Only https:// addresses are accepted.');
  if (/[/\\?#@]/.test(value)) refuse('The subdomain may not contain slashes or other URL parts.');
  return fromHost(value);
}

/** The same rule as a boolean, for as-you-type validation. */
export function isValidSubdomain(input: string): boolean {
  try {
    normalizeSubdomain(input);
    return true;
  } catch {
    return false;
  }
}
