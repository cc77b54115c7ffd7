/**
 * The one place that makes HTTP requests to Zendesk (or the sandbox): got with timeouts, GET-only
 * retries that honour Retry-After, proxies from the environment, and errors mapped to ZchatError in a
 * beforeError hook so that nothing thrown carries request options, headers, bodies or URLs.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type Got, type RetryFunction } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { type DebugLog, debugLog, headerLines, maskBody, maskUrl } from '../debug.js';
import { ZchatError } from '../errors.js';
import type { GrantType } from '../oauth/types.js';
import { hostOf } from './endpoints.js';
import { type ErrorContext, errorFromAnswer, mapHttpError, ProxyConnectError } from './http-errors.js';
import { httpTimeoutMs } from './http-timeout.js';
import { type ProxyChoice, type ProxyEnv, proxyForUrl } from './proxy.js';
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

const userAgent = 'zendesk-chat-auth';

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

// No keep-alive: a token POST on a socket the server already closed would fail, and must not be retried.
const directAgents = {
  http: new http.Agent({ keepAlive: false }),
  https: new https.Agent({ keepAlive: false }),
};
const warmAgent = new http.Agent({ keepAlive: false });
const proxyAgents = new Map<string, { http: http.Agent; https: https.Agent }>();

/** The agents for requests to `baseUrl`: hpagent through the proxy from the environment, or direct. */
export function agentsFor(
  baseUrl: string,
  env: ProxyEnv = process.env,
): { agent: { http: http.Agent; https: https.Agent }; proxy?: ProxyChoice } {
  const proxy = proxyForUrl(baseUrl, env);
  if (!proxy) return { agent: directAgents };
  let agent = proxyAgents.get(proxy.url);
  if (!agent) {
    agent = {
      http: withProxyCodes(new HttpProxyAgent({ proxy: proxy.url, keepAlive: false })),
      https: withProxyCodes(new HttpsProxyAgent({ proxy: proxy.url, keepAlive: false })),
    };
    proxyAgents.set(proxy.url, agent);
  }
  return { agent, proxy };
}

type ConnectionCallback = (error: Error | null, socket: unknown) => void;

/**
 * hpagent (pinned in package.json) reports a CONNECT the proxy refused and a proxy that did not answer as
 * bare Errors ("Bad response: 407", "Proxy timeout"). This is the one place that reads that text: it turns
 * them into ProxyConnectErrors with codes, where hpagent hands them over, so the error mapping reads codes.
 */
function withProxyCodes<A extends http.Agent>(agent: A): A {
  const target = agent as unknown as {
    createConnection(options: unknown, callback: ConnectionCallback): void;
  };
  const create = target.createConnection.bind(agent);
  target.createConnection = (options, callback) =>
    create(options, (error, socket) => callback(error ? ProxyConnectError.fromHpagent(error) : null, socket));
  return agent;
}

