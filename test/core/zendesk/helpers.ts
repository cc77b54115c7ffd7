import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../../source/sandbox/types.js';

/** Drives the sandbox's consent page over HTTP as a browser would: GET the page, POST Allow, read Location. */
export async function authorize(
  sandbox: Sandbox,
  o: {
    clientId: string;
    scope: string;
    redirectUri?: string;
    responseType?: 'code' | 'token';
    state?: string;
  },
): Promise<URL> {
  const query = new URLSearchParams({
    response_type: o.responseType ?? 'code',
    client_id: o.clientId,
    scope: o.scope,
    subdomain: sandbox.demo.subdomain,
    state: o.state ?? 'st4te',
  });
  if (o.redirectUri) query.set('redirect_uri', o.redirectUri);
  const page = await fetch(`${sandbox.url}/oauth2/chat/authorizations/new?${query}`);
  const html = await page.text();
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!consentId || !action) throw new Error(`no consent form (status ${page.status})`);
  const decided = await fetch(`${sandbox.url}${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision: 'allow' }),
    redirect: 'manual',
  });
  const location = decided.headers.get('location');
  if (decided.status < 300 || decided.status > 399 || !location)
    throw new Error(`no redirect (status ${decided.status})`);
  return new URL(location);
}

/** A fresh authorization code from the sandbox for the tutorial client (or another). */
export async function authorizationCode(
  sandbox: Sandbox,
  o: { clientId?: string; scope?: string; redirectUri?: string } = {},
): Promise<string> {
  const url = await authorize(sandbox, {
    clientId: o.clientId ?? sandbox.demo.clientId,
    scope: o.scope ?? 'read write',
    ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
  });
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in the redirect (${url.searchParams.get('error')})`);
  return code;
}

export interface Listener {
  url: string;
  port: number;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** A tiny real HTTP server on loopback for answers the sandbox does not give. */
export async function startListener(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<Listener> {
  const requests: Listener['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function countRequests(sandbox: Sandbox, method: string, path: string): number {
  return sandbox.stats.requests.filter((r) => r.method === method && r.path === path).length;
}
