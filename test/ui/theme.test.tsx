/**
 * NO_COLOR: colours off, emphasis kept. Chalk decides its colour level when loaded, so colour is forced
 * before Ink is imported (this file's modules are its own).
 */
import { afterEach, expect, test } from 'vitest';

process.env.FORCE_COLOR = '1';
const { cleanup, render } = await import('ink-testing-library');
const { App } = await import('../../source/ui/app.js');
const { createTheme } = await import('../../source/ui/theme.js');
const { makeWorld, storeLoggedIn, waitFor } = await import('./helpers.js');
type World = Awaited<ReturnType<typeof makeWorld>>;

let w: World;
afterEach(async () => {
  cleanup();
  await w?.close();
});

// Foreground/background colour codes (30–37, 39, 90–97 and their backgrounds); bold (1) and inverse (7) are not colour.
const colour = /\x1b\[(3[0-9]|9[0-7]|4[0-9]|10[0-7])(;[0-9]+)*m/;

test('createTheme: NO_COLOR set and not empty means no colour', () => {
  expect(createTheme({ NO_COLOR: '1' })).toEqual({ noColor: true });
  expect(createTheme({ NO_COLOR: '' }).noColor).toBe(false);
  expect(createTheme({}).accent).toBe('cyan');
});

test.each([
  ['with colour', {}, true],
  ['NO_COLOR', { NO_COLOR: '1' }, false],
])('dashboard %s', async (_name, env, coloured) => {
  w = await makeWorld({ env });
  await storeLoggedIn(w);
  const { lastFrame } = render(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toContain('Test client'));
  expect(colour.test(lastFrame() ?? '')).toBe(coloured);
  // The focused pane and the selection still stand out: inverse.
  expect(lastFrame()).toContain('\x1b[7m');
});
