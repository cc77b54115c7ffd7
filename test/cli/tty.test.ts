/**
 * The built CLI in a pseudo-terminal: which screen each command line opens (the screens themselves are
 * tested by the UI), and that `--no-tui` stays plain even in a terminal.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startPty, stripAnsi } from '../hardening/pty.js';
import {
  bin,
  cleanEnv,
  consent,
  ensureBuilt,
  freePort,
  loginArgs,
  loginWithCode,
  postFragment,
  readStore,
  type SandboxFixture,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
  writeManyProfiles,
} from './helpers.js';

interface Term {
  pid: number;
  raw(): string;
  screen(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  write(keys: string): void;
  exited: Promise<number>;
}

/** The built CLI in a terminal wide enough that the authorize URL is never wrapped (test/hardening/pty.ts). */
function inTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  term = 'xterm-256color',
  o: { lingerMs?: number } = {},
): Term {
  const p = startPty(args, { columns: 400, rows: 50, env: { ...env, TERM: term }, ...o });
  const screen = () => stripAnsi(p.output());
  return {
    pid: p.pid,
    raw: p.output,
    screen,
    write: p.press,
    exited: p.exited.then((end) => end.code),
    async waitFor(pattern, timeoutMs) {
      await p.waitFor(pattern, timeoutMs);
      return screen().match(pattern)!;
    },
  };
}

let tmp: TempDir;
let env: NodeJS.ProcessEnv;
beforeAll(() => ensureBuilt(), 120_000);
beforeEach(async () => {
  tmp = await tempDir();
  env = cleanEnv(tmp.dir);
});
afterEach(async () => {
  await tmp.remove();
});

describe('in a terminal', () => {
  test('zchat-auth with nothing stored opens the wizard; Ctrl+C exits 130', async () => {
    const term = inTerminal([], env);
    await term.waitFor(/Subdomain/);
    await term.waitFor(/Client ID/);
    term.write('\x03');
    expect(await term.exited).toBe(130);
  });

  test('a SIGINT from outside (not the Ctrl+C key) also exits 130 and gives the terminal back', async () => {
    const term = inTerminal([], env);
    await term.waitFor(/Client ID/);
    process.kill(term.pid, 'SIGINT');
    expect(await term.exited).toBe(130);
    // The alternate screen was left (ESC [?1049l), so the shell gets its screen back.
    expect(term.raw()).toContain('\x1b[?1049l');
  });

  test('TERM=dumb: the dashboard says it needs a terminal that can move the cursor (exit 2, no escapes)', async () => {
    const term = inTerminal([], env, 'dumb');
    // A screen would wait for a key; the hint ends at once.
    const timer = setTimeout(() => term.write('q'), 3000);
    const code = await term.exited;
    clearTimeout(timer);
    expect(code).toBe(2);
    expect(term.raw()).not.toContain('\x1b');
    expect(term.screen()).toMatch(
      /^zchat-auth: The dashboard needs a terminal that can move the cursor, and TERM=dumb/m,
    );
  });

  describe('against the sandbox', () => {
    let fx: SandboxFixture;
    beforeEach(async () => {
      fx = await sandboxWithRedirect();
    });
    afterEach(async () => {
      await fx.close();
    });

    test('login opens the waiting panel on the same flow; Allow in the browser, q quits with exit 0', async () => {
      const term = inTerminal(loginArgs(fx, '--flow', 'implicit'), env);
      const [url] = await term.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/authorizations\/new\?\S+/);
      expect(url).toContain('response_type=token');
      const redirected = await consent(url, 'allow');
      expect(await postFragment(redirected)).toBe(200);
      await term.waitFor(/enter dashboard · q quit/);
      const stored = readStore(tmp.dir).profiles.demo;
      expect(stored?.token?.grant).toBe('implicit');
      term.write('q');
      expect(await term.exited).toBe(0);
      expect(term.screen()).not.toContain(stored!.token!.accessToken);
    });

    test('login on TERM=dumb runs plain, as with --no-tui: no escapes, the URL on its own line', async () => {
      const port = await freePort();
      const term = inTerminal(
        loginArgs(
          { sandbox: fx.sandbox, redirectUri: `http://localhost:${port}` },
          '--flow',
          'implicit',
          '--timeout',
          '1',
        ),
        env,
        'dumb',
      );
      await term.waitFor(/^Open this URL in a browser to log in:\r?$/m);
      expect(await term.exited).toBe(1);
      expect(term.raw()).not.toContain('\x1b');
      expect(term.screen()).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/authorizations\/new\?\S+\r?$/m,
      );
    });

    test('logout asks first, as gh auth logout does: y revokes the named token and removes the profile', async () => {
      const demo = await loginWithCode(fx, env);
      const term = inTerminal(['logout', '--revoke'], env);
      await term.waitFor(
        /Revoke server token #\d+ and remove profile "demo" from this machine\? \[y\/N\] $/m,
      );
      // Nothing happens before the answer.
      expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(true);
      expect(readStore(tmp.dir).profiles.demo).toBeDefined();
      term.write('y\r');
      expect(await term.exited).toBe(0);
      expect(term.screen()).toMatch(/^Removed profile "demo" from this machine\.\r?$/m);
      expect(fx.sandbox.isTokenValid(demo.token!.accessToken)).toBe(false);
      expect(readStore(tmp.dir).profiles.demo).toBeUndefined();
    });

    test('login --no-tui stays plain in a terminal', async () => {
      const port = await freePort();
      const term = inTerminal(
        loginArgs(
          { sandbox: fx.sandbox, redirectUri: `http://localhost:${port}` },
          '--no-tui',
          '--flow',
          'implicit',
          '--timeout',
          '1',
        ),
        env,
      );
      await term.waitFor(/^Open this URL in a browser to log in:\r?$/m);
      expect(await term.exited).toBe(1);
      expect(term.screen()).toMatch(/^zchat-auth: No answer came from the browser within 1 seconds/m);
    });
  });
});

