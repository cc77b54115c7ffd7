/**
 * What a browser login can check before it waits minutes for the browser: that the server answers, and,
 * when a stored token can see the OAuth client, that the client lists the redirect URI. A check that cannot
 * be made says nothing (no guess); one that fails says what to do, in one line.
 */
import { isZchatError } from '../errors.js';
import type { PreflightCheck } from '../oauth/types.js';
import { hostOf } from '../zendesk/endpoints.js';
import type { ProxyEnv } from '../zendesk/proxy.js';
import type { ClientLookup } from './lookup-client.js';

export const PREFLIGHT_TIMEOUT_MS = 5000;

/** Any HTTP answer from the server's origin (HEAD /, which spends no API rate limit) counts. */
export async function serverAnswers(baseUrl: string, env: ProxyEnv): Promise<PreflightCheck> {
  const host = hostOf(baseUrl);
  const { sendRaw } = await import('../zendesk/raw-http.js');
  try {
    await sendRaw({
      url: `${new URL(baseUrl).origin}/`,
      method: 'HEAD',
      headers: {},
      timeoutMs: PREFLIGHT_TIMEOUT_MS,
      env,
      maxBodyBytes: 64 * 1024,
    });
    return { name: 'server', ok: true, sentence: `${host} answers.` };
  } catch (error) {
    const reason = (isZchatError(error) ? error.message : 'the connection failed').replace(/\.$/, '');
    return {
      name: 'server',
      ok: false,
      sentence: `${host} did not answer (${reason}), so the browser will not reach it either: check the network, the subdomain or base URL, and the proxy variables.`,
    };
  }
}

/** Whether the client lists the redirect URI; undefined when no stored token can see the client. */
export async function redirectRegistered(
  lookup: ClientLookup,
  o: { baseUrl: string; clientId: string; redirectUri: string },
): Promise<PreflightCheck | undefined> {
  const client = await lookup(o.baseUrl, o.clientId).catch(() => undefined);
  if (!client) return undefined;
  if (client.redirect_uris.includes(o.redirectUri)) {
    return { name: 'redirect-uri', ok: true, sentence: `Client ${o.clientId} lists ${o.redirectUri}.` };
  }
  const has = client.redirect_uris.join(', ') || 'none';
  return {
    name: 'redirect-uri',
    ok: false,
    sentence: `Client ${o.clientId} does not list the redirect URI ${o.redirectUri} (it has: ${has}), so Zendesk will refuse this login: add it to the client in Zendesk Chat > Account > API & SDKs, or use one it lists (--redirect-uri).`,
  };
}
