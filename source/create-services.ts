/**
 * The real Services. Cheap to create: the store opens on first use, and got (through the token client and
 * the Chat API client) and the browser opener are imported only when a command asks for them.
 */
import { openStore } from './core/store/store.js';
import type { TokenStore } from './core/store/types.js';
import type { Services } from './services.js';

export interface CreateServicesOptions {
  /** Store directory; else ZCHAT_AUTH_CONFIG_DIR from `env`, else the OS config dir. */
  configDir?: string;
  /** An already open store (the sandbox's throwaway one, tests). */
  store?: TokenStore;
  now?: () => Date;
  /** Where ZCHAT_AUTH_DEBUG output goes when `env` sets it (default process.stderr; a command run in
   * process writes it to its own stderr). */
  debugWrite?: (text: string) => void;
  /** First wait before a GET is retried (default 1 s): tests run the same retries without the seconds. */
  retryDelayMs?: number;
}

export function createServices(
  env: NodeJS.ProcessEnv = process.env,
  opts: CreateServicesOptions = {},
): Services {
  let store = opts.store;
  const dir = opts.configDir ?? env.ZCHAT_AUTH_CONFIG_DIR;
  // ZCHAT_AUTH_DEBUG's log, made (and its module loaded) by the first client that may log.
  const debugFor = async () =>
    opts.debugWrite ? (await import('./core/debug.js')).debugLog(env, opts.debugWrite) : undefined;
  return {
    get store(): TokenStore {
      store ??= openStore(dir ? { dir, env } : { env });
      return store;
    },
    env,
    async tokenClient(baseUrl, onExchange) {
      const [{ createTokenClient }, debug] = await Promise.all([
        import('./core/zendesk/token-client.js'),
        debugFor(),
      ]);
      return createTokenClient({
        baseUrl,
        env,
        ...(onExchange ? { onExchange } : {}),
        ...(debug ? { debug } : {}),
      });
    },
    async chatApi(baseUrl, accessToken, onExchange) {
      const [{ createChatApi }, debug] = await Promise.all([
        import('./core/zendesk/chat-api.js'),
        debugFor(),
      ]);
      return createChatApi({
        baseUrl,
        accessToken,
        env,
        ...(opts.retryDelayMs === undefined ? {} : { retryDelayMs: opts.retryDelayMs }),
        ...(onExchange ? { onExchange } : {}),
        ...(debug ? { debug } : {}),
      });
    },
    async openBrowser(url) {
      const [{ canOpenBrowser, openBrowser }, { sshInfo }] = await Promise.all([
        import('./core/platform/browser.js'),
        import('./core/platform/ssh.js'),
      ]);
      // Over SSH a browser started here would open on the remote machine (or nowhere), even with $BROWSER
      // set: the redirect has to come back through a port-forward or a paste instead.
      if (sshInfo(env).isSsh) {
        return { opened: false, reason: 'this is an SSH session, so a browser here would not reach you' };
      }
      const can = canOpenBrowser(env);
      if (!can.ok) return can.reason ? { opened: false, reason: can.reason } : { opened: false };
      return openBrowser(url, env);
    },
    now: opts.now ?? (() => new Date()),
  };
}
