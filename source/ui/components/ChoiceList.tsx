import { Box } from 'ink';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface Choice {
  label: string;
  help?: string;
  /** Ticked (multi-choice) or chosen (single). */
  isChecked?: boolean;
}

/** A list with a cursor; keys are handled by the screen (one input owner per screen). */
export function ChoiceList({
  choices,
  cursor,
  multi,
}: {
  choices: Choice[];
  cursor: number;
  multi?: boolean;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {choices.map((c, i) => {
        const here = i === cursor;
        const box = multi ? (c.isChecked ? '[x] ' : '[ ] ') : c.isChecked ? '● ' : '○ ';
        return (
          <Text key={c.label} wrap="truncate-end">
            <Text color={here ? theme.accent : undefined} bold={here} inverse={here && theme.noColor}>
              {here ? '› ' : '  '}
              {box}
              {c.label}
            </Text>
            {c.help ? <Text dimColor> {c.help}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
