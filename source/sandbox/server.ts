import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZchatError } from '../core/errors.js';
import { API_PREFIX, handleApi } from './api-routes.js';
import { indexPage } from './consent-page.js';
import type { RouteContext } from './context.js';
import { Faults } from './faults.js';
import { BodyTooLarge, sendHtml, sendJson } from './http-util.js';
import { handleOAuth } from './oauth-routes.js';
import { RateLimiter } from './rate-limit.js';
import { SandboxState } from './state.js';
import type { Sandbox, SandboxOptions, SandboxStats } from './types.js';

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

/*
 * Choices the emulator makes where real Chat is unverified or silent:
 * - The consent page posts `consent_id` + `decision=allow|deny` to POST /oauth2/chat/authorizations
 *   (buttons #allow and #deny); a consent id is single-use and lives 30 minutes.
 * - Token endpoint: a missing client_secret passes only for a public client that used PKCE (code) or is
 *   refreshing; client credentials may also come as HTTP Basic. Refresh tokens rotate by default (the
 *   refreshTokens option also makes them single-use with none in the reply, or reusable); code reuse
 *   revokes every token of that code, rotations included. No expires_in, ever.
 * - Password grant: only on a Chat-only account (option, off by default), else 401 invalid_client; a wrong
 *   username or password is 401 invalid_grant. Only the Chat-only agent has a password.
 * - Browser flows sign in as the account owner. Client credentials act as the client's creator; password-
 *   grant tokens act as the Chat agent, who may not manage OAuth clients/tokens. Administrators (the owner
 *   and a second admin) see and manage only the clients and tokens they created.
 * - redirect_uris is a list by default (option: one space-separated string); POST/PUT accept either.
 *   client_secret is in full in the POST answer only, null after. The token list carries the values.
 */

