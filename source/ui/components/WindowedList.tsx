import { Box } from 'ink';
import { type ComponentType, memo, useRef } from 'react';
import { Text } from '../safe-text.js';

/** First visible index so `selected` is in view, moving the window as little as possible. */
export function scrollWindow(start: number, selected: number, height: number, count: number): number {
  if (count <= height || height <= 0) return 0;
  let next = start;
  if (selected < next) next = selected;
  if (selected >= next + height) next = selected - height + 1;
  return Math.min(Math.max(next, 0), count - height);
}

export interface RowProps<T> {
  item: T;
  isSelected: boolean;
  /** The list has focus (selection drawn strong) or not (drawn faint). */
  isFocused: boolean;
  width: number;
}

export interface WindowedListProps<T> {
  items: readonly T[];
  selected: number;
  height: number;
  width: number;
  isFocused: boolean;
  getKey: (item: T) => string;
  Row: ComponentType<RowProps<T>>;
  empty?: string;
}

/**
 * Renders only the rows in view (a thousand entries cost what twenty do) plus a position line.
 * Rows are memoised components, so a move re-renders the two rows whose selection changed.
 */
function WindowedListImpl<T>({
  items,
  selected,
  height,
  width,
  isFocused,
  getKey,
  Row,
  empty,
}: WindowedListProps<T>) {
  const startRef = useRef(0);
  const rowsAvailable = Math.max(height - 1, 1);
  const start = scrollWindow(startRef.current, selected, rowsAvailable, items.length);
  startRef.current = start;
  const visible = items.slice(start, start + rowsAvailable);
  return (
    <Box flexDirection="column" height={height} width={width}>
      {items.length === 0 && empty ? (
        <Text dimColor wrap="truncate-end">
          {empty}
        </Text>
      ) : null}
      {visible.map((item, i) => (
        <Row
          key={getKey(item)}
          item={item}
          isSelected={start + i === selected}
          isFocused={isFocused}
          width={width}
        />
      ))}
      {items.length > rowsAvailable ? (
        <Box flexGrow={1} alignItems="flex-end">
          <Text dimColor>
            {start + 1}–{start + visible.length} of {items.length}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

export const WindowedList = memo(WindowedListImpl) as typeof WindowedListImpl;
