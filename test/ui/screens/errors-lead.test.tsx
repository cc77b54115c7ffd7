/**
 * Errors that lead somewhere, on the screens: what a waiting login does when the app goes away, when its port
 * is taken, when the exchange fails, and what it says about the keyring and the clipboard. Real keys, the
 * sandbox over loopback.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openStore } from '../../../source/core/store/store.js';
import { App } from '../../../source/ui/app.js';
import { holdPort } from '../../support/hold-port.js';
import {
  adminToken,
  authorizeUrlIn,
  consent,
  freePort,
  keys,
  makeWorld,
  plain,
  press,
  render,
  screenTestHooks,
  tick,
  type World,
  waitFor,
} from '../helpers.js';

let w: World;
screenTestHooks({ world: () => w });

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The frame as one line of words (the panel wraps long sentences). */
const oneLine = (frame: string | undefined) => plain(frame).replace(/\s+/g, ' ');

const loginOf = (w: World) => ({
  subdomain: w.sandbox.demo.subdomain,
  baseUrl: w.sandbox.url,
  clientId: w.client.clientId,
  clientSecret: w.client.clientSecret,
  redirectUri: w.client.redirectUri,
});

test('unmounting the app while a login waits frees its port at once (not at the timeout)', async () => {
  w = await makeWorld();
  const port = Number(new URL(w.client.redirectUri).port);
  const { lastFrame, unmount } = render(
    <App services={w.services} start="login" login={loginOf(w)} onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toContain('Listening on'));
  expect(await portIsFree(port)).toBe(false);
  unmount();
  // Closing is a few socket closes: well within a second, where the old code held it for the 5 minutes.
  const deadline = Date.now() + 1000;
  while (!(await portIsFree(port)) && Date.now() < deadline) await tick(20);
  expect(await portIsFree(port)).toBe(true);
});

test('a busy redirect port: the panel names the process holding it and offers the paste path (p), which works', async () => {
  w = await makeWorld();
  const port = Number(new URL(w.client.redirectUri).port);
  const holder = await holdPort(port);
  try {
    const { lastFrame, stdin } = render(
      <App services={w.services} start="login" login={loginOf(w)} onExit={() => {}} />,
    );
    await waitFor(() => expect(plain(lastFrame())).toContain(`pid ${holder.pid}`));
    const text = plain(lastFrame()).replace(/\s+/g, ' ');
    expect(text).toContain(`Port ${port} is already in use by node (pid ${holder.pid})`);
    expect(text).toMatch(/press p to paste it here/);
    expect(text).not.toContain('Listening on');
    expect(text).not.toContain('Requests seen'); // nothing listens, so nothing is seen
    // The paste path: Allow in the "browser", then paste the address it ended on.
    const redirected = await consent(authorizeUrlIn(lastFrame(), w.sandbox.url));
    await press(stdin, 'p', redirected, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile'));
  } finally {
    holder.kill();
  }
});

describe('before the wait: what can be checked is said at once', () => {
  test('a redirect URI the client does not list: ✗ with what to do, while the login still waits', async () => {
    w = await makeWorld();
    // A stored admin token can see the client; the login uses a redirect URI the client does not list.
    await w.saveProfile({ name: 'admin', token: adminToken(w.sandbox) });
    const other = `http://localhost:${await freePort()}`;
    const { lastFrame } = render(
      <App
        services={w.services}
        start="login"
        login={{ ...loginOf(w), redirectUri: other, profile: 'fresh' }}
        onExit={() => {}}
      />,
    );
    await waitFor(() => expect(oneLine(lastFrame())).toContain('does not list the redirect URI'));
    await waitFor(() => expect(oneLine(lastFrame())).toContain('answers.'));
    const text = oneLine(lastFrame());
    expect(text).toContain(
      `✗ Client ${w.client.clientId} does not list the redirect URI ${other} (it has: ${w.client.redirectUri})`,
    );
    expect(text).toContain('add it to the client in Zendesk Chat > Account > API & SDKs');
    expect(text).toContain(`✓ Checked: ${new URL(w.sandbox.url).host} answers.`);
    expect(text).toContain('Listening on');
  });

  test('a listed redirect URI is said to be checked; no stored token: nothing is said about it', async () => {
    w = await makeWorld();
    const { lastFrame, unmount } = render(
      <App services={w.services} start="login" login={loginOf(w)} onExit={() => {}} />,
    );
    await waitFor(() => expect(oneLine(lastFrame())).toContain('answers.'));
    expect(oneLine(lastFrame())).not.toMatch(/lists|does not list/);
    unmount();
    await w.saveProfile({ name: 'admin', token: adminToken(w.sandbox) });
    const again = render(
      <App
        services={w.services}
        start="login"
        login={{ ...loginOf(w), profile: 'fresh' }}
        onExit={() => {}}
      />,
    );
    await waitFor(() =>
      expect(oneLine(again.lastFrame())).toContain(
        `Client ${w.client.clientId} lists ${w.client.redirectUri}.`,
      ),
    );
  });

  test('a server that does not answer: ✗ at once, naming it and what to check', async () => {
    w = await makeWorld();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const { lastFrame } = render(
      <App services={w.services} start="login" login={{ ...loginOf(w), baseUrl: dead }} onExit={() => {}} />,
    );
    await waitFor(() => expect(oneLine(lastFrame())).toContain('did not answer'));
    expect(oneLine(lastFrame())).toContain(`✗ ${new URL(dead).host} did not answer`);
    expect(oneLine(lastFrame())).toContain('check the network, the subdomain or base URL');
  });
});

test('a failed code exchange (wrong client secret): enter goes back to the secret field, marked ✗ with the reason', async () => {
  w = await makeWorld();
  const login = { ...loginOf(w), clientSecret: 'not-the-secret' };
  const { lastFrame, stdin } = render(
    <App services={w.services} start="login" login={login} sandbox={w.sandbox} onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toContain('Listening on'));
  await press(stdin, 'a'); // Allow, in the sandbox
  await waitFor(() => expect(lastFrame()).toContain('The client ID or secret is wrong'));
  await press(stdin, keys.enter);
  await waitFor(() => expect(lastFrame()).toContain('new login'));
  const frame = lastFrame() ?? '';
  // On the secret field, not on the summary of ticks.
  expect(frame).not.toContain('Start the login');
  expect(frame).toMatch(/› Client secret/);
  expect(frame).toContain('✗ The client ID or secret is wrong');
  // The right secret, then the summary, then a login that works.
  await press(stdin, w.client.clientSecret, keys.enter);
  await waitFor(() => expect(lastFrame()).toContain('Start the login'));
  expect(lastFrame()).not.toContain('✗ The client ID or secret is wrong');
  await press(stdin, keys.enter);
  await waitFor(() => expect(lastFrame()).toContain('Listening on'));
  await press(stdin, 'a');
  await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile'));
});

/** A directory with a `tmux` that answers `show -gv OPTION` as given (exit 1 for an unknown option). */
async function fakeTmux(options: Record<string, string> | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'zchat-tmux-'));
  if (options) {
    const cases = Object.entries(options)
      .map(([name, value]) => `  "show -gv ${name}") echo ${value} ;;`)
      .join('\n');
    await writeFile(
      path.join(dir, 'tmux'),
      `#!/bin/sh\ncase "$*" in\n${cases}\n  *) echo "invalid option: $3" >&2; exit 1 ;;\nesac\n`,
    );
    await chmod(path.join(dir, 'tmux'), 0o755);
  }
  return dir;
}

