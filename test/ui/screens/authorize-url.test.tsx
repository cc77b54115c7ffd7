/**
 * The authorize URL is one logical line (a mouse selection or a click takes all of it, however narrow the
 * terminal), and a hyperlink where the terminal makes OSC 8 clickable.
 */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { supportsHyperlinks } from '../../../source/ui/components/LongUrl.js';
import { makeWorld, plain, screenTestHooks, type World, waitFor } from '../helpers.js';
import { renderSized } from '../sized-render.js';

let w: World;
let unmount: (() => void) | undefined;

screenTestHooks({ world: () => w, unmount: () => unmount?.() });

async function panel(env: NodeJS.ProcessEnv, columns = 60) {
  w = await makeWorld({ env });
  const r = renderSized(
    <App
      services={w.services}
      start="login"
      login={{
        profile: 'work',
        subdomain: w.sandbox.demo.subdomain,
        baseUrl: w.sandbox.url,
        clientId: w.client.clientId,
        clientSecret: w.client.clientSecret,
        redirectUri: w.client.redirectUri,
        scopes: ['read', 'write', 'chat'],
        timeoutMs: 60_000,
      }}
      sandbox={w.sandbox}
      onExit={() => {}}
    />,
    columns,
    40,
  );
  unmount = r.unmount;
  await waitFor(() => expect(w.opened).toHaveLength(1));
  await waitFor(() => expect(plain(r.lastFrame())).toContain('Open this URL'));
  return { ...r, url: w.opened[0]! };
}

describe('the authorize URL', () => {
  test('60 columns: the whole URL on one line of output, as long as it is; the rows it wraps over stay counted', async () => {
    const { lastFrame, url } = await panel({});
    expect(url.length).toBeGreaterThan(120);
    const lines = (lastFrame() ?? '').split('\n');
    const at = lines.findIndex((l) => plain(l).includes(url));
    expect(at).toBeGreaterThan(-1); // not cut by newlines
    // Each further row the terminal wraps it over is a cursor-up that prints nothing.
    const rows = Math.ceil(url.length / 60);
    for (let i = 1; i < rows; i++) expect(lines[at + i]).toBe('\x1b[A');
    expect(lastFrame()).not.toContain('\x1b]8;;'); // no hyperlink where it is not known to work
  });

  test('a terminal with OSC 8 gets the URL as a hyperlink to itself', async () => {
    const { lastFrame, url } = await panel({ TERM_PROGRAM: 'iTerm.app' });
    expect(lastFrame()).toContain(`\x1b]8;;${url}\x07${url}\x1b]8;;\x07`);
  });

  test.each([
    [{ TERM_PROGRAM: 'iTerm.app' }, true],
    [{ VTE_VERSION: '7200' }, true],
    [{ KITTY_WINDOW_ID: '1' }, true],
    [{ WT_SESSION: 'x' }, true],
    [{ TERM: 'xterm-256color' }, false],
    [{ TERM_PROGRAM: 'Apple_Terminal' }, false],
    [{ TERM_PROGRAM: 'iTerm.app', FORCE_HYPERLINK: '0' }, false],
    [{ TERM: 'xterm', FORCE_HYPERLINK: '1' }, true],
    [{ TERM: 'dumb', TERM_PROGRAM: 'iTerm.app' }, false],
  ])('hyperlinks with %j: %s', (env, yes) => {
    expect(supportsHyperlinks(env)).toBe(yes);
  });
});
