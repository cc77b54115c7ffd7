import { expect, test } from 'vitest';
import type { LastTest } from '../../source/core/store/types.js';
import { ago, durationText, formatAge, formatClock, testSentence } from '../../source/ui/format.js';

const now = Date.parse('2025-06-01T12:00:00Z');
const before = (s: number) => new Date(now - s * 1000).toISOString();

test('ages and clocks', () => {
  expect(formatAge(before(2), now)).toBe('just now');
  expect(formatAge(before(42), now)).toBe('42s');
  expect(formatAge(before(5 * 60), now)).toBe('5m');
  expect(formatAge(before(3 * 3600), now)).toBe('3h');
  expect(formatAge(before(3 * 86400), now)).toBe('3d');
  expect(formatAge(undefined, now)).toBe('');
  expect(formatAge('not a date', now)).toBe('');
  expect(ago(before(2), now)).toBe('just now');
  expect(ago(before(120), now)).toBe('2m ago');
  expect(formatClock(300_000)).toBe('5:00');
  expect(formatClock(59_001)).toBe('1:00');
  expect(formatClock(-5)).toBe('0:00');
  expect(durationText(12.4)).toBe('12 ms');
  expect(durationText(undefined)).toBe('');
});

test('every test verdict reads as a sentence with what to do', () => {
  const t = (result: LastTest['result'], status?: number): LastTest => ({
    at: before(1),
    ok: result === 'valid',
    result,
    ...(status ? { status } : {}),
    durationMs: 9,
  });
  expect(testSentence('demo', t('valid', 200))).toBe('demo: the token works (HTTP 200, 9 ms).');
  expect(testSentence('demo', t('expired-or-revoked', 401))).toMatch(/refused .* press r to refresh|Press r/);
  expect(testSentence('demo', t('missing-scope', 403))).toMatch(/chat scope/);
  expect(testSentence('demo', t('rate-limited', 429))).toMatch(/Wait a minute/);
  expect(testSentence('demo', t('server-error', 502))).toMatch(/Try again later/);
  expect(testSentence('demo', t('network'))).toMatch(/could not be reached/);
});
