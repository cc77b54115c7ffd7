/**
 * The newcomer's path with `npm start` (zchat-auth --sandbox): the emulator, a throwaway store and a demo
 * profile prefilled with the emulator's client; no account. Counts every key from the first screen to a
 * stored token that has passed its test.
 */
import { expect, test } from 'vitest';
import { App, type StartScreen } from '../../../source/ui/app.js';
import { keys, makeWorld, press, render, screenTestHooks, settle, type World, waitFor } from '../helpers.js';

let w: World;
screenTestHooks({ world: () => w });

/** As the CLI's sandbox session does (it registers a free port when 8080 is taken, as here). */
async function demoSession() {
  w = await makeWorld();
  await w.saveProfile({ name: 'demo' });
  const d = w.sandbox.demo;
  return {
    profile: 'demo',
    subdomain: d.subdomain,
    baseUrl: w.sandbox.url,
    clientId: w.client.clientId,
    redirectUri: w.client.redirectUri,
  };
}

/** Each key, and what the screen says once it has done its work. */
const paths: [StartScreen, [key: string, then: string][]][] = [
  [
    'dashboard',
    [
      ['n', 'Start the login'],
      [keys.enter, 'Listening on'],
      ['a', '✓ Stored as profile demo'],
      [keys.enter, 'Stored a new token as demo'],
      ['t', 'the token works'],
    ],
  ],
  // What `zchat-auth --sandbox` opens today (the wizard, on its summary).
  [
    'wizard',
    [
      [keys.enter, 'Listening on'],
      ['a', '✓ Stored as profile demo'],
      [keys.enter, 'Stored a new token as demo'],
      ['t', 'the token works'],
    ],
  ],
];

test.each(paths)('from the %s to a stored, tested token', async (start, path) => {
  const login = await demoSession();
  const { lastFrame, stdin } = render(
    <App services={w.services} start={start} login={login} sandbox={w.sandbox} onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toMatch(start === 'dashboard' ? /n: log in/ : /Start the login/));
  for (const [key, then] of path) {
    await press(stdin, key);
    await waitFor(() => expect(lastFrame()).toContain(then));
  }
  expect(path.length).toBeLessThanOrEqual(10);
  const stored = w.store.get('demo')!;
  expect(stored.lastTest).toMatchObject({ ok: true, result: 'valid' });
  expect(w.sandbox.isTokenValid(stored.token!.accessToken)).toBe(true);
  expect(lastFrame()).toContain('last test valid');
});

/**
 * A key pressed the moment a new screen is drawn: a busy machine or a fast typist sends it after React has
 * committed the frame but before React runs that frame's passive effects (a later macrotask), which is where
 * Ink's own useInput subscribes. It must reach the screen on show, not fall between two screens.
 */
test('a key pressed as soon as a new screen is drawn reaches that screen', async () => {
  const login = await demoSession();
  const { lastFrame, stdin, stdout } = render(
    <App services={w.services} start="dashboard" login={login} sandbox={w.sandbox} onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toMatch(/n: log in/));
  await settle();
  // Frames are written during React's commit here (debug mode); enter follows the wizard's first frame in a
  // microtask: after the commit, before its effects.
  const write = stdout.write;
  let pressed = false;
  stdout.write = (frame: string) => {
    write(frame);
    if (!pressed && frame.includes('Start the login')) {
      pressed = true;
      queueMicrotask(() => stdin.write(keys.enter));
    }
  };
  stdin.write('n');
  await waitFor(() => expect(lastFrame()).toContain('Listening on'));
  expect(pressed).toBe(true);
  stdin.write('a');
  await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile demo'));
  expect(w.store.get('demo')?.token?.grant).toBe('authorization_code');
});
