import { Box, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toZchatError } from '../../core/errors.js';
import { sshInfo } from '../../core/platform/ssh.js';
import { refreshProfile, testProfile } from '../../core/profile-actions.js';
import { mask } from '../../core/redact.js';
import { NO_REFRESH_TOKEN, REFRESH_TOKEN_SPENT } from '../../core/refresh-wording.js';
import { toCurl } from '../../core/zendesk/curl.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import type { Services } from '../../services.js';
import { copyText } from '../clipboard/copy.js';
import { ActivityLine } from '../components/ActivityLine.js';
import { ClientRowView } from '../components/ClientList.js';
import { Confirm } from '../components/Confirm.js';
import { DetailsPane, type DetailsRow } from '../components/DetailsPane.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { Pane } from '../components/Pane.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBar } from '../components/StatusBar.js';
import { TokenRowView } from '../components/TokenList.js';
import { WindowedList } from '../components/WindowedList.js';
import {
  buildClientRows,
  buildTokenRows,
  type ClientRow,
  filterRows,
  type TokenRow,
} from '../dashboard-rows.js';
import type { ExchangeLog } from '../exchange-log.js';
import { testSentence } from '../format.js';
import { useAccountData } from '../hooks/use-account-data.js';
import {
  type Activity,
  type ConfirmAction,
  type DashboardState,
  useDashboardState,
} from '../hooks/use-dashboard-state.js';
import { useKeys } from '../hooks/use-keys.js';
import { useProfiles } from '../hooks/use-profiles.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { computeLayout } from '../layout.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

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
}

const tokenKey = (row: TokenRow) => row.key;
const clientKey = (row: ClientRow) => row.key;

function confirmText(c: ConfirmAction): { question: string; detail: string } {
  switch (c.type) {
    case 'confidential':
      return {
        question: `Make the client “${c.name}” confidential?`,
        detail:
          'PUT client_type=confidential: the client-credentials and password grants then work with its secret.',
      };
    case 'revoke':
      return {
        question: `Revoke ${c.label} on the server?`,
        detail: 'DELETE on the Chat API: the token stops working everywhere, at once. This cannot be undone.',
      };
    case 'delete':
      return {
        question: `Delete the profile “${c.profile}” from this machine?`,
        detail:
          'Its token and secret are removed from the store; the token itself keeps working until revoked (x).',
      };
  }
}

