import { afterEach, describe, expect, test } from 'vitest';
import { NO_TTY_HINT, runUi } from '../../source/ui/run-ui.js';
import { keys, makeWorld, press, storeLoggedIn, type World, waitFor } from './helpers.js';
import { FakeStdin, SizedStdout } from './sized-render.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const streams = (o: { tty: boolean }) => ({
  stdin: new FakeStdin({ isTTY: o.tty }),
  stdout: new SizedStdout(120, 32, { isTTY: o.tty }),
  stderr: new SizedStdout(120, 32),
});

/** runUi straight into the waiting panel for profile "work", on terminal streams. */
function startLogin() {
  const s = streams({ tty: true });
  const done = runUi({
    services: w.services,
    start: 'login',
    sandbox: w.sandbox,
    login: {
      profile: 'work',
      subdomain: 'demo',
      clientId: w.client.clientId,
      clientSecret: w.client.clientSecret,
      redirectUri: w.client.redirectUri,
      timeoutMs: 60_000,
    },
    stdin: s.stdin as unknown as NodeJS.ReadStream,
    stdout: s.stdout as unknown as NodeJS.WriteStream,
  });
  return { s, done };
}

describe('runUi', () => {
  test('without a TTY: no raw mode, no crash; a hint to the scripting commands, exit 2', async () => {
    w = await makeWorld();
    const s = streams({ tty: false });
    const code = await runUi({
      services: w.services,
      start: 'dashboard',
      stdin: s.stdin as unknown as NodeJS.ReadStream,
      stdout: s.stdout as unknown as NodeJS.WriteStream,
      stderr: s.stderr as unknown as NodeJS.WriteStream,
    });
    expect(code).toBe(2);
    expect(s.stderr.frames.join('')).toBe(NO_TTY_HINT);
    expect(NO_TTY_HINT).toContain('zchat-auth login --no-tui');
    expect(s.stdout.frames).toEqual([]);
    expect(s.stdin.rawMode).toBe(false);
  });

  test('q: exit 0, raw mode off, the alternate screen left and the cursor shown', async () => {
    w = await makeWorld();
    await storeLoggedIn(w);
    const s = streams({ tty: true });
    const done = runUi({
      services: w.services,
      start: 'dashboard',
      sandbox: w.sandbox,
      stdin: s.stdin as unknown as NodeJS.ReadStream,
      stdout: s.stdout as unknown as NodeJS.WriteStream,
    });
    await waitFor(() => expect(s.stdout.frames.join('')).toContain('Test client'));
    expect(s.stdout.frames[0]).toBe('\x1b[?1049h');
    expect(s.stdin.rawMode).toBe(true);
    await press(s.stdin, 'q');
    expect(await done).toBe(0);
    expect(s.stdin.rawMode).toBe(false);
    expect(s.stdout.frames.join('')).toMatch(/\x1b\[\?25h\x1b\[\?1049l$/);
  });

  test('Ctrl+C anywhere: exit 130, and a waiting login frees its port', async () => {
    w = await makeWorld();
    const { s, done } = startLogin();
    await waitFor(() => expect(s.stdout.frames.join('')).toContain('Listening on'));
    await press(s.stdin, keys.ctrlC);
    expect(await done).toBe(130);
    const { createServer } = await import('node:net');
    const port = Number(new URL(w.client.redirectUri).port);
    await waitFor(
      () =>
        new Promise<void>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
        }),
    );
  });

  test('a login that ends with q prints how to use the token, after the screen is gone', async () => {
    w = await makeWorld();
    const { s, done } = startLogin();
    await waitFor(() => expect(s.stdout.frames.join('')).toContain('press a to approve'));
    await press(s.stdin, 'a');
    await waitFor(() => expect(s.stdout.frames.join('')).toContain('Stored as profile work'));
    await press(s.stdin, 'q');
    expect(await done).toBe(0);
    expect(s.stdout.frames.at(-1)).toBe(
      'Stored a token as profile work. Use it: $(zchat-auth token --profile work)\n',
    );
  });
});
