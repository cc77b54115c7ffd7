/**
 * One HTTP exchange over node:http(s), answered whatever its status, with the body as bytes and the
 * headers as sent. For `zchat-auth api` and `exec`, whose start-up time is a target: got and its
 * dependencies take longer to load than Node takes to start (see README, performance), and these
 * commands need the raw answer anyway. Same rules as http.ts: a timeout, the proxy from the environment
 * (hpagent, loaded only then), no redirects followed, a capped body, and failures as ZchatErrors built by
 * http-errors.ts that carry no request, header or body.
 */
import type http from 'node:http';
import { ZchatError } from '../errors.js';
import { builtin } from '../platform/builtin.js';
import { hostOf } from './endpoints.js';
import type { ErrorContext } from './http-errors.js';
import { type ProxyEnv, proxyForUrl } from './proxy.js';

export interface RawRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  env: ProxyEnv;
  /** Answers longer than this fail (default 64 MiB). */
  maxBodyBytes?: number;
  secrets?: readonly (string | undefined)[];
}

export interface RawResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  /** Name/value pairs as the server sent them (names in its case), for `--include`. */
  rawHeaders: [string, string][];
  /** Lower-cased names; repeated headers joined as Node does. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

async function agentFor(
  url: URL,
  env: ProxyEnv,
): Promise<{ agent?: http.Agent; ctx: ErrorContext['proxy'] }> {
  const proxy = proxyForUrl(url, env);
  if (!proxy) return { ctx: undefined };
  const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
  const Agent = url.protocol === 'https:' ? HttpsProxyAgent : HttpProxyAgent;
  return { agent: new Agent({ proxy: proxy.url, keepAlive: false }), ctx: proxy };
}

export async function sendRaw(request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.url);
  const { agent, ctx: proxy } = await agentFor(url, request.env);
  const ctx: ErrorContext = {
    host: hostOf(request.url),
    timeoutMs: request.timeoutMs,
    endpoint: 'api',
    ...(request.secrets ? { secrets: request.secrets } : {}),
    ...(proxy ? { proxy } : {}),
  };
  const max = request.maxBodyBytes ?? DEFAULT_MAX_BODY;
  // Only the module the URL needs: node:https brings TLS, which a loopback http URL never uses.
  const transport = url.protocol === 'https:' ? builtin('node:https') : builtin('node:http');
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      // The error wording loads only when there is an error: `api` starts its request without it.
      import('./http-errors.js').then(({ mapHttpError }) => reject(mapHttpError(error, ctx)), reject);
    };
    const req = transport.request(
      url,
      {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body ? { 'Content-Length': String(request.body.length) } : {}),
        },
        ...(agent ? { agent } : { agent: false }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            fail(
              new ZchatError('bad_response', `${ctx.host} sent an answer larger than ${max >> 20} MiB.`, {
                hint: 'Ask for less (a smaller limit, or fewer fields).',
              }),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const rawHeaders: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            rawHeaders.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          }
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            httpVersion: res.httpVersion,
            rawHeaders,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    const timer = setTimeout(() => {
      fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    }, request.timeoutMs);
    req.on('error', fail);
    req.end(request.body);
  });
}
