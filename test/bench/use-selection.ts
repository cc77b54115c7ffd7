// The bench's baseline list apps' one key handler, shared so the two move their selection alike.
import { useInput } from 'ink';
import { useState } from 'react';

/** The selected row of a list of `count` rows: j moves it down, k up. */
export function useSelection(count: number): number {
  const [selected, setSelected] = useState(0);
  useInput((input) => {
    if (input === 'j') setSelected((s) => Math.min(s + 1, count - 1));
    if (input === 'k') setSelected((s) => Math.max(s - 1, 0));
  });
  return selected;
}
