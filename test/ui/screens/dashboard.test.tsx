import { cleanup } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { dashboardKeys } from '../../../source/ui/keys.js';
import {
  clipboardWrites,
  flat,
  keys,
  makeWorld,
  press,
  render,
  screenTestHooks,
  storeLoggedIn,
  type World,
  waitFor,
} from '../helpers.js';

let w: World;
let exits: number[];

screenTestHooks({ world: () => w });

async function open(o: { env?: NodeJS.ProcessEnv } = {}) {
  w = await makeWorld(o.env ? { env: o.env } : {});
  const profile = await storeLoggedIn(w, 'demo');
  exits = [];
  const r = render(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={(code) => exits.push(code)} />,
  );
  await waitFor(() => expect(r.lastFrame()).toContain('Test client'));
  // The stored token is linked to its entry on the server.
  await waitFor(() => expect(r.lastFrame()).toMatch(/server #\d+/));
  return { ...r, profile, token: profile.token!.accessToken };
}

const count = (w: World, method: string, path: string) =>
  w.sandbox.stats.requests.filter((r) => r.method === method && r.path === path).length;

describe('dashboard', () => {
  test('shows tokens, clients (fetched), details and the status bar', async () => {
    const { lastFrame, token } = await open();
    const frame = lastFrame() ?? '';
    // Zendesk lists only what this token's agent created: the panes say "yours".
    expect(frame).toContain('Tokens 1 stored · 2 on server (via demo)');
    expect(frame).toContain('› demo*');
    expect(frame).toContain('Clients 3 (via demo)');
    expect(frame).toMatch(/Tutorial client +public/);
    expect(frame).toContain('Details');
    expect(frame).toContain('Profile    demo (default) · code flow · subdomain demo');
    expect(frame).toContain('refresh token stored');
    expect(frame).toContain('SANDBOX · profile demo · token just now old · not tested');
    expect(frame).not.toContain(token);
  });

  test('t tests the token: progress, then the result line; the sandbox saw the call; details show it', async () => {
    const { lastFrame, stdin } = await open();
    const before = count(w, 'GET', '/api/v2/chat/chats');
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toMatch(/✓ demo: the token works \(HTTP 200, \d+ ms\)\./));
    expect(count(w, 'GET', '/api/v2/chat/chats')).toBe(before + 1);
    expect(w.store.get('demo')?.lastTest).toMatchObject({ ok: true, result: 'valid', status: 200 });
    expect(lastFrame()).toMatch(
      /Request +GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/chats → 200 in \d+ ms/,
    );
    expect(lastFrame()).toContain('last test valid');

    // A revoked token: the verdict as a sentence that says what to do.
    w.sandbox.revokeAccessToken(w.store.get('demo')!.token!.accessToken);
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('✗ demo: the token was refused (HTTP 401'));
    expect(flat(lastFrame())).toContain(flat('Press r to refresh it or n to log in again.'));
  });

  test('r refreshes: a new pair is stored and the old token stops working', async () => {
    const { lastFrame, stdin, token } = await open();
    await press(stdin, 'r');
    await waitFor(() =>
      expect(lastFrame()).toMatch(/✓ demo: refreshed\. New token .+ and a new refresh token stored\./),
    );
    const now = w.store.get('demo')!.token!;
    expect(now.accessToken).not.toBe(token);
    expect(w.sandbox.isTokenValid(now.accessToken)).toBe(true);
    expect(w.sandbox.isTokenValid(token)).toBe(false);
    expect(lastFrame()).toMatch(/Request +POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/token → 200/);
  });

  describe('c: make a client confidential', () => {
    const toTestClient = async (stdin: { write(s: string): void }, lastFrame: () => string | undefined) => {
      await press(stdin, keys.tab, 'j', 'j');
      await waitFor(() => expect(lastFrame()).toMatch(/› Test client/));
    };

    test('y confirms: the client is confidential in the sandbox, with the warning', async () => {
      const { lastFrame, stdin } = await open();
      await toTestClient(stdin, lastFrame);
      await press(stdin, 'c');
      await waitFor(() => expect(lastFrame()).toContain('Make the client “Test client” confidential?'));
      expect(lastFrame()).toContain('y yes · n or esc no');
      expect(w.sandbox.getClient(w.client.clientId)?.client_type).toBe('public');
      await press(stdin, 'y');
      await waitFor(() => expect(lastFrame()).toContain('“Test client” is now confidential.'));
      expect(lastFrame()).toContain('turns it back to public');
      expect(w.sandbox.getClient(w.client.clientId)?.client_type).toBe('confidential');
      expect(lastFrame()).toMatch(/Test client +confidential/);
      expect(lastFrame()).toMatch(/PUT http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/oauth\/clients\/\d+ → 200/);
      // Again: nothing to do.
      await press(stdin, 'c');
      await waitFor(() => expect(lastFrame()).toContain('already confidential'));
    });

    test.each([
      ['n', 'n'],
      ['esc', keys.esc],
    ])('%s cancels: nothing reaches the sandbox', async (_name, key) => {
      const { lastFrame, stdin } = await open();
      await toTestClient(stdin, lastFrame);
      const puts = w.sandbox.stats.requests.filter((r) => r.method === 'PUT').length;
      await press(stdin, 'c');
      await waitFor(() => expect(lastFrame()).toContain('confidential?'));
      await press(stdin, key);
      await waitFor(() => expect(lastFrame()).toContain('· Cancelled.'));
      expect(lastFrame()).not.toContain('confidential?');
      expect(w.sandbox.getClient(w.client.clientId)?.client_type).toBe('public');
      expect(w.sandbox.stats.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
    });
  });

  describe('x: revoke on the server', () => {
    test('y confirms: the stored token is revoked in the sandbox', async () => {
      const { lastFrame, stdin, token } = await open();
      await press(stdin, 'x');
      await waitFor(() => expect(lastFrame()).toMatch(/Revoke demo’s token #\d+ on the server\?/));
      await press(stdin, 'y');
      await waitFor(() => expect(lastFrame()).toContain('The stored copy no longer works'));
      expect(w.sandbox.isTokenValid(token)).toBe(false);
      expect(lastFrame()).toContain('Tokens 1 stored · 1 on server');
    });

    test.each([
      ['n', 'n'],
      ['esc', keys.esc],
    ])('%s cancels: the token still works', async (_name, key) => {
      const { lastFrame, stdin, token } = await open();
      await press(stdin, 'x');
      await waitFor(() => expect(lastFrame()).toContain('on the server?'));
      await press(stdin, key);
      await waitFor(() => expect(lastFrame()).toContain('· Cancelled.'));
      expect(w.sandbox.isTokenValid(token)).toBe(true);
    });

    test('a token only on the server can be revoked from its own row', async () => {
      const { lastFrame, stdin } = await open();
      await press(stdin, 'j');
      await waitFor(() => expect(lastFrame()).toMatch(/› +#\d+/));
      await press(stdin, 'x', 'y');
      await waitFor(() => expect(lastFrame()).toMatch(/✓ Revoked (token|.*’s token) #\d+ on the server\./));
      expect(w.sandbox.isTokenValid(w.sandbox.demo.adminToken)).toBe(false);
    });
  });

  describe('d: delete locally', () => {
    test('y confirms: the profile is gone from the store, the token still works', async () => {
      const { lastFrame, stdin, token } = await open();
      await press(stdin, 'd');
      await waitFor(() => expect(lastFrame()).toContain('Delete the profile “demo” from this machine?'));
      await press(stdin, 'y');
      await waitFor(() => expect(lastFrame()).toContain('✓ Deleted the profile “demo” from this machine.'));
      expect(w.store.get('demo')).toBeUndefined();
      expect(w.sandbox.isTokenValid(token)).toBe(true);
      expect(lastFrame()).toContain('Tokens 0 stored');
    });

    test.each([
      ['n', 'n'],
      ['esc', keys.esc],
    ])('%s cancels: the profile stays', async (_name, key) => {
      const { lastFrame, stdin } = await open();
      await press(stdin, 'd');
      await waitFor(() => expect(lastFrame()).toContain('Delete the profile'));
      await press(stdin, key);
      await waitFor(() => expect(lastFrame()).toContain('· Cancelled.'));
      expect(w.store.get('demo')).toBeDefined();
    });
  });

  test('y copies the token through OSC 52 (never printed); v reveals it and hides it again', async () => {
    const { lastFrame, stdin, frames, token } = await open();
    await press(stdin, 'y');
    await waitFor(() =>
      expect(lastFrame()).toContain('demo’s access token: Copied via OSC 52 (terminal clipboard).'),
    );
    expect(clipboardWrites(frames)).toEqual([token]);
    expect(frames.some((f) => f.replace(/\x1b\]52;c;[^\x07]*\x07/g, '').includes(token))).toBe(false);
    await press(stdin, 'v');
    await waitFor(() => expect(lastFrame()).toContain(token));
    await press(stdin, 'v');
    await waitFor(() => expect(lastFrame()).not.toContain(token));
    expect(lastFrame()).toContain('(v reveals)');
  });

  test('e copies the last request as curl: secrets masked, in full after v', async () => {
    const { lastFrame, stdin, frames, token } = await open();
    await press(stdin, 'e');
    await waitFor(() => expect(lastFrame()).toContain('Nothing was sent for this item yet'));
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('the token works'));
    await press(stdin, 'e');
    await waitFor(() =>
      expect(lastFrame()).toContain('Copied GET /api/v2/chat/chats as curl, secrets masked'),
    );
    const masked = clipboardWrites(frames).at(-1)!;
    expect(masked).toMatch(/^curl http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/chats/);
    expect(masked).toMatch(/-H "Authorization: Bearer [^"]*…/);
    expect(masked).not.toContain(token);
    await press(stdin, 'v', 'e');
    await waitFor(() => expect(lastFrame()).toContain('as curl, with its secrets'));
    const full = clipboardWrites(frames).at(-1)!;
    expect(full).toContain(`Authorization: Bearer ${token}`);
    // The copied command works as it is: what the tutorial does by hand.
    const url = /curl (\S+)/.exec(full)![1]!;
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  test('no token value from the server list is drawn or copied: server rows, details, y, e, v', async () => {
    const { lastFrame, stdin, frames } = await open();
    // The server row of the seeded admin token: its value is in the list Zendesk sent.
    await press(stdin, 'j');
    await waitFor(() => expect(lastFrame()).toMatch(/› +#\d+/));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toMatch(/Server token #\d+|#\d+/));
    await press(stdin, keys.esc, 'v', 'y', 'e', 'v', 'e');
    await press(stdin, 'k', keys.enter, keys.esc);
    const values = w.sandbox.issuedTokenValues();
    expect(values).toContain(w.sandbox.demo.adminToken);
    const drawn = frames.join('');
    const copied = clipboardWrites(frames).join('\n');
    for (const value of values) {
      expect(drawn.includes(value)).toBe(false);
      expect(copied.includes(value)).toBe(false);
    }
  });

  test('↑↓ j k move, tab switches pane, enter opens the details in full, esc closes them', async () => {
    const { lastFrame, stdin } = await open();
    await press(stdin, keys.down);
    await waitFor(() => expect(lastFrame()).toMatch(/› +#\d+/));
    await press(stdin, 'k');
    await waitFor(() => expect(lastFrame()).toContain('› demo*'));
    await press(stdin, 'j', keys.up);
    await waitFor(() => expect(lastFrame()).toContain('› demo*'));
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toContain('Client     Tutorial client · Demo Inc.'));
    await press(stdin, keys.down);
    await waitFor(() => expect(lastFrame()).toContain('Client     Two redirects'));
    expect(lastFrame()).toContain(
      'Redirects  http://localhost:8080/callback, http://127.0.0.1:8765/callback',
    );
    await press(stdin, keys.tab);
    await waitFor(() => expect(lastFrame()).toContain('Profile    demo'));
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('the token works'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('As curl (secrets masked; v reveals):'));
    expect(lastFrame()).not.toContain('Clients 3');
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('Clients 3'));
  });

  test('a key press makes no pass over every stored profile to find the first selection', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    await storeLoggedIn(w, 'other');
    // Every list the store hands out counts its findIndex calls (the same list for the same version).
    let searches = 0;
    const store = w.services.store;
    const list = store.list.bind(store);
    const counted = new WeakMap<object, ReturnType<typeof list>>();
    store.list = () => {
      const views = list();
      let out = counted.get(views);
      if (!out) {
        out = [...views];
        const own = out.findIndex.bind(out);
        Object.defineProperty(out, 'findIndex', {
          value: (...args: Parameters<typeof own>) => {
            searches++;
            return own(...args);
          },
        });
        counted.set(views, out);
      }
      return out;
    };
    const { lastFrame, stdin } = render(<App services={w.services} start="dashboard" onExit={() => {}} />);
    await waitFor(() => expect(lastFrame()).toContain('› demo*'));
    const atStart = searches;
    for (let i = 0; i < 3; i++) {
      await press(stdin, 'j');
      await waitFor(() => expect(lastFrame()).toContain('› other'));
      await press(stdin, 'k');
      await waitFor(() => expect(lastFrame()).toContain('› demo*'));
    }
    expect(searches).toBe(atStart);
  });

  test('/ filters the focused list; enter keeps the filter, esc clears it', async () => {
    const { lastFrame, stdin } = await open();
    await press(stdin, keys.tab, '/');
    await waitFor(() => expect(lastFrame()).toContain('enter keeps · esc clears'));
    // The filter also matches client IDs, which are random letters and digits: a word too long to turn up in
    // one by chance ("two" is in about 1 in 600 of them).
    await press(stdin, 'r', 'e', 'd', 'i', 'r');
    await waitFor(() => expect(lastFrame()).not.toContain('Tutorial client'));
    expect(lastFrame()).toContain('Two redirects');
    expect(lastFrame()).toContain('/redir');
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('? help · q quit'));
    expect(lastFrame()).not.toContain('Tutorial client');
    await press(stdin, 'q'); // not typing any more: q would quit, so check it did
    expect(exits).toEqual([0]);
  });

  test('/ then esc clears; a filter matching nothing says so', async () => {
    const { lastFrame, stdin } = await open();
    // "!" is in no name or ID ("zz" alone is in about 1 in 20 random client IDs).
    await press(stdin, '/', '!', 'z');
    await waitFor(() => expect(lastFrame()).toContain('/!z'));
    await waitFor(() => expect(lastFrame()).toContain('Nothing matches the filter.'));
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('› demo*'));
  });

  test('? shows every key; ? or esc closes it', async () => {
    const { lastFrame, stdin } = await open();
    await press(stdin, '?');
    await waitFor(() => expect(lastFrame()).toContain('Keys'));
    for (const k of dashboardKeys) expect(lastFrame()).toContain(k.action);
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('Clients 3'));
    await press(stdin, '?', '?');
    await waitFor(() => expect(lastFrame()).toContain('Clients 3'));
  });

  test('q exits 0; Ctrl+C exits 130', async () => {
    const first = await open();
    await press(first.stdin, 'q');
    expect(exits).toEqual([0]);
    cleanup();
    await w.close();
    const second = await open();
    await press(second.stdin, keys.ctrlC);
    expect(exits).toEqual([130]);
  });

  test('clients load with a spinner; an action shows progress, then its result', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    const slowClients = w.sandbox.inject({ kind: 'slow', path: '/api/v2/chat/oauth/clients', delayMs: 600 });
    const { lastFrame, stdin } = render(
      <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    );
    await waitFor(() => expect(lastFrame()).toContain('fetching…'));
    await waitFor(() => expect(lastFrame()).toContain('Clients 3'));
    expect(lastFrame()).not.toContain('fetching…');
    slowClients();
    w.sandbox.inject({ kind: 'slow', path: '/api/v2/chat/chats', delayMs: 600 });
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('Testing demo: GET /api/v2/chat/chats…'));
    await waitFor(() => expect(lastFrame()).toContain('the token works'));
    expect(lastFrame()).not.toContain('Testing demo');
  });

  test('a refused refresh reads as a sentence that says what to do', async () => {
    const { lastFrame, stdin, token } = await open();
    w.sandbox.revokeAccessToken(token); // revokes its refresh token too
    await press(stdin, 'r');
    await waitFor(() => expect(lastFrame()).toMatch(/✗ /));
    const line = (lastFrame() ?? '').split('\n').find((l) => l.includes('✗')) ?? '';
    expect(line).toMatch(/[A-Z].*\./);
    expect(lastFrame()).not.toMatch(/Error:|at .*:\d+:\d+/);
    expect(w.store.get('demo')?.token?.accessToken).toBe(token);
  });

  test('offline: stored data stays, the clients pane says why in a sentence', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    await w.sandbox.close();
    exits = [];
    const { lastFrame, stdin } = render(
      <App services={w.services} start="dashboard" onExit={(code) => exits.push(code)} />,
    );
    await waitFor(() => expect(lastFrame()).toContain('✗ Could not'), 10_000);
    expect(lastFrame()).toContain('› demo*');
    // The client ID known from the store, under headers that say what each column is.
    expect(lastFrame()).toMatch(/PROFILES +CLIENT ID/);
    expect(lastFrame()).toContain(`demo${' '.repeat(14)}${w.client.clientId.slice(0, 10)}`);
    await press(stdin, 't');
    await waitFor(() => expect(lastFrame()).toContain('Zendesk could not be reached'), 10_000);
    expect(lastFrame()).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
  });
});
