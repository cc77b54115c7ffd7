import { describe, expect, test } from 'vitest';
import { scrollWindow } from '../../source/ui/components/WindowedList.js';
import { CHROME_ROWS, computeLayout, layoutMode, PANE_FRAME } from '../../source/ui/layout.js';

describe('layout', () => {
  test('modes by width: ≥100 side by side, 60–99 stacked, below 60 one pane', () => {
    expect(layoutMode(100)).toBe('wide');
    expect(layoutMode(200)).toBe('wide');
    expect(layoutMode(99)).toBe('stacked');
    expect(layoutMode(60)).toBe('stacked');
    expect(layoutMode(59)).toBe('single');
    expect(layoutMode(20)).toBe('single');
  });

  test('everything fits one line short of the screen', () => {
    for (const [columns, rows] of [
      [120, 32],
      [100, 24],
      [80, 40],
      [80, 30],
      [50, 24],
    ] as const) {
      const l = computeLayout(columns, rows);
      const used =
        l.mode === 'wide'
          ? l.listRows + PANE_FRAME + l.detailsRows + PANE_FRAME
          : l.mode === 'stacked'
            ? 2 * (l.listRows + PANE_FRAME) + l.detailsRows + PANE_FRAME
            : l.listRows + PANE_FRAME;
      expect(used + CHROME_ROWS, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
      expect(l.listRows).toBeGreaterThanOrEqual(3);
    }
  });

  test('wide panes split the width; taller terminals show more rows', () => {
    const a = computeLayout(120, 32);
    expect(a.paneWidth).toBe(60);
    expect(computeLayout(120, 50).listRows).toBeGreaterThan(a.listRows);
    expect(computeLayout(80, 30).paneWidth).toBe(80);
  });
});

describe('scrollWindow', () => {
  test('keeps the selection in view, moving as little as possible', () => {
    expect(scrollWindow(0, 0, 10, 1000)).toBe(0);
    expect(scrollWindow(0, 9, 10, 1000)).toBe(0);
    expect(scrollWindow(0, 10, 10, 1000)).toBe(1);
    expect(scrollWindow(5, 3, 10, 1000)).toBe(3);
    expect(scrollWindow(0, 999, 10, 1000)).toBe(990);
    expect(scrollWindow(990, 995, 10, 1000)).toBe(990);
  });

  test('short lists never scroll; a shrinking list pulls the window back', () => {
    expect(scrollWindow(4, 2, 10, 5)).toBe(0);
    expect(scrollWindow(50, 55, 10, 20)).toBe(10);
  });
});
