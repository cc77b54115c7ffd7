import { afterEach, describe, expect, it, vi } from 'vitest';
import { debugLog, headerLines, maskBody, maskJson } from '../../source/core/debug.js';
import { startLoopbackServer } from '../../source/core/oauth/loopback-server.js';
import { hit } from './oauth/http-helper.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('ZCHAT_AUTH_DEBUG masking', () => {
  it('is on for any value but empty, 0 or false', () => {
    for (const on of ['1', 'api', 'yes']) expect(debugLog({ ZCHAT_AUTH_DEBUG: on })).toBeTypeOf('function');
    for (const off of [undefined, '', '0', 'false'])
      expect(debugLog({ ZCHAT_AUTH_DEBUG: off })).toBeUndefined();
  });

  it('JSON: secret-named values masked at any depth, every key and other value kept', () => {
    const body = [
      {
        id: 1,
        access_token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1234',
        refresh_token: 'RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR5678',
        nested: { client_secret: 'SSSSSSSSSSSSSSSSSSSSSSSS9999', scopes: 'read write' },
        refresh: null,
      },
    ];
    expect(maskJson(body)).toEqual([
      {
        id: 1,
        access_token: 'AA…1234',
        refresh_token: 'RR…5678',
        nested: { client_secret: 'SS…9999', scopes: 'read write' },
        refresh: null,
      },
    ]);
  });

  it.each([
    [
      'a form',
      'grant_type=authorization_code&code=CODEcode1234567&client_secret=SECRETsecret999',
      'grant_type=authorization_code&code=CO…4567&client_secret=SE…t999',
    ],
    [
      'a JSON text',
      '{"access_token":"tokenTOKEN12345678","token_type":"Bearer"}',
      '{"access_token":"to…5678","token_type":"Bearer"}',
    ],
    ['HTML', '<html>\n<body>Too Many Requests</body></html>', '<html> <body>Too Many Requests</body></html>'],
    ['nothing', '', ''],
  ])('bodies: %s', (_name, body, shown) => {
    expect(maskBody(body)).toBe(shown);
  });

  it('headers: credentials masked after their scheme, names kept', () => {
    expect(
      headerLines('>', {
        Authorization: 'Bearer tokenTOKEN12345678',
        accept: 'application/json',
        skip: undefined,
      }),
    ).toEqual(['> Authorization: Bearer to…5678', '> accept: application/json']);
  });

  it('the loopback server writes every request it sees, code masked, parameter names kept', async () => {
    vi.stubEnv('ZCHAT_AUTH_DEBUG', '1');
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const server = await startLoopbackServer({
      redirectUri: 'http://localhost:0',
      state: 'st',
      mode: 'code',
    });
    try {
      await hit(server.port, '/favicon.ico');
      await hit(server.port, '/?code=secretcode123456&state=st');
    } finally {
      await server.close();
    }
    expect(lines).toEqual([
      '* loopback GET /favicon.ico → 404 ignored (favicon)\n',
      '* loopback GET /?code=se…3456&state=st → 200 accepted (code received)\n',
    ]);
  });
});
