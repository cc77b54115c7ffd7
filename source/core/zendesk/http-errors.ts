/**
 * Turns every way an HTTP call can fail into a ZchatError with a sentence a person can act on.
 * Nothing here keeps a reference to the request, its options, headers or body: the errors built
 * here are safe to print, log and inspect. got's errors are read by shape, so this file does not
 * import got (it stays cheap to load and easy to test).
 */
import { ZchatError } from '../errors.js';
import { pkceRefusal } from '../oauth/pkce-refusal.js';
import type { GrantType } from '../oauth/types.js';
import { redact, redactParams } from '../redact.js';
import type { ProxyChoice } from './proxy.js';

export interface ErrorContext {
  /** Host (and port) of the server, named in network sentences. */
  host: string;
  /** The per-request timeout, named in the timeout sentence. */
  timeoutMs: number;
  /** The token endpoint speaks OAuth errors; the REST API speaks HTTP ones. */
  endpoint: 'token' | 'api';
  /** For token requests: which grant, so invalid_grant can say what was spent. */
  grant?: GrantType;
  /** Values to mask in any text the server sent back (it may echo what it got). */
  secrets?: readonly (string | undefined)[];
  /** The proxy in use, if any: network failures are then the proxy's. */
  proxy?: ProxyChoice;
}

/** An answer that is not what we wanted: status, headers and the body, parsed as JSON when it was. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function header(headers: HttpAnswer['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export function seconds(ms: number): string {
  const value = Math.round(ms / 100) / 10;
  return `${value} ${value === 1 ? 'second' : 'seconds'}`;
}

/** Server text, made safe for a one-line sentence: no secrets, no control characters, short. */
function clean(text: string, ctx: ErrorContext): string {
  const oneLine = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const safe = redactParams(redact(oneLine, ctx.secrets ?? []));
  return safe.length > 200 ? `${safe.slice(0, 199)}…` : safe;
}

function looksLikeHtml(body: unknown, contentType: string | undefined): boolean {
  if (contentType?.toLowerCase().includes('html')) return true;
  return typeof body === 'string' && /^\s*</.test(body);
}

interface ServerError {
  error?: string;
  description?: string;
}

