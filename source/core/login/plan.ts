/**
 * The login's inputs, decided once for every view: flags, then the environment, then the stored profile,
 * then the defaults. A view asks only for what `missing` names (the CLI by naming the flag, the wizard by
 * stopping on the field) and starts the flow from the complete plan.
 */
import { isZchatError, ZchatError } from '../errors.js';
import type { LoginOptions } from '../oauth/login-flow.js';
import { isLoopbackRedirect } from '../oauth/loopback-target.js';
import type { FlowKind, Scope } from '../oauth/types.js';
import { checkProfileName } from '../store/store.js';
import type { Profile, TokenStore } from '../store/types.js';
import { resolveBaseUrl } from '../zendesk/endpoints.js';
import { normalizeSubdomain } from '../zendesk/subdomain.js';
import {
  ALL_SCOPES,
  DEFAULT_FLOW,
  DEFAULT_REDIRECT_URI,
  DEFAULT_SCOPES,
  DEFAULT_TIMEOUT_MS,
  isBrowserFlow,
} from './defaults.js';
import { type FieldName, type LoginValues, requiredFor } from './fields.js';

/** What a view was given for one login: its flags (or a session's prefill), already parsed. One type, so an option added here reaches both views. */
export interface LoginRequest {
  profile?: string;
  subdomain?: string;
  clientId?: string;
  flow?: FlowKind;
  scopes?: readonly string[];
  username?: string;
  redirectUri?: string;
  /** --base-url; else ZCHAT_AUTH_BASE_URL. Always wins over a stored one. */
  baseUrl?: string;
  /** Read by the view (stdin); else ZENDESK_CHAT_CLIENT_SECRET. */
  clientSecret?: string;
  /** Else ZENDESK_CHAT_PASSWORD. */
  password?: string;
  timeoutMs?: number;
  noBrowser?: boolean;
  /** false: no loopback server, the answer is pasted (--paste). */
  listen?: boolean;
  /** --insecure-storage: the secrets go to the config file even where a keyring is usable. */
  insecureStorage?: boolean;
  /** --pkce / --no-pkce; else the stored profile's choice; else on. */
  usePkce?: boolean;
  /**
   * A redirect without `state`: 'accept' takes one (--accept-missing-state); 'ask' where a person can answer
   * (the panel); absent: refused with a sentence naming --accept-missing-state.
   */
  missingState?: 'ask' | 'accept';
  /** 'paste': a taken redirect port is said and the answer pasted (the panel); absent: the login fails. */
  portBusy?: 'paste';
}

export interface PlanInput {
  request: LoginRequest;
  /** Only ZCHAT_AUTH_BASE_URL, ZENDESK_CHAT_CLIENT_SECRET and ZENDESK_CHAT_PASSWORD are read. */
  env: NodeJS.ProcessEnv;
  store: Pick<TokenStore, 'get' | 'list' | 'defaultProfile'>;
  /** The emulator of this session: the server when nothing else names one. */
  sandboxUrl?: string;
}

export interface LoginDraft {
  /** What the fields start with. */
  values: LoginValues;
  /** Fields supplied by the request, the environment or the stored profile: nobody need ask for them. */
  given: FieldName[];
  /** Fields the flow cannot do without and nobody supplied. */
  missing: FieldName[];
  /** The stored profile whose settings count as given. */
  source?: Profile;
  /** Another profile that only suggests values (a new profile name): prefilled, still asked. */
  suggestion?: Profile;
  /** The client a stored secret belongs to: with that client ID, no secret need be given. */
  storedSecretClientId?: string;
  /**
   * The stored secret was saved for another server than this login goes to: it is not sent there, so the
   * secret must be given anew (the panel asks; the plain view refuses, see secretElsewhereError).
   */
  secretElsewhere?: { storedFor: string; target: string };
  existingProfiles: string[];
}

export interface LoginPlan {
  options: LoginOptions;
  /** The profile the token is stored in. */
  profile: string;
  /** What is stored with the token; the redirect URI is replaced by the one sent (the port may be picked). */
  record: Omit<Profile, 'token' | 'lastTest' | 'createdAt' | 'updatedAt'>;
  openBrowser: boolean;
  /** A browser flow whose answer can only come back as a paste. */
  pasteOnly: boolean;
}

export type Planned =
  | { ready: true; draft: LoginDraft; plan: LoginPlan }
  | { ready: false; draft: LoginDraft };

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    // A store in a place another user controls is refused before anything is sent (and its profiles,
    // possibly planted, are never offered).
    if (isZchatError(error) && error.code === 'store_unsafe') throw error;
    return fallback; // a broken store is explained where it is shown (dashboard, store check)
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

function subdomainKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return safely(() => normalizeSubdomain(raw), raw.trim());
}

/** Known scopes in their one order; undefined when none is left. */
export function canonicalScopes(list: readonly string[] | undefined): Scope[] | undefined {
  if (!list) return undefined;
  const scopes = ALL_SCOPES.filter((s) => list.includes(s));
  return scopes.length > 0 ? scopes : undefined;
}

/**
 * The stored profile the login continues: the one named (--profile, else the subdomain's), else the
 * default, else the most recently changed one.
 */
function findSource(store: PlanInput['store'], request: LoginRequest): Profile | undefined {
  return safely(() => {
    const name = request.profile ?? subdomainKey(request.subdomain);
    if (name !== undefined) return store.get(name);
    const fallback = store.defaultProfile();
    if (fallback) return store.get(fallback);
    return newest(store);
  }, undefined);
}

function newest(store: PlanInput['store']): Profile | undefined {
  // ISO times sort as strings; localeCompare would load ICU's collation data for nothing.
  const latest = [...store.list()].sort((a, b) =>
    a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0,
  )[0];
  return latest && store.get(latest.name);
}

/** What is known before anyone is asked. Pure but for reading the store. */
export function draftLogin(input: PlanInput): LoginDraft {
  const { request, env, store } = input;
  const source = findSource(store, request);
  // A new profile name alone: the last profile's settings are offered, not taken.
  const suggestion =
    !source && request.profile !== undefined && request.subdomain === undefined
      ? safely(() => {
          const fallback = store.defaultProfile();
          return fallback ? store.get(fallback) : newest(store);
        }, undefined)
      : undefined;
  const from = source ?? suggestion;
  const given: FieldName[] = [];
  const pick = <T>(field: FieldName, asked: T | undefined, stored: T | undefined, fallback: T): T => {
    const has = (v: T | undefined): v is T => v !== undefined && v !== '';
    if (has(asked)) {
      given.push(field);
      return asked;
    }
    if (has(stored)) {
      if (source) given.push(field);
      return stored;
    }
    return fallback;
  };
  const flow = pick<FlowKind>('flow', request.flow, from?.flow, DEFAULT_FLOW);
  const values: LoginValues = {
    subdomain: pick('subdomain', request.subdomain, from?.subdomain, ''),
    flow,
    clientId: pick('clientId', request.clientId, from?.clientId, ''),
    clientSecret: pick(
      'clientSecret',
      nonEmpty(request.clientSecret) ?? nonEmpty(env.ZENDESK_CHAT_CLIENT_SECRET),
      undefined,
      '',
    ),
    username: pick('username', request.username, from?.username, ''),
    password: pick(
      'password',
      nonEmpty(request.password) ?? nonEmpty(env.ZENDESK_CHAT_PASSWORD),
      undefined,
      '',
    ),
    scopes: pick('scopes', canonicalScopes(request.scopes), canonicalScopes(from?.scopes), [
      ...DEFAULT_SCOPES,
    ]),
    redirectUri: pick('redirectUri', request.redirectUri, from?.redirectUri, DEFAULT_REDIRECT_URI),
    profile: pick('profile', request.profile, source?.name, ''),
  };
  const draft: LoginDraft = {
    values,
    given,
    missing: [],
    existingProfiles: safely(() => store.list().map((p) => p.name), []),
    ...(source ? { source } : {}),
    ...(suggestion ? { suggestion } : {}),
  };
  // A secret stored with the profile belongs to its client, and to the server it was stored for, only.
  if (source?.clientSecret) {
    const storedFor = secretOrigin(source);
    const target = safely(
      () => new URL(baseUrlFor(input, draft, normalizeSubdomain(values.subdomain)).baseUrl).origin,
      undefined,
    );
    if (storedFor !== undefined && target !== undefined && storedFor !== target) {
      draft.secretElsewhere = { storedFor, target };
    } else {
      draft.storedSecretClientId = source.clientId;
      if (source.clientId === values.clientId && !given.includes('clientSecret')) given.push('clientSecret');
    }
  }
  draft.missing = requiredFor(flow).filter((f) => !given.includes(f));
  return draft;
}

/** The origin a stored profile's secret was stored for (its base URL's, else its Zendesk subdomain's). */
export function secretOrigin(p: Pick<Profile, 'subdomain' | 'baseUrl'>): string | undefined {
  return safely(() => new URL(resolveBaseUrl(p.subdomain, p.baseUrl)).origin, undefined);
}

