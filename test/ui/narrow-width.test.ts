/**
 * narrow-width.ts stands in front of string-width in the bundle: for every string it answers, it must give
 * string-width's own answer (both versions in the bundle: 8.x for Ink, 7.x for wrap-ansi).
 */
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import stringWidth7 from '../../node_modules/wrap-ansi/node_modules/string-width/index.js';
import { NARROW_RANGES, narrowWidth } from '../../source/ui/narrow-width.js';

const codePoints = NARROW_RANGES.flatMap(([from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i),
);
const narrowChar = fc.constantFrom(...codePoints.map((c) => String.fromCodePoint(c)));
const sgr = fc
  .array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 })
  .map((codes) => `\x1b[${codes.join(';')}m`);

describe('narrowWidth', () => {
  test('every listed code point is one column, as string-width says', () => {
    expect(codePoints.length).toBeGreaterThan(1100);
    for (const c of codePoints) {
      const ch = String.fromCodePoint(c);
      expect([narrowWidth(ch), stringWidth(ch), stringWidth7(ch)], `U+${c.toString(16)}`).toEqual([1, 1, 1]);
    }
  });

  test('narrow text, coloured or not, measures as string-width measures it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 5, arbitrary: narrowChar }, { weight: 1, arbitrary: sgr })),
        (parts) => {
          const text = parts.join('');
          const fast = narrowWidth(text);
          expect(fast).toBeDefined();
          expect(fast).toBe(stringWidth(text));
          expect(fast).toBe(stringWidth7(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('any other text is left to string-width, or measured the same', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (a, b) => {
        for (const text of [a, b, `${a}\x1b[31m${b}`]) {
          const fast = narrowWidth(text);
          if (fast !== undefined) expect(fast).toBe(stringWidth(text));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('wide, zero-width and emoji text goes to string-width', () => {
    for (const text of [
      '日本',
      'a\u0301',
      '\u00ad',
      '✅',
      '◾',
      '👍🏽',
      'a\u200db',
      '✔\ufe0f',
      '\x1b]8;;x\x07a',
    ]) {
      expect(narrowWidth(text), JSON.stringify(text)).toBeUndefined();
    }
    expect(narrowWidth(42)).toBeUndefined();
  });

  test('options that change the answer go to string-width', () => {
    expect(narrowWidth('╭─╮', {})).toBe(3);
    expect(narrowWidth('╭─╮', { ambiguousIsNarrow: true })).toBe(3);
    expect(narrowWidth('╭─╮', { ambiguousIsNarrow: false })).toBeUndefined();
    expect(narrowWidth('\x1b[1mab', { countAnsiEscapeCodes: true })).toBeUndefined();
  });
});
