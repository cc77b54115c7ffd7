/** The dashboard's keys as a terminal user presses them: while busy, chords, several keys in one read. */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { makeWorld, press, render, screenTestHooks, storeLoggedIn, type World, waitFor } from '../helpers.js';

let w: World;
let exits: number[];

screenTestHooks({ world: () => w });

async function open() {
  w = await makeWorld();
  const profile = await storeLoggedIn(w, 'demo');
  exits = [];
  const r = render(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={(code) => exits.push(code)} />,
  );
  await waitFor(() => expect(r.lastFrame()).toContain('Test client'));
  await waitFor(() => expect(r.lastFrame()).toMatch(/server #\d+/));
  return { ...r, profile, token: profile.token!.accessToken };
}

const count = (w: World, method: string, path: string) =>
  w.sandbox.stats.requests.filter((r) => r.method === method && r.path === path).length;

describe('dashboard keys', () => {
  test('a key pressed while a test runs waits its turn, and the activity line says so', async () => {
    const { lastFrame, stdin, token } = await open();
    w.sandbox.inject({ kind: 'slow', path: '/api/v2/chat/chats', delayMs: 600 });
    const refreshes = count(w, 'POST', '/oauth2/chat/token');
    const tests = count(w, 'GET', '/api/v2/chat/chats');
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('Testing demo'));
    await press(stdin, 'r');
    await waitFor(() => expect(lastFrame()).toContain('(next: Refreshing demo)'));
    await waitFor(() => expect(lastFrame()).toMatch(/✓ demo: refreshed\./), 8000);
    expect(count(w, 'POST', '/oauth2/chat/token')).toBe(refreshes + 1);
    expect(count(w, 'GET', '/api/v2/chat/chats')).toBe(tests + 1);
    expect(w.store.get('demo')?.token?.accessToken).not.toBe(token);
  });
});
