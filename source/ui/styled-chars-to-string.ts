/**
 * `styledCharsToString` of @alcalzone/ansi-tokenize (what Ink uses to turn each row of its character grid
 * into a line), with one shortcut: where a character has the same styles as the one before it, nothing
 * changes, so the style diff is not computed. The original computes it for every cell, three Sets and four
 * arrays each: on a 120 x 40 dashboard that was about 3 MB of garbage and the largest CPU cost of every
 * frame. The build swaps this in for the package's own (scripts/build-options.mjs); a test holds the two to
 * the same output.
 */

export interface AnsiCode {
  type: 'ansi';
  code: string;
  endCode: string;
}

export interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: AnsiCode[];
}

type ToString = (codes: AnsiCode[]) => string;
type Diff = (from: AnsiCode[], to: AnsiCode[]) => AnsiCode[];

function sameStyles(a: AnsiCode[], b: AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  }
  return true;
}

/** Built from the package's own helpers, so every non-trivial diff is still theirs. */
export function createStyledCharsToString(ansiCodesToString: ToString, diffAnsiCodes: Diff) {
  return function styledCharsToString(chars: StyledChar[]): string {
    let ret = '';
    for (let i = 0; i < chars.length; i++) {
      const char = chars[i]!;
      if (i === 0) {
        if (char.styles.length > 0) ret += ansiCodesToString(char.styles);
      } else {
        const previous = chars[i - 1]!.styles;
        // Equal styles diff to nothing (every code of one is in the other): skip the work.
        if (!sameStyles(previous, char.styles))
          ret += ansiCodesToString(diffAnsiCodes(previous, char.styles));
      }
      ret += char.value;
      if (i === chars.length - 1 && char.styles.length > 0) {
        ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
      }
    }
    return ret;
  };
}

type Reduce = (codes: AnsiCode[], more: AnsiCode[]) => AnsiCode[];
type Token = AnsiCode | { type: 'char'; value: string; fullWidth: boolean };

/**
 * `styledCharsFromTokens` of the same package, making each character as one object literal of one shape,
 * its styles shared with the characters of the same run. The package spreads each token into a new object
 * (`{...token, styles: [...codes]}`); once V8's cache for that spread has seen enough shapes, every object
 * it makes gets a hidden class of its own, in the old generation: about 200 bytes more a character, 10,000
 * of them kept by an idle dashboard (2 MB of hidden classes and descriptor arrays in a heap snapshot), and
 * new ones for every line a key press changes. `reduceIncremental` returns a new list for each code and
 * nothing changes a character's styles afterwards (Ink and the package only read them), so a run can
 * share one list.
 */
export function createStyledCharsFromTokens(reduceIncremental: Reduce) {
  return function styledCharsFromTokens(tokens: readonly Token[]): StyledChar[] {
    let codes: AnsiCode[] = [];
    const ret: StyledChar[] = [];
    for (const token of tokens) {
      if (token.type === 'ansi') codes = reduceIncremental(codes, [token]);
      else if (token.type === 'char')
        ret.push({ type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes });
    }
    return ret;
  };
}

const forgetters = new Set<() => void>();

/**
 * Empties every cache of createCachedLines, for the idle collection (source/core/platform/heap.ts) to free
 * what it held: an idle dashboard kept the characters of up to 1,000 lines (~10,000 cells, the lines of
 * the last frames and those the keys drew before) until the next key. The next frame rebuilds the ~40
 * lines it shows, once (Ink's output asks for each line again on every frame).
 */
export function forgetCachedLines(): void {
  for (const forget of forgetters) forget();
}

