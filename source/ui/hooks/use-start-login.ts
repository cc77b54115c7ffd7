/**
 * The app's login lifecycle: a 'starting' screen becomes a running flow (or goes back to the wizard with why
 * it could not start), and a waiting flow is cancelled when the app unmounts without an exit, so its port
 * is freed at once.
 */
import { type Dispatch, useEffect, useRef } from 'react';
import { toZchatError } from '../../core/errors.js';
import { completeLogin, type LoginPlan, type PlanInput } from '../../core/login/plan.js';
import type { LoginFlow } from '../../core/oauth/login-flow.js';
import type { Services } from '../../services.js';
import type { AppAction, Screen } from '../app-state.js';
import type { ExchangeLog } from '../exchange-log.js';

export function useStartLogin(o: {
  screen: Screen;
  planInput: () => PlanInput;
  services: Services;
  log: ExchangeLog;
  dispatch: Dispatch<AppAction>;
}): void {
  const { screen, services, log, dispatch } = o;
  // Unmounted without an exit (a host tearing the app down): the waiting login still frees its port now.
  const waitingFlow = useRef<LoginFlow | undefined>(undefined);
  waitingFlow.current = screen.name === 'waiting' ? screen.flow : undefined;
  useEffect(() => () => waitingFlow.current?.cancel(), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per start
  useEffect(() => {
    if (screen.name !== 'starting') return;
    let live = true;
    void (async () => {
      let flow: LoginFlow;
      let plan: LoginPlan;
      try {
        const input = o.planInput();
        // A person is here to answer y/n for a redirect without a state (unless --accept-missing-state said
        // yes), and to paste the answer when the redirect port is taken.
        plan = completeLogin(
          { ...input, request: { missingState: 'ask', portBusy: 'paste', ...input.request } },
          screen.draft,
          screen.values,
        );
        // Loaded on the first login, not before the dashboard's first frame.
        const [tokenClient, { runLogin }, { clientLookup }] = await Promise.all([
          services.tokenClient(plan.options.baseUrl, (e) => log.set(`p:${plan.profile}`, e)),
          import('../../core/login/run.js'),
          import('../../core/login/lookup-client.js'),
        ]);
        flow = runLogin(plan, {
          store: services.store,
          tokenClient,
          openBrowser: (url) => services.openBrowser(url),
          now: () => services.now(),
          lookupClient: clientLookup(services.store, (baseUrl, token) => services.chatApi(baseUrl, token)),
          env: services.env,
        });
      } catch (error) {
        if (live) dispatch({ type: 'not-started', error: toZchatError(error).sentence });
        return;
      }
      if (live) dispatch({ type: 'started', flow, plan });
      else flow.cancel(); // the app left while the login was starting
    })();
    return () => {
      live = false;
    };
  }, [screen]);
}
