/**
 * The one place that makes HTTP requests to Zendesk (or the sandbox): timeouts, GET-only retries that
 * honour Retry-After, proxies from the environment, a capped body, no redirects followed, and every failure
 * a ZchatError that carries no request options, headers, bodies or URLs.
 *
 * got (got-client.ts) carries the policy: retries, proxies, ZCHAT_AUTH_DEBUG's log. Every request's first
 * attempt goes over node:http(s) directly (firstAttempt, below), with got's rules, and got takes over only
 * for a GET's retries: got, its dependencies and node:https took longer to load on a 2-core machine than
 * the dashboard's two list requests take to answer (the clients pane filled 120-170 ms after the first
 * frame with 1,000 clients, 60 ms of it before the requests left), and a login's token POST through got,
 * warm, took 4-6 ms of the redirect → stored time where node:http takes 2-3 ms. Writes (a token POST
 * above all: a code is single-use) are never retried, so their first attempt is their only one.
 */
import type http from 'node:http';
import type { Got } from 'got';
import { type DebugLog, debugLog } from '../debug.js';
import { ZchatError } from '../errors.js';
import type { GrantType } from '../oauth/types.js';
import { builtin } from '../platform/builtin.js';
import { hostOf } from './endpoints.js';
import {
  type ErrorContext,
  errorFromAnswer,
  type HttpAnswer,
  mapHttpError,
  unexpectedBody,
} from './http-errors.js';
import { httpTimeoutMs } from './http-timeout.js';
import { type ProxyEnv, proxyForUrl } from './proxy.js';
import type { HttpExchange } from './types.js';

export const defaults = {
  timeoutMs: 15_000,
  retries: 2,
  /** A longer Retry-After is surfaced as rate_limited rather than waited out. */
  maxRetryAfterMs: 30_000,
  retryDelayMs: 1_000,
  maxRetryDelayMs: 10_000,
  /** Token and API answers are a few KiB; more is a wrong host, a hostile one, or a flood. */
  maxBodyBytes: 1024 * 1024,
} as const;

export const userAgent = 'zendesk-chat-auth';

/** What a GET is retried on (got-client.ts and firstGet both read these). */
export const retryRules = {
  statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
  errorCodes: ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN'],
} as const;

