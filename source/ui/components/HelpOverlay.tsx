import { Box } from 'ink';
import { dashboardKeys, type KeyHelp } from '../keys.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export function KeyTable({ keys }: { keys: readonly KeyHelp[] }) {
  const width = Math.max(...keys.map((k) => k.keys.length)) + 2;
  return (
    <Box flexDirection="column">
      {keys.map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text bold>{k.keys.padEnd(width)}</Text>
          {k.action}
        </Text>
      ))}
    </Box>
  );
}

export function HelpOverlay() {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.focusBorder} paddingX={1}>
      <Text bold>Keys</Text>
      <KeyTable keys={dashboardKeys} />
      <Text dimColor>? or esc closes this help.</Text>
    </Box>
  );
}
