import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';
import { type EditState, editText } from '../../source/ui/text-editing.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const k = (o: Partial<Key>): Key => ({ ...none, ...o });

/** "abc def|ghi" is the text "abc defghi" with the cursor before "g". */
function parse(s: string): EditState {
  const cursor = s.indexOf('|');
  return { value: s.replace('|', ''), cursor };
}
const show = (s: EditState) => `${s.value.slice(0, s.cursor)}|${s.value.slice(s.cursor)}`;

describe('readline editing', () => {
  test.each([
    ['Ctrl+A: start', 'foo bar|', 'a', k({ ctrl: true }), '|foo bar'],
    ['Ctrl+E: end', '|foo bar', 'e', k({ ctrl: true }), 'foo bar|'],
    ['Ctrl+B: back a character', 'foo|', 'b', k({ ctrl: true }), 'fo|o'],
    ['Ctrl+F: forward a character', 'f|oo', 'f', k({ ctrl: true }), 'fo|o'],
    ['Ctrl+U: kill to the start', 'foo b|ar', 'u', k({ ctrl: true }), '|ar'],
    ['Ctrl+K: kill to the end', 'foo b|ar', 'k', k({ ctrl: true }), 'foo b|'],
    ['Ctrl+W: kill the word before', 'https://acme.zendesk|', 'w', k({ ctrl: true }), 'https://acme.|'],
    ['Ctrl+W: over the separators too', 'foo bar  |', 'w', k({ ctrl: true }), 'foo |'],
    ['Ctrl+D: delete under the cursor', 'fo|ox', 'd', k({ ctrl: true }), 'fo|x'],
    ['Ctrl+H: backspace', 'foo|', 'h', k({ ctrl: true }), 'fo|'],
    ['Alt+B: back a word', 'foo bar|', 'b', k({ meta: true }), 'foo |bar'],
    ['Alt+F: forward a word', '|foo bar', 'f', k({ meta: true }), 'foo| bar'],
    ['Alt+D: kill the word after', 'foo| bar baz', 'd', k({ meta: true }), 'foo| baz'],
    ['Alt+Backspace: kill the word before', 'foo bar|', '', k({ meta: true, delete: true }), 'foo |'],
    ['Backspace (DEL, which Ink calls delete)', 'ab|c', '', k({ delete: true }), 'a|c'],
    ['Backspace at the start: nothing', '|abc', '', k({ backspace: true }), '|abc'],
    ['← and →', 'ab|c', '', k({ leftArrow: true }), 'a|bc'],
    ['home', 'ab|c', '', k({ home: true }), '|abc'],
    ['end', 'a|bc', '', k({ end: true }), 'abc|'],
    ['typing inserts at the cursor', 'ac|', 'b', k({}), 'acb|'],
    ['typing in the middle', 'a|c', 'b', k({}), 'ab|c'],
    ['a paste drops control characters', 'a|', 'b\u0007c', k({}), 'abc|'],
    ['a surrogate pair is one character', 'x😀|', '', k({ delete: true }), 'x|'],
  ])('%s', (_name, before, input, key, after) => {
    const result = editText(parse(before), input, key);
    expect(result.type).toBe('edit');
    if (result.type === 'edit') expect(show(result.state)).toBe(after);
  });

  test('a masked field: Ctrl+U clears it whole, Ctrl+W too (no words to see in dots)', () => {
    const u = editText(parse('sec|ret'), 'u', k({ ctrl: true }), true);
    expect(u).toEqual({ type: 'edit', state: { value: '', cursor: 0 } });
    const w = editText(parse('se cr et|'), 'w', k({ ctrl: true }), true);
    expect(w).toEqual({ type: 'edit', state: { value: '', cursor: 0 } });
  });

  test('enter submits; esc, tab and ↑↓ belong to the screen; other chords are ignored, not typed', () => {
    expect(editText(parse('a|'), '', k({ return: true }))).toEqual({ type: 'submit' });
    for (const key of [k({ escape: true }), k({ tab: true }), k({ upArrow: true }), k({ downArrow: true })]) {
      expect(editText(parse('a|'), '', key)).toEqual({ type: 'ignore' });
    }
    expect(editText(parse('a|'), 'r', k({ ctrl: true }))).toEqual({ type: 'ignore' });
    expect(editText(parse('a|'), 'x', k({ meta: true }))).toEqual({ type: 'ignore' });
  });
});
