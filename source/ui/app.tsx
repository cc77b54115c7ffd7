import { Box, useApp, useStdin } from 'ink';
import { useCallback, useLayoutEffect, useMemo, useReducer } from 'react';
import { baseUrlFor, draftLogin, type LoginRequest, type PlanInput, planLogin } from '../core/login/plan.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import { normalizeSubdomain } from '../core/zendesk/subdomain.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Services } from '../services.js';
import { type AppState, appReducer, initialAppState, type StartScreen } from './app-state.js';
import { Spinner } from './components/Spinner.js';
import { TooSmall } from './components/TooSmall.js';
import { ExchangeLog } from './exchange-log.js';
import type { Activity } from './hooks/use-dashboard-state.js';
import { useKeys } from './hooks/use-keys.js';
import { useStartLogin } from './hooks/use-start-login.js';
import { usableRows, useTerminalSize } from './hooks/use-terminal-size.js';
import { KeyRouter } from './key-router.js';
import { Text } from './safe-text.js';
import { summaryOf } from './screen-summary.js';
import { Dashboard } from './screens/Dashboard.js';
import { WaitingPanel } from './screens/WaitingPanel.js';
import { Wizard } from './screens/Wizard.js';
import { createTheme, ThemeContext } from './theme.js';
import { checkContextOf, checkField, fieldsFor } from './wizard-fields.js';

export type { StartScreen } from './app-state.js';

/** What the command line (or the sandbox session) gave the login: see core/login's LoginRequest. */
export type UiLogin = LoginRequest;

export interface AppProps {
  services: Services;
  start: StartScreen;
  login?: UiLogin;
  sandbox?: Sandbox;
  /** The store is the sandbox's throwaway one, deleted on exit: hints do not point other shells at it. */
  temporaryStore?: boolean;
  /** Called once, just before the app unmounts: the exit code, and a line to print after the screen is gone. */
  onExit(code: number, farewell?: string): void;
}

/** Below this the screens cannot say what they must; a short note says so instead. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;

function firstState(start: StartScreen, input: PlanInput, login: UiLogin | undefined): AppState {
  const storeEmpty = (() => {
    try {
      return input.store.list().length === 0;
    } catch {
      return false; // a broken store is shown (and explained) by the dashboard
    }
  })();
  let draft = draftLogin(input);
  let ready = false;
  if (start === 'login') {
    try {
      const planned = planLogin(input);
      draft = planned.draft;
      // The wizard also opens on a value it would refuse, to say why there.
      ready =
        planned.ready &&
        fieldsFor(draft.values.flow).every((f) => checkField(f, draft.values, checkContextOf(draft)).ok);
    } catch {
      ready = false;
    }
    // As the plain view: `login` asks only for what is missing; the defaults show on the summary.
    const { flow } = draft.values;
    draft = { ...draft, given: fieldsFor(flow).filter((f) => !draft.missing.includes(f)) };
  }
  return initialAppState(start, {
    storeEmpty,
    draft,
    ready,
    ...(login?.profile ? { profile: login.profile } : {}),
  });
}

/** The whole interface: every screen's keys go through one router (see KeyRouter). */
export function App(props: AppProps) {
  return (
    <KeyRouter>
      <Screens {...props} />
    </KeyRouter>
  );
}

