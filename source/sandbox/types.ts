import type { RefreshMode } from './state.js';

export type { RefreshMode };

/** The programmatic face of the Zendesk Chat emulator. Tests and `zchat-auth --sandbox` use this. */

export type FaultKind = 'status' | 'html' | 'slow' | 'reset' | 'rate-limit';

export interface Fault {
  kind: FaultKind;
  /** Only requests whose path starts with this (e.g. '/oauth2/chat/token'); all when left out. */
  path?: string;
  /** For 'status' (e.g. 500, 502) and 'html' (default 502). */
  status?: number;
  /** For 'status': a small JSON error body (default) or an empty body. */
  body?: 'json' | 'empty';
  /** For 'slow': how long to wait before answering. */
  delayMs?: number;
  /** For 'rate-limit': the Retry-After seconds. */
  retryAfter?: number;
  /** How many matching requests it hits before it is used up; forever when left out. */
  times?: number;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bind address; always loopback. Default 127.0.0.1. */
  host?: string;
  /** The emulator presses Allow itself by calling the redirect URI (GET for code; for implicit it
   * POSTs the fragment to the loopback capture endpoint as the capture page would). Default false. */
  autoApprove?: boolean;
  /** A Chat-only account: only there does the password grant work; elsewhere it answers 401
   * invalid_client, as users report. Default false (every account moved to Chat+Support by 2024). */
  chatOnlyAccount?: boolean;
  /** Authorization code lifetime. Default 5 minutes. */
  codeTtlMs?: number;
  /** Access token lifetime. Default 10 hours (as the token list's expire_date examples). */
  tokenTtlMs?: number;
  /** Chat API requests per minute per account (every token and agent together) before 429. Default 200. */
  rateLimitPerMinute?: number;
  /** Whether to echo `state` back on redirects (unknown for Chat). Default true. */
  echoState?: boolean;
  /** What a refresh reply carries (unknown for Chat): 'rotate' a new refresh token each time (default),
   * 'single-use' none (the one sent is spent), 'reusable' the same one again. */
  refreshTokens?: RefreshMode;
  /** Where the implicit flow's token rides on the redirect: 'fragment' (default) or 'query'. */
  implicitIn?: 'fragment' | 'query';
  /** Whether dates end in Z (default true) or carry no zone, as one third-party sample shows. */
  datesWithZ?: boolean;
  /** `redirect_uris` in client JSON: a 'list' (default) or one space-separated 'string'. */
  redirectUrisAs?: 'list' | 'string';
  /** More public clients on the account, owned by the demo owner and named `Client 0001`…, to see the
   * dashboard page through a large account. Default 0. */
  clients?: number;
  /** Print nothing (tests). The CLI prints its banner itself. */
  quiet?: boolean;
}

/** The options a `zchat-auth sandbox` flag sets. */
export type SwitchName =
  | 'echoState'
  | 'refreshTokens'
  | 'implicitIn'
  | 'datesWithZ'
  | 'redirectUrisAs'
  | 'chatOnlyAccount';

export interface SandboxDemo {
  subdomain: string; // 'demo'
  /** The public client of the tutorial: redirect http://localhost:8080, scopes read write. */
  clientId: string;
  clientSecret: string;
  clientNumericId: number;
  redirectUri: string;
  /** A second client with two redirect URIs (so redirect_uri is required for it). */
  multiRedirectClientId: string;
  multiRedirectClientSecret: string;
  multiRedirectClientNumericId: number;
  /** Chat-only user for the password grant. */
  username: string;
  password: string;
  /** A ready admin token (read write) of the account owner, for tests that only need the REST API. */
  adminToken: string;
  /** A client made by another administrator (redirect http://localhost:8080): the owner's lists never
   * show it, though the owner may log in with it. */
  otherAgentClientId: string;
  otherAgentClientSecret: string;
  otherAgentClientNumericId: number;
  /** That other administrator's own token (read write): its lists hold only its own clients and tokens. */
  otherAgentToken: string;
  otherAgentId: number;
  ownerAgentId: number;
}

export interface SandboxStats {
  /** Token endpoint calls by grant_type (including failed ones). */
  tokenRequests: Record<string, number>;
  /** Successful token issues by grant_type. */
  tokensIssued: Record<string, number>;
  /** Every request, in order: method and path (no query). */
  requests: { method: string; path: string; status: number }[];
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:43123 — the base URL that replaces https://{subdomain}.zendesk.com. */
  url: string;
  port: number;
  demo: SandboxDemo;
  /** How it answers where the documents leave it open (what the switches chose, defaults filled in). */
  settings: Readonly<Required<Pick<SandboxOptions, SwitchName>>>;
  stats: SandboxStats;
  /** Add a fault; returns a function that removes it. */
  inject(fault: Fault): () => void;
  clearFaults(): void;
  setChatOnlyAccount(on: boolean): void;
  /** Let a client hold scopes outside read/write (e.g. `chat`, for a client from before the rule). */
  setClientScopes(identifier: string, scopes: string[]): void;
  /** A Zendesk Support API token (for tests): Chat answers 401 to it on every call. */
  mintSupportToken(): string;
  /** Every access and refresh token value the sandbox has issued, for leak checks. */
  issuedTokenValues(): string[];
  setAutoApprove(on: boolean): void;
  /** Look into the emulated account (for assertions). */
  getClient(
    identifier: string,
  ): { client_type: 'public' | 'confidential'; redirect_uris: string[]; scopes: string } | undefined;
  /** Whether an access token is currently valid. */
  isTokenValid(accessToken: string): boolean;
  /** Revoke an access token (as an admin would elsewhere). */
  revokeAccessToken(accessToken: string): void;
  /** Make an access token expire now (for 401 / refresh tests). */
  expireAccessToken(accessToken: string): void;
  close(): Promise<void>;
}
