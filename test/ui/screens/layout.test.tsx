import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import {
  flat,
  keys,
  makeWorld,
  press,
  screenTestHooks,
  storeLoggedIn,
  type World,
  waitFor,
} from '../helpers.js';
import { renderSized } from '../sized-render.js';

let w: World;
let unmount: (() => void) | undefined;

screenTestHooks({ world: () => w, unmount: () => unmount?.() });

async function open(columns: number, rows: number) {
  w = await makeWorld();
  await storeLoggedIn(w, 'demo');
  const r = renderSized(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    columns,
    rows,
  );
  unmount = r.unmount;
  return r;
}

/** Index of the line holding `text`, and its column. */
function where(frame: string | undefined, text: string): { line: number; col: number } {
  const lines = (frame ?? '').split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return { line, col: line < 0 ? -1 : lines[line]!.indexOf(text) };
}

describe('layout adapts to the terminal', () => {
  test('≥100 columns: tokens and clients side by side; the frame fits the screen', async () => {
    const { lastFrame } = await open(120, 32);
    await waitFor(() => expect(lastFrame()).toContain('Test client'));
    const tokens = where(lastFrame(), 'Tokens');
    const clients = where(lastFrame(), 'Clients');
    expect(tokens.line).toBe(clients.line);
    expect(clients.col).toBeGreaterThan(50);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(31);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  test('60–99 columns: stacked; below 60: one pane, tab goes through them; resize re-lays out', async () => {
    const { lastFrame, stdin, stdout } = await open(80, 40);
    await waitFor(() => expect(lastFrame()).toContain('Test client'));
    const tokens = where(lastFrame(), 'Tokens');
    const clients = where(lastFrame(), 'Clients');
    expect(clients.line).toBeGreaterThan(tokens.line);
    expect(clients.col).toBe(tokens.col);
    expect(lastFrame()).toContain('Details');
    expect((lastFrame() ?? '').split('\n').length).toBeLessThanOrEqual(39);

    stdout.resize(50, 24);
    await waitFor(() => expect(lastFrame()).not.toContain('Clients'));
    expect(lastFrame()).toContain('Tokens');
    expect(lastFrame()).not.toContain('Details');
    expect(Math.max(...(lastFrame() ?? '').split('\n').map((l) => l.length))).toBeLessThanOrEqual(50);
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toContain('Clients'));
    expect(lastFrame()).not.toContain('Tokens');
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toContain('Details'));
    expect(lastFrame()).toContain('Client     Tutorial client');
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toContain('Tokens'));

    stdout.resize(130, 30);
    await waitFor(() => expect(where(lastFrame(), 'Clients').line).toBe(where(lastFrame(), 'Tokens').line));
  });

  test('a thousand clients: only the visible rows are drawn, with the position', async () => {
    // The sandbox's own seeding (`zchat-auth sandbox --clients N`): 997 clients, and three more below.
    w = await makeWorld({ sandbox: { clients: 997 } });
    await storeLoggedIn(w, 'demo');
    const r = renderSized(
      <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
      120,
      32,
    );
    unmount = r.unmount;
    await waitFor(() => expect(r.lastFrame()).toContain('Clients 1000'));
    const frame = r.lastFrame() ?? '';
    const shown = frame
      .split('\n')
      .filter((l) => /(Client \d{4}|Tutorial client|Two redirects|Test client) +public/.test(l));
    expect(shown.length).toBeLessThan(20);
    expect(frame).toMatch(/1–\d+ of 1000/);
    await press(r.stdin, keys.tab, keys.up); // up from the top stays; end of the list:
    for (let i = 0; i < 3; i++) await press(r.stdin, '\x1b[6~'); // page down
    await waitFor(() => expect(r.lastFrame()).toMatch(/\d+–\d+ of 1000/));
    expect(r.lastFrame()).not.toMatch(/ 1–\d+ of 1000/);
  }, 30_000);
});

