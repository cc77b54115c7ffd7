/**
 * Whether a redirect URI is one zchat-auth can listen on, and where. Apart from loopback-server.ts so that
 * the screens can check a typed redirect URI without loading the server and the node:http and node:crypto
 * it needs (the dashboard's first frame loaded both for this check alone).
 */
import { ZchatError } from '../errors.js';

export interface LoopbackTarget {
  port: number;
  path: string;
}

export const loopbackHosts: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Port and path of an `http://localhost...` redirect URI; throws ZchatError('invalid_redirect_uri') otherwise. */
export function loopbackTarget(redirectUri: string): LoopbackTarget {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new ZchatError('invalid_redirect_uri', `The redirect URI "${redirectUri}" is not a valid URL.`, {
      hint: 'Use the one registered on the OAuth client, e.g. http://localhost:8080.',
    });
  }
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) {
    throw new ZchatError(
      'invalid_redirect_uri',
      `The redirect URI ${url.origin} is not on this computer, so zchat-auth cannot listen for it.`,
      {
        hint: 'Use an http://localhost:PORT redirect URI, or paste the redirected address instead (--paste).',
      },
    );
  }
  return { port: url.port === '' ? 80 : Number(url.port), path: url.pathname || '/' };
}

export function isLoopbackRedirect(redirectUri: string): boolean {
  try {
    loopbackTarget(redirectUri);
    return true;
  } catch {
    return false;
  }
}
