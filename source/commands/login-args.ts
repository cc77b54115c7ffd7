/**
 * The login's own flag values, checked before any port is opened, and what names a missing value: exit 2
 * with one clear line either way.
 */

import { ZchatError } from '../core/errors.js';
import { ALL_SCOPES, DEFAULT_REDIRECT_URI, FLOWS } from '../core/login/defaults.js';
import type { FieldName } from '../core/login/fields.js';
import type { FlowKind } from '../core/oauth/types.js';
import { usage } from './args.js';

export function parseFlow(raw: string | undefined): FlowKind | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, FlowKind> = {
    'authorization-code': 'code',
    token: 'implicit',
    'client-credential': 'client-credentials',
  };
  const flow = (FLOWS as readonly string[]).includes(value) ? (value as FlowKind) : aliases[value];
  if (!flow) throw usage(`--flow must be one of ${FLOWS.join(', ')}.`);
  return flow;
}

export function parseScopes(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const scopes = [...new Set(raw.split(/[\s,+]+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw usage('--scope takes read, write and chat, space separated (e.g. --scope "read write").');
  }
  return scopes;
}

export function checkRedirectUri(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ZchatError('invalid_redirect_uri', 'The --redirect-uri is not a valid absolute URL.', {
      hint: `Use the one registered on the OAuth client, e.g. ${DEFAULT_REDIRECT_URI}.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ZchatError('invalid_redirect_uri', 'The --redirect-uri must be an http(s) URL.', {
      hint: `Use the one registered on the OAuth client, e.g. ${DEFAULT_REDIRECT_URI}.`,
    });
  }
  return raw;
}

/** Without a terminal nobody can be asked: a missing value is a usage error naming what supplies it. */
export function missingSentence(field: FieldName, flow: FlowKind): string {
  switch (field) {
    case 'subdomain':
      return 'The subdomain is missing: pass --subdomain (acme for acme.zendesk.com).';
    case 'clientId':
      return 'The client ID is missing: pass --client-id (from Zendesk Chat > Account > API & SDKs).';
    case 'clientSecret':
      return `The ${flow} flow needs the client secret: set ZENDESK_CHAT_CLIENT_SECRET or pipe it in with --client-secret-stdin (it is never a flag).`;
    case 'username':
      return 'The password flow needs the Chat user: pass --username.';
    case 'password':
      return 'The password flow needs the password: set ZENDESK_CHAT_PASSWORD (it is never a flag).';
    default:
      return `The ${field} is missing.`;
  }
}
