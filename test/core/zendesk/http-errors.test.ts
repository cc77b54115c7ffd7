import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import {
  type ErrorContext,
  errorFromAnswer,
  mapHttpError,
  ProxyConnectError,
  parseRetryAfter,
  seconds,
  unexpectedBody,
} from '../../../source/core/zendesk/http-errors.js';

const api: ErrorContext = { host: 'acme.zendesk.com', timeoutMs: 15_000, endpoint: 'api' };
const token: ErrorContext = { ...api, endpoint: 'token', grant: 'authorization_code' };
const json = { 'content-type': 'application/json; charset=utf-8' };
const html = { 'content-type': 'text/html' };

function answer(status: number, body: unknown, headers: Record<string, string> = json) {
  return { status, headers, body };
}

function nodeError(code: string, message = `connect ${code} 1.2.3.4:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('errorFromAnswer: OAuth errors from the token endpoint', () => {
  it('invalid_client says the ID/secret is wrong or the client is not confidential, with a hint', () => {
    const error = errorFromAnswer(answer(401, { error: 'invalid_client' }), token);
    expect(error).toBeInstanceOf(ZchatError);
    expect(error.code).toBe('invalid_client');
    expect(error.message).toBe('The client ID or secret is wrong, or the client is not confidential.');
    expect(error.hint).toMatch(/zchat-auth clients confidential ID/);
    expect(error.status).toBe(401);
    expect(error.serverError).toBe('invalid_client');
  });

  it('invalid_grant names what was spent, by grant', () => {
    expect(errorFromAnswer(answer(400, { error: 'invalid_grant' }), token).message).toMatch(
      /authorization code was already used, has expired/,
    );
    expect(
      errorFromAnswer(answer(400, { error: 'invalid_grant' }), { ...token, grant: 'refresh_token' }).message,
    ).toBe('The refresh token was already used, or has expired.');
    expect(
      errorFromAnswer(answer(400, { error: 'invalid_grant' }), { ...token, grant: 'password' }).message,
    ).toMatch(/username or password is wrong/);
  });

  it.each([
    ['invalid_scope', 'invalid_scope', /requested scopes/],
    ['unsupported_grant_type', 'unsupported_grant_type', /does not accept this grant type/],
    ['unauthorized_client', 'invalid_client', /may not use this grant type/],
    ['access_denied', 'access_denied', /Access was denied/],
    ['invalid_request', 'oauth_error', /malformed\.$/],
  ])('%s → %s', (serverError, code, pattern) => {
    const error = errorFromAnswer(answer(400, { error: serverError }), token);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(pattern);
    expect(error.serverError).toBe(serverError);
  });

  it('invalid_scope names the client’s allowed scopes (from Zendesk’s words, else read write), never chat', () => {
    const named = errorFromAnswer(
      answer(400, {
        error: 'invalid_scope',
        error_description: 'The requested scope is invalid. This client allows: read.',
      }),
      token,
    );
    expect(named.hint).toBe(
      'This client allows: read. Ask for those (--scope "read"); a Chat client holds read and write only.',
    );
    const bare = errorFromAnswer(answer(400, { error: 'invalid_scope' }), token);
    expect(bare.hint).toMatch(/^This client allows: read write\./);
    for (const e of [named, bare]) expect(e.hint).not.toMatch(/\bchat\b(?! client)/i);
  });

  it('a 403 from the REST API never suggests the chat scope', () => {
    const error = errorFromAnswer(answer(403, { error: 'Forbidden' }), api);
    expect(error.hint).toContain('read write');
    expect(error.hint).not.toMatch(/\bchat\b/);
  });

  it('quotes a description, masked and on one line', () => {
    const error = errorFromAnswer(
      answer(400, {
        error: 'invalid_request',
        error_description: 'bad\ncode=ABCDEFGHIJKL and sEcReT-123456 seen',
      }),
      { ...token, secrets: ['sEcReT-123456'] },
    );
    expect(error.message).toBe(
      'Zendesk called the token request malformed: bad code=AB…IJKL and sE…3456 seen.',
    );
  });

  it('an unknown OAuth error or a bare 400 is oauth_error; 401/403 without JSON is invalid_client', () => {
    const unknown = errorFromAnswer(
      answer(400, { error: 'weird_thing', description: 'x'.repeat(500) }),
      token,
    );
    expect(unknown.code).toBe('oauth_error');
    expect(unknown.serverError).toBe('weird_thing');
    expect(unknown.message.length).toBeLessThan(300);
    expect(errorFromAnswer(answer(400, ''), token).message).toBe(
      'Zendesk refused the token request (status 400).',
    );
    expect(errorFromAnswer(answer(401, { error: 'Unauthorized' }), token).code).toBe('invalid_client');
    expect(errorFromAnswer(answer(403, ''), token).code).toBe('invalid_client');
    expect(errorFromAnswer(answer(404, ''), token).message).toBe(
      'There is no token endpoint at acme.zendesk.com (status 404).',
    );
  });
});

describe('errorFromAnswer: the REST API', () => {
  it('401 → the token is expired or revoked', () => {
    const error = errorFromAnswer(answer(401, { error: 'Unauthorized', description: 'Invalid token' }), api);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe('The token is expired or revoked, or is not a Zendesk Chat token.');
    expect(error.serverError).toBe('Unauthorized');
    expect(error.hint).toMatch(/zchat-auth refresh/);
  });

  it('403 → missing scope or role', () => {
    const error = errorFromAnswer(answer(403, { error: 'Forbidden' }), api);
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/lacks a needed scope/);
  });

  it('404 → not found', () => {
    expect(errorFromAnswer(answer(404, { error: 'Not Found' }), api).code).toBe('not_found');
  });

  it('429 → rate limited with the Retry-After seconds', () => {
    const error = errorFromAnswer(
      answer(429, { error: 'Too Many Requests' }, { ...json, 'retry-after': '7' }),
      api,
    );
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(7);
    expect(error.message).toBe('Zendesk is limiting the request rate; try again in 7 seconds.');
    const noHeader = errorFromAnswer(answer(429, ''), api);
    expect(noHeader.retryAfter).toBeUndefined();
    expect(noHeader.message).toMatch(/in a minute/);
  });

  it('an HTML page → html_response naming the status, even for a 200 or a 5xx', () => {
    const page = '<!doctype html><html><body>Bad gateway</body></html>';
    const error = errorFromAnswer(answer(502, page, html), api);
    expect(error.code).toBe('html_response');
    expect(error.message).toBe('Zendesk answered with a web page (status 502) instead of JSON.');
    expect(error.hint).toMatch(/proxy/);
    expect(errorFromAnswer(answer(500, ' <html>', {}), token).code).toBe('html_response');
    expect(unexpectedBody(answer(200, page, html), api, 'the chats').code).toBe('html_response');
  });

  it('5xx → server error; 408 → timeout; 3xx → redirected; other 4xx → bad_request', () => {
    expect(errorFromAnswer(answer(503, { error: 'down' }), api)).toMatchObject({
      code: 'server_error',
      status: 503,
    });
    expect(errorFromAnswer(answer(500, 'oops', { 'content-type': 'text/plain' }), api).message).toBe(
      'Zendesk had a server error (status 500).',
    );
    expect(errorFromAnswer(answer(408, ''), api).code).toBe('timeout');
    expect(errorFromAnswer(answer(302, ''), api).message).toMatch(/redirected elsewhere \(status 302\)/);
    const invalid = errorFromAnswer(
      answer(422, { error: 'Unprocessable', description: 'name is required' }),
      api,
    );
    expect(invalid.code).toBe('bad_request');
    expect(invalid.message).toBe('Zendesk refused the request (status 422): name is required.');
    expect(errorFromAnswer(answer(400, '{"error": "x"'), api).message).toBe(
      'Zendesk refused the request (status 400).',
    );
    expect(errorFromAnswer(answer(400, '{"error": "Bad"}'), api).serverError).toBe('Bad');
    expect(errorFromAnswer(answer(200, 'text', {}), api).code).toBe('bad_response');
    expect(unexpectedBody(answer(200, { chats: 1 }), api, 'the chats list').message).toBe(
      "Zendesk's answer (status 200) is missing the chats list.",
    );
  });
});

describe('mapHttpError: failures without an answer', () => {
  it.each([
    ['ECONNREFUSED', 'Could not reach acme.zendesk.com: the connection was refused.'],
    ['ENOTFOUND', 'Could not reach acme.zendesk.com: the name does not resolve.'],
    ['EAI_AGAIN', 'Could not reach acme.zendesk.com: the name does not resolve.'],
    ['ECONNRESET', 'The connection to acme.zendesk.com was cut before Zendesk answered.'],
    ['EPIPE', 'The connection to acme.zendesk.com was cut before Zendesk answered.'],
    ['EHOSTUNREACH', 'Could not reach acme.zendesk.com: the network is unreachable.'],
    ['CERT_HAS_EXPIRED', 'The TLS certificate of acme.zendesk.com is not trusted (CERT_HAS_EXPIRED).'],
    ['EWHATEVER', 'The connection to acme.zendesk.com failed (EWHATEVER).'],
  ])('%s → network', (code, message) => {
    const error = mapHttpError(nodeError(code), api);
    expect(error.code).toBe('network');
    expect(error.message).toBe(message);
    expect(error.hint).toBeTruthy();
  });

  it('a timeout names the host and the seconds', () => {
    const error = mapHttpError(
      Object.assign(new Error("Timeout awaiting 'request' for 1500ms"), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
      {
        ...api,
        timeoutMs: 1500,
      },
    );
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('acme.zendesk.com did not answer within 1.5 seconds.');
  });

  it('maps got-shaped errors with a response, parse failures and redirects', () => {
    const response = { statusCode: 401, headers: json, body: { error: 'Unauthorized' } };
    expect(mapHttpError(Object.assign(new Error('x'), { name: 'HTTPError', response }), api).code).toBe(
      'unauthorized',
    );
    const parse = { statusCode: 200, headers: html, body: '<html>' };
    expect(
      mapHttpError(
        Object.assign(new Error('x'), {
          name: 'ParseError',
          code: 'ERR_BODY_PARSE_FAILURE',
          response: parse,
        }),
        api,
      ).code,
    ).toBe('html_response');
    const textParse = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: 'nope' };
    expect(
      mapHttpError(Object.assign(new Error('x'), { name: 'ParseError', response: textParse }), api).code,
    ).toBe('bad_response');
    const redirects = { statusCode: 302, headers: {}, body: '' };
    expect(
      mapHttpError(
        Object.assign(new Error('x'), { code: 'ERR_TOO_MANY_REDIRECTS', response: redirects }),
        api,
      ).message,
    ).toMatch(/kept redirecting/);
    expect(
      mapHttpError(Object.assign(new Error('x'), { response: { statusCode: 500, headers: null } }), api).code,
    ).toBe('server_error');
  });

  it('cancellation, socket hang-ups, strays and ZchatErrors', () => {
    expect(mapHttpError(Object.assign(new Error('x'), { name: 'CancelError' }), api).code).toBe('cancelled');
    // Node's socket hang-up, as got passes it on: read by its code.
    expect(mapHttpError(nodeError('ECONNRESET'), api).message).toMatch(/was cut/);
    expect(mapHttpError('a string', api).message).toBe(
      'The request to acme.zendesk.com failed before Zendesk answered.',
    );
    expect(mapHttpError(Object.assign(new Error('x'), { code: 'ERR_GOT_REQUEST_ERROR' }), api).code).toBe(
      'network',
    );
    const own = new ZchatError('usage', 'x');
    expect(mapHttpError(own, api)).toBe(own);
  });

  it('blames the proxy when one is in use', () => {
    const viaProxy = { ...api, proxy: { url: 'http://user:pw@proxy.corp:3128/', variable: 'HTTPS_PROXY' } };
    const refused = mapHttpError(nodeError('ECONNREFUSED'), viaProxy);
    expect(refused.message).toBe('Could not reach the proxy proxy.corp:3128 (from HTTPS_PROXY).');
    expect(inspect(refused)).not.toContain('pw');
    // As got hands them over: its own error, with the code and the proxy's error as the cause.
    const viaGot = (cause: ProxyConnectError) =>
      Object.assign(new Error('x'), { name: 'RequestError', code: cause.code, cause });
    const auth = mapHttpError(viaGot(new ProxyConnectError('ERR_PROXY_REFUSED', 407)), viaProxy);
    expect(auth.message).toBe(
      'The proxy proxy.corp:3128 (from HTTPS_PROXY) would not connect to acme.zendesk.com (status 407).',
    );
    expect(auth.hint).toMatch(/credentials/);
    expect(mapHttpError(viaGot(new ProxyConnectError('ERR_PROXY_REFUSED', 502)), viaProxy).hint).toMatch(
      /NO_PROXY/,
    );
    expect(mapHttpError(new ProxyConnectError('ERR_PROXY_TIMEOUT'), viaProxy).code).toBe('timeout');
    expect(mapHttpError(nodeError('ECONNRESET'), viaProxy).message).toMatch(/was cut/);
    expect(
      mapHttpError(nodeError('ECONNREFUSED'), { ...api, proxy: { url: '::bad', variable: 'HTTP_PROXY' } })
        .message,
    ).toBe('Could not reach the proxy the proxy (from HTTP_PROXY).');
  });
});

describe('control flow reads codes, never message text', () => {
  const viaProxy = { ...api, proxy: { url: 'http://proxy.corp:3128/', variable: 'HTTPS_PROXY' } };

  it.each([
    ['Bad response: 407', 'ERR_PROXY_REFUSED', 407],
    ['Bad response: 502', 'ERR_PROXY_REFUSED', 502],
    ['Proxy timeout', 'ERR_PROXY_TIMEOUT', undefined],
  ])('hpagent\'s "%s" gets the code %s where hpagent hands it over', (text, code, status) => {
    const coded = ProxyConnectError.fromHpagent(new Error(text));
    expect(coded).toBeInstanceOf(ProxyConnectError);
    expect((coded as ProxyConnectError).code).toBe(code);
    expect((coded as ProxyConnectError).proxyStatus).toBe(status);
  });

  it.each(['Bad response: 407', 'Proxy timeout', 'socket hang up'])(
    'an uncoded error saying "%s" is just a failed request',
    (text) => {
      const error = mapHttpError(new Error(text), viaProxy);
      expect(error.code).toBe('network');
      expect(error.message).toBe('The request to acme.zendesk.com failed before Zendesk answered.');
    },
  );

  it('any other error from the agent is passed on as it is', () => {
    const other = nodeError('ECONNREFUSED');
    expect(ProxyConnectError.fromHpagent(other)).toBe(other);
  });
});

describe('helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('says seconds the way people do', () => {
    expect(seconds(1000)).toBe('1 second');
    expect(seconds(15_000)).toBe('15 seconds');
    expect(seconds(250)).toBe('0.3 seconds');
  });
});
