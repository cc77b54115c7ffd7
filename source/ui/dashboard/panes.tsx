/** The dashboard's panes and how they are arranged for the layout mode: views of what they are given. */
import { Box } from 'ink';
import { memo, type ReactNode } from 'react';
import type { ProfileView } from '../../core/store/types.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import { ClientRowView, clientHeader } from '../components/ClientList.js';
import { Confirm } from '../components/Confirm.js';
import { DetailsPane, type DetailsRow } from '../components/DetailsPane.js';
import { HelpOverlay, helpHeight } from '../components/HelpOverlay.js';
import { Pane } from '../components/Pane.js';
import { Spinner } from '../components/Spinner.js';
import { TokenRowView, tokenHeader } from '../components/TokenList.js';
import { WindowedList } from '../components/WindowedList.js';
import type { ClientRow, TokenRow } from '../dashboard-rows.js';
import type { AccountData } from '../hooks/use-account-data.js';
import type { ConfirmAction, DashboardState } from '../hooks/use-dashboard-state.js';
import type { Layout } from '../layout.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

const tokenKey = (row: TokenRow) => row.key;
const clientKey = (row: ClientRow) => row.key;

export function confirmText(c: ConfirmAction): { question: string; detail: string } {
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

export interface PanesProps {
  state: DashboardState;
  layout: Layout;
  profiles: readonly ProfileView[];
  active: ProfileView | undefined;
  account: AccountData;
  tokenRows: readonly TokenRow[];
  tokenIndex: number;
  clientRows: readonly ClientRow[];
  clientIndex: number;
  storeError: string | undefined;
  selection: DetailsRow;
  exchange: HttpExchange | undefined;
  revealedSecret: string | undefined;
  sandbox: boolean;
  /** The terminal said how tall it is: only then are heights capped (see useTerminalSize). */
  rowsKnown: boolean;
}

/** " /text" after a pane's title while its filter is typed or kept. */
function filterMark(filter: string, typing: boolean): ReactNode {
  return filter || typing ? <Text> /{filter}</Text> : null;
}

/** " (via acme)": whose token fetched the account's lists (Zendesk shows each agent only its own). */
const viaMark = (account: AccountData) => (account.via ? ` (via ${account.via})` : '');

/** " · 2 on server (via acme)", or that the list could not be had, and with whose token. */
function serverPart(account: AccountData): string {
  if (!account.via) return '';
  if (account.tokensError) return ` · server list ✗${viaMark(account)}`;
  return account.tokens.length || account.status === 'ok'
    ? ` · ${account.tokens.length} on server${viaMark(account)}`
    : '';
}

/** A list's column headers, dim, one line. */
function Header({ text }: { text: string }) {
  return (
    <Text dimColor wrap="truncate-end">
      {text}
    </Text>
  );
}

/**
 * What one list pane draws, and nothing else: the panes are memoised on it, so a key that moves the
 * selection in one list leaves the other one alone.
 */
interface ListPaneProps<Row> {
  rows: readonly Row[];
  index: number;
  width: number;
  /** Content lines (layout.listRows). */
  height: number;
  focused: boolean;
  filter: string;
  /** The filter is being typed in this pane. */
  typing: boolean;
  account: AccountData;
}

const TokensPane = memo(function TokensPane(
  p: ListPaneProps<TokenRow> & { stored: number; storeError: string | undefined },
) {
  const listWidth = Math.max(p.width - 4, 10);
  const header = p.rows.length > 0;
  return (
    <Pane
      title={`Tokens ${p.stored} stored${serverPart(p.account)}`}
      extra={filterMark(p.filter, p.typing)}
      isFocused={p.focused}
      width={p.width}
      height={p.height}
    >
      {header ? <Header text={tokenHeader(listWidth)} /> : null}
      <WindowedList
        items={p.rows}
        selected={p.index}
        height={p.height - (header ? 1 : 0)}
        width={listWidth}
        isFocused={p.focused}
        getKey={tokenKey}
        Row={TokenRowView}
        empty={
          p.storeError ?? (p.filter ? 'Nothing matches the filter.' : 'No profiles yet: press n to log in.')
        }
      />
    </Pane>
  );
});

const ClientsPane = memo(function ClientsPane(p: ListPaneProps<ClientRow> & { hasProfile: boolean }) {
  const theme = useTheme();
  const { account } = p;
  const error = account.status === 'error' ? account.error : undefined;
  const listWidth = Math.max(p.width - 4, 10);
  const first = p.rows[0];
  const note =
    account.status === 'none'
      ? p.hasProfile
        ? 'No token for this account yet: log in (n) to list its clients.'
        : 'No profile yet.'
      : error;
  return (
    <Pane
      title={`Clients${account.clients ? ` ${account.clients.length}` : ''}${viaMark(account)}`}
      extra={
        <>
          {account.status === 'loading' ? (
            <Text>
              {' '}
              <Spinner label="fetching…" />
            </Text>
          ) : null}
          {filterMark(p.filter, p.typing)}
        </>
      }
      isFocused={p.focused}
      width={p.width}
      height={p.height}
    >
      {note ? (
        <Text color={error ? theme.error : undefined} dimColor={!error} wrap="truncate-end">
          {error ? `✗ ${error}` : note}
        </Text>
      ) : null}
      {first ? <Header text={clientHeader(first.kind, listWidth)} /> : null}
      <WindowedList
        items={p.rows}
        selected={p.index}
        height={p.height - (note ? 1 : 0) - (first ? 1 : 0)}
        width={listWidth}
        isFocused={p.focused}
        getKey={clientKey}
        Row={ClientRowView}
        empty={p.filter ? 'Nothing matches the filter.' : account.status === 'loading' ? '' : 'No clients.'}
      />
    </Pane>
  );
});

function Details(p: PanesProps & { height: number }) {
  const { state, layout } = p;
  if (state.confirm) return <Confirm {...confirmText(state.confirm)} height={p.height + 1} />;
  return (
    <DetailsPane
      selection={p.selection}
      exchange={p.exchange}
      reveal={state.reveal}
      {...(p.revealedSecret ? { secret: p.revealedSecret } : {})}
      {...(p.account.error ? { accountError: p.account.error } : {})}
      height={p.height}
      width={layout.columns}
      isFocused={state.focus === 'details' || state.expanded}
      expanded={state.expanded || (layout.mode === 'single' && state.focus === 'details')}
      sandbox={p.sandbox}
    />
  );
}

/** The body between the header and the activity line, for the layout's mode. */
export function DashboardBody(p: PanesProps) {
  const { state, layout } = p;
  const { mode } = layout;
  const width = mode === 'wide' ? layout.paneWidth : layout.columns;
  if (state.help) {
    const height = helpHeight(layout.columns, layout.bodyRows, p.rowsKnown);
    return <HelpOverlay width={layout.columns} height={height} scroll={state.helpScroll} />;
  }
  if (state.expanded) return <Details {...p} height={Math.max(layout.bodyRows - 3, 3)} />;
  const listPane = (pane: 'tokens' | 'clients') => ({
    width,
    height: layout.listRows,
    focused: state.focus === pane && !state.expanded,
    filter: state.filter[pane],
    typing: state.filtering && state.lastList === pane,
    account: p.account,
  });
  const tokens = (
    <TokensPane
      {...listPane('tokens')}
      rows={p.tokenRows}
      index={p.tokenIndex}
      stored={p.profiles.length}
      storeError={p.storeError}
    />
  );
  const clients = (
    <ClientsPane
      {...listPane('clients')}
      rows={p.clientRows}
      index={p.clientIndex}
      hasProfile={p.active !== undefined}
    />
  );
  const details = <Details {...p} height={layout.detailsRows} />;
  if (mode === 'wide') {
    return (
      <>
        <Box>
          {tokens}
          {clients}
        </Box>
        {details}
      </>
    );
  }
  if (mode === 'stacked') {
    return (
      <>
        {tokens}
        {clients}
        {details}
      </>
    );
  }
  // One pane at a time: a question takes the pane's place, at its size.
  if (state.confirm) return <Details {...p} height={layout.listRows} />;
  return state.focus === 'details' ? details : state.focus === 'clients' ? clients : tokens;
}