/** A store of `count` profiles, one with a username that could steer a terminal (C1 CSI, bidi override). */
function writeProfiles(dir: string, count: number): void {
  writeManyProfiles(dir, count, {
    digits: 4,
    flow: 'password',
    extra: (i) => (i === 42 ? { username: 'ada\u009b31m\u202egro' } : {}),
  });
}

/** ageSeconds counts from now: two runs a second apart differ there only. */
function withoutAges(json: { profiles: { token: { ageSeconds?: number } }[] }) {
  for (const profile of json.profiles) delete profile.token.ageSeconds;
  return json;
}

describe('status --json', () => {
  // Like gh and `zchat-auth api`: indented for a person, one line for a program; jq reads both alike.
  test('indented in a terminal, one line in a pipe: the same JSON (150 profiles, escapes kept)', async () => {
    writeProfiles(tmp.dir, 150);
    // 130 KB on the terminal: it stays open a moment after, or node-pty may drop the tail (see pty.ts).
    const term = inTerminal(['status', '--json'], env, 'xterm-256color', { lingerMs: 300 });
    // The end of the text first: the pty may report the exit before the last of the output is read.
    await term.waitFor(/\r?\n\}\r?\n$/, 20_000);
    const shown = stripAnsi(term.raw()).replace(/\r\n/g, '\n');
    // Where a run fails, its message shows the start and the end of what the terminal and the pipe got.
    const ends = (text: string) =>
      `${JSON.stringify(text.slice(0, 200))} … ${JSON.stringify(text.slice(-200))}`;
    expect(await term.exited, ends(shown)).toBe(0);
    expect(shown, ends(shown)).toMatch(/^\{\n {2}"schemaVersion": 1,\n {2}"configPath": /);
    const piped = spawnSync(process.execPath, [bin, 'status', '--json'], { env, encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBe(0);
    const lines = piped.stdout.split('\n');
    expect(lines, `${ends(piped.stdout)} stderr: ${piped.stderr}`).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^\{"schemaVersion":1,"configPath":/);
    // The username's C1 and bidi characters stay escaped in both layouts.
    for (const text of [shown, piped.stdout]) {
      expect(text).toContain('ada\\u009b31m\\u202egro');
      expect(text).not.toMatch(/[\u009b\u202e]/);
    }
    const json = withoutAges(JSON.parse(piped.stdout));
    expect(json.profiles).toHaveLength(150);
    expect(json).toEqual(withoutAges(JSON.parse(shown)));
  });
});
