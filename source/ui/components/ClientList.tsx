import { memo } from 'react';
import type { ClientRow } from '../dashboard-rows.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import { cell } from './TokenList.js';
import type { RowProps } from './WindowedList.js';

const nameWidth = (width: number) => Math.max(Math.min(Math.floor(width * 0.4), 28), 8);

/**
 * Fetched clients: NAME, TYPE, CLIENT ID. Offline, the store only knows which profiles use which client:
 * PROFILES, CLIENT ID. Each column means one thing under its header.
 */
export function clientRowText(row: ClientRow, width: number): { name: string; type: string; id: string } {
  if (row.kind === 'api') {
    const c = row.client;
    return { name: cell(c.name, nameWidth(width)), type: cell(c.client_type, 12), id: c.client_identifier };
  }
  return { name: cell(row.profiles.join(', '), nameWidth(width)), type: '', id: row.clientId };
}

/** The header line for rows of `kind`, aligned with them (after the two-column selection marker). */
export function clientHeader(kind: ClientRow['kind'], width: number): string {
  const w = nameWidth(width - 2);
  return kind === 'api'
    ? `  ${cell('NAME', w)} ${cell('TYPE', 12)} CLIENT ID`
    : `  ${cell('PROFILES', w)} CLIENT ID`;
}

export const ClientRowView = memo(function ClientRowView({
  item,
  isSelected,
  isFocused,
  width,
}: RowProps<ClientRow>) {
  const theme = useTheme();
  const { name, type, id } = clientRowText(item, width - 2);
  const color = type.trim() === 'confidential' ? theme.ok : theme.muted;
  return (
    <Text wrap="truncate-end" inverse={isSelected && isFocused} bold={isSelected}>
      {isSelected ? '› ' : '  '}
      {name} {type ? <Text color={isSelected && isFocused ? undefined : color}>{`${type} `}</Text> : null}
      {id}
    </Text>
  );
});
