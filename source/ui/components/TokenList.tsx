import { memo } from 'react';
import type { TokenRow } from '../dashboard-rows.js';
import { testLabels } from '../format.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import type { RowProps } from './WindowedList.js';

export function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text.padEnd(width);
}

/**
 * The columns of the tokens list at `width`, each meaning one thing for every row: PROFILE the stored
 * profile holding the token (empty when none here is known to), SERVER its ID in the server's list, TOKEN
 * its value masked (where stored here), CLIENT and SCOPES when there is room, and STATE last.
 */
export function tokenColumns(width: number) {
  return {
    profile: Math.max(Math.min(Math.floor(width * 0.25), 24), 8),
    server: 10,
    token: width >= 50 ? 10 : 0,
    client: width >= 80 ? 12 : 0,
    scopes: width >= 64 ? 11 : 0,
  };
}

function line(
  width: number,
  c: { profile: string; server: string; token: string; client: string; scopes: string },
) {
  const w = tokenColumns(width);
  const parts = [cell(c.profile, w.profile), cell(c.server, w.server)];
  if (w.token) parts.push(cell(c.token, w.token));
  if (w.client) parts.push(cell(c.client, w.client));
  if (w.scopes) parts.push(cell(c.scopes, w.scopes));
  return parts.join(' ');
}

/** The header line, aligned with the rows (after the two-column selection marker). */
export function tokenHeader(width: number): string {
  return `  ${line(width - 2, { profile: 'PROFILE', server: 'SERVER', token: 'TOKEN', client: 'CLIENT', scopes: 'SCOPES' })} STATE`;
}

/** One line per row, fitted to `width`; the state comes last with its own colour. */
export function tokenRowParts(
  row: TokenRow,
  width: number,
): { main: string; state: string; tone: 'ok' | 'error' | 'muted' } {
  if (row.kind === 'stored') {
    const p = row.profile;
    const main = line(width, {
      profile: `${p.name}${p.isDefault ? '*' : ''}`,
      server: row.serverId === undefined ? '' : `#${row.serverId}`,
      token: p.token ? p.token.accessTokenMasked : '',
      client: p.clientId,
      scopes: p.token?.scope ?? '',
    });
    if (!p.token) return { main, state: 'n: log in', tone: 'muted' };
    if (p.token.revokedAt) return { main, state: 'revoked', tone: 'error' };
    if (!p.lastTest) return { main, state: 'untested', tone: 'muted' };
    return { main, state: testLabels[p.lastTest.result], tone: p.lastTest.ok ? 'ok' : 'error' };
  }
  const t = row.token;
  const main = line(width, {
    profile: row.storedAs ?? '',
    server: `#${t.id}`,
    token: row.storedMasked ?? '',
    client: t.client_identifier ?? '',
    scopes: t.scopes,
  });
  return { main, state: 'on server', tone: 'muted' };
}

export const TokenRowView = memo(function TokenRowView({
  item,
  isSelected,
  isFocused,
  width,
}: RowProps<TokenRow>) {
  const theme = useTheme();
  const { main, state, tone } = tokenRowParts(item, width - 2);
  const color = theme[tone];
  return (
    <Text wrap="truncate-end" inverse={isSelected && isFocused} bold={isSelected}>
      {isSelected ? '› ' : '  '}
      {main} <Text color={isSelected && isFocused ? undefined : color}>{state}</Text>
    </Text>
  );
});
