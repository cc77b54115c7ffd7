/**
 * The dashboard after a revoke (the row and the details say so at once, and the advice is a new login),
 * its lists' column headers, and which profile's token fetches the clients and server tokens (u chooses).
 */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { dashboardKeys } from '../../../source/ui/keys.js';
import {
  flat,
  keys,
  makeWorld,
  plain,
  press,
  render,
  screenTestHooks,
  storeLoggedIn,
  type World,
  waitFor,
} from '../helpers.js';
import { renderSized } from '../sized-render.js';

let w: World;
let unmount: (() => void) | undefined;

screenTestHooks({ world: () => w, unmount: () => unmount?.() });

const count = (method: string, path: string) =>
  w.sandbox.stats.requests.filter((r) => r.method === method && r.path === path).length;

async function open(profiles: string[], size?: [number, number]) {
  w = await makeWorld();
  for (const name of profiles) await storeLoggedIn(w, name);
  const app = <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />;
  const r = size ? renderSized(app, size[0], size[1]) : render(app);
  if ('unmount' in r) unmount = r.unmount;
  await waitFor(() => expect(r.lastFrame()).toMatch(/#\d+/));
  return r;
}

describe('x marks the profile’s token revoked at once', () => {
  test('the row and the details say revoked without a reload; t and r then say log in again', async () => {
    const { lastFrame, stdin } = await open(['demo']);
    const lists = count('GET', '/api/v2/chat/oauth/tokens');
    await press(stdin, 'x');
    await waitFor(() => expect(lastFrame()).toMatch(/Revoke demo’s token #\d+ on the server\?/));
    await press(stdin, 'y');
    await waitFor(() => expect(lastFrame()).toContain('The stored copy no longer works'));
    expect(plain(lastFrame())).toMatch(/› demo\* .*revoked/);
    expect(lastFrame()).toContain('Revoked    just now by zchat-auth, its refresh token with it');
    // Nothing was fetched again to learn it.
    expect(count('GET', '/api/v2/chat/oauth/tokens')).toBe(lists);
    expect(w.store.list()[0]?.token?.revokedAt).toBeDefined();

    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('✗ demo: the token was refused (HTTP 401'));
    expect(flat(lastFrame())).toContain(
      flat('it was revoked here, its refresh token with it. Press n to log in again.'),
    );
    expect(flat(lastFrame())).not.toContain(flat('Press r to refresh'));
    const posts = count('POST', '/oauth2/chat/token');
    await press(stdin, 'r');
    await waitFor(() => expect(flat(lastFrame())).toContain(flat('demo: its token was revoked here')));
    expect(count('POST', '/oauth2/chat/token')).toBe(posts);
    // x again: not "the server lists no token matching", which reads as a mystery.
    await press(stdin, 'x');
    await waitFor(() => expect(flat(lastFrame())).toContain(flat('demo’s token was revoked already')));
  });
});

/** Where `word` starts in the line holding `header`, and where `cell` starts in the line holding `row`. */
function column(frame: string, header: string, word: string, row: RegExp, cell: RegExp): [number, number] {
  const lines = plain(frame).split('\n');
  const h = lines.find((l) => l.includes(header)) ?? '';
  const r = lines.find((l) => row.test(l)) ?? '';
  return [h.indexOf(word), r.search(cell)];
}

describe('column headers: each column means one thing', () => {
  test.each([
    [120, 32],
    [80, 30],
    [40, 12],
  ])(
    '%i×%i: PROFILE, SERVER and STATE over the tokens, NAME and TYPE over the clients, aligned',
    async (columns, rows) => {
      const { lastFrame, stdin } = await open(['demo'], [columns, rows]);
      await waitFor(() => expect(lastFrame()).toMatch(/PROFILE +SERVER/));
      const frame = lastFrame() ?? '';
      // A stored row and a server-only row put the same kind of thing in the same column.
      const [server, storedId] = column(frame, 'PROFILE', 'SERVER', /› demo\*/, /#\d+/);
      expect(storedId).toBe(server);
      const [state, untested] = column(frame, 'PROFILE', 'STATE', /› demo\*/, /untested/);
      expect(state).toBeGreaterThan(server);
      expect(untested).toBe(state);
      // The admin's token, held by no profile here: an empty PROFILE, its ID under SERVER, "on server".
      const [, serverOnly] = column(frame, 'PROFILE', 'SERVER', /^\W+ {3,}#\d+/, /#\d+/);
      expect(serverOnly).toBe(server);
      expect(column(frame, 'PROFILE', 'STATE', /^\W+ {3,}#\d+/, /on server/)[1]).toBe(state);
      for (const l of plain(frame).split('\n')) expect(l.length).toBeLessThanOrEqual(columns);
      expect(plain(frame).split('\n').length).toBeLessThanOrEqual(rows - 1);
      if (columns < 60) await press(stdin, keys.tab); // one pane at a time
      await waitFor(() => expect(lastFrame()).toMatch(/NAME +TYPE +CL/));
      const [type, publicAt] = column(lastFrame() ?? '', 'NAME', 'TYPE', /Tutorial/, /public/);
      expect(publicAt).toBe(type);
    },
  );
});

describe('u: which profile’s token fetches the clients and server tokens', () => {
  test('the panes say via whom; u switches to the next profile of the account, and its token is used', async () => {
    const { lastFrame, stdin } = await open(['demo', 'beta']);
    // demo is the default, so its token fetched the lists first.
    await waitFor(() => expect(lastFrame()).toContain('on server (via demo)'));
    expect(lastFrame()).toContain('Clients 3 (via demo)');
    // demo's token stops working behind the dashboard's back: its lists fail on reload.
    w.sandbox.revokeAccessToken(w.store.get('demo')!.token!.accessToken);
    await press(stdin, '\x12');
    await waitFor(() => expect(lastFrame()).toContain('✗ The token is expired or revoked'));
    expect(lastFrame()).toContain('Clients (via demo)');
    expect(lastFrame()).toContain('Tokens 2 stored · server list ✗ (via demo)');
    const lists = count('GET', '/api/v2/chat/oauth/clients');
    await press(stdin, 'u');
    await waitFor(() => expect(lastFrame()).toContain('Clients 3 (via beta)'));
    expect(lastFrame()).toContain('on server (via beta)');
    expect(lastFrame()).not.toContain('✗ The token is expired or revoked');
    expect(flat(lastFrame())).toContain(flat('fetched with beta’s token now'));
    expect(count('GET', '/api/v2/chat/oauth/clients')).toBe(lists + 1);
    // And around again, to demo.
    await press(stdin, 'u');
    await waitFor(() => expect(lastFrame()).toContain('fetched with demo’s token now'));
  });

  test('one profile: u says the lists already use it; help and the status bar name the key', async () => {
    const { lastFrame, stdin } = await open(['demo'], [120, 32]);
    await press(stdin, 'u');
    await waitFor(() =>
      expect(lastFrame()).toContain(
        'Only demo holds a token for this account: the lists are fetched with it.',
      ),
    );
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toMatch(/c confidential · u via · y copy ID/));
    expect(dashboardKeys.find((k) => k.keys === 'u')?.action).toMatch(/clients and server tokens/);
    await press(stdin, '?');
    await waitFor(() => expect(flat(lastFrame())).toContain(flat('use the next profile’s token')));
  });
});
