import { Box } from 'ink';
import { memo } from 'react';
import { maskUrl } from '../../core/redact.js';
import { NO_REFRESH_TOKEN } from '../../core/refresh-wording.js';
import { secretsPlace } from '../../core/store/view.js';
import { toCurl } from '../../core/zendesk/curl.js';
import type { HttpExchange } from '../../core/zendesk/types.js';
import type { ClientRow, TokenRow } from '../dashboard-rows.js';
import { ago, formatAge, testLabels } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import { Pane } from './Pane.js';

export type DetailsRow = { pane: 'tokens'; row: TokenRow } | { pane: 'clients'; row: ClientRow } | undefined;

export interface DetailsPaneProps {
  selection: DetailsRow;
  exchange: HttpExchange | undefined;
  reveal: boolean;
  /** The full access token, given only while revealed. */
  secret?: string;
  /** Why the account's clients and tokens could not be fetched. */
  accountError?: string;
  height: number;
  width?: number | string;
  isFocused: boolean;
  expanded: boolean;
  sandbox: boolean;
}

/** Where the last-request line goes among an item's lines. */
const REQUEST: Line = ['Request', ''];

type Line = [label: string, value: string, tone?: 'ok' | 'error' | 'muted' | undefined];

/** One line: method, URL (secret parameters masked), status and time taken. */
export function exchangeLine(e: HttpExchange, now: number): string {
  const status = e.status === undefined ? 'no answer' : String(e.status);
  return `${e.method} ${maskUrl(e.url)} → ${status} in ${Math.round(e.durationMs)} ms, ${ago(new Date(e.at).toISOString(), now)}`;
}

function tokenLines(row: TokenRow, o: DetailsPaneProps, now: number): Line[] {
  if (row.kind === 'server') {
    const t = row.token;
    return [
      ['Server token', `#${t.id} · client ${t.client_identifier ?? '?'} · scopes ${t.scopes}`],
      ['Created', `${t.create_date ?? '?'}${t.expire_date ? ` · expires ${t.expire_date}` : ''}`],
      [
        'Here',
        row.storedAs
          ? `stored as profile ${row.storedAs}`
          : 'not stored on this machine (its value is only known where it was made)',
        'muted',
      ],
      ['Keys', 'x revokes it on the server'],
    ];
  }
  const p = row.profile;
  const lines: Line[] = [
    [
      'Profile',
      `${p.name}${p.isDefault ? ' (default)' : ''} · ${p.flow} flow · subdomain ${p.subdomain}${p.baseUrl ? ` · ${p.baseUrl}` : ''}`,
    ],
  ];
  const client: Line = [
    'Client',
    `${p.clientId}${p.hasClientSecret ? ' · secret stored' : ''}${p.flow === 'code' || p.flow === 'implicit' ? ` · redirect ${p.redirectUri}` : ''}`,
  ];
  if (!p.token) {
    lines.push([
      'Token',
      o.sandbox
        ? 'none yet: press n, then enter, then a (approve in the sandbox)'
        : 'none yet: press n to log in',
      'muted',
    ]);
    lines.push(client);
    return lines;
  }
  if (p.token.revokedAt) {
    // Second, so it shows at every height: nothing else about this token matters as much.
    lines.push([
      'Revoked',
      `${ago(p.token.revokedAt, now)} by zchat-auth, its refresh token with it: n logs in again, d deletes it`,
      'error',
    ]);
  }
  const shown = o.reveal && o.secret ? o.secret : `${p.token.accessTokenMasked}  (v reveals)`;
  lines.push([
    'Token',
    `${shown} · ${p.token.tokenType} · scope ${p.token.scope} · ${p.token.hasRefreshToken ? 'refresh token stored' : NO_REFRESH_TOKEN}`,
  ]);
  const age: Line = [
    'Age',
    `${formatAge(p.token.obtainedAt, now)} (${p.token.grant})${p.token.expiresAt ? ` · expires ${p.token.expiresAt}` : ' · no expiry given'}${row.serverId ? ` · server #${row.serverId}` : ''}`,
  ];
  if (p.lastTest) {
    const t = p.lastTest;
    lines.push([
      'Last test',
      `${testLabels[t.result]}${t.status ? ` · HTTP ${t.status}` : ''}${t.durationMs !== undefined ? ` · ${t.durationMs} ms` : ''} · ${ago(t.at, now)}`,
      t.ok ? 'ok' : 'error',
    ]);
  } else {
    lines.push(['Last test', 'never: press t', 'muted']);
  }
  return [...lines, REQUEST, age, client, ['Secrets', secretsPlace(p)]];
}

function clientLines(row: ClientRow, o: DetailsPaneProps): Line[] {
  if (row.kind === 'stored') {
    return [
      ['Client', `${row.clientId} (from the store)`],
      ['Profiles', row.profiles.join(', ')],
      ['Account', o.accountError ?? 'not fetched', 'error'],
    ];
  }
  const c = row.client;
  return [
    ['Client', `${c.name}${c.company ? ` · ${c.company}` : ''} · #${c.id}`],
    ['Client ID', c.client_identifier],
    [
      'Type',
      c.client_type === 'confidential' ? 'confidential' : 'public (c makes it confidential)',
      c.client_type === 'confidential' ? 'ok' : undefined,
    ],
    ['Redirects', c.redirect_uris.join(', ') || 'none'],
    ['Scopes', `${c.scopes}${c.update_date ? ` · updated ${c.update_date}` : ''}`],
  ];
}

/** The selection in full, and the last HTTP exchange about it (what `e` copies as curl). */
export const DetailsPane = memo(function DetailsPane(o: DetailsPaneProps) {
  const theme = useTheme();
  const now = useNow(15_000);
  const { selection, exchange } = o;
  const lines: Line[] = !selection
    ? []
    : selection.pane === 'tokens'
      ? tokenLines(selection.row, o, now)
      : clientLines(selection.row, o);
  const request: Line = exchange
    ? ['Request', `${exchangeLine(exchange, now)}  (e copies as curl)`]
    : ['Request', 'none yet', 'muted'];
  const at = lines.indexOf(REQUEST);
  if (at >= 0) lines[at] = request;
  else if (selection) lines.splice(Math.min(lines.length, 3), 0, request);
  const curl = o.expanded && exchange ? toCurl(exchange, { reveal: o.reveal }).split('\n') : [];
  const labelWidth = 11;
  return (
    <Pane title="Details" isFocused={o.isFocused} height={o.height} width={o.width}>
      <Box flexDirection="column" height={o.height} overflowY="hidden">
        {selection ? null : <Text dimColor>Nothing selected.</Text>}
        {lines.map(([label, value, tone]) => (
          <Box key={label} flexShrink={0}>
            <Text wrap={o.expanded ? 'wrap' : 'truncate-end'}>
              <Text bold>{label.padEnd(labelWidth)}</Text>
              <Text
                color={tone === 'ok' ? theme.ok : tone === 'error' ? theme.error : undefined}
                dimColor={tone === 'muted'}
              >
                {value}
              </Text>
            </Text>
          </Box>
        ))}
        {curl.length > 0 ? <Text bold>As curl{o.reveal ? '' : ' (secrets masked; v reveals)'}:</Text> : null}
        {curl.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one command, in order
          <Box key={i} flexShrink={0}>
            <Text wrap="wrap">{line}</Text>
          </Box>
        ))}
      </Box>
    </Pane>
  );
});
