import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toCurl } from '../../../source/core/zendesk/curl.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';

const code = 'AUTHCODE123456789';
const secret = 'sEcReT-0123456789abcdef';
const token = 'tok_abcdef0123456789ZZZZ';

const tokenExchange: HttpExchange = {
  method: 'POST',
  url: 'https://acme.zendesk.com/oauth2/chat/token',
  status: 200,
  durationMs: 12,
  requestHeaders: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
  requestBody: `grant_type=authorization_code&code=${code}&client_id=my_client&client_secret=${secret}&redirect_uri=http%3A%2F%2Flocalhost%3A8080&scope=read%20write`,
  at: 0,
};

const apiExchange: HttpExchange = {
  method: 'GET',
  url: 'https://acme.zendesk.com/api/v2/chat/chats',
  status: 200,
  durationMs: 5,
  requestHeaders: { Accept: 'application/json', Authorization: `Bearer ${token}` },
  at: 0,
};

/** What a POSIX shell makes of the command: the argv curl would get. */
function argvOf(command: string): string[] {
  const script = `set -- ${command.replace(/^curl /, '')}; for a in "$@"; do printf '%s\\0' "$a"; done`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('toCurl', () => {
  it('writes the token request in the tutorial style when revealed', () => {
    expect(toCurl(tokenExchange, { reveal: true })).toBe(
      [
        'curl https://acme.zendesk.com/oauth2/chat/token \\',
        ' -H "Content-Type: application/x-www-form-urlencoded" \\',
        ` -d 'grant_type=authorization_code&code=${code}&client_id=my_client&client_secret=${secret}&redirect_uri=http%3A%2F%2Flocalhost%3A8080&scope=read%20write' \\`,
        ' -X POST',
      ].join('\n'),
    );
  });

  it('masks the code and the client secret unless revealed', () => {
    const masked = toCurl(tokenExchange, { reveal: false });
    expect(masked).not.toContain(code);
    expect(masked).not.toContain(secret);
    expect(masked).toContain('code=AU…6789');
    expect(masked).toContain('client_id=my_client');
    expect(masked).toContain('redirect_uri=http%3A%2F%2Flocalhost%3A8080');
  });

  it('masks the bearer token of an API call and leaves out -X for a GET', () => {
    const masked = toCurl(apiExchange, { reveal: false });
    expect(masked).toBe(
      ['curl https://acme.zendesk.com/api/v2/chat/chats \\', ' -H "Authorization: Bearer tok_…ZZZZ"'].join(
        '\n',
      ),
    );
    expect(toCurl(apiExchange, { reveal: true })).toContain(`Bearer ${token}`);
  });

  it('masks refresh tokens, passwords and secret JSON fields', () => {
    const refresh = toCurl(
      {
        ...tokenExchange,
        requestBody: `grant_type=refresh_token&refresh_token=rt_0123456789abc&client_id=c&client_secret=${secret}`,
      },
      { reveal: false },
    );
    expect(refresh).not.toContain('rt_0123456789abc');
    const password = toCurl(
      {
        ...tokenExchange,
        requestBody: 'grant_type=password&username=u%40x.com&password=hunter2hunter2&client_id=c',
      },
      { reveal: false },
    );
    expect(password).not.toContain('hunter2hunter2');
    expect(password).toContain('username=u%40x.com');
    const json = toCurl(
      {
        method: 'PUT',
        url: 'https://acme.zendesk.com/api/v2/chat/oauth/clients/7',
        durationMs: 1,
        requestHeaders: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        requestBody: JSON.stringify({ client_type: 'confidential', nested: [{ client_secret: secret }] }),
        at: 0,
      },
      { reveal: false },
    );
    expect(json).not.toContain(secret);
    expect(json).toContain('"client_type":"confidential"');
    expect(json).toMatch(/ -X PUT$/);
  });

  it('quotes what the shell would otherwise expand, so the command runs as shown', () => {
    const tricky: HttpExchange = {
      method: 'DELETE',
      url: "https://acme.zendesk.com/api/v2/chat/oauth/tokens/3?x=1&y='2'",
      durationMs: 1,
      requestHeaders: { Authorization: 'Bearer a$b`c"d\\e!f', 'User-Agent': 'zendesk-chat-auth' },
      requestBody: "it's=1",
      at: 0,
    };
    const command = toCurl(tricky, { reveal: true });
    expect(command).not.toContain('User-Agent');
    expect(argvOf(command)).toEqual([
      "https://acme.zendesk.com/api/v2/chat/oauth/tokens/3?x=1&y='2'",
      '-H',
      'Authorization: Bearer a$b`c"d\\e!f',
      '-d',
      "it's=1",
      '-X',
      'DELETE',
    ]);
  });

  it('masks secret parameters in the URL and handles a body that only looks like JSON', () => {
    const command = toCurl(
      {
        method: 'POST',
        url: `https://acme.zendesk.com/oauth2/chat/token?code=${code}`,
        durationMs: 1,
        requestHeaders: { authorization: 'Basic dXNlcjpwYXNzd29yZA==', 'X-Custom': 'plain' },
        requestBody: `{not json&password=${secret}`,
        at: 0,
      },
      { reveal: false },
    );
    expect(command).not.toContain(code);
    expect(command).not.toContain(secret);
    expect(command).not.toContain('dXNlcjpwYXNzd29yZA==');
    expect(command).toContain('-H "X-Custom: plain"');
    expect(argvOf(command)[0]).toContain('code=AU…6789');
  });
});
