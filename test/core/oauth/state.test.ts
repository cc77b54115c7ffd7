import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newPkce, newState, pkceChallenge, sameSecret } from '../../../source/core/oauth/state.js';

describe('newState', () => {
  it('is 43 base64url characters (32 random bytes) and different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = newState();
      expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(200);
  });
});

describe('newPkce', () => {
  it('makes an S256 pair whose challenge is the base64url SHA-256 of the verifier', () => {
    const p = newPkce();
    expect(p.method).toBe('S256');
    expect(p.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(p.challenge).toBe(createHash('sha256').update(p.verifier).digest('base64url'));
    expect(p.challenge).not.toContain('=');
    expect(newPkce().verifier).not.toBe(p.verifier);
  });

  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('sameSecret', () => {
  it('is true only for identical strings', () => {
    const s = newState();
    expect(sameSecret(s, `${s}`)).toBe(true);
    expect(sameSecret(s, s.slice(0, -1))).toBe(false);
    expect(sameSecret(s, `${s}x`)).toBe(false);
    expect(sameSecret(s, s.replace(/^./, s[0] === 'a' ? 'b' : 'a'))).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('', 'a')).toBe(false);
    expect(sameSecret('é', 'e')).toBe(false);
  });
});
