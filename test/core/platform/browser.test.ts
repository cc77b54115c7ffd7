import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserCommands,
  browserReasons,
  canOpenBrowser,
  isWsl,
  openBrowser,
  splitCommand,
} from '../../../source/core/platform/browser.js';

const url =
  'http://127.0.0.1:4000/oauth2/chat/authorizations/new?response_type=code&scope=read%20write&state=a;b';

describe('canOpenBrowser', () => {
  it('refuses over SSH unless $BROWSER says what to use', () => {
    expect(canOpenBrowser({ SSH_CONNECTION: '1 2 3 4', DISPLAY: ':0' }, { platform: 'linux' })).toEqual({
      ok: false,
      reason: browserReasons.ssh,
    });
    expect(canOpenBrowser({ SSH_TTY: '/dev/pts/1' }, { platform: 'darwin' }).reason).toBe(
      'SSH session: no browser here',
    );
    expect(canOpenBrowser({ SSH_TTY: '/dev/pts/1', BROWSER: 'w3m' }, { platform: 'linux' })).toEqual({
      ok: true,
    });
  });

  it('refuses on Linux without a display, but not on macOS, Windows or WSL', () => {
    expect(canOpenBrowser({}, { platform: 'linux' })).toEqual({ ok: false, reason: 'no display' });
    expect(canOpenBrowser({}, { platform: 'freebsd' }).ok).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0' }, { platform: 'linux' }).ok).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, { platform: 'linux' }).ok).toBe(true);
    expect(canOpenBrowser({}, { platform: 'darwin' }).ok).toBe(true);
    expect(canOpenBrowser({}, { platform: 'win32' }).ok).toBe(true);
    expect(canOpenBrowser({ WSL_DISTRO_NAME: 'Debian' }, { platform: 'linux' }).ok).toBe(true);
  });

  it('says --no-browser when asked not to', () => {
    expect(canOpenBrowser({ DISPLAY: ':0', BROWSER: 'x' }, { noBrowser: true })).toEqual({
      ok: false,
      reason: '--no-browser',
    });
  });

  it('knows WSL only on Linux', () => {
    expect(isWsl({ WSL_INTEROP: '/run/WSL/1_interop' }, 'linux')).toBe(true);
    expect(isWsl({ WSL_INTEROP: '/run/WSL/1_interop' }, 'darwin')).toBe(false);
    expect(isWsl({}, 'linux')).toBe(false);
  });
});

describe('browserCommands', () => {
  it('appends the URL to a bare program name, or puts it where %s is', () => {
    expect(browserCommands(url, { BROWSER: 'firefox' }, 'linux')).toEqual([['firefox', url]]);
    expect(browserCommands(url, { BROWSER: 'chromium --incognito %s' }, 'linux')).toEqual([
      ['chromium', '--incognito', url],
    ]);
    expect(browserCommands(url, { BROWSER: 'x --url=%s --pct=100%%' }, 'linux')).toEqual([
      ['x', `--url=${url}`, '--pct=100%'],
    ]);
  });

  it('takes a list separated by : (; on Windows), and nothing when unset', () => {
    expect(browserCommands(url, { BROWSER: 'w3m:lynx %s' }, 'linux')).toEqual([
      ['w3m', url],
      ['lynx', url],
    ]);
    expect(browserCommands(url, { BROWSER: 'C:\\b.exe;edge' }, 'win32')).toEqual([
      ['C:\\b.exe', url],
      ['edge', url],
    ]);
    expect(browserCommands(url, {}, 'linux')).toEqual([]);
    expect(browserCommands(url, { BROWSER: '  ' }, 'linux')).toEqual([]);
  });
});

describe('splitCommand', () => {
  it('honours quotes and escapes', () => {
    expect(splitCommand(`"/opt/My Browser/run" --a 'b c' d\\ e ""`)).toEqual([
      '/opt/My Browser/run',
      '--a',
      'b c',
      'd e',
      '',
    ]);
    expect(splitCommand('a "x\\"y"')).toEqual(['a', 'x"y']);
    expect(splitCommand('   ')).toEqual([]);
    expect(splitCommand('"C:\\Program Files\\b.exe" -x', true)).toEqual(['C:\\Program Files\\b.exe', '-x']);
  });
});

