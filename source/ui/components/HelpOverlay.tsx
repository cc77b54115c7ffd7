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

/** Words in lines of at most `width` columns; a word longer than that is cut across lines. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest; ) {
      const room = line ? width - line.length - 1 : width;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

export interface HelpRow {
  id: string;
  keys: string;
  text: string;
}

/** The help as rows that fit `width`: each action wrapped under its own column, so no word is lost. */
export function helpRows(width: number, keys: readonly KeyHelp[] = dashboardKeys): HelpRow[] {
  const keyWidth = Math.max(...keys.map((k) => k.keys.length)) + 2;
  const textWidth = Math.max(width - keyWidth, 8);
  return keys.flatMap((k) =>
    wrapWords(k.action, textWidth).map((text, i) => ({
      id: `${k.keys}:${i}`,
      keys: i === 0 ? k.keys.padEnd(keyWidth) : ' '.repeat(keyWidth),
      text,
    })),
  );
}

/** Rows the overlay shows at once in `height` lines: the border, the title and the footer take four. */
export const helpVisibleRows = (height: number) => Math.max(height - 4, 1);

/** The overlay's height: the body's, or all of it when the terminal did not say how tall it is. */
export const helpHeight = (width: number, bodyRows: number, rowsKnown: boolean) =>
  rowsKnown ? bodyRows : helpRows(width - 4).length + 4;

/** The keys, as an overlay of exactly `height` lines that scrolls (↑↓); nothing is cut or drawn twice. */
export function HelpOverlay({ width, height, scroll }: { width: number; height: number; scroll: number }) {
  const theme = useTheme();
  const rows = helpRows(width - 4);
  const visible = helpVisibleRows(height);
  const top = Math.min(Math.max(scroll, 0), Math.max(rows.length - visible, 0));
  const shown = rows.slice(top, top + visible);
  const more = rows.length > visible;
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.focusBorder}
      paddingX={1}
      width={width}
      height={height}
      flexShrink={0}
    >
      <Text bold wrap="truncate-end">
        Keys{more ? ` (${top + 1}–${top + shown.length} of ${rows.length})` : ''}
      </Text>
      <Box flexDirection="column" height={visible} overflow="hidden">
        {shown.map((row) => (
          <Text key={row.id} wrap="truncate-end">
            <Text bold>{row.keys}</Text>
            {row.text}
          </Text>
        ))}
      </Box>
      <Text dimColor wrap="truncate-end">
        {more ? '↑↓ scroll · ' : ''}? or esc closes this help.
      </Text>
    </Box>
  );
}
