import { Box, Text, useApp, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toZchatError } from '../core/errors.js';
import type { LoginFlow, LoginOptions } from '../core/oauth/login-flow.js';
import type { TokenResponse } from '../core/oauth/types.js';
import { tokenToStored } from '../core/profile-actions.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import { normalizeSubdomain } from '../core/zendesk/subdomain.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Services } from '../services.js';
import { Spinner } from './components/Spinner.js';
import { TooSmall } from './components/TooSmall.js';
import { ExchangeLog } from './exchange-log.js';
import type { Activity } from './hooks/use-dashboard-state.js';
import { useKeys } from './hooks/use-keys.js';
import { usableRows, useTerminalSize } from './hooks/use-terminal-size.js';
import { KeyRouter } from './key-router.js';
import { type LoginPrefill, type Prefill, prefillWizard } from './prefill.js';
import { Dashboard } from './screens/Dashboard.js';
import { WaitingPanel } from './screens/WaitingPanel.js';
import { Wizard } from './screens/Wizard.js';
import { createTheme, ThemeContext } from './theme.js';
import {
  checkField,
  type FieldName,
  fieldsFor,
  hasStoredSecret,
  type WizardValues,
} from './wizard-fields.js';

export type StartScreen = 'dashboard' | 'wizard' | 'login';

/** Login values from the command line; `noBrowser` is --no-browser. */
export type UiLogin = LoginPrefill & { noBrowser?: boolean };

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

/** Where a login was started from: esc and failures go back there. */
type Origin = 'dashboard' | 'start';

type Screen =
  | { name: 'dashboard'; profile?: string; notice?: Activity }
  | { name: 'wizard'; origin: Origin; prefill: Prefill; error?: string }
  | { name: 'starting'; origin: Origin; prefill: Prefill; values: WizardValues }
  | {
      name: 'waiting';
      /** Which login this is: a new one gets a fresh panel. */
      attempt: number;
      origin: Origin;
      prefill: Prefill;
      values: WizardValues;
      flow: LoginFlow;
      options: LoginOptions;
    };

export const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;
/** Below this the screens cannot say what they must; a short note says so instead. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;

/** Fields `login` must have from flags to skip the wizard entirely. */
function neededFromFlags(values: WizardValues): FieldName[] {
  const optional: FieldName[] = ['flow', 'scopes', 'redirectUri', 'profile'];
  if (values.flow === 'code' || values.flow === 'implicit') optional.push('clientSecret');
  return fieldsFor(values.flow).filter((f) => !optional.includes(f));
}

/** A prefill that treats every field as given: the wizard opens on its summary (retry, edit). */
function prefillFrom(prefill: Prefill, values: WizardValues): Prefill {
  return { ...prefill, values, given: fieldsFor(values.flow) };
}

function initialScreen(services: Services, start: StartScreen, login: UiLogin | undefined): Screen {
  const empty = (() => {
    try {
      return services.store.list().length === 0;
    } catch {
      return false; // a broken store is shown (and explained) by the dashboard
    }
  })();
  if (start === 'dashboard' && !empty)
    return { name: 'dashboard', ...(login?.profile ? { profile: login.profile } : {}) };
  const prefill = prefillWizard(services.store, login);
  if (start === 'login') {
    const v = prefill.values;
    const ready =
      neededFromFlags(v).every(
        (f) => prefill.fromFlags.includes(f) || (f === 'clientSecret' && hasStoredSecret(v, prefill.ctx)),
      ) && fieldsFor(v.flow).every((f) => checkField(f, v, prefill.ctx).ok);
    if (ready) return { name: 'starting', origin: 'start', prefill, values: v };
  }
  return { name: 'wizard', origin: 'start', prefill };
}

