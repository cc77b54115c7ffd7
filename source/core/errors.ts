/**
 * One error family for everything the user may see. `message` is always a sentence a person can act on;
 * it never carries a secret, a request body or a stack of got internals.
 */
export type ErrorCode =
  | 'usage' // bad flag or value: exit 2
  | 'invalid_subdomain'
  | 'invalid_redirect_uri'
  | 'invalid_client' // OAuth: client id/secret wrong, or client not confidential
  | 'invalid_grant' // OAuth: code/refresh token spent, expired or wrong redirect_uri
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'oauth_error' // any other OAuth error string
  | 'access_denied' // the user pressed Deny
  | 'state_mismatch'
  | 'state_missing' // a redirect without the state it was sent, not confirmed
  | 'unauthorized' // 401: token expired or revoked
  | 'forbidden' // 403: missing scope or role
  | 'not_found' // 404
  | 'bad_request' // 400/422 outside OAuth: the server refused the values sent
  | 'rate_limited' // 429
  | 'html_response' // a web page where JSON was expected (proxy, outage)
  | 'server_error' // 5xx
  | 'bad_response' // JSON that is not the expected shape
  | 'network' // connection refused, reset, DNS
  | 'timeout'
  | 'port_busy'
  | 'timed_out' // the login flow waited too long for the browser
  | 'cancelled'
  | 'no_profile'
  | 'no_token'
  | 'store_corrupt'
  | 'store_unsafe' // the store's place is not the user's own (another owner, shared, a symlink)
  | 'store_newer'
  | 'store_locked'
  | 'keyring'; // the OS keyring holding a profile's secrets cannot be used now

export interface ZchatErrorDetails {
  /** HTTP status, when the error came from an answer. */
  status?: number;
  /** Seconds from a Retry-After header. */
  retryAfter?: number;
  /** A second sentence: what to do next (a command to run, a setting to change). */
  hint?: string;
  /** The OAuth or API error string as the server sent it (`invalid_grant`, `Unauthorized`, ...). */
  serverError?: string;
}

/** Set on every ZchatError's prototype, by every copy of this module (see hasInstance below). */
const brand = Symbol.for('zendesk-chat-auth.ZchatError');

export class ZchatError extends Error {
  /**
   * Two copies of this module can meet in one process: the one-file bundle of `token`, `status`, `api` and `exec`
   * (source/fast-cli.ts) imports the ESM bundle's chunks for what it rarely needs (a refresh, a store
   * write), and their errors come back to it. `instanceof ZchatError` reads a brand that both copies set,
   * not the identity of one copy's class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass (none today) keeps the ordinary check: `this` is the class on the right of instanceof.
    // biome-ignore lint/complexity/noThisInStatic: `this` is that class, not necessarily ZchatError.
    if (this !== ZchatError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && brand in value;
  }

  override readonly name = 'ZchatError';
  readonly code: ErrorCode;
  readonly status?: number;
  readonly retryAfter?: number;
  readonly hint?: string;
  readonly serverError?: string;

  constructor(code: ErrorCode, message: string, details: ZchatErrorDetails = {}) {
    super(message);
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.serverError !== undefined) this.serverError = details.serverError;
  }

  /** Message and hint on one line, as screens and stderr show it. */
  get sentence(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

Object.defineProperty(ZchatError.prototype, brand, { value: true });

export function isZchatError(value: unknown): value is ZchatError {
  return value instanceof ZchatError;
}

/** Any thrown value as a ZchatError, without copying anything that might carry a secret. */
export function toZchatError(value: unknown): ZchatError {
  if (value instanceof ZchatError) return value;
  if (value instanceof Error && 'code' in value && typeof value.code === 'string') {
    if (value.code === 'EADDRINUSE') return new ZchatError('port_busy', 'The port is already in use.');
    if (value.code === 'ECONNREFUSED' || value.code === 'ECONNRESET' || value.code === 'ENOTFOUND') {
      return new ZchatError('network', 'Could not reach Zendesk: the connection failed.', {
        hint: 'Check the network, the base URL and any proxy settings.',
      });
    }
  }
  return new ZchatError('bad_response', 'Something unexpected went wrong.', {
    hint: 'Run the command again; if it keeps failing, run `zchat-auth doctor`.',
  });
}

/** Exit codes shared by every command (ARCHITECTURE.md, "Layers"; the README lists them). */
export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

export function exitCodeFor(error: ZchatError): number {
  if (error.code === 'usage' || error.code === 'invalid_subdomain' || error.code === 'invalid_redirect_uri') {
    return exitCodes.usage;
  }
  if (error.code === 'cancelled') return exitCodes.interrupted;
  return exitCodes.failure;
}
