import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleChatData } from './chat-data-routes.js';
import type { RouteContext } from './context.js';
import { escapeHtml, readBody, sendEmpty, sendHtml, sendJson } from './http-util.js';
import {
  CLIENT_SCOPES,
  type ClientRecord,
  type ClientType,
  isAllowedRedirectUri,
  parseScopes,
  type SandboxState,
  type TokenRecord,
} from './state.js';

export const API_PREFIX = '/api/v2/chat';

const notFound = (res: ServerResponse) => sendJson(res, 404, { error: 'Not Found' });
const badRequest = (res: ServerResponse, description: string) =>
  sendJson(res, 400, { error: 'Bad Request', description });

/** Chat REST API: Bearer auth, then rate limit, then scope and role checks, then the route. */
export async function handleApi(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const token = authenticate(ctx, req, res);
  if (!token) return;
  // 200 a minute per account, whichever token or agent asks; Zendesk's example answers a web page.
  const limit = ctx.limiter.hit(ctx.state.accountKey);
  if (!limit.ok) {
    res.setHeader('Retry-After', String(limit.retryAfter));
    sendHtml(res, 429, rateLimitPage(limit.retryAfter));
    return;
  }
  const method = req.method ?? 'GET';
  const needed = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  if (!token.scopes.includes(needed)) {
    return forbidden(
      res,
      `This request needs the "${needed}" scope; the token has "${token.scopes.join(' ')}".`,
    );
  }
  const rest = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  const segments = rest.split('/').filter(Boolean);
  if (segments[0] === 'oauth') {
    if (!ctx.state.isAdmin(token.agentId)) {
      return forbidden(res, 'Only an administrator can manage OAuth clients and tokens.');
    }
    const agent = token.agentId;
    if (segments[1] === 'clients')
      return clientsRoute(ctx, req, res, method, segments[2], segments.length, agent);
    if (segments[1] === 'tokens') return tokensRoute(ctx, res, method, segments[2], segments.length, agent);
    return notFound(res);
  }
  if (await handleChatData(ctx, req, res, method, url, rest)) return;
  if (method === 'GET' && rest === '/account') return sendJson(res, 200, account(ctx));
  return notFound(res);
}

function rateLimitPage(retryAfter: number): string {
  return `<!DOCTYPE html><html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1><p>${escapeHtml(
    `You have exceeded the rate limit. Retry in ${retryAfter} seconds.`,
  )}</p></body></html>`;
}

function forbidden(res: ServerResponse, description: string): void {
  sendJson(res, 403, { error: 'Forbidden', description });
}

function authenticate(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): TokenRecord | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const unauthorized = (description: string) =>
    sendJson(
      res,
      401,
      { error: 'Unauthorized', description },
      { 'WWW-Authenticate': 'Bearer realm="Zendesk Chat"' },
    );
  if (!match) {
    unauthorized('An OAuth access token is required (Authorization: Bearer TOKEN).');
    return undefined;
  }
  // A Zendesk Support token is unknown to Chat: the same 401 as any made-up token.
  const token = ctx.state.tokenByAccess(match[1]!);
  if (!token || token.revoked) {
    unauthorized('The access token is invalid or has been revoked.');
    return undefined;
  }
  if (token.expiresAt <= Date.now()) {
    unauthorized('The access token has expired.');
    return undefined;
  }
  return token;
}

/** The JSON of a client; the secret only in full at creation (`null` afterwards). redirect_uris is a
 * list, or one space-separated string when the sandbox is told so (the docs allow both). */
export function clientJson(state: SandboxState, c: ClientRecord, withSecret = false) {
  return {
    id: c.id,
    name: c.name,
    company: c.company,
    redirect_uris: state.options.redirectUrisAs === 'string' ? c.redirectUris.join(' ') : [...c.redirectUris],
    client_identifier: c.identifier,
    client_secret: withSecret ? c.secret : null,
    client_type: c.type,
    scopes: c.scopes.join(' '),
    agent_id: c.agentId,
    create_date: state.date(c.createdAt),
    update_date: state.date(c.updatedAt),
  };
}

interface ClientFields {
  name?: string;
  company?: string | null;
  redirectUris?: string[];
  scopes?: string[];
  type?: ClientType;
}

/** Validates the writable fields present in a POST/PUT body; a string describing the problem on error. */
function clientFields(body: Record<string, unknown>): ClientFields | string {
  const out: ClientFields = {};
  if ('name' in body) {
    if (typeof body.name !== 'string' || body.name.trim() === '') return 'name must be a non-empty string.';
    out.name = body.name.trim();
  }
  if ('company' in body) {
    if (body.company !== null && typeof body.company !== 'string') return 'company must be a string.';
    out.company = body.company;
  }
  if ('redirect_uris' in body) {
    const raw = body.redirect_uris;
    // A string may hold several URLs, one per line (as the dashboard's text area does).
    const list = typeof raw === 'string' ? raw.split(/\s+/).filter(Boolean) : raw;
    if (!Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === 'string')) {
      return 'redirect_uris must be a URL or a list of URLs.';
    }
    const wrong = list.find((u) => !isAllowedRedirectUri(u));
    if (wrong !== undefined)
      return `Redirect URL "${wrong}" must be absolute and https (or http://localhost).`;
    out.redirectUris = [...new Set(list as string[])];
  }
  if ('scopes' in body) {
    const scopes = typeof body.scopes === 'string' ? parseScopes(body.scopes) : undefined;
    if (!scopes?.every((s) => (CLIENT_SCOPES as readonly string[]).includes(s))) {
      return "scopes only supports 'read' or 'write' (space separated).";
    }
    out.scopes = scopes;
  }
  if ('client_type' in body) {
    if (body.client_type !== 'public' && body.client_type !== 'confidential') {
      return 'client_type must be "public" or "confidential".';
    }
    out.type = body.client_type;
  }
  return out;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readBody(req));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through: not JSON
  }
  return undefined;
}