/**
 * The styled characters of a line (`styledCharsFromTokens(tokenize(line))` of the same package, what Ink's
 * output asks for each line of text it writes), remembered from one frame to the next. Ink turns every
 * line into styled characters afresh on each frame (its cache lives for one frame), though a key press
 * changes two rows of forty: that was most of a key press's CPU time and garbage. The characters are only
 * read (placed in the grid, then written out), so the same ones can serve the next frame. Two generations
 * of at most `limit` lines each keep what the last frames drew. The line's tokens are not kept: only the
 * characters are read again (keeping both was 0.6 MB of an idle dashboard: a token and a character for
 * each of its ~10,000 cells).
 */
export function createCachedLines<T, C>(
  tokenize: (line: string) => T[],
  styledCharsFromTokens: (tokens: T[]) => C[],
  limit = 500,
) {
  return rememberText((line: string) => styledCharsFromTokens(tokenize(line)), limit);
}

/** The blank cell Ink fills its grid with, one object for all (nothing changes a cell once made). */
export const BLANK_CELL: StyledChar = Object.freeze({
  type: 'char',
  value: ' ',
  fullWidth: false,
  styles: Object.freeze([]) as unknown as AnsiCode[],
}) as StyledChar;

/** A row of `width` blank cells. */
export function blankRow(width: number): StyledChar[] {
  return new Array<StyledChar>(width).fill(BLANK_CELL);
}

/**
 * Ink's last step of a frame: each row of its grid of cells to a line (styledCharsToString, trailing blanks
 * trimmed), the lines joined. A row whose cells are the very objects of the same row of the last frame
 * (cells are made once per line of text and kept, see createCachedLines, and never changed) is the same
 * line: it is not written out again. A key press changes a few rows of forty.
 */
export function createRowsToString(lineOf: (chars: StyledChar[]) => string) {
  let previous: (StyledChar | undefined)[][] = [];
  let lines: string[] = [];
  forgetters.add(() => {
    previous = [];
    lines = [];
  });
  return function rowsToString(rows: (StyledChar | undefined)[][]): string {
    const next: string[] = new Array(rows.length);
    for (let y = 0; y < rows.length; y++) {
      const row = rows[y]!;
      const before = previous[y];
      if (before !== undefined && sameCells(before, row)) next[y] = lines[y]!;
      else next[y] = lineOf(row.filter((cell): cell is StyledChar => cell !== undefined)).trimEnd();
    }
    previous = rows;
    lines = next;
    return next.join('\n');
  };
}

function sameCells(a: readonly (StyledChar | undefined)[], b: readonly (StyledChar | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Marks a line's characters `narrow` when each is one column (one UTF-16 unit of the narrow characters
 * narrow-width.ts knows): Ink then places them one per cell without asking string-width for each.
 */
export function markNarrow<C extends { value: string }>(
  chars: C[],
  isNarrow: (text: string) => boolean,
): C[] & { narrow?: true } {
  let text = '';
  for (const c of chars) {
    if (c.value.length !== 1) return chars;
    text += c.value;
  }
  if (isNarrow(text)) (chars as C[] & { narrow?: true }).narrow = true;
  return chars;
}

/**
 * `fn` of a text, remembered from one frame to the next in two generations of at most `limit` texts, as
 * createCachedLines keeps lines (forgetCachedLines empties it too). For Ink's sanitizeAnsi and widestLine,
 * which it runs on every text node's whole text on every frame: a node with styled parts inside (a row's
 * coloured state, a details line's bold label) has escape sequences in it, which sanitizeAnsi tokenizes
 * and widestLine strips afresh each time, though a key press changes a few nodes of fifty.
 */
export function rememberText<R>(fn: (text: string) => R, limit = 500): (text: string) => R {
  let current = new Map<string, R>();
  let previous = new Map<string, R>();
  forgetters.add(() => {
    current = new Map();
    previous = new Map();
  });
  return function remembered(text: string): R {
    if (current.has(text)) return current.get(text) as R;
    const value = previous.has(text) ? (previous.get(text) as R) : fn(text);
    if (current.size >= limit) {
      previous = current;
      current = new Map();
    }
    current.set(text, value);
    return value;
  };
}
