/** The dashboard's keys as a terminal user presses them: while busy, chords, several keys in one read. */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { ExchangeLog } from '../../../source/ui/exchange-log.js';
import { KeyRouter } from '../../../source/ui/key-router.js';
import { Dashboard } from '../../../source/ui/screens/Dashboard.js';
import {
  makeWorld,
  press,
  render,
  screenTestHooks,
  storeLoggedIn,
  tick,
  type World,
  waitFor,
} from '../helpers.js';

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

describe('chords and keys that come in one read', () => {
  test('Ctrl+R does not refresh, Ctrl+D does not ask to delete, Alt+X does not ask to revoke', async () => {
    const { lastFrame, stdin, token } = await open();
    const posts = count(w, 'POST', '/oauth2/chat/token');
    await press(stdin, '\x12', '\x04', '\x1bx', '\x14');
    await tick(100);
    expect(lastFrame()).not.toContain('Delete the profile');
    expect(lastFrame()).not.toContain('on the server?');
    expect(lastFrame()).not.toContain('Refreshing');
    expect(lastFrame()).not.toContain('Testing');
    expect(count(w, 'POST', '/oauth2/chat/token')).toBe(posts);
    expect(w.store.get('demo')?.token?.accessToken).toBe(token);
    // The letters themselves still work.
    await press(stdin, 'd');
    await waitFor(() => expect(lastFrame()).toContain('Delete the profile “demo” from this machine?'));
  });

  test('"/redir" in one read filters by "redir"; three Backspaces in one read delete three characters', async () => {
    const { lastFrame, stdin } = await open();
    await press(stdin, '\t', '/redirxyz');
    await waitFor(() => expect(lastFrame()).toContain('/redirxyz'));
    expect(lastFrame()).toContain('Nothing matches the filter.');
    await press(stdin, '\x7f\x7f\x7f');
    await waitFor(() => expect(lastFrame()).toContain('filter: redir▏'));
    expect(lastFrame()).toContain('Two redirects');
    expect(lastFrame()).not.toContain('Tutorial client');
    // enter and q in one read: the filter is kept, then q quits.
    await press(stdin, '\rq');
    await waitFor(() => expect(exits).toEqual([0]));
  });
});

describe('s: the default profile', () => {
  test('s makes the selected profile the default (what zchat-auth token uses); help lists it', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    await w.saveProfile({ name: 'other' });
    const r = render(<App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />);
    await waitFor(() => expect(r.lastFrame()).toContain('› demo*'));
    await press(r.stdin, 's');
    await waitFor(() => expect(r.lastFrame()).toContain('demo is already the default profile.'));
    await press(r.stdin, 'j');
    await waitFor(() => expect(r.lastFrame()).toContain('› other'));
    await press(r.stdin, 's');
    await waitFor(() => expect(r.lastFrame()).toContain('✓ other is now the default profile'));
    expect(w.store.defaultProfile()).toBe('other');
    await waitFor(() => expect(r.lastFrame()).toContain('› other*'));
    await press(r.stdin, '?');
    await waitFor(() => expect(r.lastFrame()).toContain('make the selected profile the default'));
  });
});

describe('lists kept fresh', () => {
  async function twoLogins() {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    const other = await storeLoggedIn(w, 'other');
    return other.token!.accessToken;
  }

  test('Ctrl+R reloads: a token revoked elsewhere leaves the list (and no refresh token is spent)', async () => {
    const otherToken = await twoLogins();
    const r = render(<App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />);
    await waitFor(() => expect(r.lastFrame()).toContain('Tokens 2 stored · 3 on server'));
    w.sandbox.revokeAccessToken(otherToken);
    const posts = count(w, 'POST', '/oauth2/chat/token');
    await press(r.stdin, '\x12');
    await waitFor(() => expect(r.lastFrame()).toContain('Tokens 2 stored · 2 on server'));
    expect(r.lastFrame()).toContain('Reloaded the profiles');
    expect(count(w, 'POST', '/oauth2/chat/token')).toBe(posts);
  });

  test('while idle the lists are fetched again quietly (no spinner), without a key', async () => {
    const otherToken = await twoLogins();
    const r = render(
      <KeyRouter>
        <Dashboard
          services={w.services}
          log={new ExchangeLog()}
          idleRefreshMs={400}
          onNewLogin={() => {}}
          onQuit={() => {}}
        />
      </KeyRouter>,
    );
    await waitFor(() => expect(r.lastFrame()).toContain('Tokens 2 stored · 3 on server'));
    const from = r.frames.length;
    const lists = count(w, 'GET', '/api/v2/chat/oauth/tokens');
    w.sandbox.revokeAccessToken(otherToken);
    await waitFor(() => expect(r.lastFrame()).toContain('Tokens 2 stored · 2 on server'), 5000);
    expect(count(w, 'GET', '/api/v2/chat/oauth/tokens')).toBeGreaterThan(lists);
    expect(r.frames.slice(from).some((f) => f.includes('fetching…'))).toBe(false);
  });
});