/** Each agent sees and manages only the clients it created ("Lists all clients under an agent"). */
async function clientsRoute(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  idText: string | undefined,
  depth: number,
  agentId: number,
): Promise<void> {
  const { state } = ctx;
  if (depth > 3) return notFound(res);
  if (idText === undefined) {
    if (method === 'GET')
      return sendJson(
        res,
        200,
        [...state.clients.values()].filter((c) => c.agentId === agentId).map((c) => clientJson(state, c)),
      );
    if (method !== 'POST') return notFound(res);
    const body = await jsonBody(req);
    if (!body) return badRequest(res, 'The body must be a JSON object.');
    const fields = clientFields(body);
    if (typeof fields === 'string') return badRequest(res, fields);
    if (fields.name === undefined) return badRequest(res, 'name is required.');
    if (fields.redirectUris === undefined) return badRequest(res, 'redirect_uris is required.');
    const client = state.createClient({
      name: fields.name,
      company: fields.company ?? null,
      redirectUris: fields.redirectUris,
      scopes: fields.scopes ?? ['read', 'write'],
      type: fields.type ?? 'public',
      agentId,
    });
    return sendJson(res, 201, clientJson(state, client, true));
  }
  const found = /^\d+$/.test(idText) ? state.clients.get(Number(idText)) : undefined;
  const client = found?.agentId === agentId ? found : undefined;
  if (!client) return notFound(res);
  if (method === 'GET') return sendJson(res, 200, clientJson(state, client));
  if (method === 'DELETE') {
    state.deleteClient(client.id);
    return sendEmpty(res, 204);
  }
  if (method !== 'PUT' && method !== 'PATCH') return notFound(res);
  const body = await jsonBody(req);
  if (!body) return badRequest(res, 'The body must be a JSON object.');
  const fields = clientFields(body);
  if (typeof fields === 'string') return badRequest(res, fields);
  if (fields.name !== undefined) client.name = fields.name;
  if (fields.company !== undefined) client.company = fields.company;
  if (fields.redirectUris !== undefined) client.redirectUris = fields.redirectUris;
  if (fields.scopes !== undefined) client.scopes = fields.scopes;
  if (fields.type !== undefined) client.type = fields.type;
  client.updatedAt = Date.now();
  return sendJson(res, 200, clientJson(state, client));
}

/** The calling agent's own tokens, values in full as in the reference's example. */
function tokensRoute(
  ctx: RouteContext,
  res: ServerResponse,
  method: string,
  idText: string | undefined,
  depth: number,
  agentId: number,
) {
  const { state } = ctx;
  if (depth > 3) return notFound(res);
  if (idText === undefined) {
    if (method !== 'GET') return notFound(res);
    const live = [...state.tokens.values()].filter((t) => !t.revoked && t.agentId === agentId);
    return sendJson(
      res,
      200,
      live.map((t) => ({
        id: t.id,
        agent_id: t.agentId,
        client_identifier: t.clientIdentifier,
        client_id: t.clientId,
        access_token: t.access,
        refresh_token: t.refresh && !t.refreshSpent ? t.refresh : null,
        token_type: 'Bearer',
        scopes: t.scopes.join(' '),
        create_date: state.date(t.createdAt),
        expire_date: state.date(t.expiresAt),
      })),
    );
  }
  const token = /^\d+$/.test(idText) ? state.tokens.get(Number(idText)) : undefined;
  if (!token || token.revoked || token.agentId !== agentId) return notFound(res);
  if (method !== 'DELETE') return notFound(res);
  state.revoke(token);
  return sendEmpty(res, 204);
}

function account(ctx: RouteContext) {
  const { state } = ctx;
  return {
    account_key: state.accountKey,
    status: 'active',
    create_date: state.date(state.createdAt),
    billing: { company: 'Demo Inc.', email: state.owner.email },
    plan: {
      name: 'enterprise',
      max_agents: 50,
      max_departments: 'unlimited',
      max_concurrent_chats: 'unlimited',
      analytics: true,
      rest_api: true,
    },
    subdomain: state.subdomain,
  };
}

export function seededChats(ctx: RouteContext) {
  const day = 24 * 3600 * 1000;
  const base = ctx.state.createdAt + 300 * day;
  const chat = (n: number, visitor: string, message: string, rating: string | null) => ({
    id: `2104.${100_000 + n}.${(n * 7919).toString(36).toUpperCase()}`,
    type: 'chat',
    timestamp: ctx.state.date(base + n * day),
    update_timestamp: ctx.state.date(base + n * day + 600_000),
    visitor: { name: visitor, email: `${visitor.toLowerCase().replace(/\s+/g, '.')}@example.com` },
    agent_ids: [String(ctx.state.owner.id)],
    department_name: 'Support',
    rating,
    missed: false,
    count: { total: 4, visitor: 2, agent: 2 },
    history: [
      { type: 'chat.msg', name: visitor, msg: message, timestamp: ctx.state.date(base + n * day) },
      {
        type: 'chat.msg',
        name: ctx.state.owner.name,
        msg: 'Happy to help!',
        timestamp: ctx.state.date(base + n * day + 30_000),
      },
    ],
  });
  return [
    chat(1, 'Ada Lovelace', 'Hi, how do I reset my password?', 'good'),
    chat(2, 'Alan Turing', 'Is there an API for chats?', null),
    chat(3, 'Grace Hopper', 'My widget does not load.', 'bad'),
  ];
}
