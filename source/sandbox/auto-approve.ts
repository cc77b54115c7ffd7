import http from 'node:http';
import https from 'node:https';
import { encodeParams, withParams } from './http-util.js';

export interface Approval {
  redirectUri: string;
  mode: 'code' | 'token';
  /** Where the parameters ride: the query (code; implicit when the sandbox puts it there) or the fragment. */
  place: 'query' | 'fragment';
  params: Record<string, string | undefined>;
}

export interface Delivery {
  ok: boolean;
  /** Where it went, without the secret-bearing query. */
  target: string;
  detail: string;
}

const TIMEOUT_MS = 5000;

/**
 * Does what the browser would after Allow. Code flow: GET the redirect URI with code and state.
 * Implicit: the fragment never reaches a server, so post it to the loopback capture endpoint exactly
 * as the capture page would (JSON, Origin = the redirect origin).
 */
export async function deliver(approval: Approval): Promise<Delivery> {
  const origin = new URL(approval.redirectUri).origin;
  if (approval.place === 'query') {
    const target = approval.redirectUri;
    return send(target, withParams(approval.redirectUri, approval.params, 'query'), { method: 'GET' });
  }
  const target = `${origin}/__zchat_auth/capture`;
  // The capture page sends the fragment's own state, or '' when the fragment has none.
  const body = { fragment: encodeParams(approval.params), state: approval.params.state ?? '' };
  return send(target, target, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify(body),
  });
}

function send(
  target: string,
  url: string,
  o: { method: string; headers?: Record<string, string>; body?: string },
): Promise<Delivery> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const headers = { ...o.headers };
    if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
    const req = lib.request(url, { method: o.method, headers, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 400,
          target,
          detail: `The redirect target answered ${status}.`,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      resolve({
        ok: false,
        target,
        detail: `Could not reach the redirect target (${err.code ?? err.message}).`,
      });
    });
    req.end(o.body);
  });
}
