import { createServer } from 'node:net';
import { beforeEach, describe, expect, test } from 'vitest';
import { App, type UiLogin } from '../../../source/ui/app.js';
import {
  b64,
  clipboardWrites,
  consent,
  flat,
  keys,
  makeWorld,
  press,
  render,
  screenTestHooks,
  type World,
  waitFor,
} from '../helpers.js';

let w: World;
let exits: { code: number; farewell?: string }[];

beforeEach(async () => {
  exits = [];
});
screenTestHooks({ world: () => w });

function loginFlags(o: Partial<UiLogin> = {}): UiLogin {
  return {
    profile: 'work',
    subdomain: w.sandbox.demo.subdomain,
    baseUrl: w.sandbox.url,
    clientId: w.client.clientId,
    clientSecret: w.client.clientSecret,
    redirectUri: w.client.redirectUri,
    scopes: ['read', 'write'],
    timeoutMs: 60_000,
    ...o,
  };
}

function start(
  login: UiLogin,
  o: { sandbox?: boolean; start?: 'login' | 'wizard' | 'dashboard'; temporaryStore?: boolean } = {},
) {
  return render(
    <App
      services={w.services}
      start={o.start ?? 'login'}
      login={login}
      {...(o.sandbox === false ? {} : { sandbox: w.sandbox })}
      {...(o.temporaryStore ? { temporaryStore: true } : {})}
      onExit={(code, farewell) => exits.push({ code, ...(farewell ? { farewell } : {}) })}
    />,
  );
}

const portOf = (uri: string) => Number(new URL(uri).port);

