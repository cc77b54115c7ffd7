/**
 * The terminal edge cases, with the built CLI in a real pseudo-terminal (node-pty): a 20×5 terminal,
 * stdin closed, and TERM=dumb. Each screen must fit the terminal it is given (or say it cannot), leave
 * the terminal as it found it, and never wipe the user's scrollback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  ensureBuilt,
  freePort,
  type Home,
  loginArgs,
  makeHome,
  quietSandbox,
  readStoreText,
  registerRedirect,
  seedProfile,
} from './helpers.js';
import { frames, type Pty, startPty, stripAnsi } from './pty.js';

let sandbox: Sandbox;
const homes: Home[] = [];
const ptys: Pty[] = [];
beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
}, 120_000);
afterAll(async () => sandbox.close());
afterEach(async () => {
  for (const p of ptys.splice(0)) p.kill();
  for (const h of homes.splice(0)) await h.remove();
});

async function home(withToken: boolean, extra: Record<string, string> = {}): Promise<Home> {
  const h = await makeHome({ TERM: 'xterm-256color', ...extra });
  homes.push(h);
  if (withToken) await seedProfile(h.store, sandbox);
  return h;
}

function run(args: string[], h: Home, o: { columns: number; rows: number; closeStdin?: boolean }): Pty {
  const pty = startPty(args, { ...o, env: h.env });
  ptys.push(pty);
  return pty;
}

/** `login` on a fresh store, showing its waiting panel (a loopback redirect the sandbox's client allows). */
async function waitingPanel(columns: number, rows: number): Promise<Pty> {
  const port = await freePort();
  await registerRedirect(sandbox, sandbox.demo.clientNumericId, `http://localhost:${port}`);
  return run(
    loginArgs({ sandbox, redirectUri: `http://localhost:${port}` }),
    await home(false, { ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret }),
    { columns, rows },
  );
}

/** Keys for the dashboard, each with the frame it leads to: move, switch pane, open the help, close it. */
const helpShown = (f: string) => f.includes('move in the');
const boardKeys: [string, (frame: string) => boolean][] = [
  ['j', () => true],
  ['\t', () => true],
  ['?', helpShown],
  ['\x1b', (f) => !helpShown(f)],
];