function readServerError(body: unknown): ServerError {
  let value = body;
  if (typeof value === 'string' && /^\s*\{/.test(value)) {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const pickString = (...keys: string[]) => {
    for (const key of keys) {
      const item = record[key];
      if (typeof item === 'string' && item.trim()) return item;
    }
    return undefined;
  };
  const out: ServerError = {};
  const error = pickString('error');
  const description = pickString('error_description', 'description', 'message');
  if (error) out.error = error;
  if (description) out.description = description;
  return out;
}

const confidentialHint =
  'Check the client in Zendesk Chat > Account > API & SDKs (a Zendesk Support client never works for Chat); client credentials and password grants need a confidential client (`zchat-auth clients confidential ID`).';

/** Where a Chat token comes from: said whenever a token or client is refused, since a Support one looks alike. */
export const supportSentence =
  'Zendesk Support API tokens and clients never work for Chat: make a Chat client in Zendesk Chat > Account > API & SDKs ("Add API Client") and log in with it.';

const passwordGrantSentence =
  'The password grant works only on Chat-only accounts (not Chat+Support, which is nearly every account since 2024) and only with a confidential client.';

function oauthError(
  error: string,
  description: string | undefined,
  status: number,
  ctx: ErrorContext,
): ZchatError | undefined {
  const details = { status, serverError: error };
  switch (error) {
    case 'invalid_client':
      if (ctx.grant === 'password') {
        return new ZchatError(
          'invalid_client',
          `Zendesk refused the password grant. ${passwordGrantSentence}`,
          {
            ...details,
            hint: 'Use the code flow (`--flow code`); for a Chat-only account, make the client confidential (`zchat-auth clients confidential ID`).',
          },
        );
      }
      return new ZchatError(
        'invalid_client',
        'The client ID or secret is wrong, or the client is not confidential.',
        { ...details, hint: confidentialHint },
      );
    case 'invalid_grant':
      if (ctx.grant === 'refresh_token') {
        return new ZchatError('invalid_grant', 'The refresh token was already used, or has expired.', {
          ...details,
          hint: 'Log in again; a refresh token works once and each refresh stores the new one.',
        });
      }
      if (ctx.grant === 'password') {
        return new ZchatError(
          'invalid_grant',
          'The username or password is wrong, or the account is not a Chat-only account.',
          {
            ...details,
            hint: 'The password grant works only for Chat-only users; use the code flow otherwise.',
          },
        );
      }
      return new ZchatError(
        'invalid_grant',
        'The authorization code was already used, has expired, or was issued for another redirect URI.',
        { ...details, hint: 'Log in again to get a fresh code; a code lasts a few minutes and works once.' },
      );
    case 'invalid_scope':
      return invalidScope(description, ctx, details);
    case 'unsupported_grant_type':
      return new ZchatError('unsupported_grant_type', 'Zendesk does not accept this grant type here.', {
        ...details,
        hint: 'The password grant must be enabled for the account; otherwise use the code flow.',
      });
    case 'unauthorized_client':
      return new ZchatError('invalid_client', 'This client may not use this grant type.', {
        ...details,
        hint: confidentialHint,
      });
    case 'access_denied':
      return new ZchatError('access_denied', 'Access was denied.', {
        ...details,
        hint: 'Press Allow on the Zendesk page, or sign in as a user who may grant access.',
      });
    case 'invalid_request':
      return new ZchatError(
        'oauth_error',
        `Zendesk called the token request malformed${description ? `: ${clean(description, ctx)}` : ''}.`,
        { ...details, hint: 'Check the client ID, the redirect URI and the scopes.' },
      );
    default:
      return undefined;
  }
}

/** The client's allowed scopes, from Zendesk's description when it names them ("This client allows: read
 * write."), else what a Chat client may hold: read and write. */
export function invalidScope(
  description: string | undefined,
  ctx: Pick<ErrorContext, 'secrets'>,
  details: { status?: number; serverError?: string } = {},
): ZchatError {
  const named = description ? /allows:?\s*([a-z ]+?)\s*\.?$/i.exec(description.trim())?.[1] : undefined;
  const allowed = named?.trim() || 'read write';
  const said = description
    ? ` (${clean(description, { host: '', timeoutMs: 0, endpoint: 'token', ...ctx })})`
    : '';
  return new ZchatError('invalid_scope', `Zendesk refused the requested scopes${said}.`, {
    ...details,
    hint: `This client allows: ${allowed}. Ask for those (--scope "${allowed}"); a Chat client holds read and write only.`,
  });
}

/** A non-2xx (or unusable 2xx) answer as a ZchatError. */
export function errorFromAnswer(answer: HttpAnswer, ctx: ErrorContext): ZchatError {
  const { status } = answer;
  const contentType = header(answer.headers, 'content-type');
  const html = looksLikeHtml(answer.body, contentType);
  const server = html ? {} : readServerError(answer.body);
  // OAuth error strings mean something only from the token endpoint; the REST API speaks HTTP.
  if (server.error && ctx.endpoint === 'token') {
    const pkce = pkceRefusal(
      clean(server.error, ctx),
      server.description === undefined ? undefined : clean(server.description, ctx),
      status,
    );
    if (pkce) return pkce;
    const mapped = oauthError(server.error, server.description, status, ctx);
    if (mapped) return mapped;
  }
  const serverError = server.error ? { serverError: clean(server.error, ctx) } : {};
  const said = server.description ?? server.error;
  const saying = said ? `: ${clean(said, ctx)}` : '';

  if (status === 429) {
    const retryAfter = parseRetryAfter(header(answer.headers, 'retry-after'));
    const when = retryAfter === undefined ? 'in a minute' : `in ${seconds(retryAfter * 1000)}`;
    return new ZchatError('rate_limited', `Zendesk is limiting the request rate; try again ${when}.`, {
      status,
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...serverError,
      hint: 'Chat allows about 200 requests a minute per account.',
    });
  }
  if (ctx.endpoint === 'token' && (status === 401 || status === 403)) {
    return new ZchatError(
      'invalid_client',
      ctx.grant === 'password'
        ? `Zendesk refused the password grant (status ${status}). ${passwordGrantSentence}`
        : `Zendesk refused the client (status ${status}).`,
      { status, ...serverError, hint: confidentialHint },
    );
  }
  if (status === 401) {
    return new ZchatError(
      'unauthorized',
      'The token is expired or revoked, or is not a Zendesk Chat token.',
      {
        status,
        ...serverError,
        hint: `Run \`zchat-auth refresh\`, or log in again. ${supportSentence}`,
      },
    );
  }
  if (status === 403) {
    return new ZchatError(
      'forbidden',
      'The token lacks a needed scope, or its user lacks the role for this call.',
      {
        status,
        ...serverError,
        hint: 'Log in again with the scopes read write; managing clients and tokens needs an administrator, and each sees only the clients and tokens they created.',
      },
    );
  }
  if (status === 404) {
    return new ZchatError(
      'not_found',
      ctx.endpoint === 'token'
        ? `There is no token endpoint at ${ctx.host} (status 404).`
        : 'Zendesk has nothing at this address (status 404).',
      {
        status,
        ...serverError,
        hint:
          ctx.endpoint === 'token'
            ? 'Check the subdomain or the base URL.'
            : 'Check the subdomain or base URL; the item may have been deleted.',
      },
    );
  }
  if (html) {
    return new ZchatError(
      'html_response',
      `Zendesk answered with a web page (status ${status}) instead of JSON.`,
      {
        status,
        hint: 'A proxy, a sign-in page or an outage is in the way: check the base URL and proxy settings, or try again later.',
      },
    );
  }
  if (status >= 500) {
    return new ZchatError('server_error', `Zendesk had a server error (status ${status}).`, {
      status,
      ...serverError,
      hint: 'Try again in a minute; https://status.zendesk.com lists outages.',
    });
  }
  if (status === 408) {
    return new ZchatError('timeout', 'Zendesk gave up waiting for the request (status 408).', {
      status,
      hint: 'Try again; check the network and any proxy.',
    });
  }
  if (status >= 300 && status < 400) {
    return new ZchatError(
      'bad_response',
      `Zendesk redirected elsewhere (status ${status}) instead of answering.`,
      {
        status,
        hint: 'Check the subdomain or the base URL; a sign-in page or proxy may be in the way.',
      },
    );
  }
  if (status >= 400) {
    if (ctx.endpoint === 'token') {
      return new ZchatError('oauth_error', `Zendesk refused the token request (status ${status})${saying}.`, {
        status,
        ...serverError,
        hint: 'Check the client ID, the secret, the redirect URI and the scopes.',
      });
    }
    return new ZchatError('bad_request', `Zendesk refused the request (status ${status})${saying}.`, {
      status,
      ...serverError,
      hint: 'Check the values sent against what the server said.',
    });
  }
  return new ZchatError(
    'bad_response',
    `Zendesk answered with something other than the expected JSON (status ${status}).`,
    {
      status,
      hint: 'Check the base URL; if it is right, Zendesk may have changed this API.',
    },
  );
}

/** A 2xx whose body is not what the caller needs (HTML, text, wrong shape). */
export function unexpectedBody(answer: HttpAnswer, ctx: ErrorContext, what: string): ZchatError {
  if (looksLikeHtml(answer.body, header(answer.headers, 'content-type'))) {
    return errorFromAnswer(answer, ctx);
  }
  return new ZchatError('bad_response', `Zendesk's answer (status ${answer.status}) is missing ${what}.`, {
    status: answer.status,
    hint: 'Check the base URL; if it is right, Zendesk may have changed this API.',
  });
}

/** What we read from a got error (or any Node error) without keeping it. */
/**
 * The proxy would not open the tunnel (`ERR_PROXY_REFUSED`, with the proxy's status) or did not answer
 * (`ERR_PROXY_TIMEOUT`). got keeps the code and the error as `cause`.
 */
export class ProxyConnectError extends Error {
  constructor(
    readonly code: 'ERR_PROXY_REFUSED' | 'ERR_PROXY_TIMEOUT',
    readonly proxyStatus?: number,
  ) {
    super(code === 'ERR_PROXY_TIMEOUT' ? 'The proxy did not answer.' : `The proxy answered ${proxyStatus}.`);
    this.name = 'ProxyConnectError';
  }

  /** hpagent's two failures as coded errors; any other error is passed on untouched. */
  static fromHpagent(error: Error): Error {
    const status = /^Bad response: (\d{3})$/.exec(error.message);
    if (status) return new ProxyConnectError('ERR_PROXY_REFUSED', Number(status[1]));
    if (error.message === 'Proxy timeout') return new ProxyConnectError('ERR_PROXY_TIMEOUT');
    return error;
  }
}

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  event?: unknown;
  cause?: unknown;
  response?: { statusCode?: unknown; headers?: unknown; body?: unknown };
}

const tlsCodes = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_|ERR_SSL_|EPROTO$)/;