/** One line for a terminal too small to show the screen: where the user is, and how to leave. */
function summaryOf(screen: Screen, wizardStep: string, services: Services): string {
  switch (screen.name) {
    case 'dashboard': {
      const profile =
        screen.profile ??
        (() => {
          try {
            return services.store.defaultProfile();
          } catch {
            return undefined;
          }
        })();
      return `Dashboard${profile ? `: ${profile}` : ''} · q quits`;
    }
    case 'wizard':
      return `Login wizard: ${wizardStep} · esc back · Ctrl+C quits`;
    case 'starting':
      return 'Starting the login… Ctrl+C quits';
    case 'waiting': {
      const where = screen.flow.redirectUri.replace(/^https?:\/\//, '');
      return `Waiting for Zendesk on ${where} · esc cancels`;
    }
  }
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
  const [screen, setScreen] = useState<Screen>(() => initialScreen(services, start, login));
  const flowRef = useRef<LoginFlow | undefined>(undefined);
  const [wizardStep, setWizardStep] = useState('subdomain');
  const attempts = useRef(0);
  const exited = useRef(false);

  const finish = useCallback(
    (code: number, farewell?: string) => {
      if (exited.current) return;
      exited.current = true;
      flowRef.current?.cancel();
      onExit(code, farewell);
      exit();
    },
    [exit, onExit],
  );

  // Ctrl+C leaves from anywhere, with 130, after closing a waiting loopback server.
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') finish(130);
  });

  const begin = useCallback(
    async (values: WizardValues, origin: Origin, prefill: Prefill) => {
      setScreen({ name: 'starting', origin, prefill, values });
      const name = values.profile;
      let options: LoginOptions;
      let flow: LoginFlow;
      try {
        const subdomain = normalizeSubdomain(values.subdomain);
        const last = prefill.last;
        const override =
          login?.baseUrl ??
          (last && last.subdomain === subdomain ? last.baseUrl : undefined) ??
          (services.env.ZCHAT_AUTH_BASE_URL || undefined) ??
          sandbox?.url;
        const baseUrl = resolveBaseUrl(subdomain, override);
        const secret =
          values.clientSecret ||
          (hasStoredSecret(values, prefill.ctx) ? last?.clientSecret : undefined) ||
          undefined;
        const browserFlow = values.flow === 'code' || values.flow === 'implicit';
        options = {
          flow: values.flow,
          subdomain,
          baseUrl,
          clientId: values.clientId,
          redirectUri: values.redirectUri.trim(),
          scopes: values.scopes,
          timeoutMs: login?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          ...(secret ? { clientSecret: secret } : {}),
          ...(values.flow === 'password'
            ? { username: values.username.trim(), password: values.password }
            : {}),
          ...(login?.usePkce !== undefined ? { usePkce: login.usePkce } : {}),
          ...(login?.listen !== undefined ? { listen: login.listen } : {}),
        };
        // Loaded on the first login, not before the dashboard's first frame.
        const [tokenClient, { startLogin }] = await Promise.all([
          services.tokenClient(baseUrl, (e) => log.set(`p:${name}`, e)),
          import('../core/oauth/login-flow.js'),
        ]);
        const persist = async (token: TokenResponse): Promise<string> => {
          await services.store.save({
            name,
            subdomain,
            ...(override ? { baseUrl } : {}),
            clientId: values.clientId,
            ...(secret ? { clientSecret: secret } : {}),
            redirectUri: flow.redirectUri,
            scopes: values.scopes,
            flow: values.flow,
            ...(values.flow === 'password' ? { username: values.username.trim() } : {}),
            token: tokenToStored(token, services.now()),
          });
          return name;
        };
        flow = startLogin(options, {
          tokenClient,
          persist,
          ...(browserFlow && !login?.noBrowser
            ? { openBrowser: (url: string) => services.openBrowser(url) }
            : {}),
        });
      } catch (error) {
        setScreen({
          name: 'wizard',
          origin,
          prefill: prefillFrom(prefill, values),
          error: toZchatError(error).sentence,
        });
        return;
      }
      flowRef.current = flow;
      attempts.current += 1;
      setScreen({ name: 'waiting', attempt: attempts.current, origin, prefill, values, flow, options });
    },
    [services, login, sandbox, log],
  );

  // `login` with every value given: straight to the waiting panel.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    if (screen.name === 'starting') void begin(screen.values, screen.origin, screen.prefill);
  }, []);

  const toDashboard = (profile?: string, notice?: Activity) => {
    flowRef.current = undefined;
    setScreen({ name: 'dashboard', ...(profile ? { profile } : {}), ...(notice ? { notice } : {}) });
  };

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
            setScreen({
              name: 'wizard',
              origin: 'dashboard',
              prefill: prefillWizard(services.store, profile ? { ...login, profile } : login),
            })
          }
          onQuit={() => finish(0)}
        />
      );
      break;
    case 'wizard': {
      const { origin, prefill } = screen;
      body = (
        <Wizard
          key={`${origin}:${screen.error ?? ''}`}
          initial={prefill.values}
          given={prefill.given}
          ctx={prefill.ctx}
          {...(sandbox
            ? { baseUrl: `${sandbox.url} (sandbox)` }
            : login?.baseUrl
              ? { baseUrl: login.baseUrl }
              : {})}
          {...(screen.error ? { error: screen.error } : {})}
          leaveLabel={origin === 'dashboard' ? 'back to the dashboard' : 'quit'}
          onStep={setWizardStep}
          onSubmit={(values) => void begin(values, origin, prefill)}
          onLeave={() => (origin === 'dashboard' ? toDashboard() : finish(130))}
        />
      );
      break;
    }
    case 'starting':
      body = <Spinner label="Starting the login…" />;
      break;
    case 'waiting': {
      const { origin, prefill, values, flow, options } = screen;
      const back = (notice: Activity, error?: string) =>
        origin === 'dashboard'
          ? toDashboard(undefined, notice)
          : setScreen({
              name: 'wizard',
              origin,
              prefill: prefillFrom(prefill, values),
              ...(error ? { error } : {}),
            });
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
          onCancel={() => back({ kind: 'info', text: 'Login cancelled.' }, 'Login cancelled.')}
          onRetry={() => setScreen({ name: 'wizard', origin, prefill: prefillFrom(prefill, values) })}
          onBack={() =>
            origin === 'dashboard'
              ? toDashboard()
              : setScreen({ name: 'wizard', origin, prefill: prefillFrom(prefill, values) })
          }
          onQuit={(code) =>
            finish(
              code,
              code === 0
                ? temporaryStore
                  ? `Stored a token as profile ${values.profile} in the sandbox's throwaway store, now deleted. Set ZCHAT_AUTH_CONFIG_DIR to keep the store.`
                  : `Stored a token as profile ${values.profile}. Use it: $(zchat-auth token --profile ${values.profile})`
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
            summary={summaryOf(screen, wizardStep, services)}
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