export function Dashboard(props: DashboardProps) {
  const { services, log, sandboxUrl } = props;
  const { write } = useStdout();
  const theme = useTheme();
  const size = useTerminalSize();
  const layout = computeLayout(size.columns, size.rows);
  const { profiles, reload: reloadProfiles, error: storeError } = useProfiles(services.store);
  const [state, dispatch] = useDashboardState({
    selected: {
      tokens: Math.max(
        profiles.findIndex((p) => p.name === props.initialProfile),
        0,
      ),
      clients: 0,
    },
    activity: props.notice,
  });
  const [activeName, setActiveName] = useState<string | undefined>(
    () => props.initialProfile ?? services.store.defaultProfile() ?? profiles[0]?.name,
  );
  const active = profiles.find((p) => p.name === activeName) ?? profiles[0];
  const account = useAccountData(services, profiles, active, log);
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
      ? services.store.get(selection.row.profile.name)?.token?.accessToken
      : undefined;

  // --- actions: each shows progress, then a result line that stays until the next one ---
  const busy = useRef(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    async (text: string, action: () => Promise<Activity>) => {
      if (busy.current) return;
      busy.current = true;
      dispatch({ type: 'activity', activity: { kind: 'busy', text } });
      let result: Activity;
      try {
        result = await action();
      } catch (error) {
        result = { kind: 'error', text: toZchatError(error).sentence };
      }
      busy.current = false;
      if (mounted.current) dispatch({ type: 'activity', activity: result });
    },
    [dispatch],
  );
  const say = useCallback((activity: Activity) => dispatch({ type: 'activity', activity }), [dispatch]);
  const isSsh = sshInfo(services.env).isSsh;
  const copy = useCallback(
    (text: string) => copyText(text, { env: services.env, write, isSsh }),
    [services.env, write, isSsh],
  );

  const testSelected = (name: string) =>
    run(`Testing ${name}: GET /api/v2/chat/chats…`, async () => {
      const test = await testProfile(services.store, name, (baseUrl, token) =>
        services.chatApi(baseUrl, token, (e) => log.set(`p:${name}`, e)),
      );
      reloadProfiles();
      return { kind: test.ok ? 'ok' : 'error', text: testSentence(name, test) };
    });

  const refreshSelected = (name: string) =>
    run(`Refreshing ${name}: POST /oauth2/chat/token (refresh_token)…`, async () => {
      const outcome = await refreshProfile(
        services.store,
        name,
        (baseUrl) => services.tokenClient(baseUrl, (e) => log.set(`p:${name}`, e)),
        () => services.now(),
      );
      reloadProfiles();
      account.reload();
      return outcome.rotatedElsewhere
        ? {
            kind: 'info',
            text: `${name}: another zchat-auth had just refreshed it; using its new token ${mask(outcome.token.accessToken)} (nothing spent).`,
          }
        : {
            kind: 'ok',
            text: `${name}: refreshed. New token ${mask(outcome.token.accessToken)}${outcome.token.refreshToken ? ' and a new refresh token stored.' : ` stored. ${REFRESH_TOKEN_SPENT}.`}`,
          };
    });

  const confirmed = (c: ConfirmAction) => {
    dispatch({ type: 'answer' });
    if (c.type === 'confidential') {
      void run(`Making “${c.name}” confidential: PUT /api/v2/chat/oauth/clients/${c.clientId}…`, async () => {
        const api = account.api(`c:${c.clientId}`);
        if (!api) return { kind: 'error', text: 'No stored token for this account: log in first (n).' };
        const client = await (await api).updateClient(c.clientId, { client_type: 'confidential' });
        account.patchClient(client);
        return {
          kind: 'ok',
          text: `“${client.name}” is now ${client.client_type}. Careful: saving this client again in the Zendesk Chat dashboard turns it back to public.`,
        };
      });
    } else if (c.type === 'revoke') {
      void run(`Revoking ${c.label}: DELETE /api/v2/chat/oauth/tokens/${c.tokenId}…`, async () => {
        const api = account.api(c.profile ? `p:${c.profile}` : `s:${c.tokenId}`);
        if (!api) return { kind: 'error', text: 'No stored token for this account: log in first (n).' };
        await (await api).revokeToken(c.tokenId);
        account.dropServerToken(c.tokenId);
        return {
          kind: 'ok',
          text: c.profile
            ? `Revoked ${c.label} on the server. The stored copy no longer works: d deletes it, n logs in again.`
            : `Revoked ${c.label} on the server.`,
        };
      });
    } else {
      void run(`Deleting ${c.profile}…`, async () => {
        const removed = await services.store.remove(c.profile);
        reloadProfiles();
        return removed
          ? { kind: 'ok', text: `Deleted the profile “${c.profile}” from this machine.` }
          : { kind: 'info', text: `The profile “${c.profile}” was already gone.` };
      });
    }
  };

  const copyCurl = () => {
    if (!exchange) {
      say({ kind: 'info', text: 'Nothing was sent for this item yet: press t (or r) first, then e.' });
      return;
    }
    void run('Copying the request as curl…', async () => {
      const result = await copy(toCurl(exchange, { reveal: state.reveal }));
      const what = `${exchange.method} ${new URL(exchange.url).pathname}`;
      const secrets = state.reveal ? 'with its secrets' : 'secrets masked (v, then e, copies them)';
      return { kind: 'ok', text: `Copied ${what} as curl, ${secrets}. ${result.message}` };
    });
  };

  const actOnKey = (input: string, s: DashboardState) => {
    const token = s.lastList === 'tokens' ? selectedToken : undefined;
    const storedName = token?.kind === 'stored' ? token.profile.name : undefined;
    const hasToken = token?.kind === 'stored' && token.profile.token !== undefined;
    const needToken = (what: string) =>
      say({
        kind: 'info',
        text:
          s.lastList === 'clients'
            ? `Select a stored token to ${what} (tab to the tokens pane).`
            : token?.kind === 'server'
              ? `That token lives only on the server; only stored tokens can be ${what === 'test' ? 'tested' : 'used'} here.`
              : 'This profile has no token yet: press n to log in.',
      });
    switch (input) {
      case 't':
        if (storedName && hasToken) void testSelected(storedName);
        else needToken('test');
        return;
      case 'r':
        if (storedName && token?.kind === 'stored' && token.profile.token?.hasRefreshToken) {
          void refreshSelected(storedName);
        } else if (storedName && hasToken) {
          say({
            kind: 'error',
            text: `${storedName}: ${NO_REFRESH_TOKEN}. Press n to log in again.`,
          });
        } else needToken('refresh');
        return;
      case 'n':
        props.onNewLogin(storedName ?? active?.name);
        return;
      case 'c': {
        if (s.lastList !== 'clients' || !selectedClient) {
          say({ kind: 'info', text: 'Select a client first (tab to the clients pane), then press c.' });
          return;
        }
        if (selectedClient.kind !== 'api') {
          say({
            kind: 'error',
            text: 'Your clients could not be fetched, so none can be changed now.',
          });
          return;
        }
        const client = selectedClient.client;
        if (client.client_type === 'confidential') {
          say({ kind: 'info', text: `“${client.name}” is already confidential.` });
          return;
        }
        dispatch({ type: 'ask', confirm: { type: 'confidential', clientId: client.id, name: client.name } });
        return;
      }
      case 'x': {
        if (token?.kind === 'server') {
          const label = token.storedAs
            ? `${token.storedAs}’s token #${token.token.id}`
            : `token #${token.token.id}`;
          dispatch({
            type: 'ask',
            confirm: {
              type: 'revoke',
              tokenId: token.token.id,
              label,
              ...(token.storedAs ? { profile: token.storedAs } : {}),
            },
          });
        } else if (token?.kind === 'stored' && token.serverId !== undefined) {
          dispatch({
            type: 'ask',
            confirm: {
              type: 'revoke',
              tokenId: token.serverId,
              label: `${token.profile.name}’s token #${token.serverId}`,
              profile: token.profile.name,
            },
          });
        } else if (token?.kind === 'stored' && hasToken) {
          say({
            kind: 'info',
            text:
              account.data.status === 'ok'
                ? `The server lists no token matching ${token.profile.name}’s: it may be revoked already (t tells).`
                : 'The server’s token list is not available, so the token cannot be matched to revoke it.',
          });
        } else needToken('revoke');
        return;
      }
      case 'd':
        if (storedName) dispatch({ type: 'ask', confirm: { type: 'delete', profile: storedName } });
        else
          say({
            kind: 'info',
            text: 'Select a stored profile to delete it (server tokens are revoked with x, not deleted).',
          });
        return;
      case 'y':
        if (storedName && hasToken) {
          const secret = services.store.get(storedName)?.token?.accessToken;
          if (!secret) return;
          void run('Copying the token…', async () => {
            const result = await copy(secret);
            return { kind: 'ok', text: `${storedName}’s access token: ${result.message}` };
          });
        } else if (s.lastList === 'clients' && selectedClient) {
          const id =
            selectedClient.kind === 'api' ? selectedClient.client.client_identifier : selectedClient.clientId;
          void run('Copying the client ID…', async () => {
            const result = await copy(id);
            return { kind: 'ok', text: `Client ID ${id}: ${result.message}` };
          });
        } else needToken('copy');
        return;
      case 'v':
        if (hasToken || s.reveal) dispatch({ type: 'toggle-reveal' });
        else needToken('reveal');
        return;
      case 'e':
        copyCurl();
        return;
      case '/':
        dispatch({ type: 'filter-start' });
        return;
      case '?':
        dispatch({ type: 'toggle-help' });
        return;
      case 'q':
        props.onQuit();
        return;
    }
  };

  const listCount = state.lastList === 'tokens' ? tokenRows.length : clientRows.length;
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return; // the root owns Ctrl+C
    const move = (delta: number) => dispatch({ type: 'move', delta, count: listCount });
    if (state.filtering) {
      if (key.return) dispatch({ type: 'filter-end', keep: true });
      else if (key.escape) dispatch({ type: 'filter-end', keep: false });
      else if (key.upArrow) move(-1);
      else if (key.downArrow) move(1);
      else if (key.backspace || key.delete) dispatch({ type: 'filter-backspace' });
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'filter-type', text: input });
      return;
    }
    if (state.confirm) {
      if (input === 'y') confirmed(state.confirm);
      else if (input === 'n' || key.escape) dispatch({ type: 'close' });
      return;
    }
    if (state.help) {
      if (input === '?' || key.escape || key.return) dispatch({ type: 'toggle-help' });
      else if (input === 'q') props.onQuit();
      return;
    }
    if (key.escape) dispatch({ type: 'close' });
    else if (key.upArrow || input === 'k') move(-1);
    else if (key.downArrow || input === 'j') move(1);
    else if (key.pageUp) move(-layout.listRows);
    else if (key.pageDown) move(layout.listRows);
    else if (key.home) dispatch({ type: 'move-to', index: 0, count: listCount });
    else if (key.end) dispatch({ type: 'move-to', index: listCount - 1, count: listCount });
    else if (key.tab) dispatch({ type: 'tab', mode: layout.mode });
    else if (key.return) dispatch({ type: 'toggle-details' });
    else if (input) actOnKey(input, state);
  });

  // --- layout ---
  const { mode } = layout;
  const paneWidth = mode === 'wide' ? layout.paneWidth : layout.columns;
  const rowWidth = Math.max(paneWidth - 4, 10);
  const tokensFocused = state.focus === 'tokens' && !state.expanded;
  const clientsFocused = state.focus === 'clients' && !state.expanded;
  const serverCount = account.data.tokens.length;

  const tokensPane = (
    <Pane
      title={`Tokens ${profiles.length} stored${serverCount ? ` · ${serverCount} on server (yours)` : ''}`}
      extra={
        state.filter.tokens || (state.filtering && state.lastList === 'tokens') ? (
          <Text> /{state.filter.tokens}</Text>
        ) : null
      }
      isFocused={tokensFocused}
      width={paneWidth}
      height={layout.listRows}
    >
      <WindowedList
        items={tokenRows}
        selected={tokenIndex}
        height={layout.listRows}
        width={rowWidth}
        isFocused={tokensFocused}
        getKey={tokenKey}
        Row={TokenRowView}
        empty={
          storeError ??
          (state.filter.tokens ? 'Nothing matches the filter.' : 'No profiles yet: press n to log in.')
        }
      />
    </Pane>
  );

  const clientsError = account.data.status === 'error' ? account.data.error : undefined;
  const clientsNote =
    account.data.status === 'none'
      ? active
        ? 'No token for this account yet: log in (n) to list its clients.'
        : 'No profile yet.'
      : clientsError;
  const clientsPane = (
    <Pane
      title={`Clients${account.data.clients ? ` ${account.data.clients.length} (yours)` : ''}`}
      extra={
        <>
          {account.data.status === 'loading' ? (
            <Text>
              {' '}
              <Spinner label="fetching…" />
            </Text>
          ) : null}
          {state.filter.clients || (state.filtering && state.lastList === 'clients') ? (
            <Text> /{state.filter.clients}</Text>
          ) : null}
        </>
      }
      isFocused={clientsFocused}
      width={paneWidth}
      height={layout.listRows}
    >
      {clientsNote ? (
        <Text color={clientsError ? theme.error : undefined} dimColor={!clientsError} wrap="truncate-end">
          {clientsError ? `✗ ${clientsError}` : clientsNote}
        </Text>
      ) : null}
      <WindowedList
        items={clientRows}
        selected={clientIndex}
        height={layout.listRows - (clientsNote ? 1 : 0)}
        width={rowWidth}
        isFocused={clientsFocused}
        getKey={clientKey}
        Row={ClientRowView}
        empty={
          state.filter.clients
            ? 'Nothing matches the filter.'
            : account.data.status === 'loading'
              ? ''
              : 'No clients.'
        }
      />
    </Pane>
  );

  const details = (height: number) =>
    state.confirm ? (
      <Confirm {...confirmText(state.confirm)} />
    ) : (
      <DetailsPane
        selection={selection}
        exchange={exchange}
        reveal={state.reveal}
        {...(revealedSecret ? { secret: revealedSecret } : {})}
        {...(account.data.error ? { accountError: account.data.error } : {})}
        height={height}
        width={layout.columns}
        isFocused={state.focus === 'details' || state.expanded}
        expanded={state.expanded || (mode === 'single' && state.focus === 'details')}
        sandbox={Boolean(sandboxUrl)}
      />
    );

  let body: React.ReactNode;
  if (state.help) body = <HelpOverlay />;
  else if (state.expanded) body = details(Math.max(layout.bodyRows - 3, 3));
  else if (mode === 'wide') {
    body = (
      <>
        <Box>
          {tokensPane}
          {clientsPane}
        </Box>
        {details(layout.detailsRows)}
      </>
    );
  } else if (mode === 'stacked') {
    body = (
      <>
        {tokensPane}
        {clientsPane}
        {details(layout.detailsRows)}
      </>
    );
  } else {
    body =
      state.focus === 'details'
        ? details(layout.detailsRows)
        : state.focus === 'clients'
          ? clientsPane
          : tokensPane;
    if (state.confirm)
      body = (
        <>
          {body}
          {details(0)}
        </>
      );
  }

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
      {body}
      <Box height={2} overflow="hidden">
        <ActivityLine activity={state.activity} />
      </Box>
      <StatusBar
        profile={active}
        sandbox={Boolean(sandboxUrl)}
        {...(state.filtering ? { filter: state.filter[state.lastList] } : {})}
      />
    </Box>
  );
}
