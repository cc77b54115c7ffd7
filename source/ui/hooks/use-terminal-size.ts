import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
  /** The terminal said how many rows it has (a pipe or a test stream may not): only then is height capped. */
  rowsKnown: boolean;
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
  // Pipes and test streams may not know their size: 80x24 is what every terminal starts as.
  return { columns: stdout.columns || 80, rows: stdout.rows || 24, rowsKnown: Boolean(stdout.rows) };
}

/** The terminal's size, updated on resize (so the layout is recomputed). */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () => {
      const next = read(stdout);
      setSize((prev) =>
        prev.columns === next.columns && prev.rows === next.rows && prev.rowsKnown === next.rowsKnown
          ? prev
          : next,
      );
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Lines a screen may use: one short of the terminal, because Ink clears the whole screen (scrollback
 * included) on every frame once its output fills the terminal. Undefined when the height is unknown. */
export function usableRows(size: TerminalSize): number | undefined {
  return size.rowsKnown ? Math.max(size.rows - 1, 1) : undefined;
}
