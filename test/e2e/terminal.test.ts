/**
 * End to end, in a real terminal: the built CLI runs in a pseudo-terminal (node-pty) as a person starts it
 * (`npm start` ends in `node bin/zchat-auth.js --sandbox`), keys go in as bytes, and the checks read the
 * screen, the store on disk, the emulated account over HTTP, and the terminal's settings after the exit.
 *
 * The tests in this file run one after the other: `--sandbox` prefers the tutorial's port 8080 (and falls
 * back to a free port when it is taken), so two of them at once would race for it.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  ensureBuilt,
  portIsFree,
  readStore,
  type StoredProfile,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';
import {
  keys,
  lastIsUndone,
  rawModeLeft,
  seq,
  startTerminal,
  type Terminal,
  type TerminalEnd,
} from './helpers/terminal.js';

ensureBuilt();

const open: Terminal[] = [];
const dirs: TempDir[] = [];

afterEach(async () => {
  for (const t of open.splice(0)) t.kill();
  for (const d of dirs.splice(0)) await d.remove();
});

async function sandboxSession(o: { columns?: number; rows?: number } = {}) {
  const home = await tempDir('zchat-e2e-pty-');
  dirs.push(home);
  expect(fs.readdirSync(home.dir)).toEqual([]); // an empty store
  const term = startTerminal(['--sandbox'], cleanEnv(home.dir), o);
  open.push(term);
  return { home, term };
}

function demoProfile(dir: string): StoredProfile {
  const profile = readStore(dir).profiles.demo;
  if (!profile) throw new Error('no demo profile in the store');
  return profile;
}

/** The emulated account's REST API, with the stored token (as any other client of it would call it). */
async function api(
  profile: StoredProfile,
  path: string,
  token = profile.token?.accessToken,
): Promise<Response> {
  return fetch(`${profile.baseUrl}/api/v2/chat${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

/** The terminal is as the program found it: same settings, no raw mode, cursor shown, main screen back. */
function expectRestored(end: TerminalEnd): void {
  expect(end.after).toBe(end.before);
  expect(rawModeLeft(end.settings)).toEqual([]);
  expect(end.output).toContain(seq.enterAltScreen);
  expect(lastIsUndone(end.output, seq.enterAltScreen, seq.leaveAltScreen)).toBe(true);
  expect(end.output).toContain(seq.showCursor);
  expect(lastIsUndone(end.output, seq.hideCursor, seq.showCursor)).toBe(true);
}

describe('the dashboard in a real terminal', () => {
  it('sandbox journey: empty store → login → dashboard t, r, c + confirm, resize → q restores the terminal', async () => {
    const { home, term } = await sandboxSession({ columns: 120, rows: 34 });

    // The dashboard opens on the demo profile (no token yet); `n` opens the wizard's summary, prefilled with
    // the emulator's demo client.
    await term.waitForScreen(/n: log in/);
    await term.waitForRaw();
    expect(demoProfile(home.dir).token).toBeUndefined();
    term.press('n');
    await term.waitForScreen(/Start the login/);

    // Start it; the emulator presses Allow when asked (the `a` key), the code comes back to the loopback.
    let from = term.mark();
    term.press(keys.enter);
    const waiting = await term.waitForScreen(/Listening on 127\.0\.0\.1:\d+[\s\S]*a approve \(sandbox\)/, {
      from,
    });
    const port = Number(/Listening on 127\.0\.0\.1:(\d+)/.exec(waiting)![1]);
    from = term.mark();
    term.press('a');
    await term.waitForScreen(/Stored as profile demo[\s\S]*enter dashboard/, { from });
    const first = demoProfile(home.dir);
    expect(first.token?.grant).toBe('authorization_code');
    expect(first.token?.refreshToken).toBeTruthy();
    // Masked on screen: the whole token never appears.
    expect(term.text()).not.toContain(first.token!.accessToken);

    // On to the dashboard; it lists the stored token and, once fetched, the account's clients.
    from = term.mark();
    term.press(keys.enter);
    await term.waitForScreen(/› demo[\s\S]*Tutorial client/, { from });

    // t: test the token (GET /api/v2/chat/chats); the result is shown and stored.
    from = term.mark();
    term.press('t');
    await term.waitForScreen(/demo: the token works \(HTTP 200/, { from });
    expect(demoProfile(home.dir).lastTest).toMatchObject({ ok: true, result: 'valid' });

    // r: refresh; a new pair is stored and the new access token works.
    from = term.mark();
    term.press('r');
    await term.waitForScreen(/demo: refreshed\. New token/, { from });
    const refreshed = demoProfile(home.dir);
    expect(refreshed.token?.accessToken).not.toBe(first.token?.accessToken);
    expect(refreshed.token?.refreshToken).not.toBe(first.token?.refreshToken);
    expect((await api(refreshed, '/chats')).status).toBe(200);

    // c on the tutorial client (tab moves to the clients pane), confirmed with y: it is confidential now.
    await term.pressAndDraw(keys.tab);
    from = term.mark();
    term.press('c');
    await term.waitForScreen(/Make the client “Tutorial client” confidential\?/, { from });
    from = term.mark();
    term.press('y');
    await term.waitForScreen(/“Tutorial client” is now confidential/, { from });
    const clients = (await (await api(refreshed, '/oauth/clients')).json()) as {
      client_identifier: string;
      client_type: string;
    }[];
    expect(clients.find((c) => c.client_identifier === refreshed.clientId)?.client_type).toBe('confidential');

    // Resize: narrower than 100 columns stacks the panes, each as wide as the screen ...
    from = term.mark();
    term.resize(80, 34);
    await term.waitForScreen((frame) => layoutOf(frame) === 'stacked 80', { from });
    // ... and wide again puts them side by side.
    from = term.mark();
    term.resize(120, 34);
    await term.waitForScreen((frame) => layoutOf(frame) === 'side by side 120', { from });

    // q leaves with 0 and gives the terminal back as it was.
    term.press('q');
    const end = await term.ended;
    expect(end.code).toBe(0);
    expect(end.signal).toBeNull();
    expectRestored(end);
    expect(await portIsFree(port)).toBe(true);
  }, 60_000);

  it('Ctrl+C while the login waits: exit 130, the port is freed, nothing stored, the terminal restored', async () => {
    const { home, term } = await sandboxSession();
    await term.waitForScreen(/n: log in/);
    await term.waitForRaw();
    term.press('n');
    await term.waitForScreen(/Start the login/);
    const from = term.mark();
    term.press(keys.enter);
    const waiting = await term.waitForScreen(/Listening on 127\.0\.0\.1:\d+[\s\S]*a approve \(sandbox\)/, {
      from,
    });
    const port = Number(/Listening on 127\.0\.0\.1:(\d+)/.exec(waiting)![1]);
    expect(await portIsFree(port)).toBe(false);

    term.press(keys.ctrlC);
    const end = await term.ended;
    expect(end.code).toBe(130);
    expect(end.signal).toBeNull();
    expectRestored(end);
    expect(await portIsFree(port)).toBe(true);
    expect(demoProfile(home.dir).token).toBeUndefined();
  }, 30_000);
});

/**
 * How a dashboard frame lays out its boxes: "side by side W" when two boxes share a top border line,
 * "stacked W" when every box is alone on its line; W is the width of the widest top border line.
 */
function layoutOf(frame: string): string {
  const tops = frame.split(/\r?\n/).filter((line) => /^╭─+╮(╭─+╮)*$/.test(line.trimEnd()));
  if (tops.length < 2 || !/Tokens/.test(frame) || !/Clients/.test(frame)) return 'not the dashboard';
  const width = Math.max(...tops.map((line) => [...line.trimEnd()].length));
  return `${tops.some((line) => line.includes('╮╭')) ? 'side by side' : 'stacked'} ${width}`;
}
