/**
 * The Zendesk-client fix the hardening pass made: OAuth error strings are read as OAuth errors only from
 * the token endpoint. A REST call answered `{"error": "invalid_request"}` used to say "the token request".
 */
import { describe, expect, test } from 'vitest';
import { errorFromAnswer } from '../../source/core/zendesk/http-errors.js';

const answer = (error: string) => ({
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: { error, description: 'bad value' },
});

describe('errorFromAnswer', () => {
  test.each(['invalid_request', 'invalid_client', 'invalid_grant', 'invalid_scope', 'access_denied'])(
    'a REST 400 with %j is an HTTP refusal, not an OAuth one',
    (error) => {
      const mapped = errorFromAnswer(answer(error), {
        host: 'acme.zendesk.com',
        timeoutMs: 1000,
        endpoint: 'api',
      });
      expect(mapped).toMatchObject({ code: 'bad_request', status: 400, serverError: error });
      expect(mapped.message).toBe('Zendesk refused the request (status 400): bad value.');
    },
  );

  test('the token endpoint still speaks OAuth', () => {
    const mapped = errorFromAnswer(answer('invalid_request'), { host: 'a', timeoutMs: 1, endpoint: 'token' });
    expect(mapped).toMatchObject({ code: 'oauth_error' });
    expect(mapped.message).toMatch(/token request malformed/);
    expect(
      errorFromAnswer(answer('invalid_client'), { host: 'a', timeoutMs: 1, endpoint: 'token' }).code,
    ).toBe('invalid_client');
  });
});