const tmuxCases: [string, Record<string, string> | undefined, RegExp][] = [
  [
    'set-clipboard and passthrough off: may not reach, and how to enable it',
    { 'set-clipboard': 'off', 'allow-passthrough': 'off' },
    /Sent via OSC 52 \(terminal clipboard\)\. It may not reach the clipboard: tmux's set-clipboard and allow-passthrough are off\. Enable it with `set -g set-clipboard on` in ~\/\.tmux\.conf\./,
  ],
  [
    'tmux cannot be asked (not on PATH): may not, and how to enable it',
    undefined,
    /It may not reach the clipboard: tmux could not say whether it passes copies on\. If it does not, add `set -g set-clipboard on` to ~\/\.tmux\.conf\./,
  ],
  [
    'set-clipboard on: copied, no warning',
    { 'set-clipboard': 'on', 'allow-passthrough': 'off' },
    /Authorize URL: Copied via OSC 52 \(terminal clipboard\)\.(?! It may)/,
  ],
  [
    'an older tmux without allow-passthrough, set-clipboard external: copied',
    { 'set-clipboard': 'external' },
    /Authorize URL: Copied via OSC 52 \(terminal clipboard\)\.(?! It may)/,
  ],
];

test.each(tmuxCases)('inside tmux, y (copy the URL): %s', async (_name, options, says) => {
  const bin = await fakeTmux(options);
  try {
    w = await makeWorld({ env: { TMUX: '/tmp/tmux-1000/default,1234,0', PATH: bin } });
    const { lastFrame, stdin } = render(
      <App services={w.services} start="login" login={loginOf(w)} onExit={() => {}} />,
    );
    await waitFor(() => expect(lastFrame()).toContain('Listening on'));
    await press(stdin, 'y');
    await waitFor(() => expect(oneLine(lastFrame())).toContain('Authorize URL:'));
    expect(oneLine(lastFrame())).toMatch(says);
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});

test('no usable keyring: the waiting panel says where the secrets went, with the reason, the first time for a profile', async () => {
  w = await makeWorld();
  // A store that decides for itself, on a machine without a D-Bus session (so without a keyring).
  const dir = await mkdtemp(path.join(tmpdir(), 'zchat-nokeyring-'));
  const store = openStore({ dir, env: {} });
  const services = { ...w.services, store };
  try {
    const login = { ...loginOf(w), profile: 'work' };
    const first = render(
      <App services={services} start="login" login={login} sandbox={w.sandbox} onExit={() => {}} />,
    );
    await waitFor(() => expect(first.lastFrame()).toContain('Listening on'));
    await press(first.stdin, 'a');
    await waitFor(() => expect(first.lastFrame()).toContain('✓ Stored as profile work'));
    expect(oneLine(first.lastFrame())).toContain(
      `! No OS keyring is usable here (no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)): the secrets are stored in ${store.path}, readable only by you.`,
    );
    first.unmount();
    // The same profile again: said once is enough.
    const again = render(
      <App services={services} start="login" login={login} sandbox={w.sandbox} onExit={() => {}} />,
    );
    await waitFor(() => expect(again.lastFrame()).toContain('Listening on'));
    await press(again.stdin, 'a');
    await waitFor(() => expect(again.lastFrame()).toContain('✓ Stored as profile work'));
    expect(oneLine(again.lastFrame())).not.toContain('No OS keyring');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