function Screens({ services, start, login, sandbox, temporaryStore, onExit }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const theme = useMemo(() => createTheme(services.env), [services.env]);
  const size = useTerminalSize();
  const maxRows = usableRows(size);
  const tooSmall = size.rowsKnown && (size.columns < MIN_COLUMNS || size.rows < MIN_ROWS);
  const log = useMemo(() => new ExchangeLog(), []);
  const planInput = (request: LoginRequest = login ?? {}): PlanInput => ({
    request,
    env: services.env,
    store: services.store,
    ...(sandbox ? { sandboxUrl: sandbox.url } : {}),
  });
  const [state, dispatch] = useReducer(appReducer, undefined, () => firstState(start, planInput(), login));
  const { screen } = state;

  // Ctrl+C leaves from anywhere, with 130, after closing a waiting loopback server.
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') dispatch({ type: 'exit', code: 130 });
  });

  // Leaving: the waiting login (if any) frees its port, then the caller hears the code once.
  // A layout effect: the caller hears the code in the same turn as the key that decided it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the exit is decided
  useLayoutEffect(() => {
    if (!state.exit) return;
    if (screen.name === 'waiting') screen.flow.cancel();
    onExit(state.exit.code, state.exit.farewell);
    exit();
  }, [state.exit]);

  // A login to start, and a waiting one cancelled on unmount.
  useStartLogin({ screen, planInput, services, log, dispatch });

  const onStep = useCallback((step: string) => dispatch({ type: 'step', step }), []);
  const toDashboard = (profile?: string, notice?: Activity) =>
    dispatch({ type: 'dashboard', ...(profile ? { profile } : {}), ...(notice ? { notice } : {}) });
  const quit = (code: number, farewell?: string) =>
    dispatch({ type: 'exit', code, ...(farewell ? { farewell } : {}) });

  let body: React.ReactNode;
  switch (screen.name) {
    case 'dashboard':
      body = (
        <Dashboard
          services={services}
          log={log}
          {...(sandbox ? { sandboxUrl: sandbox.url } : {})}
          {...(screen.profile ? { initialProfile: screen.profile } : {})}
          {...(screen.notice ? { notice: screen.notice } : {})}
          onNewLogin={(profile) =>
            dispatch({
              type: 'wizard',
              origin: 'dashboard',
              draft: draftLogin(planInput(profile ? { ...login, profile } : login)),
            })
          }
          onQuit={() => quit(0)}
        />
      );
      break;
    case 'wizard': {
      const { origin, draft } = screen;
      body = (
        <Wizard
          key={`${origin}:${screen.error ?? ''}:${screen.failed?.field ?? ''}`}
          initial={draft.values}
          given={draft.given}
          ctx={checkContextOf(draft)}
          serverFor={(values) => {
            try {
              const { baseUrl } = baseUrlFor(planInput(), draft, normalizeSubdomain(values.subdomain));
              return sandbox && baseUrl === resolveBaseUrl('x', sandbox.url)
                ? `${baseUrl} (sandbox)`
                : baseUrl;
            } catch {
              return undefined; // a subdomain the wizard refuses says why on its own line
            }
          }}
          {...(screen.error ? { error: screen.error } : {})}
          {...(screen.failed ? { failed: screen.failed } : {})}
          leaveLabel={origin === 'dashboard' ? 'back to the dashboard' : 'quit'}
          escLeaves={origin === 'dashboard'}
          onStep={onStep}
          onSubmit={(values) => dispatch({ type: 'submit', values })}
          onLeave={() => (origin === 'dashboard' ? toDashboard() : quit(130))}
        />
      );
      break;
    }
    case 'starting':
      body = <Spinner label="Starting the login…" />;
      break;
    case 'waiting': {
      const { origin, flow, plan } = screen;
      const { options, profile } = plan;
      body = (
        <WaitingPanel
          key={screen.attempt}
          flow={flow}
          kind={options.flow}
          timeoutMs={options.timeoutMs}
          services={services}
          {...(sandbox ? { sandbox } : {})}
          {...(temporaryStore ? { temporaryStore } : {})}
          leaveLabel={origin === 'dashboard' ? 'back to the dashboard' : 'back to the wizard'}
          onContinue={(profile) =>
            toDashboard(
              profile,
              profile
                ? { kind: 'ok', text: `Stored a new token as ${profile}. Press t to test it.` }
                : undefined,
            )
          }
          onCancel={() =>
            origin === 'dashboard'
              ? toDashboard(undefined, { kind: 'info', text: 'Login cancelled.' })
              : dispatch({ type: 'edit', error: 'Login cancelled.' })
          }
          onRetry={(failure) => dispatch({ type: 'edit', ...(failure ? { failure } : {}) })}
          onBack={() => (origin === 'dashboard' ? toDashboard() : dispatch({ type: 'edit' }))}
          onQuit={(code) =>
            quit(
              code,
              code === 0
                ? temporaryStore
                  ? `Stored a token as profile ${profile} in the sandbox's throwaway store, now deleted. Set ZCHAT_AUTH_CONFIG_DIR to keep the store.`
                  : `Stored a token as profile ${profile}. Use it: $(zchat-auth token --profile ${profile})`
                : undefined,
            )
          }
        />
      );
      break;
    }
  }

  return (
    <ThemeContext.Provider value={theme}>
      {/* Never taller than the terminal: no frame ever makes Ink clear the screen and its scrollback. */}
      <Box
        flexDirection="column"
        width={size.columns}
        {...(maxRows ? { height: maxRows, overflowY: 'hidden' } : {})}
      >
        {tooSmall ? (
          <TooSmall
            size={size}
            min={{ columns: MIN_COLUMNS, rows: MIN_ROWS }}
            summary={summaryOf(screen, state.wizardStep, services)}
          />
        ) : null}
        {/* Kept mounted while too small, so nothing typed or waited for is lost. */}
        <Box display={tooSmall ? 'none' : 'flex'} flexDirection="column" flexGrow={1}>
          {body}
        </Box>
        {isRawModeSupported ? null : (
          <Text>No keyboard: run the scripting commands instead (zchat-auth --help).</Text>
        )}
      </Box>
    </ThemeContext.Provider>
  );
}
