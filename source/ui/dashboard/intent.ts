/**
 * What a key means on the dashboard, as a pure function of the key, the dashboard's state and what is
 * selected: no React, no I/O. The effects (effects.ts) carry an intent out; the screen only wires the two.
 */
import type { Key } from 'ink';
import { NO_REFRESH_TOKEN } from '../../core/refresh-wording.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import type { ClientRow, TokenRow } from '../dashboard-rows.js';
import type { ConfirmAction, DashboardAction, DashboardState } from '../hooks/use-dashboard-state.js';
import type { LayoutMode } from '../layout.js';

/** What the keys act on: the rows under the cursors and what is known about them. */
export interface Selection {
  /** The row under the cursor of the tokens list, and of the clients list. */
  token: TokenRow | undefined;
  client: ClientRow | undefined;
  /** Rows in the list that has the cursor (lastList). */
  listCount: number;
  /** Visible rows of a list: page up and down move by this. */
  listRows: number;
  mode: LayoutMode;
  /** Whether the account's clients and tokens were fetched. */
  accountStatus: 'none' | 'loading' | 'ok' | 'error';
  /** The profile the dashboard is about (the status bar's). */
  activeProfile: string | undefined;
  /** How far the help can scroll (0 when it fits). */
  helpMaxScroll: number;
  /** The last request sent for the selection (e copies it). */
  exchange: HttpExchange | undefined;
  /** The profile whose token fetched the clients and server tokens, and those that could (u cycles). */
  via: string | undefined;
  viaCandidates: readonly string[];
}

export type Intent =
  | { type: 'none' }
  /** A change of what the user looks at (the reducer's action), a hint on the activity line included. */
  | { type: 'state'; action: DashboardAction }
  | { type: 'test'; profile: string }
  | { type: 'refresh'; profile: string }
  | { type: 'set-default'; profile: string }
  | { type: 'confirmed'; confirm: ConfirmAction }
  | { type: 'copy-token'; profile: string }
  | { type: 'copy-client-id'; id: string }
  | { type: 'copy-curl'; exchange: HttpExchange; reveal: boolean }
  | { type: 'new-login'; profile?: string }
  | { type: 'reload' }
  /** Fetch the clients and server tokens with this profile's token. */
  | { type: 'use-via'; profile: string }
  | { type: 'quit' };

const none: Intent = { type: 'none' };
const act = (action: DashboardAction): Intent => ({ type: 'state', action });
const info = (text: string): Intent => act({ type: 'activity', activity: { kind: 'info', text } });
const error = (text: string): Intent => act({ type: 'activity', activity: { kind: 'error', text } });

/** The intent of one key. Ctrl+C is the root's (it quits from every screen). */
export function intentFor(input: string, key: Key, s: DashboardState, sel: Selection): Intent {
  if (key.ctrl && input === 'c') return none;
  const move = (delta: number) => act({ type: 'move', delta, count: sel.listCount });
  if (s.filtering) {
    if (key.return) return act({ type: 'filter-end', keep: true });
    if (key.escape) return act({ type: 'filter-end', keep: false });
    if (key.upArrow) return move(-1);
    if (key.downArrow) return move(1);
    if (key.backspace || key.delete) return act({ type: 'filter-backspace' });
    if (input && !key.ctrl && !key.meta) return act({ type: 'filter-type', text: input });
    return none;
  }
  // A chord is not its letter: Ctrl+R must not spend a refresh token, Ctrl+D must not ask to delete.
  const letter = key.ctrl || key.meta ? '' : input;
  if (s.confirm) {
    if (letter === 'y') return { type: 'confirmed', confirm: s.confirm };
    if (letter === 'n' || key.escape) return act({ type: 'close' });
    return none;
  }
  if (s.help) {
    if (letter === '?' || key.escape || key.return) return act({ type: 'toggle-help' });
    if (letter === 'q') return { type: 'quit' };
    const scroll = (delta: number) => act({ type: 'help-scroll', delta, max: sel.helpMaxScroll });
    if (key.upArrow || letter === 'k') return scroll(-1);
    if (key.downArrow || letter === 'j') return scroll(1);
    if (key.pageUp) return scroll(-sel.listRows);
    if (key.pageDown || letter === ' ') return scroll(sel.listRows);
    return none;
  }
  if (key.escape) return act({ type: 'close' });
  // k9s's reload key: the store and the account's lists again (a token revoked elsewhere goes away).
  if (key.ctrl && input === 'r') return { type: 'reload' };
  if (key.upArrow || letter === 'k') return move(-1);
  if (key.downArrow || letter === 'j') return move(1);
  if (key.pageUp) return move(-sel.listRows);
  if (key.pageDown) return move(sel.listRows);
  if (key.home) return act({ type: 'move-to', index: 0, count: sel.listCount });
  if (key.end) return act({ type: 'move-to', index: sel.listCount - 1, count: sel.listCount });
  if (key.tab) return act({ type: 'tab', mode: sel.mode });
  if (key.return) return act({ type: 'toggle-details' });
  return letter ? letterIntent(letter, s, sel) : none;
}