/** The plain view's refusal when the stored secret belongs to another server and none was given anew. */
export function secretElsewhereError(e: { storedFor: string; target: string }): ZchatError {
  return new ZchatError(
    'usage',
    `The stored client secret was saved for ${e.storedFor}, so it is not sent to ${e.target}: give it anew with ZENDESK_CHAT_CLIENT_SECRET or --client-secret-stdin.`,
  );
}

/**
 * The base URL: an explicit one (--base-url, ZCHAT_AUTH_BASE_URL) always wins; a stored one applies only to
 * the subdomain it was stored for; then the session's emulator; else https://{subdomain}.zendesk.com.
 */
export function baseUrlFor(
  input: PlanInput,
  draft: LoginDraft,
  subdomain: string,
): { baseUrl: string; override?: string } {
  const stored = [draft.source, draft.suggestion].find(
    (p) => p?.baseUrl && p.subdomain === subdomain,
  )?.baseUrl;
  const override =
    nonEmpty(input.request.baseUrl) ?? nonEmpty(input.env.ZCHAT_AUTH_BASE_URL) ?? stored ?? input.sandboxUrl;
  const baseUrl = resolveBaseUrl(subdomain, override);
  return override ? { baseUrl, override: baseUrl } : { baseUrl };
}

function checkRedirectUri(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ZchatError(
      'invalid_redirect_uri',
      `The redirect URI "${raw}" is not an absolute http(s) URL.`,
      {
        hint: `Use the one registered on the OAuth client, e.g. ${DEFAULT_REDIRECT_URI}.`,
      },
    );
  }
  return raw;
}

/** The complete plan from the values (as drafted, or as the wizard ended with them). Throws ZchatError. */
export function completeLogin(
  input: PlanInput,
  draft: LoginDraft,
  values: LoginValues = draft.values,
): LoginPlan {
  const { request } = input;
  const subdomain = normalizeSubdomain(values.subdomain);
  const { baseUrl, override } = baseUrlFor(input, draft, subdomain);
  const clientId = values.clientId.trim();
  if (!clientId) throw new ZchatError('usage', 'The client ID is missing.');
  const flow = values.flow;
  const stored = draft.storedSecretClientId === clientId ? draft.source?.clientSecret : undefined;
  const target = new URL(baseUrl).origin;
  // The wizard may have changed the server since the draft: the stored secret still goes only where it was stored for.
  const storedFor = draft.source ? secretOrigin(draft.source) : undefined;
  const storedUsable = stored && storedFor === target ? stored : undefined;
  const secret = values.clientSecret || storedUsable || undefined;
  if (!secret && stored && storedFor !== undefined && flow !== 'implicit') {
    throw secretElsewhereError({ storedFor, target });
  }
  const redirectUri = checkRedirectUri(values.redirectUri.trim() || DEFAULT_REDIRECT_URI);
  const scopes = canonicalScopes(values.scopes) ?? [...DEFAULT_SCOPES];
  const profile = values.profile.trim() || subdomain;
  checkProfileName(profile);
  const username = flow === 'password' ? values.username.trim() : undefined;
  const browser = isBrowserFlow(flow);
  const pasteOnly = browser && (request.listen === false || !isLoopbackRedirect(redirectUri));
  const usePkce = request.usePkce ?? draft.source?.pkce ?? true;
  const options: LoginOptions = {
    flow,
    subdomain,
    baseUrl,
    clientId,
    redirectUri,
    scopes,
    timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(secret ? { clientSecret: secret } : {}),
    ...(flow === 'password' ? { username: username ?? '', password: values.password } : {}),
    ...(flow === 'code' ? { usePkce } : {}),
    ...(request.missingState ? { missingState: request.missingState } : {}),
    ...(request.listen !== undefined ? { listen: request.listen } : {}),
    ...(request.portBusy ? { portBusy: request.portBusy } : {}),
  };
  return {
    options,
    profile,
    record: {
      name: profile,
      subdomain,
      ...(override ? { baseUrl: override } : {}),
      clientId,
      ...(secret ? { clientSecret: secret } : {}),
      redirectUri,
      scopes,
      flow,
      ...(username ? { username } : {}),
      ...(request.insecureStorage ? { insecureStorage: true } : {}),
      ...(flow === 'code' && !usePkce ? { pkce: false } : {}),
    },
    openBrowser: browser && !request.noBrowser,
    pasteOnly,
  };
}

/** The plan when nothing is missing; else the draft, for a view to ask what `draft.missing` names. */
export function planLogin(input: PlanInput): Planned {
  const draft = draftLogin(input);
  if (draft.missing.length > 0) return { ready: false, draft };
  return { ready: true, draft, plan: completeLogin(input, draft) };
}
