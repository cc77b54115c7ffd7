import { Box, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { sshInfo } from '../../core/platform/ssh.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import type { Services } from '../../services.js';
import { accessTokenOf } from '../access-token-of.js';
import { dashboardStart } from '../account-credential.js';
import { copyText } from '../clipboard/copy.js';
import { ActivityLine } from '../components/ActivityLine.js';
import type { DetailsRow } from '../components/DetailsPane.js';
import { helpHeight, helpRows, helpVisibleRows } from '../components/HelpOverlay.js';
import { StatusBar } from '../components/StatusBar.js';
import { ActionRunner, type EffectContext, runIntent } from '../dashboard/effects.js';
import { intentFor, type Selection } from '../dashboard/intent.js';
import { DashboardBody } from '../dashboard/panes.js';
import { accountKey, buildClientRows, buildTokenRows, filterRows } from '../dashboard-rows.js';
import type { ExchangeLog } from '../exchange-log.js';
import { firstAccountData, useAccountData, useAccountState } from '../hooks/use-account-data.js';
import { type Activity, type DashboardState, useDashboardState } from '../hooks/use-dashboard-state.js';
import { useKeys, WAIT_FOR_FRAME } from '../hooks/use-keys.js';
import { useProfiles } from '../hooks/use-profiles.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { computeLayout } from '../layout.js';
import { Text } from '../safe-text.js';

export interface DashboardProps {
  services: Services;
  log: ExchangeLog;
  /** The emulator's URL when running against it (a banner, and the sandbox hints). */
  sandboxUrl?: string;
  /** Select this profile first (e.g. the one a login just stored). */
  initialProfile?: string;
  /** A result line to start with (e.g. "Stored a token as demo."). */
  notice?: Activity;
  onNewLogin(profile?: string): void;
  onQuit(): void;
  /** How often the lists are fetched again while nothing runs and no dialog is open, as k9s does. */
  idleRefreshMs?: number;
}

export const IDLE_REFRESH_MS = 60_000;

/** The same arrays every time: the status bar is memoised on them. */
const PANE_KEYS = {
  confirm: ['y yes', 'n no'],
  help: ['↑↓ scroll', 'esc close'],
  details: ['e curl', 'v reveal', 'esc back'],
  clients: ['c confidential', 'u via', 'y copy ID', 'tab tokens', '/ filter'],
  tokens: ['t test', 'r refresh', 'x revoke', 'u via', 'n login', '/ filter'],
} as const satisfies Record<string, readonly string[]>;

/** The keys of what has the focus, for the status bar: most useful first (the narrowest screen shows those). */
function paneKeys(s: DashboardState): readonly string[] {
  if (s.confirm) return PANE_KEYS.confirm;
  if (s.help) return PANE_KEYS.help;
  if (s.expanded || s.focus === 'details') return PANE_KEYS.details;
  if (s.focus === 'clients') return PANE_KEYS.clients;
  return PANE_KEYS.tokens;
}

/** The last request about the selected row: its own, else its list's. */
function exchangeOf(log: ExchangeLog, selection: DetailsRow): HttpExchange | undefined {
  if (!selection) return undefined;
  if (selection.pane === 'tokens') {
    const row = selection.row;
    return row.kind === 'stored' ? log.get(`p:${row.profile.name}`) : log.first(row.key, 'server-tokens');
  }
  const row = selection.row;
  return row.kind === 'api' ? log.first(row.key, 'clients') : log.get('clients');
}

/**
 * The dashboard: derives the rows and the selection from the store and the API, turns each key into an
 * intent (dashboard/intent.ts), has the effects carry it out (dashboard/effects.ts), and draws the panes.
 */
export function Dashboard(props: DashboardProps) {
  const { services, log, sandboxUrl } = props;
  const { write } = useStdout();
  const size = useTerminalSize();
  const layout = computeLayout(size.columns, size.rows);
  const { profiles, reload: reloadProfiles, error: storeError } = useProfiles(services.store);
  // The row selected first, and the profile whose token fetches the account's lists first: as the
  // dashboard's command read them to send those requests early (account-prefetch.ts).
  const [start] = useState(() => dashboardStart(services.store, profiles, props.initialProfile));
  const firstName = start.firstName;
  const [state, dispatch] = useDashboardState(() => ({
    selected: { tokens: start.selected, clients: 0 },
    activity: props.notice,
  }));
  // The stored profile pointed at before the selection went to a server token no profile holds: the key
  // handler keeps it (below).
  const [lastStoredName, setLastStoredName] = useState(firstName);
  const accountState = useAccountState(() =>
    firstAccountData(services, profiles, profiles[state.selected.tokens], firstName),
  );
  const allTokenRows = useMemo(
    () => buildTokenRows(profiles, accountState.data.tokens, accountState.data.account),
    [profiles, accountState.data.tokens, accountState.data.account],
  );
  const tokenRows = useMemo(
    () => filterRows(allTokenRows, state.filter.tokens),
    [allTokenRows, state.filter.tokens],
  );
  const tokenIndex = Math.min(state.selected.tokens, Math.max(tokenRows.length - 1, 0));
  const selectedToken = tokenRows[tokenIndex];
  // The stored token the user points at is the one the status bar and the clients pane are about (on a
  // server token no profile holds, the one pointed at before). Derived, not set during render: a key press
  // renders the dashboard once.
  const active =
    (selectedToken?.kind === 'stored' ? selectedToken.profile : undefined) ??
    profiles.find((p) => p.name === lastStoredName) ??
    profiles[0];
  const [via, setVia] = useState<string | undefined>(undefined);
  const account = useAccountData(accountState, services, profiles, active, log, via, firstName);
  const activeAccount = active ? accountKey(active) : undefined;
  const viaCandidates = useMemo(
    () =>
      profiles
        .filter((p) => p.token && !p.token.revokedAt && accountKey(p) === activeAccount)
        .map((p) => p.name),
    [profiles, activeAccount],
  );

  const allClientRows = useMemo(
    () => buildClientRows(account.data.clients, profiles),
    [account.data.clients, profiles],
  );
  const clientRows = useMemo(
    () => filterRows(allClientRows, state.filter.clients),
    [allClientRows, state.filter.clients],
  );
  const clientIndex = Math.min(state.selected.clients, Math.max(clientRows.length - 1, 0));
  const selectedClient = clientRows[clientIndex];

  // The same object while the same row is selected: the details pane is memoised on it.
  const selection = useMemo(
    (): DetailsRow =>
      state.lastList === 'tokens'
        ? selectedToken && { pane: 'tokens', row: selectedToken }
        : selectedClient && { pane: 'clients', row: selectedClient },
    [state.lastList, selectedToken, selectedClient],
  );

  // The last request about the selection, read again when the log changes; the dashboard is drawn again
  // only when it is another one (the lists' own requests do not redraw a profile's details).
  const subscribeLog = useCallback((onChange: () => void) => log.subscribe(onChange), [log]);
  const exchange = useSyncExternalStore(subscribeLog, () => exchangeOf(log, selection));

  const revealedSecret =
    state.reveal && selection?.pane === 'tokens' && selection.row.kind === 'stored'
      ? accessTokenOf(services.store, selection.row.profile.name).accessToken
      : undefined;

  const runner = useMemo(() => new ActionRunner(dispatch), [dispatch]);
  useEffect(() => () => runner.stop(), [runner]);
  const isSsh = sshInfo(services.env).isSsh;

  // A token revoked elsewhere does not stay listed: a quiet fetch now and then, when the user is not busy.
  const idle = !runner.busy && !state.confirm && !state.filtering;
  const idleRefreshMs = props.idleRefreshMs ?? IDLE_REFRESH_MS;
  const { reload: reloadAccount } = account;
  useEffect(() => {
    if (!idle) return;
    const timer = setInterval(() => {
      reloadProfiles();
      reloadAccount({ quiet: true });
    }, idleRefreshMs);
    return () => clearInterval(timer);
  }, [idle, idleRefreshMs, reloadProfiles, reloadAccount]);

  useKeys((input, key) => {
    // The stored profile on show, kept for when this key moves the selection to a server token.
    if (selectedToken?.kind === 'stored' && selectedToken.profile.name !== lastStoredName) {
      setLastStoredName(selectedToken.profile.name);
    }
    const sel: Selection = {
      token: selectedToken,
      client: selectedClient,
      listCount: state.lastList === 'tokens' ? tokenRows.length : clientRows.length,
      listRows: layout.listRows,
      mode: layout.mode,
      accountStatus: account.data.status,
      activeProfile: active?.name,
      // Laid out only while the help is open: the keys that scroll it are the only ones that need it.
      helpMaxScroll: state.help
        ? Math.max(
            helpRows(layout.columns - 4).length -
              helpVisibleRows(helpHeight(layout.columns, layout.bodyRows, size.rowsKnown)),
            0,
          )
        : 0,
      exchange,
      via: account.data.via,
      viaCandidates,
    };
    const ctx: EffectContext = {
      services,
      log,
      account,
      dispatch,
      reloadProfiles,
      copy: (text) => copyText(text, { env: services.env, write, isSsh }),
      onNewLogin: props.onNewLogin,
      onQuit: props.onQuit,
      chooseVia: setVia,
    };
    const intent = intentFor(input, key, state, sel);
    runIntent(intent, ctx, runner);
    // The next key of the same read meets the frame this one leads to ("/" then "abc").
    return intent.type === 'none' ? undefined : WAIT_FOR_FRAME;
  });

  return (
    <Box flexDirection="column" width={layout.columns}>
      <Box>
        <Text bold wrap="truncate-end">
          zchat-auth{' '}
          <Text dimColor>
            Zendesk Chat OAuth tokens
            {sandboxUrl ? ` · sandbox ${sandboxUrl} (nothing leaves this machine)` : ''}
          </Text>
        </Text>
      </Box>
      {/* Always the same height: the activity line and the status bar never move, whatever opens. Clipped
          vertically only: Ink slices every line of a horizontally clipped box with slice-ansi on every frame
          (a third of a key press's CPU), and the panes are laid out within the width already. */}
      <Box
        flexDirection="column"
        {...(size.rowsKnown ? { height: layout.bodyRows, overflowY: 'hidden' } : {})}
      >
        <DashboardBody
          state={state}
          layout={layout}
          profiles={profiles}
          active={active}
          account={account.data}
          tokenRows={tokenRows}
          tokenIndex={tokenIndex}
          clientRows={clientRows}
          clientIndex={clientIndex}
          storeError={storeError}
          selection={selection}
          exchange={exchange}
          revealedSecret={revealedSecret}
          sandbox={Boolean(sandboxUrl)}
          rowsKnown={size.rowsKnown}
        />
      </Box>
      <Box height={2} overflowY="hidden">
        <ActivityLine activity={state.activity} />
      </Box>
      <StatusBar
        profile={active}
        sandbox={Boolean(sandboxUrl)}
        {...(state.filtering ? { filter: state.filter[state.lastList] } : {})}
        keys={paneKeys(state)}
        required={state.confirm ? 2 : 1}
        columns={layout.columns}
      />
    </Box>
  );
}
