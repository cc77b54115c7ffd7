import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { isValidSubdomain, normalizeSubdomain } from '../../../source/core/zendesk/subdomain.js';

function refusal(input: string): ZchatError {
  try {
    normalizeSubdomain(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ZchatError);
    return error as ZchatError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('normalizeSubdomain', () => {
  it.each([
    ['acme', 'acme'],
    ['ACME', 'acme'],
    ['  acme  ', 'acme'],
    ['a', 'a'],
    ['a-1-b', 'a-1-b'],
    ['0', '0'],
    ['xn--bcher-kva', 'xn--bcher-kva'],
    ['acme.zendesk.com', 'acme'],
    ['Acme.Zendesk.Com', 'acme'],
    ['https://acme.zendesk.com', 'acme'],
    ['https://acme.zendesk.com/', 'acme'],
    ['https://acme.zendesk.com/agent/dashboard?x=1#y', 'acme'],
    ['HTTPS://ACME.ZENDESK.COM/chat', 'acme'],
    ['http://acme.zendesk.com', 'acme'],
    ['https://acme.zendesk.com?x=1', 'acme'],
    [`${'a'.repeat(63)}`, 'a'.repeat(63)],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeSubdomain(input)).toBe(expected);
    expect(isValidSubdomain(input)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['acme.example.com', /not a zendesk\.com address/],
    ['acme.zendesk.com.evil.com', /not a zendesk\.com address/],
    ['a.b.zendesk.com', /not a zendesk\.com address/],
    ['zendesk.com', /not a zendesk\.com address/],
    ['acme.zendesk.com.', /not a zendesk\.com address/],
    ['https://acme.example.com/', /not a zendesk\.com address/],
    ['acme/agent', /slashes/],
    ['acme.zendesk.com/agent', /slashes/],
    ['ac me', /spaces/],
    ['ac\tme', /ASCII/],
    ['äcme', /ASCII/],
    ['acme😀', /ASCII/],
    ['-acme', /hyphen/],
    ['acme-', /hyphen/],
    ['ac_me', /letters, digits and hyphens/],
    ['a'.repeat(64), /63/],
    ['ftp://acme.zendesk.com', /Only https/],
    ['javascript:alert(1)', /Only https/],
    ['mailto:a@acme.zendesk.com', /Only https/],
    ['https://user:pw@acme.zendesk.com', /user name or password/],
    ['acme:8080', /port/],
    ['https://acme.zendesk.com:8443/', /port/],
    ['https://', /empty/],
    ['acme?x', /slashes or other URL parts/],
  ])('refuses %j', (input, pattern) => {
    const error = refusal(input);
    expect(error.code).toBe('invalid_subdomain');
    expect(error.message).toMatch(pattern);
    expect(error.message).toMatch(/e\.g\. acme for acme\.zendesk\.com\.$/);
    expect(error.message).not.toContain('\n');
    expect(isValidSubdomain(input)).toBe(false);
  });

  it('never echoes the input (a pasted redirect URL may carry a code)', () => {
    const error = refusal('http://localhost:8080/?code=SECRETCODE123&state=x');
    expect(error.message).not.toContain('SECRETCODE123');
    expect(error.message).not.toContain('localhost');
  });

  it('accepts exactly the DNS-label rule for bare values (property)', () => {
    const rule = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09-._/ :é'.split('')), maxLength: 70 }), (s) => {
        const trimmed = s.trim();
        expect(isValidSubdomain(s)).toBe(
          rule.test(trimmed) ||
            (/^[a-z0-9-]+\.zendesk\.com$/i.test(trimmed) && rule.test(trimmed.split('.')[0]!)),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
