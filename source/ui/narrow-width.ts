/**
 * The display width of text made only of narrow characters: ASCII and the symbols the screens draw (box
 * drawing, bullets, arrows, typographic punctuation, the spinner's braille), optionally coloured with SGR
 * sequences. Anything else answers undefined, and the caller asks string-width.
 *
 * Why: string-width answers these right too, but on its first non-ASCII string it compiles a
 * \p{RGI_Emoji} regular expression, about 19 ms on a 2-core machine, which would land in the dashboard's
 * first frame (its borders are non-ASCII). The build puts this in front of every string-width that Ink and
 * its helpers import (scripts/build-options.mjs); a test holds the two to the same answer for every code
 * point listed here.
 */

/**
 * Characters that are one column each and never join a neighbour into one grapheme (no combining marks,
 * joiners, variation selectors or emoji-presentation symbols): width = length.
 */
export const NARROW_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x7e], // ASCII printable
  // Latin-1, without U+00AD (the soft hyphen: zero width), U+00A9 and U+00AE (emoji to string-width 7: two columns)
  [0xa0, 0xa8],
  [0xaa, 0xac],
  [0xaf, 0xff],
  [0x2010, 0x2027], // dashes, quotes, bullets, ellipsis
  [0x2030, 0x203b], // per mille, primes, angle quotes (not U+203C or U+2049, emoji)
  [0x203d, 0x2048],
  [0x204a, 0x205e],
  [0x2190, 0x2193], // arrows (not U+2194 to U+2199, U+21A9 or U+21AA, emoji)
  [0x219a, 0x21a8],
  [0x21ab, 0x21ff],
  [0x2200, 0x22ff], // mathematical operators
  [0x2500, 0x259f], // box drawing, block elements
  [0x25a0, 0x25a9], // geometric shapes (not U+25AA, U+25AB, U+25B6, U+25C0 or U+25FB to U+25FE, emoji)
  [0x25ac, 0x25b5],
  [0x25b7, 0x25bf],
  [0x25c1, 0x25fa],
  [0x2713, 0x2713], // check mark
  [0x2717, 0x2717], // ballot x
  [0x2800, 0x28ff], // braille (the spinner)
];

const hex = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;
const narrowOnly = new RegExp(`^[${NARROW_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join('')}]*$`);
/** SGR colour and style sequences (a strict subset of what string-width strips). */
const sgr = /\x1b\[(?:\d{1,3}(?:;\d{1,3})*)?m/g;

export interface WidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

export function narrowWidth(input: unknown, options?: WidthOptions): number | undefined {
  if (typeof input !== 'string') return undefined;
  if (options && (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes === true))
    return undefined;
  const text = input.includes('\x1b') ? input.replace(sgr, '') : input;
  return narrowOnly.test(text) ? text.length : undefined;
}
