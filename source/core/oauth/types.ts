import type { ZchatError } from '../errors.js';

// The one definition of each OAuth vocabulary: the types derive from these lists, and the store's schema,
// its hand-written read check, the flags and the wizard all use them.

/** The login flows, as `--flow` and the stored profile spell them. */
export const FLOWS = ['code', 'implicit', 'client-credentials', 'password'] as const;
export type FlowKind = (typeof FLOWS)[number];

/** How a token was obtained, in the token endpoint's own words (plus `implicit`). */
export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'client_credentials',
  'password',
  'refresh_token',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** The scopes Zendesk Chat knows. */
export const SCOPES = ['read', 'write', 'chat'] as const;
export type Scope = (typeof SCOPES)[number];

/** What the token endpoint (or an implicit redirect) gave us, in our own names. */
export interface TokenResponse {
  accessToken: string;
  tokenType: string; // "Bearer"
  refreshToken?: string;
  scope: string; // space separated, as the server said it
  expiresIn?: number; // seconds; Chat has not been seen to send it
  grant: GrantType;
}

/** A redirect (from the loopback server or pasted by the user), parsed. */
export type RedirectResult =
  /** bare: pasted alone, without the address (so without a state to check). */
  | { kind: 'code'; code: string; state?: string; bare?: true }
  | {
      kind: 'token';
      accessToken: string;
      tokenType: string;
      scope?: string;
      expiresIn?: number;
      state?: string;
    }
  | { kind: 'error'; error: string; description?: string; state?: string };

/**
 * What a login does with a redirect that carries no `state` (a server may not echo it): ask the person who
 * just pressed Allow (the panel), accept one (--accept-missing-state), or refuse and say how to go on.
 */
export type MissingState = 'ask' | 'accept' | 'refuse';

/** Verdict of the loopback server on one request. */
export type RequestVerdict = 'accepted' | 'ignored' | 'rejected';

export interface SeenRequest {
  method: string;
  /** Path only, with secret-bearing parameters masked. */
  path: string;
  status: number;
  verdict: RequestVerdict;
  /** Why it was ignored or rejected, as a short phrase ("wrong state", "favicon", "foreign Host header"). */
  reason?: string;
  at: number; // Date.now()
}

/** One check made before the wait (see core/login/preflight.ts): passed, or failed with what to do. */
export interface PreflightCheck {
  name: 'server' | 'redirect-uri';
  ok: boolean;
  /** One line: what was found, and when it failed, what to do. */
  sentence: string;
}

/**
 * The typed events of one login. The waiting panel and the plain `login` command are two views of these.
 * Order for the browser flows: listening → authorize-url → browser → (request-ignored | request)* → callback
 * → exchanging → token → stored, or a terminal failed / timed-out / cancelled.
 */
export type FlowEvent =
  | { type: 'listening'; addresses: string[]; port: number; redirectUri: string }
  /** The redirect port is taken (portBusy 'paste'): no listener, the answer must be pasted. */
  | { type: 'port-busy'; error: ZchatError }
  | { type: 'authorize-url'; url: string }
  /** A check made while the browser is out (server answers, redirect URI registered); only what is known. */
  | { type: 'check'; check: PreflightCheck }
  | { type: 'browser'; opened: boolean; reason?: string }
  | { type: 'request-ignored'; request: SeenRequest }
  | { type: 'request-accepted'; request: SeenRequest }
  /** A redirect without the state: the view asks the person to confirm (LoginFlow.confirmMissingState). */
  | { type: 'state-missing'; source: 'loopback' | 'paste'; result: RedirectResult['kind'] }
  | { type: 'state-missing-answered'; accepted: boolean }
  | { type: 'callback'; source: 'loopback' | 'paste'; result: RedirectResult['kind'] }
  | { type: 'exchanging'; grant: GrantType }
  | { type: 'token'; token: TokenResponse }
  | { type: 'stored'; profile: string }
  | { type: 'failed'; error: ZchatError }
  | { type: 'timed-out'; afterMs: number }
  | { type: 'cancelled' };

export type FlowEventType = FlowEvent['type'];