describe('openBrowser', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zchat-browser-'));
    script = path.join(dir, 'fake-browser.mjs');
    // A stand-in browser: records the argv it was given.
    await writeFile(
      script,
      [
        "import { renameSync, writeFileSync } from 'node:fs';",
        // Write then rename, so the test never reads a half-written file.
        "writeFileSync(process.env.OUT_FILE + '.tmp', JSON.stringify(process.argv.slice(2)));",
        "renameSync(process.env.OUT_FILE + '.tmp', process.env.OUT_FILE);",
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function waitForFile(file: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      try {
        return await readFile(file, 'utf8');
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    throw new Error('the fake browser never ran');
  }

  it('runs $BROWSER without a shell, passing the URL as one argument', async () => {
    const out = path.join(dir, 'argv1.json');
    const env = { BROWSER: `"${process.execPath}" ${script} --new-tab %s`, OUT_FILE: out };
    const result = await openBrowser(url, env, { platform: 'linux' });
    expect(result).toEqual({ opened: true });
    expect(JSON.parse(await waitForFile(out))).toEqual(['--new-tab', url]);
  });

  it('tries the next $BROWSER entry when one is missing, and says which failed', async () => {
    const out = path.join(dir, 'argv2.json');
    const env = { BROWSER: `/nonexistent/browser:${process.execPath} ${script}`, OUT_FILE: out };
    expect(await openBrowser(url, env, { platform: 'linux' })).toEqual({ opened: true });
    expect(JSON.parse(await waitForFile(out))).toEqual([url]);
    const none = await openBrowser(url, { BROWSER: '/nonexistent/a:/nonexistent/b' }, { platform: 'linux' });
    expect(none.opened).toBe(false);
    expect(none.reason).toBe(`${browserReasons.failed} (/nonexistent/a, /nonexistent/b)`);
  });

  it('does not try when it cannot work here, and says why', async () => {
    expect(await openBrowser(url, { SSH_TTY: '/dev/pts/0' }, { platform: 'linux' })).toEqual({
      opened: false,
      reason: 'SSH session: no browser here',
    });
    expect(await openBrowser(url, {}, { platform: 'linux' })).toEqual({
      opened: false,
      reason: 'no display',
    });
    expect(await openBrowser(url, { DISPLAY: ':0' }, { platform: 'linux', noBrowser: true })).toEqual({
      opened: false,
      reason: '--no-browser',
    });
  });

  function recorder() {
    const calls: string[][] = [];
    const fakeSpawn = ((command: string, args: string[]) => {
      calls.push([command, ...args]);
      return spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    }) as unknown as typeof spawn;
    return { calls, fakeSpawn };
  }

  it('uses wslview, then explorer.exe, on WSL', async () => {
    const calls: string[][] = [];
    const fakeSpawn = ((command: string, args: string[]) => {
      calls.push([command, ...args]);
      // Spawn something that does not exist for wslview, and node (harmless, exits) for explorer.exe.
      return command === 'wslview'
        ? spawn('/nonexistent/wslview', [], { stdio: 'ignore' })
        : spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    }) as unknown as typeof spawn;
    const result = await openBrowser(
      url,
      { WSL_DISTRO_NAME: 'Debian' },
      { platform: 'linux', spawn: fakeSpawn },
    );
    expect(result).toEqual({ opened: true });
    expect(calls).toEqual([
      ['wslview', url],
      ['explorer.exe', url],
    ]);
  });

  it("otherwise starts the system's own opener, and says which one failed", async () => {
    for (const [platform, argv] of [
      ['linux', ['xdg-open', url]],
      ['darwin', ['open', url]],
      ['win32', ['rundll32', 'url.dll,FileProtocolHandler', url]],
    ] as const) {
      const { calls, fakeSpawn } = recorder();
      const ok = await openBrowser(url, { DISPLAY: ':0' }, { platform, spawn: fakeSpawn });
      expect(ok).toEqual({ opened: true });
      expect(calls).toEqual([argv]);
    }
    const failing = (() => {
      throw new Error('spawn xdg-open ENOENT');
    }) as unknown as typeof spawn;
    const failed = await openBrowser(url, { DISPLAY: ':0' }, { platform: 'linux', spawn: failing });
    expect(failed).toEqual({ opened: false, reason: `${browserReasons.failed} (xdg-open)` });
  });

  it('survives a spawner that throws', async () => {
    const throwing = (() => {
      throw new Error('EPERM');
    }) as unknown as typeof spawn;
    const result = await openBrowser(url, { BROWSER: 'x' }, { platform: 'linux', spawn: throwing });
    expect(result.opened).toBe(false);
  });
});
