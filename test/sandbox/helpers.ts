import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox, SandboxOptions } from '../../source/sandbox/types.js';

export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ quiet: true, ...options });
}

export function form(sb: Sandbox, params: Record<string, string>, path = '/oauth2/chat/token') {
  return fetch(`${sb.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

export function authorizeUrl(sb: Sandbox, params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return `${sb.url}/oauth2/chat/authorizations/new?${new URLSearchParams(defined)}`;
}

/** Opens the consent page and returns its one-time consent id. */
export async function consentId(sb: Sandbox, params: Record<string, string | undefined>): Promise<string> {
  const res = await fetch(authorizeUrl(sb, params));
  if (res.status !== 200) throw new Error(`authorize answered ${res.status}`);
  const match = /name="consent_id" value="([^"]+)"/.exec(await res.text());
  if (!match) throw new Error('no consent id on the page');
  return match[1]!;
}

/** Presses Allow or Deny and returns the Location the browser would follow. */
export async function decide(sb: Sandbox, id: string, decision: string): Promise<Response> {
  return form(sb, { consent_id: id, decision }, '/oauth2/chat/authorizations');
}

export const demoCodeParams = (sb: Sandbox, extra: Record<string, string | undefined> = {}) => ({
  response_type: 'code',
  client_id: sb.demo.clientId,
  scope: 'read write',
  subdomain: 'demo',
  state: 'state-123',
  ...extra,
});

/** Runs the code flow up to the code (Allow pressed). */
export async function getCode(sb: Sandbox, extra: Record<string, string | undefined> = {}): Promise<string> {
  const res = await decide(sb, await consentId(sb, demoCodeParams(sb, extra)), 'allow');
  const code = new URL(res.headers.get('location')!).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.status}`);
  return code;
}

export interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  scope?: string;
  error?: string;
  error_description?: string;
  expires_in?: number;
}

export async function exchange(sb: Sandbox, code: string, extra: Record<string, string> = {}) {
  const res = await form(sb, {
    grant_type: 'authorization_code',
    code,
    client_id: sb.demo.clientId,
    client_secret: sb.demo.clientSecret,
    redirect_uri: sb.demo.redirectUri,
    scope: 'read write',
    ...extra,
  });
  return { status: res.status, body: (await res.json()) as TokenBody };
}

/** A full code flow: a fresh token pair. */
export async function codeToken(
  sb: Sandbox,
): Promise<Required<Pick<TokenBody, 'access_token' | 'refresh_token'>>> {
  const { body } = await exchange(sb, await getCode(sb));
  return { access_token: body.access_token!, refresh_token: body.refresh_token! };
}

export function api(sb: Sandbox, path: string, token: string | undefined, init: RequestInit = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  return fetch(`${sb.url}/api/v2/chat${path}`, { ...init, headers });
}

export function json(sb: Sandbox, path: string, token: string, method: string, body: unknown) {
  return api(sb, path, token, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function makeConfidential(sb: Sandbox, numericId = sb.demo.clientNumericId): Promise<void> {
  const res = await json(sb, `/oauth/clients/${numericId}`, sb.demo.adminToken, 'PUT', {
    client_type: 'confidential',
  });
  if (res.status !== 200) throw new Error(`PUT answered ${res.status}`);
}

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny redirect target on loopback that records what reaches it. */
export async function target(status = 200): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
