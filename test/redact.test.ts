import { describe, expect, it } from 'vitest';
import { mask, redact, redactParams } from '../source/core/redact.js';

describe('redact', () => {
  it('masks a token to prefix and last four', () => {
    expect(mask('hat_0123456789abcdef9f3c')).toBe('hat_…9f3c');
    expect(mask('abcdefghijklmnop')).toBe('ab…mnop');
    expect(mask('short')).toBe('…');
  });

  it('replaces every secret and its URL-encoded form', () => {
    const secret = 'sec/ret+value==';
    const text = `a ${secret} b ${encodeURIComponent(secret)}`;
    expect(redact(text, [secret])).not.toContain(secret);
    expect(redact(text, [secret])).not.toContain(encodeURIComponent(secret));
  });

  it('masks secret parameters in URLs', () => {
    const out = redactParams(
      'http://localhost:8080/?code=abcdefghijkl&state=xyz#access_token=tok_1234567890',
    );
    expect(out).not.toContain('abcdefghijkl');
    expect(out).not.toContain('tok_1234567890');
    expect(out).toContain('state=xyz');
  });
});
