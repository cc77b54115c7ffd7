import { Box } from 'ink';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import { Text } from '../safe-text.js';

export interface TooSmallProps {
  size: TerminalSize;
  min: { columns: number; rows: number };
  /** Where the user is and how to leave, in one short line (e.g. "Dashboard: demo · q quits"). */
  summary: string;
}

/** Said instead of a screen that cannot fit; the first lines already make sense in a 20×5 terminal. */
export function TooSmall({ size, min, summary }: TooSmallProps) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Terminal too small ({size.columns}×{size.rows})
        {size.columns >= 40 ? `; needs ${min.columns}×${min.rows}` : ''}
      </Text>
      <Text wrap="wrap">{summary}</Text>
    </Box>
  );
}
