import { memo } from 'react';
import type { TokenRow } from '../dashboard-rows.js';
import { testLabels } from '../format.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import type { RowProps } from './WindowedList.js';

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text.padEnd(width);
}

/** One line per row, fitted to `width`; the state word comes last with its own colour. */
export function tokenRowParts(
  row: TokenRow,
  width: number,
): { main: string; state: string; tone: 'ok' | 'error' | 'muted' } {
  // Marker (2) + name + token (+ flow when there is room) + state.
  const nameWidth = Math.max(Math.min(Math.floor(width * 0.3), 24), 8);
  const showFlow = width >= 50;
  if (row.kind === 'stored') {
    const p = row.profile;
    const name = `${p.name}${p.isDefault ? '*' : ''}`;
    const token = p.token ? p.token.accessTokenMasked : 'no token';
    const flow = p.flow === 'client-credentials' ? 'client creds' : p.flow;
    const main = `${cell(name, nameWidth)} ${showFlow ? `${cell(flow, 12)} ` : ''}${cell(token, 10)}`;
    if (!p.token) return { main, state: 'n: log in', tone: 'muted' };
    if (!p.lastTest) return { main, state: 'untested', tone: 'muted' };
    return { main, state: testLabels[p.lastTest.result], tone: p.lastTest.ok ? 'ok' : 'error' };
  }
  const t = row.token;
  const client = `${t.client_identifier?.slice(0, 8) ?? '?'}…`;
  const main = `${cell(`#${t.id}`, nameWidth)} ${showFlow ? `${cell('on server', 12)} ` : ''}${cell(client, 10)}`;
  return { main, state: row.storedAs ? `= ${row.storedAs}` : t.scopes, tone: 'muted' };
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
