import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Approval, deliver } from './auto-approve.js';
import { autoApprovedPage, consentPage, errorPage } from './consent-page.js';
import { count, type RouteContext } from './context.js';
import { readBody, redirect, sendHtml, withParams } from './http-util.js';
import type { ConsentRecord } from './state.js';
import { isSubset, parseScopes } from './state.js';
import { handleToken } from './token-route.js';

export const AUTHORIZE_PATH = '/oauth2/chat/authorizations/new';
export const DECIDE_PATH = '/oauth2/chat/authorizations';
export const TOKEN_PATH = '/oauth2/chat/token';

/** Returns false when the path is not an OAuth route. */
export async function handleOAuth(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (url.pathname === AUTHORIZE_PATH && req.method === 'GET') {
    await authorize(ctx, res, url);
    return true;
  }
  if (url.pathname === DECIDE_PATH && req.method === 'POST') {
    await decide(ctx, req, res);
    return true;
  }
  if (url.pathname === TOKEN_PATH) {
    await handleToken(ctx, req, res, url);
    return true;
  }
  return false;
}

/** Where the redirect's parameters go: the code in the query; the implicit token in the fragment, or in
 * the query when the sandbox is told so (the tutorial only says "in the browser's address field"). */
function placeOf(ctx: RouteContext, responseType: 'code' | 'token'): 'query' | 'fragment' {
  return responseType === 'code' || ctx.state.options.implicitIn === 'query' ? 'query' : 'fragment';
}

function bad(res: ServerResponse, title: string, message: string): void {
  sendHtml(res, 400, errorPage(title, message));
}

async function authorize(ctx: RouteContext, res: ServerResponse, url: URL): Promise<void> {
  const { state } = ctx;
  const q = url.searchParams;
  // Request errors that make the redirect target unknown or untrusted: a page, never a redirect.
  const client = state.clientByIdentifier(q.get('client_id'));
  if (!client) {
    return bad(
      res,
      'Invalid client',
      'No API client with this client_id exists on this Zendesk Chat account. Check the Client ID in Zendesk Chat > Account > API & SDKs.',
    );
  }
  const subdomain = q.get('subdomain');
  if (subdomain !== null && subdomain.toLowerCase() !== state.subdomain) {
    return bad(res, 'Unknown account', `There is no Zendesk Chat account for the subdomain "${subdomain}".`);
  }
  const sentRedirect = q.get('redirect_uri');
  let redirectUri: string;
  if (sentRedirect === null) {
    if (client.redirectUris.length !== 1) {
      return bad(
        res,
        'Invalid redirect_uri',
        'This client has several Redirect URLs, so the request must say which one with redirect_uri.',
      );
    }
    redirectUri = client.redirectUris[0]!;
  } else if (client.redirectUris.includes(sentRedirect)) {
    redirectUri = sentRedirect;
  } else {
    return bad(
      res,
      'Invalid redirect_uri',
      "The redirect_uri does not match any of the client's Redirect URLs.",
    );
  }
  const responseType = q.get('response_type');
  if (responseType !== 'code' && responseType !== 'token') {
    return bad(res, 'Unsupported response_type', 'response_type must be "code" or "token".');
  }
  const where = placeOf(ctx, responseType);
  const stateParam = q.get('state') ?? undefined;
  const echoed = state.options.echoState ? stateParam : undefined;
  const fail = (error: string, description: string) =>
    redirect(res, withParams(redirectUri, { error, error_description: description, state: echoed }, where));

  const scopes = parseScopes(q.get('scope'));
  if (!scopes || !isSubset(scopes, client.scopes)) {
    return fail(
      'invalid_scope',
      `The requested scope is invalid. This client allows: ${client.scopes.join(' ')}.`,
    );
  }
  let challenge: string | undefined;
  const sentChallenge = q.get('code_challenge');
  if (responseType === 'code' && sentChallenge !== null) {
    if ((q.get('code_challenge_method') ?? 'plain') !== 'S256') {
      return fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(sentChallenge)) {
      return fail('invalid_request', 'code_challenge must be a base64url SHA-256 hash.');
    }
    challenge = sentChallenge;
  }
  const pending: Omit<ConsentRecord, 'id' | 'expiresAt'> = {
    clientId: client.id,
    redirectUri,
    redirectUriSent: sentRedirect !== null,
    responseType,
    scopes,
  };
  if (stateParam !== undefined) pending.state = stateParam;
  if (challenge !== undefined) pending.challenge = challenge;

  if (state.options.autoApprove) {
    const approval = approve(ctx, pending);
    const result = await deliver(approval);
    sendHtml(res, result.ok ? 200 : 502, autoApprovedPage(result));
    return;
  }
  const consent = state.createConsent(pending);
  sendHtml(
    res,
    200,
    consentPage({
      consentId: consent.id,
      clientName: client.name,
      company: client.company,
      scopes,
      subdomain: state.subdomain,
      agentName: state.owner.name,
      action: DECIDE_PATH,
    }),
  );
}

/** Allow: a code (code flow) or a token (implicit), as redirect parameters. */
function approve(ctx: RouteContext, p: Omit<ConsentRecord, 'id' | 'expiresAt'>): Approval {
  const { state } = ctx;
  const echoed = state.options.echoState ? p.state : undefined;
  const client = state.clients.get(p.clientId)!;
  if (p.responseType === 'code') {
    const code = state.createCode({
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      redirectUriSent: p.redirectUriSent,
      scopes: p.scopes,
      agentId: state.owner.id,
      ...(p.challenge ? { challenge: p.challenge } : {}),
    });
    return {
      redirectUri: p.redirectUri,
      mode: 'code',
      place: 'query',
      params: { code: code.code, state: echoed },
    };
  }
  const token = state.issueToken({
    client,
    scopes: p.scopes,
    grant: 'implicit',
    agentId: state.owner.id,
    withRefresh: false,
  });
  count(ctx.stats.tokensIssued, 'implicit');
  return {
    redirectUri: p.redirectUri,
    mode: 'token',
    place: placeOf(ctx, 'token'),
    params: { access_token: token.access, token_type: 'Bearer', scope: p.scopes.join(' '), state: echoed },
  };
}

async function decide(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const consent = ctx.state.takeConsent(form.get('consent_id'));
  if (!consent || !ctx.state.clients.has(consent.clientId)) {
    return bad(
      res,
      'This request has expired',
      'This consent form was already used or has expired. Start again from the application.',
    );
  }
  const where = placeOf(ctx, consent.responseType);
  const decision = form.get('decision');
  if (decision === 'allow') {
    const approval = approve(ctx, consent);
    return redirect(res, withParams(approval.redirectUri, approval.params, approval.place));
  }
  if (decision === 'deny') {
    const echoed = ctx.state.options.echoState ? consent.state : undefined;
    const params = {
      error: 'access_denied',
      error_description: 'The end-user or authorization server denied the request.',
      state: echoed,
    };
    return redirect(res, withParams(consent.redirectUri, params, where));
  }
  return bad(res, 'Bad request', 'Choose Allow or Deny.');
}
