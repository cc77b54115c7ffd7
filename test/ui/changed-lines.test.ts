import xterm from '@xterm/headless';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { ChangedLines } from '../../source/ui/changed-lines.js';

const ESC = '\u001B[';
/** Ink's whole frame (log-update): the last frame's lines erased from the cursor's line up, then the frame. */
const eraseLines = (count: number) =>
  count === 0 ? '' : `${`${ESC}2K${ESC}1A`.repeat(count - 1)}${ESC}2K${ESC}G`;

/** A terminal fed both ways: Ink's whole frames, and changed lines where ChangedLines gives them (newlines as a
 * pty turns them out: CR LF). */
class TwoTerminals {
  readonly whole: xterm.Terminal;
  readonly changed: xterm.Terminal;
  readonly lines = new ChangedLines((line) => stringWidth(line));
  last = '';
  bytesWhole = 0;
  bytesChanged = 0;

  constructor(
    readonly columns: number,
    rows: number,
  ) {
    this.whole = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
    this.changed = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
  }

  async draw(frame: string, columns = this.columns): Promise<string | undefined> {
    const before = this.last.split('\n').length;
    const whole = eraseLines(this.last === '' ? 0 : before) + frame;
    const changed = this.lines.update(this.last, frame, columns, false);
    this.last = frame;
    this.bytesWhole += whole.length;
    this.bytesChanged += (changed ?? whole).length;
    await Promise.all([write(this.whole, whole), write(this.changed, changed ?? whole)]);
    return changed;
  }

  dispose(): void {
    this.whole.dispose();
    this.changed.dispose();
  }
}

const write = (term: xterm.Terminal, data: string) =>
  new Promise<void>((resolve) => term.write(data, resolve));

function screen(term: xterm.Terminal): string[] {
  const buffer = term.buffer.active;
  return Array.from({ length: term.rows }, (_, i) => {
    const line = buffer.getLine(buffer.viewportY + i);
    // The text, and where each cell's colours differ from the default (inverse, bold): the same cells.
    let styles = '';
    for (let x = 0; x < term.cols; x++) {
      const cell = line?.getCell(x);
      styles += cell ? `${cell.isInverse() ? 'i' : ''}${cell.isBold() ? 'b' : ''}${cell.getFgColor()},` : '';
    }
    return `${line?.translateToString(true) ?? ''}|${styles}`;
  });
}

describe('ChangedLines', () => {
  test('writes only the lines that changed, each over its own row, and leaves the cursor below the frame', async () => {
    const t = new TwoTerminals(20, 6);
    await t.draw('one\ntwo\nthree\n');
    const changed = await t.draw('one\nTWO\nthree\n');
    expect(changed).toBe(`${ESC}2A\r${ESC}2KTWO${ESC}2B\r${ESC}2K`);
    expect(screen(t.changed)).toEqual(screen(t.whole));
    expect(t.changed.buffer.active.cursorY).toBe(3);
    expect(t.changed.buffer.active.cursorX).toBe(0);
    t.dispose();
  });

  // When each of these holds, the frame is drawn whole (undefined), as Ink draws it.
  test.each([
    ['the first frame', '', 'a\nb\n', 20, false],
    ['another height', 'a\nb\n', 'a\nb\nc\n', 20, false],
    ['a line wider than the terminal', 'a\nb\n', `a\n${'x'.repeat(21)}\n`, 20, false],
    ['wide characters past the width', 'a\nb\n', `a\n${'界'.repeat(11)}\n`, 20, false],
    ['Ink’s fullscreen frame (no last newline)', 'a\nb\n', 'a\nc', 20, false],
    ['a cursor shown (a text field)', 'a\nb\n', 'a\nc\n', 20, true],
  ])('draws whole: %s', (_, previous, next, columns, cursor) => {
    const lines = new ChangedLines((line) => stringWidth(line));
    if (previous) lines.update('', previous, 20, false);
    expect(lines.update(previous, next, columns, cursor)).toBeUndefined();
  });

  test('draws whole after the terminal changed width, after a frame it did not see, and after Ink cleared the screen', () => {
    const lines = new ChangedLines((line) => stringWidth(line));
    lines.update('', 'a\nb\n', 20, false);
    expect(lines.update('a\nb\n', 'a\nc\n', 30, false)).toBeUndefined();
    expect(lines.update('a\nc\n', 'a\nd\n', 30, false)).toBeDefined();
    expect(lines.update('something else\n', 'a\ne\n', 30, false)).toBeUndefined();
    // Ink's clear() and sync() leave it no frame on screen, or another: the next is drawn whole.
    expect(lines.update('', 'a\nf\n', 30, false)).toBeUndefined();
  });

  test('a frame after one with a line wider than the terminal is drawn whole, then changed lines again', () => {
    const lines = new ChangedLines((line) => stringWidth(line));
    lines.update('', 'a\nb\n', 10, false);
    expect(lines.update('a\nb\n', `a\n${'x'.repeat(11)}\n`, 10, false)).toBeUndefined();
    expect(lines.update(`a\n${'x'.repeat(11)}\n`, 'a\nc\n', 10, false)).toBeUndefined();
    expect(lines.update('a\nc\n', 'a\nd\n', 10, false)).toBeDefined();
  });

  // The guard: whatever the frames, the terminal shows what Ink's whole frames show (text and styles).
  test('the screen through xterm is the same as with whole frames, for random frames', async () => {
    const columns = 12;
    const rows = 8;
    const piece = fc.constantFrom('a', 'b', ' ', '界', 'é', '│', `${ESC}7mx${ESC}27m`, `${ESC}1mB${ESC}22m`);
    const line = fc.array(piece, { maxLength: 9 }).map((p) => p.join(''));
    const frame = fc
      .array(line, { minLength: 1, maxLength: rows - 1 })
      .map((lines) => `${lines.join('\n')}\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (list) => {
        const t = new TwoTerminals(columns, rows);
        try {
          for (const f of list) {
            await t.draw(f);
            expect(screen(t.changed)).toEqual(screen(t.whole));
          }
        } finally {
          t.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a key that moves the selection on a dashboard-sized frame writes a small part of it', async () => {
    const t = new TwoTerminals(120, 40);
    const rowsOf = (selected: number) =>
      Array.from({ length: 39 }, (_, i) => `${i === selected ? '›' : ' '} row ${i} ${'·'.repeat(100)}`).join(
        '\n',
      );
    await t.draw(`${rowsOf(3)}\n`);
    const changed = await t.draw(`${rowsOf(4)}\n`);
    expect(screen(t.changed)).toEqual(screen(t.whole));
    expect(changed?.length).toBeLessThan(300);
    t.dispose();
  });
});