describe('small terminals', () => {
  test('too small: a short note says where the user is; keys still work; growing brings the screen back', async () => {
    w = await makeWorld();
    const r = renderSized(
      <App services={w.services} start="wizard" sandbox={w.sandbox} onExit={() => {}} />,
      20,
      5,
    );
    unmount = r.unmount;
    await waitFor(() => expect(r.lastFrame()).toContain('Terminal too small'));
    expect(flat(r.lastFrame())).toContain(flat('Login wizard: subdomain'));
    const fits = (frame: string | undefined) => {
      const lines = (frame ?? '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(4);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(20);
    };
    fits(r.lastFrame());
    // Typed while too small: kept.
    await press(r.stdin, 'demo', keys.enter);
    await waitFor(() => expect(flat(r.lastFrame())).toContain(flat('Login wizard: flow')));
    fits(r.lastFrame());
    r.stdout.resize(100, 30);
    await waitFor(() => expect(r.lastFrame()).toContain('step 2 of 7'));
    expect(r.lastFrame()).toContain('✓ Subdomain     demo');
  });

  test('40×12: the waiting panel keeps its keys and says how to get the URL (whole from 40×16); the wizard keeps the current field', async () => {
    w = await makeWorld();
    const login = {
      profile: 'work',
      subdomain: 'demo',
      baseUrl: w.sandbox.url,
      clientId: w.client.clientId,
      clientSecret: w.client.clientSecret,
      redirectUri: w.client.redirectUri,
      timeoutMs: 60_000,
    };
    // With PKCE the authorize URL takes ten lines at 40 columns: at 12 rows it cannot show whole, and the
    // panel says how to get it (y); from 16 rows it shows whole.
    const small = renderSized(
      <App services={w.services} start="login" login={login} sandbox={w.sandbox} onExit={() => {}} />,
      40,
      12,
    );
    unmount = small.unmount;
    await waitFor(() => expect(w.opened).toHaveLength(1));
    await waitFor(() =>
      expect(flat(small.lastFrame())).toContain(
        flat('too small for the whole authorize URL: press y to copy it'),
      ),
    );
    expect(flat(small.lastFrame())).toContain(flat('o open browser · y copy URL'));
    expect((small.lastFrame() ?? '').split('\n').length).toBeLessThanOrEqual(11);
    // Ctrl+C cancels the login, which frees its port for the next one.
    await press(small.stdin, keys.ctrlC);
    small.unmount();
    // The first login frees its port as it closes; the second listens on the same one.
    const port = Number(new URL(w.client.redirectUri).port);
    const free = () =>
      new Promise<boolean>((resolve) => {
        const probe = createServer();
        probe.once('error', () => resolve(false));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
      });
    for (let i = 0; i < 200 && !(await free()); i++) await new Promise((r) => setTimeout(r, 10));

    const panel = renderSized(
      <App services={w.services} start="login" login={login} sandbox={w.sandbox} onExit={() => {}} />,
      40,
      16,
    );
    unmount = panel.unmount;
    await waitFor(() => expect(w.opened).toHaveLength(2));
    await waitFor(() => expect(flat(panel.lastFrame())).toContain(w.opened[1]));
    expect(panel.lastFrame()).toContain('o open browser');
    expect((panel.lastFrame() ?? '').split('\n').length).toBeLessThanOrEqual(15);
    panel.unmount();

    const wizard = renderSized(
      <App services={w.services} start="wizard" sandbox={w.sandbox} onExit={() => {}} />,
      40,
      12,
    );
    unmount = wizard.unmount;
    await waitFor(() => expect(wizard.lastFrame()).toContain('step 1 of 7'));
    await press(
      wizard.stdin,
      'demo',
      keys.enter,
      keys.enter,
      'some-client',
      keys.enter,
      'secret',
      keys.enter,
      keys.enter,
    );
    await waitFor(() => expect(wizard.lastFrame()).toContain('step 6 of 7'));
    expect(wizard.lastFrame()).toContain('› Redirect URL');
    expect((wizard.lastFrame() ?? '').split('\n').length).toBeLessThanOrEqual(11);
    expect(wizard.lastFrame()).toContain('esc back');
  });
});

test('rowsOf counts the rows a text takes exactly as Ink wraps it', async () => {
  const { rowsOf } = await import('../../../source/ui/waiting/panel-lines.js');
  expect(rowsOf('short', 40)).toBe(1);
  expect(rowsOf('a'.repeat(81), 40)).toBe(3);
  expect(rowsOf('Open this URL, sign in and press Allow:', 40)).toBe(1);
  expect(rowsOf('Open this URL, sign in and press Allow:', 20)).toBe(2);
  // Ink starts a too-long word on the current line: 3 rows, not 4.
  expect(rowsOf(`see ${'x'.repeat(50)} end`, 20)).toBe(3);
});
