/**
 * Ink draws at most `maxFps` frames a second and holds back a frame asked for sooner (its default, 30, kept
 * a key pressed just after a redraw, such as another process's write, off the screen for up to 33 ms):
 * runUi asks for MAX_FPS. And a key press writes the lines it changed, not the whole screen again.
 */
import type { RenderOptions } from 'ink';
import { afterEach, expect, test, vi } from 'vitest';
import { MAX_FPS, runUi } from '../../source/ui/run-ui.js';
import { makeWorld, press, storeLoggedIn, type World, waitFor } from './helpers.js';
import { FakeStdin, SizedStdout } from './sized-render.js';

const options: RenderOptions[] = [];
vi.mock('ink', async (original) => {
  const real = await original<typeof import('ink')>();
  return {
    ...real,
    render: (tree: Parameters<typeof real.render>[0], o: RenderOptions) => {
      options.push(o);
      return real.render(tree, o);
    },
  };
});

let w: World;
afterEach(async () => {
  await w?.close();
});

/** The dashboard of `world` on a 120×32 terminal, through runUi as the CLI starts it. */
function dashboard(world: World) {
  const stdin = new FakeStdin();
  const stdout = new SizedStdout(120, 32, { isTTY: true });
  const done = runUi({
    services: world.services,
    start: 'dashboard',
    sandbox: world.sandbox,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
  });
  return { stdin, stdout, done };
}

test('the screens are drawn at up to MAX_FPS (≥ 100) frames a second, not Ink’s 30', async () => {
  w = await makeWorld();
  await storeLoggedIn(w);
  const { stdin, stdout, done } = dashboard(w);
  await waitFor(() => expect(stdout.frames.join('')).toContain('Test client'));
  await press(stdin, 'q');
  expect(await done).toBe(0);
  expect(MAX_FPS).toBeGreaterThanOrEqual(100);
  expect(options.map((o) => o.maxFps)).toEqual([MAX_FPS]);
});

test('a frame is written whole (no incremental rendering): the soft-wrapped authorize URL takes more rows than lines', async () => {
  w = await makeWorld();
  await storeLoggedIn(w, 'alpha');
  await storeLoggedIn(w, 'beta');
  const { stdin, stdout, done } = dashboard(w);
  await waitFor(() => expect(stdout.frames.join('')).toMatch(/\d+ on server/));
  await press(stdin, 'k'); // settled: nothing to move to above alpha
  const before = stdout.frames.length;
  await press(stdin, 'j');
  await waitFor(() => expect(stdout.frames.slice(before).join('')).toContain('› beta'));
  // Ink's incremental mode moves the cursor a line per row and skips unchanged lines: with a line wider
  // than the terminal on screen, what follows it would land rows too low. The whole frame goes out instead.
  const written = stdout.frames.slice(before).join('');
  expect(written).toContain('Zendesk Chat OAuth tokens');
  expect(written).toContain('╭');
  await press(stdin, 'q');
  expect(await done).toBe(0);
  expect(options.at(-1)?.incrementalRendering).toBe(false);
});
