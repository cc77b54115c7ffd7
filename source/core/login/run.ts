/** Starts the planned login: the flow, with the plan's saving and explaining wired in. */
import { type LoginFlow, startLogin } from '../oauth/login-flow.js';
import type { PreflightCheck } from '../oauth/types.js';
import type { TokenStore } from '../store/types.js';
import type { ProxyEnv } from '../zendesk/proxy.js';
import type { TokenClient } from '../zendesk/token-client.js';
import { explainFailure } from './explain.js';
import type { ClientLookup } from './lookup-client.js';
import type { LoginPlan } from './plan.js';
import { redirectRegistered, serverAnswers } from './preflight.js';
import { saveLogin } from './save.js';

export interface RunLoginDeps {
  store: Pick<TokenStore, 'save' | 'prepareWrites'>;
  tokenClient: TokenClient;
  openBrowser(url: string): Promise<{ opened: boolean; reason?: string }>;
  now(): Date;
  /** Finds the client on the server, to say why it was refused (see explainFailure). */
  lookupClient?: ClientLookup;
  /** Proxy variables for the pre-checks; without it the login checks nothing before the wait. */
  env?: ProxyEnv;
}

function preflight(
  plan: LoginPlan,
  deps: RunLoginDeps,
  redirectUri: string,
): Promise<PreflightCheck | undefined>[] {
  const { baseUrl, clientId } = plan.options;
  return [
    serverAnswers(baseUrl, deps.env ?? {}),
    ...(deps.lookupClient ? [redirectRegistered(deps.lookupClient, { baseUrl, clientId, redirectUri })] : []),
  ];
}

export function runLogin(plan: LoginPlan, deps: RunLoginDeps): LoginFlow {
  // conf, the lock and the schema load (and the stored records are checked) while the browser is out, not
  // after the redirect: redirect → stored is then one locked write of one checked record.
  void deps.store.prepareWrites?.();
  const flow: LoginFlow = startLogin(plan.options, {
    tokenClient: deps.tokenClient,
    ...(plan.openBrowser ? { openBrowser: (url: string) => deps.openBrowser(url) } : {}),
    persist: (token) => saveLogin(deps.store, plan, token, flow.redirectUri, deps.now()),
    explain: (error) => explainFailure(error, plan.options, deps.lookupClient),
    ...(deps.env ? { preflight: (redirectUri: string) => preflight(plan, deps, redirectUri) } : {}),
  });
  // The code is exchanged right after the redirect: warm the token client once the URL is out, while a
  // person reads the consent page (not before the URL, which would be shown later).
  if (plan.options.flow === 'code' && deps.tokenClient.prepare) {
    const prepare = deps.tokenClient.prepare.bind(deps.tokenClient);
    let started = false;
    const unsubscribe = flow.subscribe((event) => {
      if (started || event.type !== 'authorize-url') return;
      started = true;
      // After this event's other listeners (the URL printed), not in the middle of them.
      setImmediate(() => void prepare());
    });
    void flow.done.finally(unsubscribe).catch(() => {});
  }
  return flow;
}
