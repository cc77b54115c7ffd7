import { Box } from 'ink';
import type { ReactNode } from 'react';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface PaneProps {
  title: string;
  /** After the title: counts, a spinner, the filter. */
  extra?: ReactNode;
  isFocused: boolean;
  width?: number | string | undefined;
  /** Content lines (the border and title line come on top). */
  height?: number;
  children: ReactNode;
}

/** A bordered pane; the focused one has the accent border and an inverse title (readable without colour). */
export function Pane({ title, extra, isFocused, width, height, children }: PaneProps) {
  const theme = useTheme();
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={isFocused ? theme.focusBorder : theme.border}
      width={width}
      height={height === undefined ? undefined : height + 3}
      paddingX={1}
      flexShrink={0}
    >
      {/* Clipped vertically only: a horizontally clipped box has each of its lines cut with slice-ansi on
          every frame; the title and what follows it are truncated to the width (Text's truncate-end). */}
      <Box height={1} overflowY="hidden">
        <Text bold inverse={isFocused} wrap="truncate-end">
          {` ${title} `}
        </Text>
        {extra}
      </Box>
      {children}
    </Box>
  );
}
