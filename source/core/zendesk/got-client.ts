/**
 * got, as http.ts uses it: timeouts, GET-only retries that honour Retry-After, proxies from the
 * environment (hpagent), debug hooks, and errors mapped to ZchatError in a beforeError hook so that nothing
 * thrown carries request options, headers, bodies or URLs. Its own module, loaded by http.ts only when a
 * request needs it (a proxy, ZCHAT_AUTH_DEBUG, a GET's retries): got, its dependencies and
 * node:https take longer to load than the dashboard's list requests take to answer.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type Got, type RetryFunction } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { type DebugLog, debugLog, headerLines, maskBody, maskUrl } from '../debug.js';
import type { GrantType } from '../oauth/types.js';
import { hostOf } from './endpoints.js';
import { backoffMs, defaults, type HttpOptions, retryRules, userAgent } from './http.js';
import { type ErrorContext, mapHttpError, ProxyConnectError } from './http-errors.js';
import { httpTimeoutMs } from './http-timeout.js';
import { type ProxyChoice, type ProxyEnv, proxyForUrl } from './proxy.js';

// No keep-alive: a token POST on a socket the server already closed would fail, and must not be retried.
const directAgents = {
  http: new http.Agent({ keepAlive: false }),
  https: new https.Agent({ keepAlive: false }),
};
export const warmAgent = new http.Agent({ keepAlive: false });
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

export function retryDelay(o: HttpOptions, done = 0): RetryFunction {
  return ({ attemptCount, retryAfter, computedValue }) => {
    // got computes 0 when the rules (method, status, code, limit, Retry-After cap) say no.
    if (computedValue === 0) return 0;
    if (retryAfter !== undefined && retryAfter > 0) return retryAfter;
    return backoffMs(o, attemptCount - 1 + done);
  };
}

/** Per-request facts the beforeError hook needs; passed through got's `context`. */
export interface RequestContext {
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
      statusCodes: [...retryRules.statusCodes],
      errorCodes: [...retryRules.errorCodes],
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