function proxyHost(proxy: ProxyChoice): string {
  try {
    return new URL(proxy.url).host;
  } catch {
    return 'the proxy';
  }
}

function networkError(code: string, ctx: ErrorContext, proxyStatus?: number): ZchatError {
  const { host } = ctx;
  if (ctx.proxy) {
    const via = `the proxy ${proxyHost(ctx.proxy)} (from ${ctx.proxy.variable})`;
    const Via = `The proxy ${proxyHost(ctx.proxy)} (from ${ctx.proxy.variable})`;
    if (code === 'ERR_PROXY_REFUSED') {
      const status = proxyStatus === undefined ? '' : ` (status ${proxyStatus})`;
      return new ZchatError('network', `${Via} would not connect to ${host}${status}.`, {
        hint:
          proxyStatus === 407
            ? 'The proxy wants credentials: put them in the proxy URL.'
            : 'Check the proxy, or add the host to NO_PROXY.',
      });
    }
    if (code === 'ERR_PROXY_TIMEOUT') {
      return new ZchatError('timeout', `${Via} did not answer within ${seconds(ctx.timeoutMs)}.`, {
        hint: 'Check the proxy settings, or unset the variable to go direct.',
      });
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
      return new ZchatError('network', `Could not reach ${via}.`, {
        hint: 'Check the proxy settings, or unset the variable to go direct.',
      });
    }
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new ZchatError('network', `Could not reach ${host}: the connection was refused.`, {
        hint: 'Check the subdomain or base URL, and that the server is running.',
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ZchatError('network', `Could not reach ${host}: the name does not resolve.`, {
        hint: 'Check the subdomain, the network and DNS.',
      });
    case 'ECONNRESET':
    case 'EPIPE':
      return new ZchatError('network', `The connection to ${host} was cut before Zendesk answered.`, {
        hint: 'Try again; if it keeps happening, check any proxy, VPN or firewall.',
      });
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new ZchatError('network', `Could not reach ${host}: the network is unreachable.`, {
        hint: 'Check the network connection and any VPN.',
      });
  }
  if (tlsCodes.test(code)) {
    return new ZchatError('network', `The TLS certificate of ${host} is not trusted (${code}).`, {
      hint: 'Behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its certificate.',
    });
  }
  const shown = /^[A-Z][A-Z0-9_]{1,40}$/.test(code) && code !== 'ERR_GOT_REQUEST_ERROR' ? ` (${code})` : '';
  return new ZchatError('network', `The connection to ${host} failed${shown}.`, {
    hint: 'Try again; check the network, the base URL and any proxy settings.',
  });
}

/**
 * Any error from an HTTP call as a ZchatError. Reads status, headers and body from got's
 * HTTPError/ParseError, the code from RequestError/TimeoutError, and copies nothing else.
 */
export function mapHttpError(error: unknown, ctx: ErrorContext): ZchatError {
  if (error instanceof ZchatError) return error;
  const shape: ErrorShape = typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : '';
  const code = typeof shape.code === 'string' ? shape.code : '';
  const response = shape.response;

  if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return new ZchatError('timeout', `${ctx.host} did not answer within ${seconds(ctx.timeoutMs)}.`, {
      hint: 'Try again; if it keeps happening, check the network and any proxy.',
    });
  }
  if (name === 'CancelError' || code === 'ERR_CANCELED' || code === 'ERR_ABORTED') {
    return new ZchatError('cancelled', 'The request was cancelled.');
  }
  if (response && typeof response.statusCode === 'number') {
    const headers =
      typeof response.headers === 'object' && response.headers !== null
        ? (response.headers as HttpAnswer['headers'])
        : {};
    const answer: HttpAnswer = { status: response.statusCode, headers, body: response.body };
    if (name === 'ParseError' || code === 'ERR_BODY_PARSE_FAILURE') {
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return unexpectedBody(answer, ctx, 'the JSON it should carry');
      }
    }
    if (code === 'ERR_TOO_MANY_REDIRECTS') {
      return new ZchatError('bad_response', 'Zendesk kept redirecting instead of answering.', {
        hint: 'Check the subdomain or the base URL.',
      });
    }
    return errorFromAnswer(answer, ctx);
  }
  if (code && code !== 'ERR_GOT_REQUEST_ERROR') {
    const cause = error instanceof ProxyConnectError ? error : shape.cause;
    return networkError(code, ctx, cause instanceof ProxyConnectError ? cause.proxyStatus : undefined);
  }
  return new ZchatError('network', `The request to ${ctx.host} failed before Zendesk answered.`, {
    hint: 'Try again; check the network, the base URL and any proxy settings.',
  });
}
