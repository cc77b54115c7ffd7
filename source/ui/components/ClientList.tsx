import { memo } from 'react';
import type { ClientRow } from '../dashboard-rows.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import type { RowProps } from './WindowedList.js';

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text.padEnd(width);
}

/** Name, type, then as much of the client ID as fits. */
export function clientRowText(row: ClientRow, width: number): { name: string; type: string; id: string } {
  const nameWidth = Math.max(Math.min(Math.floor(width * 0.4), 28), 8);
  if (row.kind === 'api') {
    const c = row.client;
    return { name: cell(c.name, nameWidth), type: cell(c.client_type, 12), id: c.client_identifier };
  }
  return { name: cell(row.profiles.join(', '), nameWidth), type: cell('stored', 12), id: row.clientId };
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
      {name} <Text color={isSelected && isFocused ? undefined : color}>{type}</Text> {id}
    </Text>
  );
});
