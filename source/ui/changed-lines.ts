/**
 * Frames drawn as their changed lines only. Ink redraws a frame whole: it erases every line of the last
 * one and writes every line again, 7.5 KB for a key that changes two rows of the dashboard's forty. Over
 * SSH that is what each key sends; locally the terminal parses it all. The build (tweak
 * `changed-lines-only`, scripts/build-options.mjs) gives Ink's log-update this for the screens, which ask
 * for it through Ink's `incrementalRendering` option (run-ui.tsx); other Ink apps keep Ink's whole frames.
 *
 * Why not Ink's own incremental mode: it moves the cursor one line per row, so a line wider than the
 * terminal (soft-wrapped over several rows: the waiting panel's authorize URL) put every line below it too
 * low, and it ends the last line with a newline, which scrolled a frame as tall as the terminal a row per
 * frame. Here a frame is drawn whole unless it has the last frame's height, the same columns, and every
 * line of both fits the terminal's width; moves are CSI A/B, which never scroll.
 */

/** Display width of a line (with its SGR sequences): string-width, as Ink measures. */
export type LineWidth = (line: string) => number;

const ESC = '\u001B[';

export class ChangedLines {
  #frame: string | undefined;
  #lines: string[] = [];
  #columns = 0;
  /** Every line of #frame is at most #columns wide. */
  #fits = false;
  readonly #width: LineWidth;

  constructor(width: LineWidth) {
    this.#width = width;
  }

  /**
   * What turns `previous` (the frame on screen, the cursor at the start of the line below it) into `next`:
   * its changed lines, each written over its row, the cursor back below the frame. Undefined when `next`
   * must be drawn whole (Ink's way). Either way `next` is then the frame on screen.
   */
  update(
    previous: string,
    next: string,
    columns: number | undefined,
    cursorShown: boolean,
  ): string | undefined {
    const lines = next.split('\n');
    const width = columns ?? 0;
    let out: string | undefined;
    if (
      previous === this.#frame &&
      this.#fits &&
      width === this.#columns &&
      width > 0 &&
      !cursorShown &&
      // Both end with a newline (not Ink's fullscreen frame, drawn without one), so the cursor is below.
      next.endsWith('\n') &&
      previous.endsWith('\n') &&
      lines.length === this.#lines.length
    ) {
      out = this.#diff(this.#lines, lines, width);
    }
    this.#fits = out !== undefined || (width > 0 && lines.every((line) => this.#fitsIn(line, width)));
    this.#frame = next;
    this.#lines = lines;
    this.#columns = width;
    return out;
  }

  #fitsIn(line: string, width: number): boolean {
    // A character is at most two columns wide and each takes at least one code unit: short lines fit.
    return line.length * 2 <= width || this.#width(line) <= width;
  }

  #diff(before: string[], after: string[], width: number): string | undefined {
    // The last element is the '' after the final newline: the row the cursor is on.
    const below = after.length - 1;
    let row = below;
    let out = '';
    for (let i = 0; i < below; i++) {
      const line = after[i] as string;
      if (line === before[i]) continue;
      if (!this.#fitsIn(line, width)) return undefined;
      out += `${move(row, i)}\r${ESC}2K${line}`;
      row = i;
    }
    // The line below the frame is erased too, as Ink's whole frames do: a key typed before the terminal
    // was in raw mode is echoed there.
    return `${out}${move(row, below)}\r${ESC}2K`;
  }
}

/** Cursor movement from row `from` to row `to` of the frame: CSI A up, CSI B down (neither scrolls). */
function move(from: number, to: number): string {
  if (to < from) return `${ESC}${from - to}A`;
  if (to > from) return `${ESC}${to - from}B`;
  return '';
}
