/** The wizard's labels and the as-you-type validation of each field (pure); the fields and defaults are core/login's. */
import { isZchatError } from '../core/errors.js';
import { DEFAULT_REDIRECT_URI, IMPLICIT_WARNING } from '../core/login/defaults.js';
import type { FieldName, LoginValues as WizardValues } from '../core/login/fields.js';
import type { LoginDraft } from '../core/login/plan.js';
import { isLoopbackRedirect } from '../core/oauth/loopback-target.js';
import type { FlowKind } from '../core/oauth/types.js';
import { normalizeSubdomain } from '../core/zendesk/subdomain.js';

export { ALL_SCOPES, DEFAULT_REDIRECT_URI } from '../core/login/defaults.js';
export { type FieldName, fieldsFor, type LoginValues as WizardValues } from '../core/login/fields.js';

export const flowChoices: { value: FlowKind; label: string; help: string }[] = [
  {
    value: 'code',
    label: 'Authorization code',
    help: 'browser sign-in; gives a refresh token (recommended)',
  },
  {
    value: 'implicit',
    label: 'Implicit',
    help: "browser sign-in; the token stays in the browser's history",
  },
  {
    value: 'client-credentials',
    label: 'Client credentials',
    help: 'no browser; needs a confidential client and its secret',
  },
  { value: 'password', label: 'Password', help: 'no browser; Chat-only agents and a confidential client' },
];

export const fieldLabels: Record<FieldName, string> = {
  subdomain: 'Subdomain',
  flow: 'Flow',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  username: 'Username',
  password: 'Password',
  scopes: 'Scopes',
  redirectUri: 'Redirect URL',
  profile: 'Profile name',
};

export type Check = { ok: true; note?: string } | { ok: false; reason: string };

export interface CheckContext {
  /** Profile names already stored, to say when one will be replaced. */
  existingProfiles: readonly string[];
  /** The client a stored secret belongs to: with that client ID, an empty secret field keeps it. */
  storedSecretClientId?: string;
  /** The stored secret belongs to another server: it is asked for anew, saying why. */
  secretElsewhere?: { storedFor: string; target: string };
}

/** Whether a field's value can be used, and why not, as a sentence. Never echoes the value of a secret. */
export function checkField(field: FieldName, v: WizardValues, ctx: CheckContext): Check {
  switch (field) {
    case 'subdomain': {
      try {
        const normal = normalizeSubdomain(v.subdomain);
        return normal === v.subdomain.trim() ? { ok: true } : { ok: true, note: `Will use “${normal}”.` };
      } catch (error) {
        return { ok: false, reason: isZchatError(error) ? error.message : 'That is not a subdomain.' };
      }
    }
    case 'flow':
      return v.flow === 'implicit' ? { ok: true, note: IMPLICIT_WARNING } : { ok: true };
    case 'clientId': {
      const id = v.clientId.trim();
      if (!id) return { ok: false, reason: 'Enter the client ID (the “Client ID” of the API client).' };
      if (/\s/.test(id)) return { ok: false, reason: 'A client ID has no spaces.' };
      return { ok: true };
    }
    case 'clientSecret': {
      if (v.clientSecret || hasStoredSecret(v, ctx)) {
        return v.clientSecret ? { ok: true } : { ok: true, note: 'The stored secret is kept.' };
      }
      if (v.flow === 'implicit') return { ok: true };
      if (ctx.secretElsewhere) {
        return {
          ok: false,
          reason: `The stored secret is for ${ctx.secretElsewhere.storedFor}, not this server: paste it again.`,
        };
      }
      // The token endpoint takes client_id and client_secret together (the tutorial's exchange sends both).
      return v.flow === 'code'
        ? {
            ok: false,
            reason: 'The code is exchanged with the client secret: paste it (Zendesk showed it once).',
          }
        : { ok: false, reason: 'This flow needs the client secret of a confidential client.' };
    }
    case 'username':
      return v.username.trim()
        ? { ok: true }
        : { ok: false, reason: 'Enter the Chat-only agent’s email address.' };
    case 'password':
      return v.password
        ? { ok: true }
        : { ok: false, reason: 'Enter the agent’s password (it is never stored).' };
    case 'scopes': {
      if (v.scopes.length === 0) return { ok: false, reason: 'Pick at least one scope.' };
      if (v.scopes.includes('chat')) {
        return {
          ok: true,
          note: '“chat” serves only the Conversations API; a Chat client allows read and write only.',
        };
      }
      return { ok: true };
    }
    case 'redirectUri':
      return checkRedirectUri(v.redirectUri);
    case 'profile': {
      const name = v.profile.trim() || defaultProfileName(v);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
        return { ok: false, reason: 'Use letters, digits, dots, dashes or underscores (up to 64).' };
      }
      if (ctx.existingProfiles.includes(name))
        return { ok: true, note: `Replaces the stored profile “${name}”.` };
      return { ok: true };
    }
  }
}

export function checkRedirectUri(uri: string): Check {
  const raw = uri.trim();
  if (!raw)
    return {
      ok: false,
      reason: `Enter the redirect URL registered on the client, e.g. ${DEFAULT_REDIRECT_URI}.`,
    };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `Use an absolute URL such as ${DEFAULT_REDIRECT_URI}.` };
  }
  if (url.hash) return { ok: false, reason: 'A redirect URL may not carry a #fragment.' };
  if (url.protocol === 'https:') {
    return { ok: true, note: 'Not a local address: you will paste the redirected URL back here (p).' };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: 'Use http://localhost:PORT or an https:// URL.' };
  if (!isLoopbackRedirect(raw)) {
    return {
      ok: false,
      reason: 'Zendesk takes http:// only for localhost: use http://localhost:PORT or https://.',
    };
  }
  return { ok: true, note: 'This exact URL must be registered on the client.' };
}

export function defaultProfileName(v: Pick<WizardValues, 'subdomain'>): string {
  try {
    return normalizeSubdomain(v.subdomain);
  } catch {
    return '';
  }
}

/** What the checks need to know of the store, from the login's draft. */
export function checkContextOf(draft: LoginDraft): CheckContext {
  return {
    existingProfiles: draft.existingProfiles,
    ...(draft.storedSecretClientId !== undefined ? { storedSecretClientId: draft.storedSecretClientId } : {}),
    ...(draft.secretElsewhere ? { secretElsewhere: draft.secretElsewhere } : {}),
  };
}

export function hasStoredSecret(v: Pick<WizardValues, 'clientId'>, ctx: CheckContext): boolean {
  return ctx.storedSecretClientId !== undefined && ctx.storedSecretClientId === v.clientId.trim();
}
