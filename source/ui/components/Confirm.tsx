import { Box } from 'ink';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface ConfirmProps {
  question: string;
  /** What happens, said plainly (e.g. what it cannot undo). */
  detail?: string;
  /** Content lines, to take the place of a pane of the same size (the status bar then never moves). */
  height?: number;
}

/** The question only; the dashboard's key handler takes y, n and esc, so one place owns the keys. */
export function Confirm({ question, detail, height }: ConfirmProps) {
  const theme = useTheme();
  // The question and its answers first: when room is short, the explanation is what gives way.
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.warn}
      paddingX={1}
      flexShrink={0}
      overflow="hidden"
      {...(height === undefined ? {} : { height: height + 2 })}
    >
      <Box flexShrink={0}>
        <Text bold>{question}</Text>
      </Box>
      <Box flexShrink={0}>
        <Text>
          <Text bold>y</Text> yes · <Text bold>n</Text> or <Text bold>esc</Text> no
        </Text>
      </Box>
      {detail ? <Text>{detail}</Text> : null}
    </Box>
  );
}
