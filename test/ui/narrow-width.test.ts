/**
 * narrow-width.ts stands in front of string-width in the bundle: for every string it answers, it must give
 * string-width's own answer, for every copy of string-width that Ink and its helpers resolve (today 8.x for
 * Ink, 7.x for wrap-ansi), found the way Node resolves them rather than by a hard-coded path.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { NARROW_RANGES, narrowWidth } from '../../source/ui/narrow-width.js';

type StringWidth = (text: string) => number;

/** Every string-width the bundle's Ink gets: Ink's own and its text helpers'. */
async function stringWidths(): Promise<{ file: string; width: StringWidth }[]> {
  const fromInk = createRequire(createRequire(import.meta.url).resolve('ink'));
  const importers = [fromInk.resolve('ink')];
  for (const helper of ['wrap-ansi', 'cli-truncate', 'widest-line']) importers.push(fromInk.resolve(helper));
  const files = [...new Set(importers.map((from) => createRequire(from).resolve('string-width')))];
  return Promise.all(
    files.map(async (file) => ({
      file,
      width: ((await import(pathToFileURL(file).href)) as { default: StringWidth }).default,
    })),
  );
}

const widths = await stringWidths();
const stringWidth: StringWidth = widths[0]!.width;

const codePoints = NARROW_RANGES.flatMap(([from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i),
);
const narrowChar = fc.constantFrom(...codePoints.map((c) => String.fromCodePoint(c)));
const sgr = fc
  .array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 })
  .map((codes) => `\x1b[${codes.join(';')}m`);

describe('narrowWidth', () => {
  test('every listed code point is one column, as string-width says', () => {
    // Two versions today (8.x for Ink, 7.x for wrap-ansi): a change in that is worth knowing about.
    expect(widths.map(({ file }) => file).length).toBeGreaterThanOrEqual(2);
    expect(codePoints.length).toBeGreaterThan(1100);
    for (const c of codePoints) {
      const ch = String.fromCodePoint(c);
      expect([narrowWidth(ch), ...widths.map(({ width }) => width(ch))], `U+${c.toString(16)}`).toEqual(
        Array(widths.length + 1).fill(1),
      );
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
          for (const { width } of widths) expect(fast).toBe(width(text));
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
