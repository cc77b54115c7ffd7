/**
 * A profile whose secrets are in an OS keyring that cannot be reached now (set up on the desktop, used over
 * SSH): the dashboard still opens and says why the account's lists are missing, and `d` still deletes the
 * profile, naming the keyring entry left behind and the command that removes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { openStore } from '../../../source/core/store/store.js';
import { App } from '../../../source/ui/app.js';
import { flat, makeWorld, press, render, screenTestHooks, type World, waitFor } from '../helpers.js';

let w: World;

screenTestHooks({ world: () => w });

test('the dashboard opens, says the keyring cannot be read, and d deletes the profile naming the entry left', async () => {
  w = await makeWorld();
  const now = new Date().toISOString();
  const file = path.join(w.dir, 'config.json');
  const profile = {
    name: 'desk',
    subdomain: 'demo',
    baseUrl: w.sandbox.url,
    clientId: w.client.clientId,
    redirectUri: w.client.redirectUri,
    scopes: ['read'],
    flow: 'code',
    createdAt: now,
    updatedAt: now,
    secretsIn: 'keyring',
    keyringAccount: 'desk/0a1b2c3d4e5f',
    token: {
      accessTokenMasked: 'ab…cd',
      accessTokenSha256: 'ab'.repeat(32),
      tokenType: 'Bearer',
      scope: 'read',
      grant: 'authorization_code',
      obtainedAt: now,
    },
  };
  const data = { schemaVersion: 2, defaultProfile: 'desk', profiles: { desk: profile } };
  fs.writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
  // No D-Bus session as far as the store can tell: the keyring is out of reach.
  const store = openStore({ dir: w.dir, env: {} });
  const { lastFrame, stdin } = render(
    <App services={{ ...w.services, store }} start="dashboard" onExit={() => {}} />,
  );
  await waitFor(() => expect(lastFrame()).toContain('› desk*'));
  await waitFor(() => expect(lastFrame()).toMatch(/✗ .*keyring/));
  await press(stdin, 'd');
  await waitFor(() => expect(lastFrame()).toContain('Delete the profile “desk” from this machine?'));
  await press(stdin, 'y');
  await waitFor(() =>
    expect(flat(lastFrame())).toContain(flat('Deleted “desk”; the OS keyring is out of reach')),
  );
  expect(flat(lastFrame())).toContain(
    flat('secret-tool clear service zchat-auth username desk/0a1b2c3d4e5f'),
  );
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).profiles).toEqual({});
});
