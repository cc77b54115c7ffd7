import { Box, useStdout } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { sshInfo } from '../../core/platform/ssh.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import type { Services } from '../../services.js';
import { accessTokenOf } from '../access-token-of.js';
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
import { useAccountData } from '../hooks/use-account-data.js';
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

/** The keys of what has the focus, for the status bar: most useful first (the narrowest screen shows those). */
function paneKeys(s: DashboardState): string[] {
  if (s.confirm) return ['y yes', 'n no'];
  if (s.help) return ['↑↓ scroll', 'esc close'];
  if (s.expanded || s.focus === 'details') return ['e curl', 'v reveal', 'esc back'];
  if (s.focus === 'clients') return ['c confidential', 'u via', 'y copy ID', 'tab tokens', '/ filter'];
  return ['t test', 'r refresh', 'x revoke', 'u via', 'n login', '/ filter'];
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
  const [state, dispatch] = useDashboardState(() => ({
    selected: {
      tokens: Math.max(
        profiles.findIndex((p) => p.name === props.initialProfile),
        0,
      ),
      clients: 0,
    },
    activity: props.notice,
  }));
  const [activeName, setActiveName] = useState<string | undefined>(
    () => props.initialProfile ?? services.store.defaultProfile() ?? profiles[0]?.name,
  );
  const active = profiles.find((p) => p.name === activeName) ?? profiles[0];
  const [via, setVia] = useState<string | undefined>(undefined);
  const account = useAccountData(services, profiles, active, log, via);
  const activeAccount = active ? accountKey(active) : undefined;
  const viaCandidates = useMemo(
    () =>
      profiles
        .filter((p) => p.token && !p.token.revokedAt && accountKey(p) === activeAccount)
        .map((p) => p.name),
    [profiles, activeAccount],
  );
  const logVersion = useSyncExternalStore(
    (cb) => log.subscribe(cb),
    () => log.version,
  );

  const allTokenRows = useMemo(
    () => buildTokenRows(profiles, account.data.tokens, account.data.account),
    [profiles, account.data.tokens, account.data.account],
  );
  const allClientRows = useMemo(
    () => buildClientRows(account.data.clients, profiles),
    [account.data.clients, profiles],
  );
  const tokenRows = useMemo(
    () => filterRows(allTokenRows, state.filter.tokens),
    [allTokenRows, state.filter.tokens],
  );
  const clientRows = useMemo(
    () => filterRows(allClientRows, state.filter.clients),
    [allClientRows, state.filter.clients],
  );
  const tokenIndex = Math.min(state.selected.tokens, Math.max(tokenRows.length - 1, 0));
  const clientIndex = Math.min(state.selected.clients, Math.max(clientRows.length - 1, 0));
  const selectedToken = tokenRows[tokenIndex];
  const selectedClient = clientRows[clientIndex];

  // The stored token the user points at is the one the status bar and the clients pane are about.
  // Set during render, not in an effect: React redoes this render before committing, so a key press costs
  // one frame, not a frame and then a second one for the status bar and the clients pane.
  const selectedProfileName = selectedToken?.kind === 'stored' ? selectedToken.profile.name : undefined;
  if (selectedProfileName && selectedProfileName !== activeName) setActiveName(selectedProfileName);

  const selection: DetailsRow =
    state.lastList === 'tokens'
      ? selectedToken && { pane: 'tokens', row: selectedToken }
      : selectedClient && { pane: 'clients', row: selectedClient };

  const exchange = useMemo((): HttpExchange | undefined => {
    void logVersion;
    if (!selection) return undefined;
    if (selection.pane === 'tokens') {
      const row = selection.row;
      return row.kind === 'stored' ? log.get(`p:${row.profile.name}`) : log.first(row.key, 'server-tokens');
    }
    const row = selection.row;
    return row.kind === 'api' ? log.first(row.key, 'clients') : log.get('clients');
  }, [selection, log, logVersion]);

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
