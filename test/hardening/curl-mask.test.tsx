/**
 * The curl copy (`e`) and the details pane mask secrets by parsed form field and header, not by pattern:
 * a client secret, code, password or token holding an apostrophe, a quote, a space or a shell character
 * shows only its mask, and the masked command still parses as one shell word per option.
 */
import { execFileSync } from 'node:child_process';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { toCurl } from '../../source/core/zendesk/curl.js';
import type { HttpExchange } from '../../source/core/zendesk/types.js';
import { DetailsPane } from '../../source/ui/components/DetailsPane.js';

afterEach(() => cleanup());

const tails = [
  ['an apostrophe', "cs'TAIL-SECRET-1"],
  ['a double quote', 'cs"TAIL-SECRET-2'],
  ['a space', 'cs TAIL-SECRET-3'],
  ['shell characters', 'cs$(TAIL)`x`;TAIL-SECRET-4'],
  ['a backslash and a hash', 'cs\\#TAIL-SECRET-5'],
  ['an ampersand and an equals sign', 'cs&x=TAIL-SECRET-6'],
] as const;

/** The form as http.ts encodes it: encodeURIComponent leaves ' ( ) ! * ~ as they are. */
const form = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

function exchanges(secret: string): [string, HttpExchange][] {
  const base = { status: 200, durationMs: 3, at: Date.now() };
  return [
    [
      'token POST form',
      {
        ...base,
        method: 'POST',
        url: 'https://acme.zendesk.com/oauth2/chat/token',
        requestHeaders: { 'Content-Type': 'application/x-www-form-urlencoded' },
        requestBody: form({
          grant_type: 'password',
          username: 'agent@acme.example',
          password: secret,
          client_id: 'my_client',
          client_secret: secret,
          code: secret,
          refresh_token: secret,
          scope: 'read write',
        }),
      },
    ],
    [
      'query and fragment',
      {
        ...base,
        method: 'GET',
        url: `http://localhost:8080/?code=${encodeURIComponent(secret)}&state=s#access_token=${encodeURIComponent(secret)}`,
        requestHeaders: {},
      },
    ],
    [
      'Authorization header',
      {
        ...base,
        method: 'GET',
        url: 'https://acme.zendesk.com/api/v2/chat/chats',
        requestHeaders: { Authorization: `Bearer ${secret}`, 'Proxy-Authorization': `Basic ${secret}` },
      },
    ],
  ];
}

/** What a POSIX shell makes of the command: the argv curl would get. */
function argvOf(command: string): string[] {
  const script = `set -- ${command.replace(/^curl /, '')}; for a in "$@"; do printf '%s\\0' "$a"; done`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('the masked curl copy', () => {
  for (const [what, secret] of tails) {
    for (const [kind, exchange] of exchanges(secret)) {
      test(`a secret with ${what}, in the ${kind}`, () => {
        const masked = toCurl(exchange, { reveal: false });
        const tail = secret.slice(3, -4);
        expect(masked).not.toContain(tail);
        expect(masked).not.toContain(encodeURIComponent(tail));
        // Still a command a shell reads as intended: the URL first, options after.
        expect(argvOf(masked)[0]).toMatch(/^https?:\/\//);
        // Revealed, it is the exact request again.
        const revealed = argvOf(toCurl(exchange, { reveal: true }));
        if (exchange.requestBody) expect(revealed).toContain(exchange.requestBody);
        else expect(revealed[0]).toBe(exchange.url);
      });
    }
  }

  test('fields that are not secret stay readable', () => {
    const [, exchange] = exchanges("cs'TAIL-SECRET-1")[0]!;
    const masked = toCurl(exchange, { reveal: false });
    expect(masked).toContain('username=agent%40acme.example');
    expect(masked).toContain('client_id=my_client');
    expect(masked).toContain('scope=read%20write');
    expect(masked).toContain('client_secret=cs…ET-1');
  });
});

describe('the details pane', () => {
  for (const [what, secret] of tails) {
    test(`a secret with ${what} shows only its mask, expanded, with the curl lines`, async () => {
      for (const [, exchange] of exchanges(secret)) {
        const { lastFrame, unmount } = render(
          <DetailsPane
            selection={undefined}
            exchange={exchange}
            reveal={false}
            height={40}
            width={400}
            isFocused
            expanded
            sandbox={false}
          />,
        );
        await new Promise((resolve) => setTimeout(resolve, 0));
        const frame = lastFrame() ?? '';
        expect(frame).toContain('curl');
        expect(frame).not.toContain(secret.slice(3, -4));
        unmount();
      }
    });
  }
});
