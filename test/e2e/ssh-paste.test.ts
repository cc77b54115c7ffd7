/**
 * End to end, the SSH path in a real terminal: `zchat-auth login` runs in a pseudo-terminal with
 * SSH_CONNECTION set. The waiting panel gives the `ssh -L` line; `y` hands the authorize URL to the
 * laptop's terminal (OSC 52); the person presses Allow there (driven here over HTTP against the sandbox),
 * their browser ends on a dead localhost page, and they paste that address after `p`. No browser may be
 * started on the server: a fake $BROWSER records any call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  consent,
  ensureBuilt,
  loginArgsWithBrowser,
  portIsFree,
  readStore,
  type SandboxFixture,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
} from '../cli/helpers.js';
import { fakeBrowser } from './helpers/fake-browser.js';
import { keys, lastIsUndone, rawModeLeft, seq, startTerminal, type Terminal } from './helpers/terminal.js';

ensureBuilt();

let fx: SandboxFixture;
let home: TempDir;
let term: Terminal | undefined;

beforeEach(async () => {
  fx = await sandboxWithRedirect();
  home = await tempDir('zchat-e2e-ssh-');
});

afterEach(async () => {
  term?.kill();
  term = undefined;
  await fx.close();
  await home.remove();
});

/** The URL an OSC 52 "set clipboard" sequence in the output carries (the last one). */
function clipboardIn(raw: string): string | undefined {
  const all = [...raw.matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]+)(?:\x07|\x1b\\)/g)];
  const last = all.at(-1);
  return last ? Buffer.from(last[1]!, 'base64').toString('utf8') : undefined;
}

describe('login over SSH in a real terminal', () => {
  it('waiting panel → p → paste the redirected URL → token stored; no browser started', async () => {
    const { sandbox } = fx;
    const browser = fakeBrowser(home.dir);

    term = startTerminal(
      loginArgsWithBrowser(fx),
      cleanEnv(home.dir, {
        SSH_CONNECTION: '203.0.113.7 52114 198.51.100.20 22',
        SSH_TTY: '/dev/pts/9',
        USER: 'dev',
        BROWSER: browser.path,
        ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret,
      }),
      { columns: 100, rows: 40 },
    );

    // Straight to the waiting panel (every value was given), with the exact port-forward line.
    const panel = await term.waitForScreen(/Over SSH[\s\S]*p paste/, { timeoutMs: 15_000 });
    expect(panel).toContain(`ssh -L ${fx.port}:localhost:${fx.port} dev@198.51.100.20`);
    await term.waitForRaw();

    // y: the URL goes to the laptop's clipboard through the terminal (OSC 52), the one copy that works here.
    let from = term.mark();
    term.press('y');
    await term.waitForScreen(/Authorize URL: .*OSC 52/i, { from });
    const url = clipboardIn(term.raw(from));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/authorizations\/new\?/);
    expect(new URL(url!).searchParams.get('redirect_uri')).toBe(fx.redirectUri);

    // On the laptop: Allow; the browser then ends on http://localhost:PORT/?code=... (nothing listens there).
    const redirected = await consent(url!, 'allow');
    const code = new URL(redirected).searchParams.get('code')!;
    expect(code).toBeTruthy();

    // p, paste, enter: the token is exchanged and stored; the pasted code never shows on screen.
    from = term.mark();
    term.press('p');
    await term.waitForScreen(/Paste the redirected URL/, { from });
    from = term.mark();
    term.press(redirected); // a paste arrives as one chunk; enter is a key of its own
    await term.waitForScreen(new RegExp(`localhost:${fx.port}/?\\?code=`), { from });
    from = term.mark();
    term.press(keys.enter);
    await term.waitForScreen(/Stored as profile demo[\s\S]*enter dashboard/, { from });
    expect(term.text()).toContain('Redirect received (pasted)');
    expect(term.text()).not.toContain(code);

    const stored = readStore(home.dir).profiles.demo;
    expect(stored?.token?.grant).toBe('authorization_code');
    expect(sandbox.isTokenValid(stored!.token!.accessToken)).toBe(true);
    expect(sandbox.stats.tokensIssued.authorization_code).toBe(1);

    term.press('q');
    const end = await term.ended;
    expect(end.code).toBe(0);
    expect(end.after).toBe(end.before);
    expect(rawModeLeft(end.settings)).toEqual([]);
    expect(lastIsUndone(end.output, seq.hideCursor, seq.showCursor)).toBe(true);
    expect(lastIsUndone(end.output, seq.enterAltScreen, seq.leaveAltScreen)).toBe(true);
    expect(await portIsFree(fx.port)).toBe(true);

    // Over SSH no browser was started on this machine, even with $BROWSER set.
    expect(browser.calls()).toBe('');
    expect(term.text()).toMatch(/Browser: not opened \([^)]*SSH session/);
  }, 40_000);
});