async function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('waiting panel', () => {
  test('every flag given: straight to the panel; a approves in the sandbox; the token is stored; enter → dashboard', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags());
    await waitFor(() => expect(w.opened).toHaveLength(1));
    const url = w.opened[0]!;
    const port = portOf(w.client.redirectUri);
    await waitFor(() => {
      const frame = lastFrame() ?? '';
      expect(frame).toContain(`Listening on 127.0.0.1:${port} and [::1]:${port}`);
      expect(frame).toContain('Browser: not opened (no display in the test)');
      expect(frame).toMatch(/0:[56]\d left/);
      expect(frame).toContain('press a to approve in the emulator');
      expect(frame).toContain('none yet');
    });
    // The whole URL is on screen (wrapped, never cut).
    expect(flat(lastFrame())).toContain(url);
    expect(url).toContain('response_type=code');

    const before = w.sandbox.stats.tokensIssued.authorization_code ?? 0;
    await press(stdin, 'a');
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/accepted +200 GET \/\?code=/);
    expect(frame).toContain('✓ Redirect received (loopback): an authorization code');
    expect(frame).toContain('✓ Exchanging the code for a token (authorization_code)');
    expect(frame).toContain('with a refresh token');
    expect(frame).toContain('$(zchat-auth token --profile work)');
    expect(w.sandbox.stats.tokensIssued.authorization_code).toBe(before + 1);
    const stored = w.store.get('work');
    expect(stored?.token?.grant).toBe('authorization_code');
    expect(w.sandbox.isTokenValid(stored!.token!.accessToken)).toBe(true);
    // The token itself is never on screen: only its mask.
    expect(frame).not.toContain(stored!.token!.accessToken);
    expect(await canBind(port)).toBe(true);

    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Stored a new token as work. Press t to test it.'));
    expect(lastFrame()).toContain('› work');
  });

  test('o opens the browser again; y copies the URL through OSC 52 and says so', async () => {
    w = await makeWorld({ browserOpens: true });
    const { lastFrame, stdin, frames } = start(loginFlags());
    await waitFor(() => expect(lastFrame()).toContain('Browser: opened'));
    await press(stdin, 'o');
    await waitFor(() => expect(w.opened).toHaveLength(2));
    expect(w.opened[1]).toBe(w.opened[0]);
    await press(stdin, 'y');
    await waitFor(() =>
      expect(lastFrame()).toContain('Authorize URL: Copied via OSC 52 (terminal clipboard).'),
    );
    expect(frames.join('')).toContain(`\x1b]52;c;${b64(w.opened[0]!)}\x07`);
    expect(clipboardWrites(frames)).toEqual([w.opened[0]]);
  });

  test('p: a refused paste shows why and keeps waiting; the real redirected URL then finishes it', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags());
    // Keys go by what is on screen: the panel shows its keys once the URL is there.
    await waitFor(() => expect(lastFrame()).toContain('o open browser'));
    await press(stdin, 'p');
    await waitFor(() => expect(lastFrame()).toContain('Paste the redirected URL:'));
    await press(stdin, `${w.client.redirectUri}/?code=abcdef123456&state=not-this-login`);
    await waitFor(() => expect(lastFrame()).toMatch(/code=ab…3456&state=/));
    expect(lastFrame()).not.toContain('abcdef123456');
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('belongs to another login'));
    expect(lastFrame()).toContain('Still waiting.');
    expect(lastFrame()).toMatch(/left/);

    // esc leaves the paste input only; the login keeps waiting.
    await press(stdin, 'p');
    await waitFor(() => expect(lastFrame()).toContain('Paste the redirected URL'));
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).not.toContain('Paste the redirected URL'));
    expect(lastFrame()).toContain('o open browser');

    const location = await consent(w.opened[0]!);
    await press(stdin, 'p');
    await press(stdin, location);
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    expect(lastFrame()).toContain('Redirect received (pasted)');
  });

  test('paste only: a bare code is refused at p, and taken at c (paste a bare code, chosen as such)', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags({ listen: false }));
    await waitFor(() => expect(lastFrame()).toContain('Not listening'));
    const location = await consent(w.opened[0]!);
    const code = new URL(location).searchParams.get('code')!;
    await press(stdin, 'p');
    await press(stdin, code);
    await press(stdin, keys.enter);
    await waitFor(() =>
      expect(flat(lastFrame())).toContain(flat('That is a bare code, which carries no state to check')),
    );
    expect(w.sandbox.stats.tokenRequests.authorization_code).toBeUndefined();
    expect(lastFrame()).toContain('c paste a bare code');
    await press(stdin, 'c');
    await waitFor(() => expect(lastFrame()).toContain('Paste the bare code (it has no state to check):'));
    await press(stdin, code);
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
  });

  test('a redirect without the state: the panel asks y/n; n keeps waiting, y stores the token', async () => {
    w = await makeWorld({ sandbox: { echoState: false } });
    const { lastFrame, stdin, frames } = start(loginFlags());
    await waitFor(() => expect(w.opened).toHaveLength(1));
    const page = await fetch(await consent(w.opened[0]!));
    expect(await page.text()).toContain('The terminal is asking whether you just pressed Allow');
    const question = flat(
      'Zendesk returned the code without the state it was sent (in the browser). Did you just press Allow for this login? y takes it, n drops it and keeps waiting.',
    );
    await waitFor(() => expect(flat(lastFrame())).toContain(question));
    expect(lastFrame()).toContain('y yes, take it · n no, keep waiting · esc cancel');
    await press(stdin, 'n');
    await waitFor(() => expect(lastFrame()).toContain('Dropped that redirect; still waiting.'));
    expect(flat(lastFrame())).not.toContain(question);
    expect(w.sandbox.stats.tokenRequests.authorization_code).toBeUndefined();
    // y and n answered the question: nothing was copied.
    expect(clipboardWrites(frames)).toEqual([]);

    await fetch(await consent(w.opened[0]!));
    await waitFor(() => expect(flat(lastFrame())).toContain(question));
    await press(stdin, 'y');
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    expect(w.store.get('work')?.token?.accessToken).toBeTruthy();
  });

  test('a wrong state is refused outright, without a question', async () => {
    w = await makeWorld();
    const { lastFrame } = start(loginFlags());
    await waitFor(() => expect(w.opened).toHaveLength(1));
    const location = new URL(await consent(w.opened[0]!));
    location.searchParams.set('state', 'forged');
    expect((await fetch(location)).status).toBe(400);
    await waitFor(() => expect(lastFrame()).toContain('(wrong state)'));
    expect(lastFrame()).not.toContain('without the state');
    expect(lastFrame()).toContain('o open browser');
  });

  test('over SSH: the exact port-forward line and the paste hint', async () => {
    w = await makeWorld({ env: { SSH_CONNECTION: '10.0.0.5 51000 10.0.0.9 22', USER: 'dev' } });
    const { lastFrame } = start(loginFlags());
    const port = portOf(w.client.redirectUri);
    await waitFor(() => expect(lastFrame()).toContain(`ssh -L ${port}:localhost:${port} dev@10.0.0.9`));
    expect(flat(lastFrame())).toContain(
      flat("press p and paste the redirected URL from your laptop's address bar"),
    );
  });

  test('esc cancels: the port is freed and the wizard comes back with its values', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags());
    const port = portOf(w.client.redirectUri);
    await waitFor(() => expect(lastFrame()).toContain('Listening on'));
    expect(await canBind(port)).toBe(false);
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('Login cancelled.'));
    expect(lastFrame()).toContain('Start the login');
    await waitFor(async () => expect(await canBind(port)).toBe(true));
    expect(await canBind(port)).toBe(true);
    expect(w.store.get('work')).toBeUndefined();
    // From the summary, enter starts again.
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Listening on'));
  });

  test('no answer in time: timed out; enter goes back to the wizard, q quits with 1', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags({ timeoutMs: 1200 }));
    await waitFor(() => expect(lastFrame()).toContain('No answer came within 0:02'), 4000);
    expect(lastFrame()).toContain('enter try again');
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Start the login'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('No answer came within'), 4000);
    await press(stdin, 'q');
    expect(exits).toEqual([{ code: 1 }]);
  });

  test('Deny in the browser: the reason, as a sentence', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags());
    await waitFor(() => expect(w.opened).toHaveLength(1));
    const location = await consent(w.opened[0]!, 'deny');
    await fetch(location);
    await waitFor(() =>
      expect(lastFrame()).toContain('Access was denied: you pressed Deny on the Zendesk page'),
    );
    expect(lastFrame()).toMatch(/accepted +\d+ GET \/\?error=access_denied/);
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('Start the login'));
  });

  test('implicit flow: approved in the sandbox, token read from the fragment', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags({ flow: 'implicit' }));
    await waitFor(() => expect(lastFrame()).toContain('o open browser'));
    expect(w.opened[0]).toContain('response_type=token');
    expect(flat(lastFrame())).toContain(
      flat("The implicit flow leaves the access token in the browser's history"),
    );
    await press(stdin, 'a');
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    expect(lastFrame()).toContain('an access token');
    expect(w.store.get('work')?.token?.grant).toBe('implicit');
  });

  test('client credentials: no browser, a refusal as a sentence, then success once the client is confidential', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags({ flow: 'client-credentials' }));
    await waitFor(() => expect(lastFrame()).toMatch(/✗ .*client/i));
    expect(lastFrame()).not.toContain('Listening on');
    expect(w.opened).toHaveLength(0);
    const admin = await w.services.chatApi(w.sandbox.url, w.sandbox.demo.adminToken);
    await admin.updateClient(w.client.id, { client_type: 'confidential' });
    await press(stdin, keys.enter); // try again: the summary
    await waitFor(() => expect(lastFrame()).toContain('Start the login'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    expect(w.store.get('work')?.token?.grant).toBe('client_credentials');
    await press(stdin, 'q');
    expect(exits).toEqual([
      { code: 0, farewell: 'Stored a token as profile work. Use it: $(zchat-auth token --profile work)' },
    ]);
  });
  test("on the sandbox's throwaway store, no hint points another shell at it", async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start(loginFlags(), { temporaryStore: true });
    await waitFor(() => expect(lastFrame()).toContain('press a to approve in the emulator'));
    await press(stdin, 'a');
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile work'));
    expect(flat(lastFrame())).toContain(
      flat("Kept in the sandbox's throwaway store until you quit (set ZCHAT_AUTH_CONFIG_DIR to keep it)."),
    );
    expect(lastFrame()).not.toContain('zchat-auth token');
    await press(stdin, 'q');
    expect(exits).toEqual([
      {
        code: 0,
        farewell:
          "Stored a token as profile work in the sandbox's throwaway store, now deleted. Set ZCHAT_AUTH_CONFIG_DIR to keep the store.",
      },
    ]);
  });
});
