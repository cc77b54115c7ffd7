import { Box } from 'ink';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface ConfirmProps {
  question: string;
  /** What happens, said plainly (e.g. what it cannot undo). */
  detail?: string;
}

/** The question only; the dashboard's key handler takes y, n and esc, so one place owns the keys. */
export function Confirm({ question, detail }: ConfirmProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
      <Text bold>{question}</Text>
      {detail ? <Text>{detail}</Text> : null}
      <Text>
        <Text bold>y</Text> yes · <Text bold>n</Text> or <Text bold>esc</Text> no
      </Text>
    </Box>
  );
}