export function encodeForm(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

function retryDelay(o: HttpOptions): RetryFunction {
  const first = o.retryDelayMs ?? defaults.retryDelayMs;
  const cap = o.maxRetryDelayMs ?? defaults.maxRetryDelayMs;
  return ({ attemptCount, retryAfter, computedValue }) => {
    // got computes 0 when the rules (method, status, code, limit, Retry-After cap) say no.
    if (computedValue === 0) return 0;
    if (retryAfter !== undefined && retryAfter > 0) return retryAfter;
    return Math.min(first * 2 ** (attemptCount - 1), cap) + Math.random() * Math.min(100, first);
  };
}

/** Per-request facts the beforeError hook needs; passed through got's `context`. */
interface RequestContext {
  secrets?: readonly (string | undefined)[];
  grant?: GrantType;
}

/**
 * The got instance: timeouts, GET-only retries, proxy agents, JSON answers, no redirects followed,
 * and a beforeError hook that turns every failure into a ZchatError. Throws ZchatError('usage')
 * when a proxy variable is not a URL.
 */
/** got hooks that write each attempt (retries included) and its answer, masked, to the debug log. */
function debugHooks(debug: DebugLog) {
  return {
    beforeRequest: [
      (options: {
        method: string;
        url?: URL | string | undefined;
        headers: Record<string, unknown>;
        body?: unknown;
      }) => {
        const url = options.url === undefined ? '' : String(options.url);
        const body = typeof options.body === 'string' ? maskBody(options.body) : '';
        debug(
          [
            `* ${new Date().toISOString()} request`,
            `> ${options.method} ${maskUrl(url)}`,
            ...headerLines('>', options.headers),
            ...(body ? [`> ${body}`] : []),
          ].join('\n'),
        );
      },
    ],
    afterResponse: [
      <
        T extends {
          statusCode: number;
          statusMessage?: string | undefined;
          headers: Record<string, unknown>;
          body: unknown;
        },
      >(
        response: T,
      ): T => {
        const body = maskBody(response.body);
        debug(
          [
            `< ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd(),
            ...headerLines('<', response.headers),
            ...(body ? [`< ${body}`] : []),
          ].join('\n'),
        );
        return response;
      },
    ],
    beforeRetry: [
      (error: { code?: string; response?: { statusCode?: number } }, retryCount: number) => {
        debug(`* retry ${retryCount} after ${error.response?.statusCode ?? error.code ?? 'an error'}`);
      },
    ],
  };
}

export function createGot(o: HttpOptions): Got {
  const { agent, proxy } = agentsFor(o.baseUrl, o.env ?? process.env);
  const debug = o.debug ?? debugLog(o.env ?? process.env);
  const base: ErrorContext = {
    host: hostOf(o.baseUrl),
    timeoutMs: o.timeoutMs ?? httpTimeoutMs(o.env ?? process.env, defaults.timeoutMs),
    endpoint: o.endpoint ?? 'api',
    ...(proxy ? { proxy } : {}),
  };
  return got.extend({
    agent,
    timeout: { request: base.timeoutMs },
    retry: {
      limit: o.retries ?? defaults.retries,
      methods: ['GET'],
      statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
      errorCodes: [
        'ETIMEDOUT',
        'ECONNRESET',
        'ECONNREFUSED',
        'EPIPE',
        'ENOTFOUND',
        'ENETUNREACH',
        'EAI_AGAIN',
      ],
      maxRetryAfter: o.maxRetryAfterMs ?? defaults.maxRetryAfterMs,
      calculateDelay: retryDelay(o),
    },
    // A redirect means a sign-in page or a proxy is in the way: report it, never follow with a token.
    followRedirect: false,
    responseType: 'json',
    headers: { 'user-agent': userAgent, accept: 'application/json' },
    hooks: {
      ...(debug ? debugHooks(debug) : {}),
      beforeError: [
        (error) => {
          if (debug && !error.response) debug(`! ${error.code ?? error.name}: no answer`);
          const context = (error.options?.context ?? {}) as RequestContext;
          return mapHttpError(error, {
            ...base,
            ...(context.secrets ? { secrets: context.secrets } : {}),
            ...(context.grant ? { grant: context.grant } : {}),
          });
        },
      ],
    },
  });
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
  const server = http.createServer((req, res) => {
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

/** A small client over one got instance: full URL from a path, one HttpExchange per call. */
export function createHttpClient(o: HttpOptions): HttpClient {
  let instance: Got | undefined;
  const host = hostOf(o.baseUrl);
  const timeoutMs = o.timeoutMs ?? httpTimeoutMs(o.env ?? process.env, defaults.timeoutMs);
  const maxBodyBytes = o.maxBodyBytes ?? defaults.maxBodyBytes;

  /** One request through got; `warm`: to this process's own server, direct, unreported. */
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
    let status: number | undefined;
    let tooLarge = false;
    try {
      instance ??= createGot(o);
      const context: RequestContext = {
        ...(request.secrets ? { secrets: request.secrets } : {}),
        ...(request.grant ? { grant: request.grant } : {}),
      };
      const pending = instance(url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        context: context as Record<string, unknown>,
        // Belt and braces: only GET is in the retry methods, but a token POST must never repeat.
        ...(request.method === 'GET' && !warm ? {} : { retry: { limit: 0 } }),
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
          durationMs: Math.round(performance.now() - started),
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
      // A fresh process compiles got's request path, its hooks and Node's HTTP code on first use: ~13 ms
      // of CPU that a login would otherwise spend between the redirect and the stored token.
      let server: { url: string; close(): void } | undefined;
      try {
        server = await warmServer();
        await exchange(request, { url: server.url, agent: { http: warmAgent } });
      } catch {
        // Only a warm-up: the real request says what is wrong, if anything is.
      } finally {
        server?.close();
      }
    },
  };
}
