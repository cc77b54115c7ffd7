/**
 * Tables of hostile text: what the one terminal-safe module makes of it, and the token values refused at
 * receipt (from a token endpoint's JSON and from an implicit redirect's fragment) before anything is stored.
 */
import { describe, expect, test } from 'vitest';
import { fromParams } from '../../source/core/oauth/redirect-parse.js';
import { terminalSafe, terminalSafeJson } from '../../source/core/terminal-safe.js';
import { readTokenReply } from '../../source/core/zendesk/token-client.js';

describe('terminalSafe', () => {
  test.each([
    ['ESC (OSC 52)', 'a\x1b]52;c;eA==\x07b', 'a\\x1b]52;c;eA==\\x07b'],
    ['OSC 8 link', '\x1b]8;;http://x/\x1b\\t', '\\x1b]8;;http://x/\\x1b\\t'],
    ['C1 CSI', 'a\x9b2Jb', 'a\\x9b2Jb'],
    ['NUL and DEL', 'a\x00b\x7f', 'a\\x00b\\x7f'],
    ['bidi override', 'abc\u202edef', 'abc\\u202edef'],
    ['right-to-left mark', 'abc\u200fdef', 'abc\\u200fdef'],
    ['Arabic letter mark', 'abc\u061cdef', 'abc\\u61cdef'],
    ['line separator', 'abc\u2028def', 'abc\\u2028def'],
    ['bidi isolate', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
    ['line break in a field', 'a\nb\r', 'a\\nb\\r'],
    ['tab', 'a\tb', 'a\\tb'],
    ['plain text and emoji untouched', 'Acme “Zendesk” é 🙂', 'Acme “Zendesk” é 🙂'],
  ])('%s', (_label, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  test('keepNewlines keeps only line feeds', () => {
    expect(terminalSafe('one\ntwo\x1b[2J\r', { keepNewlines: true })).toBe('one\ntwo\\x1b[2J\\r');
  });

  test('JSON escapes C1, DEL and bidi as \\u, and still parses to the same value', () => {
    const value = { name: 'a\x9bb\u202ec\x7fd\x1b' };
    const text = terminalSafeJson(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('a token reply is refused whole when a field is hostile', () => {
  const good = { access_token: 'abc123', token_type: 'Bearer', scope: 'read write', refresh_token: 'r1' };
  test.each([
    ['access_token with ESC', { access_token: 'abc\x1b[2J' }, /access_token contains control characters/],
    ['access_token with a space', { access_token: 'abc def' }, /access_token contains spaces/],
    ['access_token over 4 KiB', { access_token: 'a'.repeat(4097) }, /access_token is 4097 characters long/],
    ['refresh_token with C1', { refresh_token: 'r\x9b' }, /refresh_token contains control characters/],
    ['token_type with bidi', { token_type: 'Bea\u202erer' }, /token_type contains control characters/],
    ['token_type with a space', { token_type: 'Bearer x' }, /token_type contains spaces/],
    ['scope with NUL', { scope: 'read\x00' }, /scope contains control characters/],
    ['scope over 4 KiB', { scope: 'read '.repeat(900) }, /scope is 4500 characters long/],
    ['access_token a number', { access_token: 42 }, /access_token is a number, not a string/],
    ['scope a list', { scope: ['read'] }, /scope is a list, not a string/],
    ['token_type an object', { token_type: {} }, /token_type is a object, not a string/],
  ])('%s', (_label, patch, problem) => {
    const read = readTokenReply({ ...good, ...patch }, 'password');
    expect('problem' in read ? read.problem : 'accepted').toMatch(problem);
  });

  test('a good reply keeps its values; expires_in is clamped to 1 s .. ten years', () => {
    const read = (expires: unknown) => {
      const r = readTokenReply({ ...good, expires_in: expires }, 'password');
      return 'token' in r ? r.token.expiresIn : r.problem;
    };
    expect(readTokenReply(good, 'password')).toEqual({
      token: {
        accessToken: 'abc123',
        tokenType: 'Bearer',
        scope: 'read write',
        refreshToken: 'r1',
        grant: 'password',
      },
    });
    expect(read(7200)).toBe(7200);
    expect(read('3600')).toBe(3600);
    expect(read(1e15)).toBe(10 * 365 * 24 * 3600);
    expect(read(0.2)).toBe(1);
    expect(read(-5)).toBeUndefined();
    expect(read('soon')).toBeUndefined();
    expect(read(Number.NaN)).toBeUndefined();
  });
});

describe('an implicit redirect is refused when a token field is hostile', () => {
  const fragment = (extra: string) =>
    new URLSearchParams(`state=s${extra}${extra.includes('access_token') ? '' : '&access_token=abc123'}`);
  test.each([
    ['token_type with ESC', '&token_type=Bearer%1B%5D52%3Bc%3BeA%3D%3D%07', /token_type contains control/],
    ['scope with C1', '&scope=read%C2%9B2J', /scope contains control/],
    ['scope with bidi', '&scope=read%E2%80%AE', /scope contains control/],
    ['a token over 4 KiB', `&access_token=${'a'.repeat(4100)}`, /access_token is \d+ characters long/],
  ])('%s', (_label, extra, problem) => {
    expect(() => fromParams(fragment(extra))).toThrow(problem);
  });

  test('expires_in from a fragment is clamped too', () => {
    const found = fromParams(fragment('&expires_in=99999999999999'));
    expect(found).toMatchObject({ kind: 'token', expiresIn: 10 * 365 * 24 * 3600 });
  });
});