/** What must hold for every screen, whatever its size: it gives the terminal back. */
function expectRestored(output: string): void {
  const enter = output.lastIndexOf('\x1b[?1049h');
  if (enter >= 0) expect(output.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(enter);
  const hide = output.lastIndexOf('\x1b[?25l');
  if (hide >= 0) expect(output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(hide);
}

/** Every frame fits: no more lines than rows, no line wider than the columns. */
function oversized(output: string, columns: number, rows: number): string[] {
  const problems: string[] = [];
  for (const frame of frames(output)) {
    if (frame.length > rows) problems.push(`${frame.length} lines in ${rows} rows:\n${frame.join('\n')}`);
    frame.forEach((line, i) => {
      const width = [...line].length;
      if (width <= columns) return;
      // The authorize URL is one logical line the terminal soft-wraps (LongUrl): Ink keeps the rows it wraps
      // into as cursor-ups, which strip to empty lines. Any other long line is a frame that does not fit.
      const wrapsInto = Math.ceil(width / columns) - 1;
      const reserved = frame.slice(i + 1, i + 1 + wrapsInto);
      const isUrl = line.includes('/oauth2/chat/authorizations/new?');
      if (isUrl && reserved.length === wrapsInto && reserved.every((l) => l.trim() === '')) return;
      problems.push(`a line of ${width} columns: ${line}`);
    });
  }
  return [...new Set(problems)];
}

describe.each([
  [20, 5],
  [40, 12],
  [59, 14],
  [80, 24],
  [100, 16],
])('[UI] a %i×%i terminal', (columns, rows) => {
  test('every frame of the dashboard (with its help), the wizard and the waiting panel fits; no ESC[3J; q exits 0 and Ctrl+C 130, giving the terminal back', async () => {
    const dashboard = run([], await home(true), { columns, rows });
    const start = await dashboard.waitForFrame((f) => /q quit|too small/.test(f), 0);
    // Each key waits for the frame it leads to (the help's first row shows and goes), so the next meets the
    // new state and esc is never read together with the q after it. The too-small screen draws nothing for
    // them: it takes j, tab and ?, then q (there is no help to close with esc).
    const boardTooSmall = /too small/.test(start);
    for (const [key, drawn] of boardTooSmall ? boardKeys.slice(0, 3) : boardKeys) {
      const from = dashboard.output().length;
      dashboard.press(key);
      if (!boardTooSmall) await dashboard.waitForFrame(drawn, from);
    }
    dashboard.press('q');
    const board = await dashboard.exited;
    expect(board.code, 'the dashboard after q').toBe(0);
    expectRestored(board.output);
    expect(stripAnsi(board.output)).not.toMatch(/Error|at .+\(/);

    const wizard = run([], await home(false), { columns, rows });
    await wizard.waitFor(/Subdomain|subdomain|too small/);
    wizard.press('\x03');
    const wiz = await wizard.exited;
    expect(wiz.code, 'the wizard after Ctrl+C').toBe(130);
    expectRestored(wiz.output);

    const panel = await waitingPanel(columns, rows);
    // The whole authorize URL is on screen, to be copied with the mouse (design: "never cut"): the frame
    // that shows it (or says the terminal is too small) is waited for, not a while.
    const wholeUrl =
      /oauth2\/chat\/authorizations\/new\?response_type=code&client_id=\w+&scope=read%20write&subdomain=demo&redirect_uri=http%3A%2F%2Flocalhost%3A\d+&state=[\w-]{43}/;
    const unwrapped = (
      await panel.waitForFrame((f) => wholeUrl.test(f.replaceAll('\n', '')) || /too small/.test(f), 0)
    ).replaceAll('\n', '');
    const tooSmall = /too small/.test(unwrapped);
    panel.press('\x03');
    const waiting = await panel.exited;
    expect(waiting.code, 'the waiting panel after Ctrl+C').toBe(130);
    expectRestored(waiting.output);
    if (!tooSmall) expect(unwrapped, 'the whole authorize URL, state included').toMatch(wholeUrl);

    const problems = [
      ...oversized(board.output, columns, rows).map((p) => `dashboard: ${p}`),
      ...oversized(wiz.output, columns, rows).map((p) => `wizard: ${p}`),
      ...oversized(waiting.output, columns, rows).map((p) => `waiting panel: ${p}`),
    ];
    const first = ['dashboard', 'wizard', 'waiting panel'].flatMap(
      (screen) => problems.find((p) => p.startsWith(`${screen}:`)) ?? [],
    );
    expect(first).toEqual([]);
    for (const [name, end] of [
      ['dashboard', board],
      ['wizard', wiz],
      ['waiting panel', waiting],
    ] as const) {
      expect(end.output.includes('\x1b[3J'), `${name} wipes the scrollback`).toBe(false);
    }
  });
});

describe('stdin closed', () => {
  const size = { columns: 80, rows: 24, closeStdin: true };

  test('the dashboard says it needs a terminal and how to script instead: exit 2, no escape codes', async () => {
    const end = await run([], await home(true), size).exited;
    expect(end.code).toBe(2);
    expect(stripAnsi(end.output)).toMatch(/^zchat-auth: The dashboard needs a terminal.*zchat-auth token/);
    expect(end.output).not.toContain('\x1b');
  });

  test('token and status work; login runs plain and refuses to wait for a paste that cannot come', async () => {
    const h = await home(true);
    const token = await run(['token'], h, size).exited;
    expect(token.code).toBe(0);
    expect(stripAnsi(token.output).trim()).toMatch(/^\S{20,}$/);
    expect((await run(['status'], h, size).exited).code).toBe(0);

    const login = await run(
      ['login', '--subdomain', 'demo', '--client-id', 'x', '--flow', 'implicit', '--paste', '--no-browser'],
      h,
      size,
    ).exited;
    expect(login.code).toBe(1);
    expect(stripAnsi(login.output)).toMatch(
      /zchat-auth: stdin ended before a redirected address was pasted; nothing was stored\./,
    );
    expect(login.output).not.toMatch(/\x1b\[\?1049h/);

    const secret = await run(
      [
        'login',
        '--subdomain',
        'demo',
        '--client-id',
        'x',
        '--flow',
        'client-credentials',
        '--client-secret-stdin',
      ],
      h,
      size,
    ).exited;
    expect(secret.code).toBe(2);
    expect(stripAnsi(secret.output)).toMatch(
      /--client-secret-stdin was given, but stdin had no client secret/,
    );
  });
});

describe('TERM=dumb', () => {
  const size = { columns: 80, rows: 24 };

  test('the scripting commands print no escape codes', async () => {
    const h = await home(true, { TERM: 'dumb' });
    const commands = [['status'], ['token'], ['--help'], ['doctor']];
    const ends = await Promise.all(commands.map((args) => run(args, h, size).exited));
    for (const [i, end] of ends.entries()) expect(end.output, commands[i]!.join(' ')).not.toContain('\x1b');
  });

  test('[CLI] the dashboard does not draw with cursor movement on a terminal that cannot do it: it says so (exit 2)', async () => {
    const pty = run([], await home(true, { TERM: 'dumb' }), size);
    const timer = setTimeout(() => pty.press('q'), 1500);
    const end = await pty.exited;
    clearTimeout(timer);
    expect(end.output, 'escape sequences sent to a dumb terminal').not.toContain('\x1b');
    expect(end.code).toBe(2);
    expect(stripAnsi(end.output)).toMatch(/zchat-auth: .*(TERM|terminal)/);
  });

  test('[CLI] login on a dumb terminal runs plain (the authorize URL on a line of its own)', async () => {
    const port = await freePort();
    await registerRedirect(sandbox, sandbox.demo.clientNumericId, `http://localhost:${port}`);
    const h = await home(false, { TERM: 'dumb', ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret });
    const pty = run(loginArgs({ sandbox, redirectUri: `http://localhost:${port}` }), h, size);
    // Once the URL is out, Ctrl+C: plain mode ends on it (130); what it wrote up to then is the point.
    await pty.waitFor(/authorizations\/new\?\S+\r?\n/);
    pty.press('\x03');
    const end = await pty.exited;
    expect(end.code).toBe(130);
    expect(end.output).not.toContain('\x1b');
    expect(stripAnsi(end.output)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/authorizations\/new\?\S+\r?$/m,
    );
  });
});

test('the dashboard under faults: t and r end in sentences on screen; no secret is ever drawn', async () => {
  const h = await makeHome({ TERM: 'xterm-256color' });
  homes.push(h);
  const { granted } = await seedProfile(h.store, sandbox);
  const pty = run([], h, { columns: 120, rows: 34 });
  await pty.waitFor(/q quit/);
  const steps: [() => void, string, RegExp][] = [
    [
      () => sandbox.inject({ kind: 'status', status: 403, path: '/api/v2/chat/chats', times: 1 }),
      't',
      /token lacks a scope or role/,
    ],
    [
      () => sandbox.inject({ kind: 'html', path: '/oauth2/chat/token', times: 1 }),
      'r',
      /web page \(status 502\)/,
    ],
    [
      () => sandbox.inject({ kind: 'reset', path: '/oauth2/chat/token', times: 1 }),
      'r',
      /connection .* was cut/,
    ],
    [
      () => sandbox.inject({ kind: 'rate-limit', retryAfter: 9, path: '/oauth2/chat/token', times: 1 }),
      'r',
      /try again in 9 seconds/,
    ],
    [() => sandbox.expireAccessToken(granted.accessToken), 't', /✗ demo: .*(expired|revoked|rejected)/],
  ];
  for (const [inject, key, sentence] of steps) {
    inject();
    const from = pty.output().length;
    pty.press(key);
    await expect
      .poll(() => stripAnsi(pty.output().slice(from)).replace(/\s+/g, ' '), { timeout: 10_000 })
      .toMatch(sentence);
  }
  pty.press('q');
  const end = await pty.exited;
  expect(end.code).toBe(0);
  const text = stripAnsi(end.output);
  expect(text).not.toMatch(/\bat .+:\d+:\d+|TypeError|node:internal|\[object Object\]/);
  for (const secret of [
    granted.accessToken,
    granted.refreshToken!,
    granted.code,
    sandbox.demo.clientSecret,
  ]) {
    expect(end.output.includes(secret)).toBe(false);
  }
  // Nothing was stored from the failed refreshes.
  expect(JSON.parse(readStoreText(h)!).profiles.demo.token.accessToken).toBe(granted.accessToken);
});

test('NO_COLOR: the dashboard draws without colour', async () => {
  const pty = run([], await home(true, { NO_COLOR: '1' }), { columns: 100, rows: 30 });
  await pty.waitFor(/q quit/);
  pty.press('q');
  const end = await pty.exited;
  expect(end.code).toBe(0);
  // Foreground/background colour SGR parameters: 30–37, 39, 40–47, 49, 90–97, 100–107, 38;5/38;2.
  const colours =
    end.output.match(/\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/g) ?? [];
  expect(colours).toEqual([]);
});

/** Resolves once the program has written nothing for `ms` (it is idle: no spinner, no answer pending). */
async function quiet(pty: Pty, ms: number): Promise<void> {
  for (let seen = -1; seen !== pty.output().length; ) {
    seen = pty.output().length;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** The bytes of the first frame drawn after output position `from` (its synchronized-output marks included). */
function frameBytes(output: string, from: number): number {
  const start = output.indexOf('\x1b[?2026h', from);
  const end = output.indexOf('\x1b[?2026l', start);
  expect(start, 'a frame after the key').toBeGreaterThanOrEqual(0);
  return end + '\x1b[?2026l'.length - start;
}

/** The screen a terminal shows after `output`: xterm's own emulation (autowrap, cursor moves, erases). */
async function screenOf(output: string, columns: number, rows: number): Promise<string[]> {
  const { Terminal } = (await import('@xterm/headless')).default;
  const term = new Terminal({ cols: columns, rows, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(output, resolve));
  const buffer = term.buffer.active;
  const lines = Array.from({ length: rows }, (_, i) =>
    (buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '').trimEnd(),
  );
  term.dispose();
  return lines;
}

describe('[UI] the waiting panel, redrawn each second under a URL the terminal soft-wraps', () => {
  // Ink's own incremental rendering (not used, see run-ui.tsx) moves the cursor one row per line; the URL takes three
  // rows here, so a redraw that trusted it wrote the countdown rows too low and left the old one on screen.
  test('the screen, as the terminal shows it, holds each line of the panel once and the URL whole', async () => {
    const [columns, rows] = [100, 30];
    const panel = await waitingPanel(columns, rows);
    await panel.waitFor(/authorizations\/new/);
    const from = panel.output().length;
    // Two ticks of the countdown after the URL was drawn.
    await panel.waitForFrame((f) => /\d:\d\d left/.test(f), from);
    const second = panel.output().length;
    await panel.waitForFrame((f) => /\d:\d\d left/.test(f), second);
    const screen = await screenOf(panel.output(), columns, rows);
    panel.press('\x03');
    expect((await panel.exited).code).toBe(130);
    const shown = screen.join('\n');
    expect(shown.match(/\d:\d\d left/g), shown).toHaveLength(1);
    const urlRows = screen.filter(
      (l) => /[?&](state|client_id|redirect_uri)=/.test(l) || l.includes('oauth2/chat'),
    );
    expect(urlRows.length, shown).toBeGreaterThan(0);
    // No line of the panel drawn twice (a stale copy left above or below its new place).
    const drawn = screen.filter((l) => l.trim() !== '');
    expect(new Set(drawn).size, shown).toBe(drawn.length);
  }, 30_000);
});

describe('[UI] the dashboard, as the terminal shows it, after keys', () => {
  // A full-height frame redrawn line by line (Ink's incremental rendering) scrolled the screen a row per
  // frame: the title went off the top and old status bars piled up at the bottom.
  test('the title on the first row and one status bar, the last line drawn, after moving, tab and the help', async () => {
    const [columns, rows] = [100, 30];
    const dashboard = run([], await home(true), { columns, rows });
    await dashboard.waitFor(/q quit/);
    // The first frame shows both lists still fetching: j is measured once they are filled and nothing else
    // is drawing, or its bytes would include the frames of their answers (a loaded CI machine did that).
    await dashboard.waitFor(/\d+ on server \(via .*Clients \d+ \(via/s);
    await quiet(dashboard, 300);
    const written: number[] = [];
    for (const [key, drawn] of boardKeys) {
      const from = dashboard.output().length;
      dashboard.press(key);
      await dashboard.waitForFrame(drawn, from);
      written.push(frameBytes(dashboard.output(), from));
    }
    const screen = await screenOf(dashboard.output(), columns, rows);
    dashboard.press('q');
    expect((await dashboard.exited).code).toBe(0);
    const shown = screen.join('\n');
    expect(screen[0], shown).toMatch(/^zchat-auth/);
    expect(screen.filter((line) => line.trim() !== '').at(-1), shown).toMatch(/q quit/);
    expect(shown.match(/q quit/g), shown).toHaveLength(1);
    // Drawn as its changed lines (the build tweak changed-lines-only): j moves the selection and changes the
    // details, a fraction of the frame; Ink's whole frame was ~3 KB here.
    const whole = dashboard.output().indexOf('\x1b[?2026l');
    expect(written[0], `j wrote ${written[0]} bytes, a whole frame ${whole}`).toBeLessThan(whole * 0.6);
  }, 30_000);
});
