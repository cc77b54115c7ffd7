/**
 * Every `--json`: indented on a terminal, one line in a pipe or a file (as `gh` and `zchat-auth api`), the
 * same JSON value either way; a long list (`status --json`) written a slice at a time gives the same text.
 */
import { describe, expect, test } from 'vitest';
import { type Output, printJson, printJsonList } from '../../source/commands/command.js';

function collector(isTTY?: boolean): { out: Output; writes: string[]; text: () => string } {
  const writes: string[] = [];
  const write = (text: string) => writes.push(text);
  return {
    out: isTTY === undefined ? { write } : { isTTY, write },
    writes,
    text: () => writes.join(''),
  };
}

// What could steer a terminal, in a value: C1 CSI, a bidi override, a line separator, DEL; and a mask.
const hostile = 'a\u009b31mb\u202ec\u2028d\u007fe hat_…9f3c "quoted" \\ back';

const head = {
  schemaVersion: 1,
  configPath: '/home/ada/.config/zchat-auth/config.json',
  defaultProfile: null,
};
const profile = (i: number) => ({
  name: `p${String(i).padStart(5, '0')}`,
  scopes: ['read', 'write'],
  username: i % 7 === 0 ? hostile : null,
  token: i % 3 === 0 ? null : { masked: 'hat_…9f3c', ageSeconds: i },
});

describe('printJson', () => {
  test('a terminal gets two-space indentation; a pipe (or a file, or a test) one line; the same value', () => {
    const value = { ok: true, checks: [{ name: 'store', detail: hostile }] };
    const tty = collector(true);
    printJson(tty.out, value);
    expect(tty.text()).toBe(
      '{\n  "ok": true,\n  "checks": [\n    {\n      "name": "store",\n      "detail": "a\\u009b31mb\\u202ec\\u2028d\\u007fe hat_…9f3c \\"quoted\\" \\\\ back"\n    }\n  ]\n}\n',
    );
    for (const isTTY of [false, undefined]) {
      const pipe = collector(isTTY);
      printJson(pipe.out, value);
      expect(pipe.text()).toBe(
        '{"ok":true,"checks":[{"name":"store","detail":"a\\u009b31mb\\u202ec\\u2028d\\u007fe hat_…9f3c \\"quoted\\" \\\\ back"}]}\n',
      );
      expect(JSON.parse(pipe.text())).toEqual(JSON.parse(tty.text()));
    }
  });
});

describe('printJsonList', () => {
  test.each([0, 1, 99, 100, 101, 250])(
    '%i items: the very text printJson prints for the whole object, in a pipe and on a terminal',
    (count) => {
      const items = Array.from({ length: count }, (_, i) => profile(i));
      for (const isTTY of [false, true]) {
        const whole = collector(isTTY);
        printJson(whole.out, { ...head, profiles: items });
        const list = collector(isTTY);
        printJsonList(list.out, head, 'profiles', count, profile);
        expect(list.text()).toBe(whole.text());
        expect(JSON.parse(list.text()).profiles).toHaveLength(count);
      }
    },
  );

  test('in a pipe, a long list is written a slice at a time (no one text of it all); on a terminal at once', () => {
    const pipe = collector(false);
    printJsonList(pipe.out, head, 'profiles', 250, profile);
    expect(pipe.writes.length).toBeGreaterThan(2);
    expect(Math.max(...pipe.writes.map((w) => w.length))).toBeLessThan(pipe.text().length / 2);
    expect(pipe.writes.at(-1)?.endsWith(']}\n')).toBe(true);
    const tty = collector(true);
    printJsonList(tty.out, head, 'profiles', 250, profile);
    expect(tty.writes).toHaveLength(1);
  });
});
