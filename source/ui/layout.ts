/** How the dashboard uses the terminal: a pure function of its size, so resize is just a new call. */

export type LayoutMode = 'wide' | 'stacked' | 'single';

export interface Layout {
  mode: LayoutMode;
  columns: number;
  rows: number;
  /** Lines between the header and the activity line. */
  bodyRows: number;
  /** Visible rows of each list (tokens, clients); in single mode, of the one pane shown. */
  listRows: number;
  /** Content lines of the details pane. */
  detailsRows: number;
  /** Width of one list pane, borders included. */
  paneWidth: number;
}

export const WIDE_MIN = 100;
export const STACKED_MIN = 60;

/** Header (1), activity line (2, an error sentence may wrap) and status bar (1). */
export const CHROME_ROWS = 4;
/** A bordered pane: two border lines and its title line. */
export const PANE_FRAME = 3;
const MIN_LIST = 3;

export function layoutMode(columns: number): LayoutMode {
  if (columns >= WIDE_MIN) return 'wide';
  if (columns >= STACKED_MIN) return 'stacked';
  return 'single';
}

/** Body lines the mode needs to show its panes at their smallest (lists of MIN_LIST rows, details of 4). */
function minBody(mode: LayoutMode): number {
  if (mode === 'wide') return MIN_LIST + PANE_FRAME + 5 + PANE_FRAME;
  if (mode === 'stacked') return 2 * (MIN_LIST + PANE_FRAME) + 4 + PANE_FRAME;
  return 0;
}

export function computeLayout(columns: number, rows: number): Layout {
  const bodyFor = Math.max(rows - 1 - CHROME_ROWS, 0);
  // Too short for the panes side by side or stacked: one pane at a time, so the status bar stays on screen.
  const wanted = layoutMode(columns);
  const mode = bodyFor >= minBody(wanted) ? wanted : 'single';
  // One line short of the screen: Ink clears and redraws the whole terminal once output fills it.
  const bodyRows = Math.max(rows - 1 - CHROME_ROWS, 0);
  if (mode === 'wide') {
    const detailsRows = clamp(Math.floor(bodyRows * 0.3), 5, 9);
    const listRows = Math.max(bodyRows - (detailsRows + PANE_FRAME) - PANE_FRAME, MIN_LIST);
    return { mode, columns, rows, bodyRows, listRows, detailsRows, paneWidth: Math.floor(columns / 2) };
  }
  if (mode === 'stacked') {
    const detailsRows = clamp(Math.floor(bodyRows * 0.2), 4, 7);
    const listRows = Math.max(
      Math.floor((bodyRows - (detailsRows + PANE_FRAME) - 2 * PANE_FRAME) / 2),
      MIN_LIST,
    );
    return { mode, columns, rows, bodyRows, listRows, detailsRows, paneWidth: columns };
  }
  const listRows = Math.max(bodyRows - PANE_FRAME, MIN_LIST);
  return { mode, columns, rows, bodyRows, listRows, detailsRows: listRows, paneWidth: columns };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}
