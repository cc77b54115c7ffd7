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
