/**
 * Which frames Ink's incremental renderer draws whole (the build tweak incremental-wide-lines): any frame
 * with a line wider than the terminal, the frame right after one, and any frame at a new width. Measured
 * with string-width, as the build wires it.
 */
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { createWideLines } from '../../source/ui/wide-lines.js';

const url = `https://demo.zendesk.com/oauth2/chat/authorizations/new?${'x'.repeat(120)}`;
const row = (n: number) => `\u001b[1m› profile-${n}\u001b[22m`;

describe('createWideLines', () => {
  // Each case: frames drawn in order at a width, and whether each is drawn whole.
  const cases: { name: string; frames: [string[], number][]; whole: boolean[] }[] = [
    {
      name: 'narrow frames after the first: only their changed lines, never whole',
      frames: [
        [[row(1), row(2), 'status'], 100],
        [[row(1), row(3), 'status'], 100],
        [[row(4), row(3), 'status'], 100],
      ],
      whole: [true, false, false],
    },
    {
      name: 'a soft-wrapped URL line: whole while it is shown and once after',
      frames: [
        [['title', 'wait'], 100],
        [['title', url, 'wait'], 100],
        [['title', url, 'wait 4:59'], 100],
        [['title', 'done'], 100],
        [['title', 'done.'], 100],
      ],
      whole: [true, true, true, true, false],
    },
    {
      name: 'ANSI codes do not count towards the width; wide characters count twice',
      frames: [
        [[`\u001b[31m${'a'.repeat(20)}\u001b[39m`], 20],
        [[`\u001b[31m${'b'.repeat(20)}\u001b[39m`], 20],
        [['界'.repeat(10)], 20],
        [['界'.repeat(11)], 20],
      ],
      whole: [true, false, false, true],
    },
    {
      name: 'a resize draws whole, then narrow frames go back to changed lines',
      frames: [
        [[row(1), row(2)], 100],
        [[row(1), row(2)], 60],
        [[row(2), row(2)], 60],
      ],
      whole: [true, true, false],
    },
    {
      name: 'a line unchanged but now too wide after a resize is found',
      frames: [
        [['a'.repeat(80)], 100],
        [['a'.repeat(80)], 60],
        [['a'.repeat(80), 'x'], 60],
      ],
      whole: [true, true, true],
    },
  ];
  test.each(cases)('$name', ({ frames, whole }) => {
    const wide = createWideLines(stringWidth);
    expect(frames.map(([lines, columns]) => wide.check(lines, columns))).toEqual(whole);
  });

  test('measures only the lines a frame changed', () => {
    const measured: string[] = [];
    const wide = createWideLines((line) => {
      measured.push(line);
      return stringWidth(line);
    });
    const rows = Array.from({ length: 40 }, (_, i) => row(i));
    wide.check(rows, 120);
    measured.length = 0;
    const next = [...rows];
    next[3] = row(99);
    expect(wide.check(next, 120)).toBe(false);
    expect(measured).toEqual([row(99)]);
  });

  test('after a reset (Ink cleared or forgot its frame) the next frame is drawn whole', () => {
    const wide = createWideLines(stringWidth);
    wide.check(['a', 'b'], 80);
    expect(wide.check(['a', 'c'], 80)).toBe(false);
    wide.reset();
    expect(wide.check(['a', 'c'], 80)).toBe(true);
  });
});
