/**
 * The build gives Ink a styledCharsToString that skips the diff between equally styled characters: it must
 * write exactly what the package's own writes, for rows as Ink builds them.
 */
import { getHeapStatistics } from 'node:v8';
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  styledCharsFromTokens,
  styledCharsToString,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { exposeGc } from '../../source/core/platform/heap.js';
import { narrowWidth } from '../../source/ui/narrow-width.js';
import {
  BLANK_CELL,
  blankRow,
  createCachedLines,
  createRowsToString,
  createStyledCharsFromTokens,
  createStyledCharsToString,
  forgetCachedLines,
  markNarrow,
  rememberText,
  type StyledChar,
} from '../../source/ui/styled-chars-to-string.js';

const fast = createStyledCharsToString(ansiCodesToString, diffAnsiCodes);

const sgr = fc
  .oneof(
    fc.constantFrom(0, 1, 2, 3, 4, 7, 9, 22, 23, 24, 27, 29, 39, 49),
    fc.integer({ min: 30, max: 37 }),
    fc.integer({ min: 40, max: 47 }),
    fc.integer({ min: 90, max: 97 }),
    fc.integer({ min: 0, max: 255 }).map((n) => `38;5;${n}`),
    fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([r, g, b]) => `48;2;${r};${g};${b}`),
  )
  .map((code) => `\x1b[${code}m`);
const link = fc.webUrl().map((url) => `\x1b]8;;${url}\x07`);
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '·', '│', '─', '✓', '日', '👍', 'é') });
const styledLine = fc
  .array(
    fc.oneof({ weight: 4, arbitrary: text }, { weight: 3, arbitrary: sgr }, { weight: 1, arbitrary: link }),
  )
  .map((parts) => parts.join(''));

describe('createStyledCharsToString', () => {
  test('writes what @alcalzone/ansi-tokenize writes, for any styled line', () => {
    fc.assert(
      fc.property(styledLine, (line) => {
        const chars = styledCharsFromTokens(tokenize(line));
        expect(fast(chars)).toBe(styledCharsToString(chars));
      }),
      { numRuns: 3000 },
    );
  });

  test('and for rows as Ink assembles them: blank cells around written, styled runs', () => {
    const blank = () => ({ type: 'char' as const, value: ' ', fullWidth: false, styles: [] });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), styledLine), { maxLength: 5 }), (pieces) => {
        const row = pieces.flatMap(([gap, line]) => [
          ...Array.from({ length: gap }, blank),
          ...styledCharsFromTokens(tokenize(line)),
        ]);
        expect(fast(row)).toBe(styledCharsToString(row));
      }),
      { numRuns: 2000 },
    );
  });

  test('a coloured word in a blank row', () => {
    const row = [
      ...styledCharsFromTokens(tokenize('  ')),
      ...styledCharsFromTokens(tokenize('\x1b[1m\x1b[36mTokens\x1b[39m\x1b[22m')),
      ...styledCharsFromTokens(tokenize(' 2')),
    ];
    expect(fast(row)).toBe('  \x1b[1m\x1b[36mTokens\x1b[39m\x1b[22m 2');
    expect(fast(row)).toBe(styledCharsToString(row));
  });
});

describe('createStyledCharsFromTokens', () => {
  const ours = createStyledCharsFromTokens(reduceAnsiCodesIncremental);

  test('gives the characters the package gives, for any styled line', () => {
    fc.assert(
      fc.property(styledLine, (line) => {
        const tokens = tokenize(line);
        const chars = ours(tokens);
        expect(chars).toEqual(styledCharsFromTokens(tokens));
        expect(fast(chars)).toBe(styledCharsToString(styledCharsFromTokens(tokens)));
      }),
      { numRuns: 2000 },
    );
  });

  test('keeps a character in about 80 bytes, where the package’s spread kept one in about 340', () => {
    const gc = exposeGc();
    // Rows as the dashboard draws them, all different, as a cache of the last frames holds them.
    const rows = Array.from({ length: 2000 }, (_, i) =>
      tokenize(`\x1b[1mrow ${i}\x1b[22m  profile-${i} \x1b[36mon server\x1b[39m`),
    );
    // The package's spread turns slow (a hidden class per object) once it has seen enough shapes.
    for (const row of rows.slice(0, 200)) styledCharsFromTokens(row);
    gc();
    gc();
    const before = getHeapStatistics().used_heap_size;
    const kept = rows.map((row) => ours(row));
    gc();
    gc();
    const perChar = (getHeapStatistics().used_heap_size - before) / kept.flat().length;
    expect(perChar).toBeLessThan(150);
  });
});

