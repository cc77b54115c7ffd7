/**
 * Which lines of a frame are wider than the terminal, for Ink's incremental rendering (the build tweak
 * `incremental-wide-lines`, source/tweaks.mjs). Ink rewrites only a frame's changed lines, moving the
 * cursor one row per line; a line the terminal soft-wraps (the authorize URL, drawn whole so it copies as
 * one) takes several rows, and every line below it then lands too low. A frame with such a line, or right
 * after one, is drawn whole instead, as Ink does without incremental rendering. Only the lines a frame
 * changed are measured: a key press on the dashboard changes two.
 */
export interface WideLines {
  /** Whether this frame must be drawn whole: a line of it or of the last frame is wider than `columns`. */
  check(next: readonly string[], columns: number): boolean;
  /** Ink forgot the last frame (cleared, done, synced): the next is drawn whole. */
  reset(): void;
}

export function createWideLines(measure: (line: string) => number): WideLines {
  let lines: readonly string[] = [];
  let wide: boolean[] = [];
  let anyWide = false;
  let drawnAt = 0;
  return {
    check(next, columns) {
      // A new width (or the first frame) measures every line, and draws whole: rows may have moved.
      const resized = columns !== drawnAt;
      const nextWide: boolean[] = new Array(next.length);
      let nextAny = false;
      for (let i = 0; i < next.length; i++) {
        const line = next[i] as string;
        const isWide = !resized && line === lines[i] ? (wide[i] as boolean) : measure(line) > columns;
        nextWide[i] = isWide;
        if (isWide) nextAny = true;
      }
      const whole = resized || anyWide || nextAny;
      lines = next;
      wide = nextWide;
      anyWide = nextAny;
      drawnAt = columns;
      return whole;
    },
    reset() {
      lines = [];
      wide = [];
      anyWide = false;
      drawnAt = 0;
    },
  };
}
