import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mask, nodeCrypto, redact, redactParams, sha256Hex } from '../source/core/redact.js';

describe('sha256Hex', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(['', 'hat_0123456789abcdef9f3c', 'ünïcödé ✓ 👍', 'x'.repeat(10_000)])(
    'is the SHA-256 of %#',
    (value) => {
      expect(sha256Hex(value)).toBe(createHash('sha256').update(value).digest('hex'));
    },
  );

  it('makes no Hash object per value where Node hashes in one call (a dashboard hashes 10,000)', () => {
    const crypto = nodeCrypto();
    if (typeof crypto.hash !== 'function') return; // Node before 20.12: one Hash object each, as before
    const made = vi.spyOn(crypto, 'createHash');
    for (let i = 0; i < 100; i++) sha256Hex(`hat_${i}`);
    expect(made).not.toHaveBeenCalled();
  });
});

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
