/**
 * Line editing as readline does it (bash, gh's prompts), as a pure function of the text, the cursor and a
 * key. The text field (components/TextField.tsx) only draws what this returns.
 */
import type { Key } from 'ink';

export interface EditState {
  value: string;
  /** Index into `value`, 0..value.length (code units; surrogate pairs are stepped over whole). */
  cursor: number;
}

export type EditResult = { type: 'edit'; state: EditState } | { type: 'submit' } | { type: 'ignore' };

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** Where a word starts before `at` (Alt+B, Ctrl+W): skip separators, then word characters. */
function wordStart(value: string, at: number): number {
  let i = at;
  while (i > 0 && !isWordChar(value[i - 1])) i--;
  while (i > 0 && isWordChar(value[i - 1])) i--;
  return i;
}

/** Where a word ends after `at` (Alt+F, Alt+D). */
function wordEnd(value: string, at: number): number {
  let i = at;
  while (i < value.length && !isWordChar(value[i])) i++;
  while (i < value.length && isWordChar(value[i])) i++;
  return i;
}

/** One character back or forward, a surrogate pair as one. */
function step(value: string, at: number, dir: -1 | 1): number {
  if (dir < 0) {
    if (at <= 0) return 0;
    const low = value.charCodeAt(at - 1);
    return low >= 0xdc00 && low <= 0xdfff && at >= 2 ? at - 2 : at - 1;
  }
  if (at >= value.length) return value.length;
  const high = value.charCodeAt(at);
  return high >= 0xd800 && high <= 0xdbff && at + 1 < value.length ? at + 2 : at + 1;
}

const edit = (value: string, cursor: number): EditResult => ({ type: 'edit', state: { value, cursor } });

/**
 * The field after one key. `masked` fields (secrets) clear whole on Ctrl+U and treat the text as one word:
 * nobody can see where words are in a row of dots.
 */
export function editText(s: EditState, input: string, key: Key, masked = false): EditResult {
  const { value, cursor } = s;
  const before = value.slice(0, cursor);
  const after = value.slice(cursor);
  if (key.return) return { type: 'submit' };
  if (key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
    return { type: 'ignore' };
  }
  const start = masked ? () => 0 : (at: number) => wordStart(value, at);
  const end = masked ? () => value.length : (at: number) => wordEnd(value, at);
  if (key.ctrl) {
    switch (input) {
      case 'a':
        return edit(value, 0);
      case 'e':
        return edit(value, value.length);
      case 'b':
        return edit(value, step(value, cursor, -1));
      case 'f':
        return edit(value, step(value, cursor, 1));
      case 'u':
        return masked ? edit('', 0) : edit(after, 0);
      case 'k':
        return edit(before, cursor);
      case 'w': {
        const from = start(cursor);
        return edit(value.slice(0, from) + after, from);
      }
      case 'd': {
        const to = step(value, cursor, 1);
        return edit(before + value.slice(to), cursor);
      }
      case 'h': {
        const from = step(value, cursor, -1);
        return edit(value.slice(0, from) + after, from);
      }
      default:
        break;
    }
    if (key.leftArrow) return edit(value, start(cursor));
    if (key.rightArrow) return edit(value, end(cursor));
    return { type: 'ignore' };
  }
  if (key.meta) {
    // Alt+Backspace reaches Ink as meta + delete.
    if (key.backspace || key.delete) {
      const from = start(cursor);
      return edit(value.slice(0, from) + after, from);
    }
    switch (input) {
      case 'b':
        return edit(value, start(cursor));
      case 'f':
        return edit(value, end(cursor));
      case 'd': {
        const to = end(cursor);
        return edit(before + value.slice(to), cursor);
      }
      default:
        break;
    }
    if (key.leftArrow) return edit(value, start(cursor));
    if (key.rightArrow) return edit(value, end(cursor));
    return { type: 'ignore' };
  }
  if (key.leftArrow) return edit(value, step(value, cursor, -1));
  if (key.rightArrow) return edit(value, step(value, cursor, 1));
  if (key.home) return edit(value, 0);
  if (key.end) return edit(value, value.length);
  // Ink reports the Backspace key (DEL, 0x7f) as delete: both erase the character before the cursor.
  if (key.backspace || key.delete) {
    const from = step(value, cursor, -1);
    return edit(value.slice(0, from) + after, from);
  }
  // Control characters that are no key of ours (a pasted newline, a bell) are not text.
  const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
  if (!text) return { type: 'ignore' };
  return edit(before + text + after, cursor + text.length);
}