/** Starts the Zendesk Chat emulator on loopback. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) {
    throw new ZchatError('usage', `The sandbox listens on loopback only, not on "${host}".`);
  }
  const state = new SandboxState({
    chatOnlyAccount: options.chatOnlyAccount ?? false,
    autoApprove: options.autoApprove ?? false,
    echoState: options.echoState ?? true,
    refreshTokens: options.refreshTokens ?? 'rotate',
    implicitIn: options.implicitIn ?? 'fragment',
    datesWithZ: options.datesWithZ ?? true,
    redirectUrisAs: options.redirectUrisAs ?? 'list',
    codeTtlMs: options.codeTtlMs ?? 5 * 60 * 1000,
    tokenTtlMs: options.tokenTtlMs ?? 10 * 3600 * 1000,
  });
  const tutorial = state.createClient({
    name: 'Tutorial client',
    company: 'Demo Inc.',
    redirectUris: ['http://localhost:8080'],
    scopes: ['read', 'write'],
  });
  const multi = state.createClient({
    name: 'Two redirects',
    company: 'Demo Inc.',
    redirectUris: ['http://localhost:8080/callback', 'http://127.0.0.1:8765/callback'],
    scopes: ['read', 'write'],
  });
  for (let i = 1; i <= (options.clients ?? 0); i++) {
    state.createClient({
      name: `Client ${String(i).padStart(4, '0')}`,
      redirectUris: ['https://example.com/callback'],
      scopes: ['read', 'write'],
    });
  }
  const admin = state.issueToken({
    client: tutorial,
    scopes: ['read', 'write'],
    grant: 'authorization_code',
    agentId: state.owner.id,
    withRefresh: false,
  });
  const otherAgent = state.agents.find((a) => a.role === 'admin')!;
  const otherClient = state.createClient({
    name: 'Colleague’s client',
    company: 'Demo Inc.',
    redirectUris: ['http://localhost:8080'],
    scopes: ['read', 'write'],
    agentId: otherAgent.id,
  });
  const otherToken = state.issueToken({
    client: otherClient,
    scopes: ['read', 'write'],
    grant: 'authorization_code',
    agentId: otherAgent.id,
    withRefresh: true,
  });
  const chatAgent = state.agents.find((a) => a.password !== undefined)!;

  const stats: SandboxStats = { tokenRequests: {}, tokensIssued: {}, requests: [] };
  const faults = new Faults();
  const ctx: RouteContext = {
    state,
    stats,
    limiter: new RateLimiter(options.rateLimitPerMinute ?? 200),
    baseUrl: '',
  };

  const server = createServer((req, res) => {
    // A request log for `zchat-auth sandbox` in the foreground: method, path (never the query) and status.
    if (!options.quiet) {
      res.on('finish', () =>
        process.stdout.write(`sandbox: ${req.method} ${pathOnly(req.url)} ${res.statusCode}\n`),
      );
    }
    handle(ctx, faults, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else if (err instanceof BodyTooLarge) {
        sendJson(res, 413, { error: 'Payload Too Large' }, { Connection: 'close' });
      } else {
        sendJson(res, 500, { error: 'Internal Server Error' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ZchatError('port_busy', `Port ${options.port} is already in use.`, {
              hint: 'Pick another one with --port, or 0 for any free port.',
            })
          : err,
      );
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host;
  ctx.baseUrl = `http://${shownHost}:${port}`;

  const sandbox: Sandbox = {
    url: ctx.baseUrl,
    port,
    demo: {
      subdomain: state.subdomain,
      clientId: tutorial.identifier,
      clientSecret: tutorial.secret,
      clientNumericId: tutorial.id,
      redirectUri: tutorial.redirectUris[0]!,
      multiRedirectClientId: multi.identifier,
      multiRedirectClientSecret: multi.secret,
      multiRedirectClientNumericId: multi.id,
      username: chatAgent.email,
      password: chatAgent.password!,
      adminToken: admin.access,
      otherAgentClientId: otherClient.identifier,
      otherAgentClientSecret: otherClient.secret,
      otherAgentClientNumericId: otherClient.id,
      otherAgentToken: otherToken.access,
      otherAgentId: otherAgent.id,
      ownerAgentId: state.owner.id,
    },
    get settings() {
      const o = state.options;
      return {
        echoState: o.echoState,
        refreshTokens: o.refreshTokens,
        implicitIn: o.implicitIn,
        datesWithZ: o.datesWithZ,
        redirectUrisAs: o.redirectUrisAs,
        chatOnlyAccount: o.chatOnlyAccount,
      };
    },
    stats,
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setChatOnlyAccount: (on) => {
      state.options.chatOnlyAccount = on;
    },
    setClientScopes: (identifier, scopes) => {
      const c = state.clientByIdentifier(identifier);
      if (c) c.scopes = [...scopes];
    },
    mintSupportToken: () => state.mintSupportToken(),
    issuedTokenValues: () =>
      [...state.tokens.values()].flatMap((t) => (t.refresh ? [t.access, t.refresh] : [t.access])),
    setAutoApprove: (on) => {
      state.options.autoApprove = on;
    },
    getClient: (identifier) => {
      const c = state.clientByIdentifier(identifier);
      return c && { client_type: c.type, redirect_uris: [...c.redirectUris], scopes: c.scopes.join(' ') };
    },
    isTokenValid: (access) => state.isValid(state.tokenByAccess(access)),
    revokeAccessToken: (access) => {
      const t = state.tokenByAccess(access);
      if (t) state.revoke(t);
    },
    expireAccessToken: (access) => {
      const t = state.tokenByAccess(access);
      if (t) t.expiresAt = Date.now() - 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sandbox;
}

async function handle(ctx: RouteContext, faults: Faults, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const entry = { method: req.method ?? 'GET', path: url.pathname, status: 0 };
  ctx.stats.requests.push(entry);
  res.on('finish', () => {
    entry.status = res.statusCode;
  });
  if (await faults.apply(url.pathname, res)) return;
  if (await handleOAuth(ctx, req, res, url)) return;
  if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
    return handleApi(ctx, req, res, url);
  }
  if (url.pathname === '/' && req.method === 'GET') return sendHtml(res, 200, indexPage(ctx.baseUrl));
  sendJson(res, 404, { error: 'Not Found' });
}

function pathOnly(raw: string | undefined): string {
  return (raw ?? '/').split(/[?#]/)[0]!;
}