describe('createCachedLines', () => {
  test('gives the characters the package gives, for any styled line, asked once or again', () => {
    const cached = createCachedLines(tokenize, styledCharsFromTokens, 50);
    fc.assert(
      fc.property(fc.array(styledLine, { minLength: 1, maxLength: 8 }), (lines) => {
        for (const line of [...lines, ...lines]) {
          expect(cached(line)).toEqual(styledCharsFromTokens(tokenize(line)));
        }
      }),
      { numRuns: 500 },
    );
  });

  test('a line drawn again on the next frame is not tokenized again; old lines are let go', () => {
    let tokenized = 0;
    const counting = (line: string) => {
      tokenized++;
      return tokenize(line);
    };
    const cached = createCachedLines(counting, styledCharsFromTokens, 40);
    const frame = Array.from({ length: 40 }, (_, i) => `\x1b[1mrow ${i}\x1b[22m`);
    const draw = (lines: string[]) => lines.map((l) => cached(l));
    const first = draw(frame);
    expect(tokenized).toBe(40);
    // The next frame: two rows changed (a key press moved the selection).
    const next = [...frame];
    next[3] = '\x1b[7mrow 3\x1b[27m';
    next[4] = '\x1b[7mrow 4\x1b[27m';
    const second = draw(next);
    expect(tokenized).toBe(42);
    expect(second[0]).toBe(first[0]);
    // Lines not drawn for two generations are tokenized afresh: the memory stays bounded.
    for (let i = 0; i < 100; i++) draw([`other ${i}`]);
    draw(frame);
    expect(tokenized).toBe(42 + 100 + 40);
  });

  test('forgetCachedLines() lets go of every line kept (the idle collection frees them); the next frame tokenizes its lines once again', async () => {
    let tokenized = 0;
    const cached = createCachedLines((line: string) => {
      tokenized++;
      return tokenize(line);
    }, styledCharsFromTokens);
    const frame = Array.from({ length: 40 }, (_, i) => `\x1b[1mrow ${i}\x1b[22m`);
    const kept = new WeakRef(cached(frame[0] as string));
    for (const line of frame) cached(line);
    expect(tokenized).toBe(40);
    forgetCachedLines();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const gc = exposeGc();
    gc();
    gc();
    expect(kept.deref()).toBeUndefined();
    const again = frame.map((line) => cached(line));
    expect(tokenized).toBe(80);
    expect(again[0]?.map((c) => c.value).join('')).toBe('row 0');
    for (const line of frame) cached(line);
    expect(tokenized).toBe(80); // kept again from there on
  });

  test('keeps the characters of a line, not its tokens as well', async () => {
    const made: object[] = [];
    const cached = createCachedLines((line: string) => {
      const tokens = tokenize(line);
      made.push(tokens);
      return tokens;
    }, styledCharsFromTokens);
    cached('\x1b[1mrow\x1b[22m');
    // Nothing but the characters is held: the tokens array can be collected once the line is converted.
    const tokens = new WeakRef(made.pop() as object);
    expect(made).toEqual([]);
    expect(tokens.deref()).toBeDefined();
    // A WeakRef holds its object to the end of the current job: collect after it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const gc = exposeGc();
    gc();
    gc();
    expect(tokens.deref()).toBeUndefined();
    expect(
      cached('\x1b[1mrow\x1b[22m')
        .map((c) => c.value)
        .join(''),
    ).toBe('row');
  });
});

