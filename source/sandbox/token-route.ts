import type { IncomingMessage, ServerResponse } from 'node:http';
import { count, type RouteContext } from './context.js';
import { readBody, sendJson } from './http-util.js';
import { type ClientRecord, isSubset, parseScopes, s256, type TokenRecord } from './state.js';

/** An OAuth error answer: Chat mostly sends the bare error string, without error_description. */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
  ) {
    super(error);
  }
}

const invalidGrant = () => new OAuthError(400, 'invalid_grant');
const invalidClient = () => new OAuthError(401, 'invalid_client');

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export async function handleToken(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'invalid_request' }, { Allow: 'POST' });
    return;
  }
  const body = await readBody(req);
  const form = new URLSearchParams(body);
  const grant = form.get('grant_type') ?? url.searchParams.get('grant_type') ?? '(none)';
  count(ctx.stats.tokenRequests, grant);
  try {
    // Chat refuses parameters in the query string, with invalid_grant.
    if (url.search.length > 1) throw invalidGrant();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
    }
    const token = grantToken(ctx, grant, form, req.headers.authorization);
    count(ctx.stats.tokensIssued, grant);
    const answer: Record<string, string> = {
      access_token: token.access,
      token_type: 'Bearer',
      scope: token.scopes.join(' '),
    };
    if (token.refresh) answer.refresh_token = token.refresh;
    sendJson(res, 200, answer, NO_STORE);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    const answer: Record<string, string> = { error: err.error };
    if (err.description) answer.error_description = err.description;
    sendJson(res, err.status, answer, NO_STORE);
  }
}

function grantToken(
  ctx: RouteContext,
  grant: string,
  form: URLSearchParams,
  authorization: string | undefined,
): TokenRecord {
  switch (grant) {
    case 'authorization_code':
      return authorizationCode(ctx, form, authorization);
    case 'refresh_token':
      return refreshToken(ctx, form, authorization);
    case 'client_credentials':
      return clientCredentials(ctx, form, authorization);
    case 'password':
      return password(ctx, form, authorization);
    case '(none)':
      throw new OAuthError(400, 'invalid_request', 'grant_type is missing.');
    default:
      throw new OAuthError(400, 'unsupported_grant_type');
  }
}

/** client_id/client_secret from the body, or HTTP Basic (RFC 6749 allows both). */
function credentials(form: URLSearchParams, authorization: string | undefined) {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

/** Finds the client and checks a secret when one is sent. A missing secret is judged by each grant. */
function findClient(
  ctx: RouteContext,
  form: URLSearchParams,
  authorization: string | undefined,
): { client: ClientRecord; secretSent: boolean } {
  const { id, secret } = credentials(form, authorization);
  const client = ctx.state.clientByIdentifier(id);
  if (!client) throw invalidClient();
  if (secret !== null && secret !== '' && secret !== client.secret) throw invalidClient();
  return { client, secretSent: secret !== null && secret !== '' };
}

function requestedScopes(form: URLSearchParams, allowed: string[]): string[] {
  const raw = form.get('scope');
  if (raw === null || raw.trim() === '') return allowed;
  const scopes = parseScopes(raw);
  if (!scopes || !isSubset(scopes, allowed)) throw new OAuthError(400, 'invalid_scope');
  return scopes;
}

function authorizationCode(ctx: RouteContext, form: URLSearchParams, authorization: string | undefined) {
  const { state } = ctx;
  const { client, secretSent } = findClient(ctx, form, authorization);
  const code = state.codes.get(form.get('code') ?? '');
  if (!code || code.clientId !== client.id) throw invalidGrant();
  if (code.used) {
    // A replayed code may be stolen: kill everything the first exchange produced.
    state.revokeFamily(code.code);
    throw invalidGrant();
  }
  if (code.expiresAt <= Date.now()) {
    state.codes.delete(code.code);
    throw invalidGrant();
  }
  const sentRedirect = form.get('redirect_uri');
  if (code.redirectUriSent && sentRedirect !== code.redirectUri) throw invalidGrant();
  if (!code.redirectUriSent && sentRedirect !== null && sentRedirect !== code.redirectUri)
    throw invalidGrant();
  // Without a secret only a public client that used PKCE proves who it is.
  if (!secretSent && (client.type === 'confidential' || !code.challenge)) throw invalidClient();
  if (code.challenge) {
    const verifier = form.get('code_verifier');
    if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== code.challenge) {
      throw new OAuthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
    }
  }
  code.used = true;
  return state.issueToken({
    client,
    scopes: code.scopes,
    grant: 'authorization_code',
    agentId: code.agentId,
    withRefresh: true,
    family: code.code,
  });
}

function refreshToken(ctx: RouteContext, form: URLSearchParams, authorization: string | undefined) {
  const { state } = ctx;
  const { client, secretSent } = findClient(ctx, form, authorization);
  if (!secretSent && client.type === 'confidential') throw invalidClient();
  const old = state.tokenByRefresh(form.get('refresh_token'));
  if (!old || old.clientId !== client.id || old.refreshSpent) throw invalidGrant();
  const scopes = requestedScopes(form, old.scopes);
  const mode = state.options.refreshTokens;
  // The old access token is replaced in every mode. 'rotate': a new refresh token, the old one spent.
  // 'single-use': the old one spent and none in the reply. 'reusable': the same one lives on.
  state.revoke(old);
  const next = state.issueToken({
    client,
    scopes,
    grant: old.grant,
    agentId: old.agentId,
    withRefresh: mode === 'rotate',
    family: old.family,
  });
  if (mode === 'reusable') state.moveRefresh(old, next);
  return next;
}

function clientCredentials(ctx: RouteContext, form: URLSearchParams, authorization: string | undefined) {
  const { client, secretSent } = findClient(ctx, form, authorization);
  if (client.type !== 'confidential' || !secretSent) throw invalidClient();
  return ctx.state.issueToken({
    client,
    scopes: requestedScopes(form, client.scopes),
    grant: 'client_credentials',
    agentId: client.agentId,
    withRefresh: false,
  });
}

/** Chat-only accounts only ("not supported on Chat+Support"): elsewhere a bare 401 invalid_client, as
 * users report. A wrong username or password is a 401 too. */
function password(ctx: RouteContext, form: URLSearchParams, authorization: string | undefined) {
  const { state } = ctx;
  if (!state.options.chatOnlyAccount) throw invalidClient();
  const { client, secretSent } = findClient(ctx, form, authorization);
  if (client.type !== 'confidential' || !secretSent) throw invalidClient();
  const username = form.get('username');
  const agent = state.agents.find(
    (a) => a.password !== undefined && a.email === username && a.password === form.get('password'),
  );
  if (!agent) throw new OAuthError(401, 'invalid_grant');
  return state.issueToken({
    client,
    scopes: requestedScopes(form, client.scopes),
    grant: 'password',
    agentId: agent.id,
    withRefresh: true,
  });
}
