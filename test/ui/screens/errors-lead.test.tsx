/**
 * Errors that lead somewhere, on the screens: what a waiting login does when the app goes away, when its port
 * is taken, when the exchange fails, and what it says about the keyring and the clipboard. Real keys, the
 * sandbox over loopback.
 */
import net from 'node:net';
import { expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { holdPort } from '../../support/hold-port.js';
import {
  authorizeUrlIn,
  consent,
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
    // The paste path: Allow in the "browser", then paste the address it ended on.
    const redirected = await consent(authorizeUrlIn(lastFrame(), w.sandbox.url));
    await press(stdin, 'p', redirected, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile'));
  } finally {
    holder.kill();
  }
});