export interface HttpOptions {
  /** `https://acme.zendesk.com` or an override; paths are appended to it. */
  baseUrl: string;
  /** Which error vocabulary applies: OAuth (token endpoint) or HTTP (REST API). Default 'api'. */
  endpoint?: 'token' | 'api';
  /** Per attempt. Default ZCHAT_AUTH_HTTP_TIMEOUT from `env`, else 15 s. */
  timeoutMs?: number;
  /** Retries for GET only (POST/PUT/DELETE are never retried). Default 2. */
  retries?: number;
  /** Longest Retry-After to wait out. Default 30 s. */
  maxRetryAfterMs?: number;
  /** First backoff delay; doubles each retry up to maxRetryDelayMs. Default 1 s. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read. Default process.env. */
  env?: ProxyEnv;
  /** Largest answer body read (after decompression); more ends the request. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Called once per request, success or failure, for the dashboard's "last exchange". */
  onExchange?: (e: HttpExchange) => void;
  /** Where ZCHAT_AUTH_DEBUG output goes; by default stderr when the variable is set in `env`. */
  debug?: DebugLog;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to the base URL, e.g. `/api/v2/chat/chats`. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded, spaces as %20 (as the tutorial's curl). */
  form?: Record<string, string | undefined>;
  json?: unknown;
  /** Values to mask in any server text that ends up in an error. */
  secrets?: readonly (string | undefined)[];
  grant?: GrantType;
  /**
   * The answer is read (its JSON parsed, checked, handed on and reported) only once this settles; its bytes
   * are received meanwhile. A list requested while a screen loads is so processed after its first frame,
   * not in the middle of it. The exchange's duration stays the network's.
   */
  readAfter?: PromiseLike<unknown>;
  /** Called once the request has been written to the network (or handed to got, which does not say). */
  onSent?: () => void;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; '' for an empty body. */
  body: unknown;
}

export interface HttpClient {
  readonly baseUrl: string;
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Makes the first real request a warm one: builds the got instance and sends one request of the same
   * kind through it to a server of this process on 127.0.0.1. Nothing leaves the machine, nothing is
   * reported; never fails.
   */
  prepare(request: HttpRequest): Promise<void>;
}

export function encodeForm(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

function reportExchange(o: HttpOptions, exchange: HttpExchange): void {
  if (!o.onExchange) return;
  try {
    o.onExchange(exchange);
  } catch {
    // A failing observer must not turn a good answer into an error.
  }
}

function tooLargeError(host: string, limit: number, status: number | undefined): ZchatError {
  const size = limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`;
  return new ZchatError(
    'bad_response',
    `${host} sent an answer of more than ${size}${status === undefined ? '' : ` (status ${status})`}, far more than Zendesk ever sends, so it was dropped unread.`,
    {
      ...(status === undefined ? {} : { status }),
      hint: 'Check the base URL and any proxy in between (`zchat-auth doctor`).',
    },
  );
}

/**
 * A server of this process on 127.0.0.1 that answers every request with `{}`, for prepare(): it serves one
 * request, then closes.
 */
async function warmServer(): Promise<{ url: string; close(): void }> {
  const server = builtin('node:http').createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The wait before retry number `done + 1` of a GET: doubling from the first delay up to the cap, plus jitter. */
export function backoffMs(o: HttpOptions, done: number): number {
  const first = o.retryDelayMs ?? defaults.retryDelayMs;
  const cap = o.maxRetryDelayMs ?? defaults.maxRetryDelayMs;
  return Math.min(first * 2 ** done, cap) + Math.random() * Math.min(100, first);
}

/** What a first attempt came to, when it is not a ZchatError: an answer, or got's turn after a wait (GET only). */
type FirstAttempt = { answer: HttpResponse } | { retryInMs: number };

const compressed = /^(gzip|deflate|br)$/i;

/**
 * A request's first attempt over node:http(s), by got's rules as got-client.ts sets them: the same headers
 * (got's user-agent, accept and accept-encoding, and the body's content-length), the same timeout for the
 * whole exchange, no redirect followed, the body capped at receipt and after decompression, JSON read as
 * got reads it ('' for an empty body). Resolves with the answer got would have resolved with (exchange maps
 * a 3xx as before), or, for a GET with retries, with the wait got would have made before its first retry
 * (its retry statuses and error codes, Retry-After within the cap, else the first backoff); rejects with the
 * ZchatError got's path would have thrown. `agent`: prepare()'s, to this process's own server.
 */
function firstAttempt(
  method: HttpMethod,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  ctx: ErrorContext,
  o: {
    maxBodyBytes: number;
    retries: number;
    maxRetryAfterMs: number;
    backoffMs: () => number;
    onStatus: (status: number) => void;
    agent?: http.Agent;
    /** Called when the whole answer has arrived, before readAfter is waited for. */
    onReceived: () => void;
    readAfter?: PromiseLike<unknown> | undefined;
    onSent?: (() => void) | undefined;
  },
): Promise<FirstAttempt> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? builtin('node:https') : builtin('node:http');
  const lower: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const payload = body === undefined ? undefined : Buffer.from(body);
  if (payload) lower['content-length'] = String(payload.length);
  lower['accept-encoding'] = 'gzip, deflate, br';
  // got retries GETs only: a write (a code, a single-use refresh token) is sent once.
  const retryable = (status: number | undefined, code: string | undefined) =>
    method === 'GET' &&
    o.retries > 0 &&
    (status === undefined
      ? (retryRules.errorCodes as readonly string[]).includes(code ?? '')
      : (retryRules.statusCodes as readonly number[]).includes(status));
  return new Promise<FirstAttempt>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => FirstAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve(outcome());
      } catch (error) {
        reject(error);
      }
    };
    const fail = (error: unknown) =>
      finish(() => {
        req.destroy();
        if (error instanceof ZchatError) throw error;
        const code = (error as { code?: unknown }).code;
        if (retryable(undefined, typeof code === 'string' ? code : undefined))
          return { retryInMs: o.backoffMs() };
        throw mapHttpError(error, ctx);
      });
    const req = transport.request(target, { method, headers: lower, agent: o.agent ?? false }, (res) => {
      const status = res.statusCode ?? 0;
      o.onStatus(status);
      const tooLarge = () => fail(tooLargeError(ctx.host, o.maxBodyBytes, status));
      if (Number(res.headers['content-length']) > o.maxBodyBytes) return tooLarge();
      const encoding = String(res.headers['content-encoding'] ?? '').trim();
      let stream: NodeJS.ReadableStream = res;
      let received = 0;
      if (compressed.test(encoding)) {
        const zlib = builtin('node:zlib');
        const decode = /^br$/i.test(encoding) ? zlib.createBrotliDecompress() : zlib.createUnzip();
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > o.maxBodyBytes) tooLarge();
        });
        decode.on('error', fail);
        stream = res.pipe(decode);
      }
      // Decoded as it arrives, not gathered into one Buffer: a list of 1,000 clients or server tokens is
      // 330-350 KB, a block of the C heap each, given back to malloc and kept by it once freed: an idle
      // dashboard at 1,000 had 5.6-6.2 MB of C heap ([heap] in /proc/PID/smaps), 4.9-5.3 MB without them
      // (a bare Ink hello 5.0). The string is V8's, given back by the collections.
      const decoder = new (builtin('node:string_decoder').StringDecoder)('utf8');
      let text = '';
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > o.maxBodyBytes) return tooLarge();
        text += decoder.write(chunk);
      });
      res.on('error', fail);
      const read = () =>
        finish(() => {
          text += decoder.end();
          let body: unknown = text;
          let parsed = true;
          try {
            body = text.length === 0 ? '' : JSON.parse(text);
          } catch {
            parsed = false;
          }
          const answer: HttpAnswer = { status, headers: res.headers, body };
          // got: 2xx and 3xx (redirects not followed) and 304 are answers; the rest are errors.
          if ((status >= 200 && status <= 399) || status === 304) {
            if (!parsed) {
              throw status < 300
                ? unexpectedBody(answer, ctx, 'the JSON it should carry')
                : errorFromAnswer(answer, ctx);
            }
            return { answer };
          }
          if (retryable(status, undefined)) {
            const wait = retryAfterMs(res.headers['retry-after']);
            if (wait) {
              if (wait > o.maxRetryAfterMs) throw errorFromAnswer(answer, ctx);
              return { retryInMs: wait };
            }
            return { retryInMs: o.backoffMs() };
          }
          throw errorFromAnswer(answer, ctx);
        });
      stream.on('end', () => {
        o.onReceived();
        if (!o.readAfter) return read();
        // Arrived: no timeout runs out while the answer waits to be read.
        clearTimeout(timer);
        o.readAfter.then(read, read);
      });
    });
    const timer = setTimeout(
      () => fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      ctx.timeoutMs,
    );
    req.on('error', fail);
    if (o.onSent) req.once('finish', o.onSent);
    req.end(payload);
  });
}

/** Retry-After in ms as got reads it: seconds, or a date (at least 1 ms); undefined or NaN when absent or unreadable. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const ms = Date.parse(value) - Date.now();
  return ms <= 0 ? 1 : ms;
}

/** A small client: full URL from a path, one HttpExchange per call (a GET's retries included). */
export function createHttpClient(o: HttpOptions): HttpClient {
  let instance: Got | undefined;
  const host = hostOf(o.baseUrl);
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? httpTimeoutMs(env, defaults.timeoutMs);
  const maxBodyBytes = o.maxBodyBytes ?? defaults.maxBodyBytes;
  const retries = o.retries ?? defaults.retries;
  // A proxy (hpagent) and ZCHAT_AUTH_DEBUG's log are got's: their GETs go through got from the first attempt.
  // Decided at the first request, which is where a proxy variable that is not a URL is refused.
  let gotOnly: boolean | undefined;

  /** One request; `warm`: to this process's own server, direct, unreported. */
  async function exchange(
    request: HttpRequest,
    warm?: { url: string; agent: { http: http.Agent } },
  ): Promise<HttpResponse> {
    const url = `${warm ? warm.url : o.baseUrl}${request.path}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.form) {
      body = encodeForm(request.form);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['Content-Type'] = 'application/json';
    }
    const ctx: ErrorContext = {
      host,
      timeoutMs,
      endpoint: o.endpoint ?? 'api',
      ...(request.secrets ? { secrets: request.secrets } : {}),
      ...(request.grant ? { grant: request.grant } : {}),
    };
    const at = Date.now();
    const started = performance.now();
    let received: number | undefined;
    let status: number | undefined;
    let tooLarge = false;
    try {
      // How many of the GET's retries are left for got, after a first attempt made here.
      let retriesLeft = retries;
      gotOnly ??= (o.debug ?? debugLog(env)) !== undefined || proxyForUrl(o.baseUrl, env) !== undefined;
      if (!gotOnly) {
        const first = await firstAttempt(request.method, url, headers, body, ctx, {
          maxBodyBytes,
          retries: warm ? 0 : retries,
          maxRetryAfterMs: o.maxRetryAfterMs ?? defaults.maxRetryAfterMs,
          backoffMs: () => backoffMs(o, 0),
          onStatus: (s) => {
            status = s;
          },
          ...(warm ? { agent: warm.agent.http } : {}),
          onReceived: () => {
            received = performance.now();
          },
          readAfter: request.readAfter,
          onSent: request.onSent,
        });
        if ('answer' in first) {
          if (first.answer.status >= 300) throw errorFromAnswer(first.answer, ctx);
          return first.answer;
        }
        status = undefined;
        received = undefined;
        retriesLeft = retries - 1;
        await new Promise((resolve) => setTimeout(resolve, first.retryInMs));
      }
      request.onSent?.();
      const gotClient = await import('./got-client.js');
      instance ??= gotClient.createGot(o);
      const context: import('./got-client.js').RequestContext = {
        ...(request.secrets ? { secrets: request.secrets } : {}),
        ...(request.grant ? { grant: request.grant } : {}),
      };
      const pending = instance(url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        context: context as Record<string, unknown>,
        // Belt and braces: only GET is in the retry methods, but a token POST must never repeat.
        ...(request.method !== 'GET' || warm
          ? { retry: { limit: 0 } }
          : retriesLeft < retries
            ? // got goes on from the first attempt's retry: its count and its backoff's doubling.
              {
                retry: { limit: retriesLeft, calculateDelay: gotClient.retryDelay(o, retries - retriesLeft) },
              }
            : {}),
        // The warm request goes to this process, never through a proxy.
        ...(warm ? { agent: warm.agent } : {}),
      });
      // Bounded at receipt: a server streaming gigabytes is cut off at the limit, memory stays flat.
      const stop = () => {
        if (tooLarge) return;
        tooLarge = true;
        pending.cancel();
      };
      pending.on('response', (res: { statusCode: number; headers: Record<string, unknown> }) => {
        status = res.statusCode;
        if (Number(res.headers['content-length']) > maxBodyBytes) stop();
      });
      pending.on('downloadProgress', (progress: { transferred: number }) => {
        if (progress.transferred > maxBodyBytes) stop();
      });
      const response = await pending;
      received = performance.now();
      if (request.readAfter) await request.readAfter;
      status = response.statusCode;
      const answer: HttpResponse = {
        status,
        headers: response.headers,
        body: response.body,
      };
      if (status >= 300) throw errorFromAnswer(answer, ctx);
      return answer;
    } catch (error) {
      if (tooLarge) throw tooLargeError(host, maxBodyBytes, status);
      const mapped = error instanceof ZchatError ? error : mapHttpError(error, ctx);
      status ??= mapped.status;
      throw mapped;
    } finally {
      if (!warm) {
        reportExchange(o, {
          method: request.method,
          url,
          ...(status === undefined ? {} : { status }),
          durationMs: Math.round((received ?? performance.now()) - started),
          requestHeaders: headers,
          ...(body === undefined ? {} : { requestBody: body }),
          at,
        });
      }
    }
  }

  return {
    baseUrl: o.baseUrl,
    send: (request) => exchange(request),
    async prepare(request) {
      // A fresh process compiles the request path (node:http's, or got's and its hooks with a proxy or the
      // debug log) on first use: ~13 ms of CPU that a login would otherwise spend between the redirect and
      // the stored token. got loads here only when the real request will take it.
      let server: { url: string; close(): void } | undefined;
      try {
        gotOnly ??= (o.debug ?? debugLog(env)) !== undefined || proxyForUrl(o.baseUrl, env) !== undefined;
        const [agent, warmed] = await Promise.all([
          gotOnly
            ? import('./got-client.js').then((m) => m.warmAgent)
            : new (builtin('node:http').Agent)({ keepAlive: false }),
          warmServer(),
        ]);
        server = warmed;
        await exchange(request, { url: server.url, agent: { http: agent } });
      } catch {
        // Only a warm-up: the real request says what is wrong, if anything is.
      } finally {
        server?.close();
      }
    },
  };
}
