/** How server text is laid out for a terminal or a pipe. */
import { describe, expect, test } from 'vitest';
import { layoutJson, safeText, serverText } from '../../source/commands/json-output.js';

const plain = { pretty: true, color: false };
const compact = { pretty: false, color: false };

describe('layoutJson', () => {
  test('numbers keep every digit (JSON.parse would round them)', () => {
    const text = '{"id": 12345678901234567890, "x": 1.10e+3}';
    expect(layoutJson(text, compact)).toBe('{"id":12345678901234567890,"x":1.10e+3}');
  });

  test('pretty: two spaces, empty containers stay {} and []', () => {
    expect(layoutJson('{"a":[1,{}],"b":[]}', plain)).toBe('{\n  "a": [\n    1,\n    {}\n  ],\n  "b": []\n}');
  });

  test('strings keep their escapes; terminal-steering characters become \\u escapes, the same JSON value', () => {
    const value = { s: 'a\u009b31mb\u202ec\u2028d', e: 'x\\"\u001b' };
    const out = layoutJson(JSON.stringify(value), compact)!;
    expect(out).not.toMatch(/[\u009b\u202e\u2028\u001b]/);
    expect(JSON.parse(out)).toEqual(value);
  });

  test('colour: keys, strings, numbers each their own', () => {
    const out = layoutJson('{"k":"v","n":1,"t":true}', { pretty: false, color: true })!;
    expect(out).toContain('\u001b[1;34m"k"\u001b[0m');
    expect(out).toContain('\u001b[32m"v"\u001b[0m');
    expect(out).toContain('\u001b[36m1\u001b[0m');
  });

  test.each([[''], ['not json'], ['{"a":'], ['<html>'], ['{} {}']])('%j is not JSON: undefined', (text) => {
    expect(layoutJson(text, compact)).toBeUndefined();
  });
});

describe('safeText and serverText', () => {
  test('control characters are shown as escapes; newlines and tabs stay', () => {
    expect(safeText('a\u001b[2Jb\rc\u0007\td\ne\u202e')).toBe('a\\x1b[2Jb\\x0dc\\x07\td\ne\\u202e');
  });

  test('non-JSON text: escaped on a terminal, as it came in a pipe', () => {
    let tty = '';
    let pipe = '';
    serverText({ write: (t) => (tty += t), isTTY: true }, '<b>\u001b]0;x\u0007</b>', {});
    serverText({ write: (t) => (pipe += t), isTTY: false }, '<b>\u001b]0;x\u0007</b>', {});
    expect(tty).toBe('<b>\\x1b]0;x\\x07</b>\n');
    expect(pipe).toBe('<b>\u001b]0;x\u0007</b>\n');
  });
});
