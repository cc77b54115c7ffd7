import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { parseRedirect } from '../../../source/core/oauth/redirect-parse.js';

function usageError(input: string): ZchatError {
  try {
    parseRedirect(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ZchatError);
    return error as ZchatError;
  }
  throw new Error(`parsed: ${input}`);
}

describe('parseRedirect', () => {
  it('reads a code redirect URL with state', () => {
    expect(parseRedirect('http://localhost:8080/?code=abc123&state=xyz')).toEqual({
      kind: 'code',
      code: 'abc123',
      state: 'xyz',
    });
    expect(parseRedirect('http://localhost:8080/callback?state=s&code=c0de')).toEqual({
      kind: 'code',
      code: 'c0de',
      state: 's',
    });
  });

  it('reads an implicit redirect fragment', () => {
    expect(
      parseRedirect(
        'http://localhost:8080/#access_token=tok_123&token_type=Bearer&scope=read%20write&expires_in=3600&state=s1',
      ),
    ).toEqual({
      kind: 'token',
      accessToken: 'tok_123',
      tokenType: 'Bearer',
      scope: 'read write',
      expiresIn: 3600,
      state: 's1',
    });
    // token_type defaults, a junk expires_in is dropped, + means space in scope
    expect(parseRedirect('#access_token=t0k&scope=read+chat&expires_in=soon')).toEqual({
      kind: 'token',
      accessToken: 't0k',
      tokenType: 'Bearer',
      scope: 'read chat',
    });
  });

  it('reads errors from the query or the fragment', () => {
    expect(
      parseRedirect('http://localhost:8080/?error=access_denied&error_description=The+user+denied&state=s'),
    ).toEqual({ kind: 'error', error: 'access_denied', description: 'The user denied', state: 's' });
    expect(parseRedirect('http://localhost:8080/#error=access_denied')).toEqual({
      kind: 'error',
      error: 'access_denied',
    });
    // an error wins over a code
    expect(parseRedirect('?code=abc&error=server_error').kind).toBe('error');
  });

  it('reads bare query and fragment strings and a bare code', () => {
    expect(parseRedirect('code=abc123&state=xyz')).toEqual({ kind: 'code', code: 'abc123', state: 'xyz' });
    expect(parseRedirect('?code=abc123')).toEqual({ kind: 'code', code: 'abc123' });
    expect(parseRedirect('access_token=t0k3n&state=q')).toMatchObject({
      kind: 'token',
      accessToken: 't0k3n',
    });
    expect(parseRedirect('#access_token=t0k3n')).toMatchObject({ kind: 'token', accessToken: 't0k3n' });
    expect(parseRedirect('AbC-123_x.y~z')).toEqual({ kind: 'code', code: 'AbC-123_x.y~z', bare: true });
  });

  it('trims whitespace, quotes, angle brackets and line breaks from terminal wrapping', () => {
    const want = { kind: 'code', code: 'abc123', state: 'xyz' };
    expect(parseRedirect('  "http://localhost:8080/?code=abc123&state=xyz"\n')).toEqual(want);
    expect(parseRedirect("'<http://localhost:8080/?code=abc123&state=xyz>'")).toEqual(want);
    expect(parseRedirect('`code=abc123&state=xyz`')).toEqual(want);
    expect(parseRedirect('“http://localhost:8080/?code=abc1\n23&state=xyz”')).toEqual(want);
    expect(parseRedirect('\t<abc123>  ')).toEqual({ kind: 'code', code: 'abc123', bare: true });
  });

  it('reads an implicit token from the query string as well as from the fragment', () => {
    expect(
      parseRedirect('http://localhost:8080/?access_token=t0k3n&token_type=Bearer&scope=read&state=s'),
    ).toEqual({ kind: 'token', accessToken: 't0k3n', tokenType: 'Bearer', scope: 'read', state: 's' });
    expect(parseRedirect('https://example.com/?access_token=t0k3n')).toMatchObject({ kind: 'token' });
  });

  it('takes a URL without a scheme or a relative path', () => {
    expect(parseRedirect('localhost:8080/?code=abc123&state=xyz')).toMatchObject({
      code: 'abc123',
      state: 'xyz',
    });
    expect(parseRedirect('/callback?code=abc123')).toMatchObject({ code: 'abc123' });
  });

  it('refuses junk with a one-line usage error', () => {
    for (const junk of [
      '',
      '   ',
      '""',
      'hello world',
      'no',
      'http://localhost:8080/',
      'http://localhost:8080/?foo=bar',
      'foo=bar&baz=1',
      'http://[bad',
      'code=a b',
      '?code=%20',
      'x'.repeat(20_000),
      'code=\u0001abc',
    ]) {
      const error = usageError(junk);
      expect(error.code).toBe('usage');
      expect(error.message).not.toContain('\n');
      expect(error.message.length).toBeGreaterThan(20);
    }
  });

  it('never throws anything but a usage ZchatError, and never echoes the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        try {
          const result = parseRedirect(input);
          expect(['code', 'token', 'error']).toContain(result.kind);
        } catch (error) {
          expect(error).toBeInstanceOf(ZchatError);
          expect((error as ZchatError).code).toBe('usage');
          if (input.trim().length > 8) expect((error as ZchatError).message).not.toContain(input.trim());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any code and state put into a redirect URL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w.~-]{4,60}$/), fc.stringMatching(/^[\w-]{1,60}$/), (code, state) => {
        const url = `http://localhost:8080/?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`;
        expect(parseRedirect(url)).toEqual({ kind: 'code', code, state });
      }),
    );
  });
});