describe('createRowsToString', () => {
  /** Ink's own last step: each row to a line, trailing blanks trimmed, the lines joined. */
  const inks = (rows: (StyledChar | undefined)[][]) =>
    rows
      .map((row) => styledCharsToString(row.filter((c) => c !== undefined) as StyledChar[]).trimEnd())
      .join('\n');

  test('writes what Ink writes, frame after frame, for grids that keep, change and move their cells', () => {
    const lines = fc.array(styledLine, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        lines,
        fc.array(fc.array(fc.tuple(fc.nat(5), fc.nat(8)), { maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (pool, frames) => {
          const rowsToString = createRowsToString(fast);
          const cells = pool.map((line) => styledCharsFromTokens(tokenize(line)));
          for (const frame of frames) {
            // Each row: a blank row with one pooled line's very cells written at a column (or none).
            const rows = Array.from({ length: 4 }, (_, y) => {
              const row: (StyledChar | undefined)[] = blankRow(12);
              const placed = frame[y];
              if (placed) {
                const [pick, x] = placed;
                cells[pick % cells.length]!.forEach((c, i) => {
                  row[x + i] = c;
                });
              }
              return row;
            });
            expect(rowsToString(rows)).toBe(inks(rows));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a row made of the very cells of the same row of the last frame is not written out again', () => {
    let converted = 0;
    const rowsToString = createRowsToString((chars) => {
      converted++;
      return fast(chars);
    });
    const line = (text: string) => styledCharsFromTokens(tokenize(text));
    const a = line('\x1b[36m│\x1b[39m alpha');
    const b = line('\x1b[7m› beta\x1b[27m');
    const c = line('gamma');
    const frame = (...rows: StyledChar[][]) => rows.map((cells) => [...cells, ...blankRow(3)]);
    expect(rowsToString(frame(a, b, c))).toBe(inks(frame(a, b, c)));
    expect(converted).toBe(3);
    // The next frame: new row arrays, the same cells but in the middle row.
    const d = line('› delta');
    expect(rowsToString(frame(a, d, c))).toBe(inks(frame(a, d, c)));
    expect(converted).toBe(4);
    // Equal text in other cell objects is written out (only identity is trusted).
    expect(rowsToString(frame(line('\x1b[36m│\x1b[39m alpha'), d, c))).toBe(inks(frame(a, d, c)));
    expect(converted).toBe(5);
    // The idle collection lets the last frame go: the next one is written out whole.
    forgetCachedLines();
    rowsToString(frame(a, d, c));
    expect(converted).toBe(8);
  });

  test('blank rows share one blank cell, which is what Ink filled its rows with', () => {
    expect(blankRow(3)).toEqual(
      Array.from({ length: 3 }, () => ({ type: 'char', value: ' ', fullWidth: false, styles: [] })),
    );
    expect(new Set(blankRow(3)).size).toBe(1);
    expect(Object.isFrozen(BLANK_CELL) && Object.isFrozen(BLANK_CELL.styles)).toBe(true);
  });
});

describe('markNarrow', () => {
  const narrow = (text: string) => narrowWidth(text) !== undefined;
  test.each([
    ['ASCII', 'profile-00001 #200000018', true],
    ['box drawing, ellipsis, angle quote, middle dot', '│─╭╮ …› ·', true],
    ['styled', '\x1b[1mbold\x1b[22m \x1b[36mcyan\x1b[39m', true],
    ['nothing', '', true],
    ['a wide character', 'name 日本', false],
    ['an emoji', 'ok 👍', false],
    ['a combining mark (one cell of two units)', 'e\u0301', false],
    ['a soft hyphen (zero width)', 'a\u00adb', false],
  ])('%s: %s', (_, text, expected) => {
    const chars = markNarrow(styledCharsFromTokens(tokenize(text)), narrow);
    expect(chars.narrow === true).toBe(expected);
    // Narrow: every character is one column, as Ink's string-width would measure it.
    if (expected) for (const c of chars) expect(Math.max(1, narrowWidth(c.value) ?? 2)).toBe(1);
  });
});

describe('rememberText', () => {
  test('answers as the function does, computing a text of the last frames once', () => {
    const seen: string[] = [];
    const width = rememberText((text: string) => {
      seen.push(text);
      return text.length;
    }, 3);
    expect(['a', 'bb', 'a', 'ccc', 'bb'].map(width)).toEqual([1, 2, 1, 3, 2]);
    expect(seen).toEqual(['a', 'bb', 'ccc']);
    // Two generations of three: a text not asked for in the last two is computed again (bounded memory).
    for (const t of ['d', 'e', 'f', 'g', 'h', 'i', 'j']) width(t);
    width('a');
    expect(seen.at(-1)).toBe('a');
    expect(seen).toHaveLength(11);
  });

  test('remembers falsy answers too, and forgetCachedLines() empties it', () => {
    let calls = 0;
    const empty = rememberText((text: string) => {
      calls++;
      return text === '' ? '' : undefined;
    });
    expect([empty(''), empty(''), empty('x'), empty('x')]).toEqual(['', '', undefined, undefined]);
    expect(calls).toBe(2);
    forgetCachedLines();
    empty('');
    expect(calls).toBe(3);
  });
});