function letterIntent(input: string, s: DashboardState, sel: Selection): Intent {
  const token = s.lastList === 'tokens' ? sel.token : undefined;
  const stored = token?.kind === 'stored' ? token : undefined;
  const storedName = stored?.profile.name;
  const hasToken = stored?.profile.token !== undefined;
  const needToken = (what: string) =>
    info(
      s.lastList === 'clients'
        ? `Select a stored token to ${what} (tab to the tokens pane).`
        : token?.kind === 'server'
          ? `That token lives only on the server; only stored tokens can be ${what === 'test' ? 'tested' : 'used'} here.`
          : 'This profile has no token yet: press n to log in.',
    );
  switch (input) {
    case 't':
      return storedName && hasToken ? { type: 'test', profile: storedName } : needToken('test');
    case 'r':
      if (storedName && stored?.profile.token?.revokedAt)
        return error(
          `${storedName}: its token was revoked here, and its refresh token with it. Press n to log in again.`,
        );
      if (storedName && stored?.profile.token?.hasRefreshToken)
        return { type: 'refresh', profile: storedName };
      if (storedName && hasToken)
        return error(`${storedName}: ${NO_REFRESH_TOKEN}. Press n to log in again.`);
      return needToken('refresh');
    case 'n': {
      const profile = storedName ?? sel.activeProfile;
      return profile ? { type: 'new-login', profile } : { type: 'new-login' };
    }
    case 'c':
      return confidentialIntent(s, sel);
    case 'x':
      return revokeIntent(token, hasToken, sel, needToken);
    case 's':
      if (!storedName) return info('Select a stored profile to make it the default (s).');
      return stored?.profile.isDefault
        ? info(`${storedName} is already the default profile.`)
        : { type: 'set-default', profile: storedName };
    case 'd':
      return storedName
        ? act({ type: 'ask', confirm: { type: 'delete', profile: storedName } })
        : info('Select a stored profile to delete it (server tokens are revoked with x, not deleted).');
    case 'y':
      if (storedName && hasToken) return { type: 'copy-token', profile: storedName };
      if (s.lastList === 'clients' && sel.client) {
        const c = sel.client;
        return { type: 'copy-client-id', id: c.kind === 'api' ? c.client.client_identifier : c.clientId };
      }
      return needToken('copy');
    case 'v':
      return hasToken || s.reveal ? act({ type: 'toggle-reveal' }) : needToken('reveal');
    case 'e':
      return sel.exchange
        ? { type: 'copy-curl', exchange: sel.exchange, reveal: s.reveal }
        : info('Nothing was sent for this item yet: press t (or r) first, then e.');
    case 'u':
      return viaIntent(sel);
    case '/':
      return act({ type: 'filter-start' });
    case '?':
      return act({ type: 'toggle-help' });
    case 'q':
      return { type: 'quit' };
    default:
      return none;
  }
}

function confidentialIntent(s: DashboardState, sel: Selection): Intent {
  const row = sel.client;
  if (s.lastList !== 'clients' || !row)
    return info('Select a client first (tab to the clients pane), then press c.');
  if (row.kind !== 'api') return error('Your clients could not be fetched, so none can be changed now.');
  const client = row.client;
  if (client.client_type === 'confidential') return info(`“${client.name}” is already confidential.`);
  return act({ type: 'ask', confirm: { type: 'confidential', clientId: client.id, name: client.name } });
}

function revokeIntent(
  token: TokenRow | undefined,
  hasToken: boolean,
  sel: Selection,
  needToken: (what: string) => Intent,
): Intent {
  if (token?.kind === 'server') {
    const label = token.storedAs
      ? `${token.storedAs}’s token #${token.token.id}`
      : `token #${token.token.id}`;
    return act({
      type: 'ask',
      confirm: {
        type: 'revoke',
        tokenId: token.token.id,
        label,
        ...(token.storedAs ? { profile: token.storedAs } : {}),
      },
    });
  }
  if (token?.kind === 'stored' && token.profile.token?.revokedAt) {
    return info(`${token.profile.name}’s token was revoked already: n logs in again, d deletes the profile.`);
  }
  if (token?.kind === 'stored' && token.serverId !== undefined) {
    return act({
      type: 'ask',
      confirm: {
        type: 'revoke',
        tokenId: token.serverId,
        label: `${token.profile.name}’s token #${token.serverId}`,
        profile: token.profile.name,
      },
    });
  }
  if (token?.kind === 'stored' && hasToken) {
    return info(
      sel.accountStatus === 'ok'
        ? `The server lists no token matching ${token.profile.name}’s: it may be revoked already (t tells).`
        : 'The server’s token list is not available, so the token cannot be matched to revoke it.',
    );
  }
  return needToken('revoke');
}

/** u: the next profile of this account whose token can fetch its lists. */
function viaIntent(sel: Selection): Intent {
  const { via, viaCandidates } = sel;
  if (viaCandidates.length === 0)
    return info('No stored token of this account can fetch its lists: press n to log in.');
  const next = viaCandidates[(viaCandidates.indexOf(via ?? '') + 1) % viaCandidates.length] as string;
  if (next === via) return info(`Only ${via} holds a token for this account: the lists are fetched with it.`);
  return { type: 'use-via', profile: next };
}
