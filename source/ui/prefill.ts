/** What the wizard starts with: flags first, then the last profile, then the tutorial's defaults (pure). */
import type { LoginOptions } from '../core/oauth/login-flow.js';
import type { FlowKind, Scope } from '../core/oauth/types.js';
import type { Profile, TokenStore } from '../core/store/types.js';
import {
  ALL_SCOPES,
  type CheckContext,
  DEFAULT_REDIRECT_URI,
  type FieldName,
  type WizardValues,
} from './wizard-fields.js';

export type LoginPrefill = Partial<LoginOptions & { profile: string }>;

export interface Prefill {
  values: WizardValues;
  /** Fields that came from flags or the last profile: the wizard need not stop on them. */
  given: FieldName[];
  /** Fields given as flags only (for `login`: when every needed one is, no wizard at all). */
  fromFlags: FieldName[];
  ctx: CheckContext;
  /** The last profile the values came from, if any. */
  last?: Profile;
}

/** The profile to prefill from: the one named, else the default, else the most recently changed. */
export function lastProfile(store: TokenStore, name?: string): Profile | undefined {
  try {
    if (name) {
      const named = store.get(name);
      if (named) return named;
    }
    const fallback = store.defaultProfile();
    if (fallback) return store.get(fallback);
    // ISO times sort as strings; localeCompare would load ICU's collation data (~4 MB) for nothing.
    const newest = [...store.list()].sort((a, b) =>
      a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0,
    )[0];
    return newest && store.get(newest.name);
  } catch {
    return undefined;
  }
}

function scopesOf(list: readonly string[] | undefined): Scope[] | undefined {
  if (!list) return undefined;
  const scopes = ALL_SCOPES.filter((s) => list.includes(s));
  return scopes.length > 0 ? scopes : undefined;
}

export function prefillWizard(store: TokenStore, login: LoginPrefill = {}): Prefill {
  const last = lastProfile(store, login.profile);
  // A named profile that does not exist yet is a new one: do not borrow another profile's name.
  const useLast =
    last && (!login.profile || last.name === login.profile || !login.subdomain) ? last : undefined;
  const fromFlags: FieldName[] = [];
  const given: FieldName[] = [];
  const pick = <T>(field: FieldName, flag: T | undefined, stored: T | undefined, fallback: T): T => {
    if (flag !== undefined && flag !== '') {
      fromFlags.push(field);
      given.push(field);
      return flag;
    }
    if (stored !== undefined && stored !== '') {
      given.push(field);
      return stored;
    }
    return fallback;
  };
  const flow = pick<FlowKind>('flow', login.flow, useLast?.flow, 'code');
  const values: WizardValues = {
    subdomain: pick('subdomain', login.subdomain, useLast?.subdomain, ''),
    flow,
    clientId: pick('clientId', login.clientId, useLast?.clientId, ''),
    clientSecret: pick('clientSecret', login.clientSecret, undefined, ''),
    username: pick('username', login.username, useLast?.username, ''),
    password: pick('password', login.password, undefined, ''),
    scopes: pick('scopes', scopesOf(login.scopes), scopesOf(useLast?.scopes), ['read', 'write'] as Scope[]),
    redirectUri: pick('redirectUri', login.redirectUri, useLast?.redirectUri, DEFAULT_REDIRECT_URI),
    profile: pick('profile', login.profile, useLast?.name, ''),
  };
  const ctx: CheckContext = { existingProfiles: safeNames(store) };
  if (useLast?.clientSecret) {
    ctx.storedSecretClientId = useLast.clientId;
    // A stored secret for this very client counts as given.
    if (useLast.clientId === values.clientId && !given.includes('clientSecret')) given.push('clientSecret');
  }
  return { values, given, fromFlags, ctx, ...(useLast ? { last: useLast } : {}) };
}

function safeNames(store: TokenStore): string[] {
  try {
    return store.list().map((p) => p.name);
  } catch {
    return [];
  }
}
