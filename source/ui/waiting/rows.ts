import wrapAnsi from 'wrap-ansi';

/** Rows a text takes in `width` columns, wrapped exactly as Ink wraps a `wrap="wrap"` Text. */
export function rowsOf(text: string, width: number): number {
  return wrapAnsi(text, Math.max(width, 1), { trim: false, hard: true }).split('\n').length;
}
