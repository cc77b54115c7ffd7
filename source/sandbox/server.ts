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
 *   refreshing; client credentials may also come as HTTP Basic. Refresh tokens rotate and are single-use;
 *   code reuse revokes every token of that code, rotations included. No expires_in, ever.
 * - Password grant off → 400 unsupported_grant_type. Only the Chat-only agent has a password.
 * - Admin = the account owner: tokens from the browser flows, client credentials and the seeded admin token
 *   act as the owner; password-grant tokens act as the Chat agent, who may not manage OAuth clients/tokens.
 * - The API lists redirect_uris as a list (the Chat docs say "a list"); POST/PUT accept a string (one URL,
 *   or several separated by whitespace) or a list. client_secret is in full in the POST answer only, null after.
 */

/** Starts the Zendesk Chat emulator on loopback. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) {
    throw new ZchatError('usage', `The sandbox listens on loopback only, not on "${host}".`);
  }
  const state = new SandboxState({
    passwordGrant: options.passwordGrant ?? true,
    autoApprove: options.autoApprove ?? false,
    echoState: options.echoState ?? true,
    codeTtlMs: options.codeTtlMs ?? 5 * 60 * 1000,
    tokenTtlMs: options.tokenTtlMs ?? 10 * 3600 * 1000,
  });
  const tutorial = state.createClient({
    name: 'Tutorial client',
    company: 'Demo Inc.',
    redirectUris: ['http://localhost:8080'],
    scopes: ['read', 'write', 'chat'],
  });
  const multi = state.createClient({
    name: 'Two redirects',
    company: 'Demo Inc.',
    redirectUris: ['http://localhost:8080/callback', 'http://127.0.0.1:8765/callback'],
    scopes: ['read', 'write', 'chat'],
  });
  const admin = state.issueToken({
    client: tutorial,
    scopes: ['read', 'write', 'chat'],
    grant: 'authorization_code',
    agentId: state.owner.id,
    withRefresh: false,
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
    },
    stats,
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setPasswordGrant: (on) => {
      state.options.passwordGrant = on;
    },
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
