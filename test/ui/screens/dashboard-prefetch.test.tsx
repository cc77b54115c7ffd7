/**
 * The account's lists the dashboard's command asks for while the screens load (account-prefetch.ts): the
 * dashboard's first fetch takes them over when they were asked for with its very token, and only then.
 */
import { describe, expect, test } from 'vitest';
import type { ProfileView } from '../../../source/core/store/types.js';
import { prefetchLists } from '../../../source/ui/account-prefetch.js';
import { App } from '../../../source/ui/app.js';
import {
  keys,
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

screenTestHooks({ world: () => w });

const CLIENTS = '/api/v2/chat/oauth/clients';
const TOKENS = '/api/v2/chat/oauth/tokens';
const asked = (path: string) =>
  w.sandbox.stats.requests.filter((r) => r.method === 'GET' && r.path === path).length;

function open() {
  return render(<App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => undefined} />);
}

describe("the dashboard's lists, asked for before its first frame", () => {
  test('are taken over: one request of each list reaches the server, not two; the request log shows them', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    const before = { clients: asked(CLIENTS), tokens: asked(TOKENS) };
    prefetchLists(w.services, w.store.list());
    const { lastFrame, stdin } = open();
    await waitFor(() => expect(lastFrame()).toContain('Clients 3 (via demo)'));
    await waitFor(() => expect(lastFrame()).toMatch(/server #\d+/));
    await tick(50);
    expect({ clients: asked(CLIENTS), tokens: asked(TOKENS) }).toEqual({
      clients: before.clients + 1,
      tokens: before.tokens + 1,
    });
    // The server token's row: the details pane shows the list request it came from, as for a fetched list.
    await press(stdin, keys.down);
    await waitFor(() =>
      expect(lastFrame()).toMatch(
        /Request +GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/oauth\/tokens → 200 in \d+ ms/,
      ),
    );
    await press(stdin, keys.tab);
    await waitFor(() =>
      expect(lastFrame()).toMatch(
        /Request +GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/oauth\/clients → 200 in \d+ ms/,
      ),
    );
    // A reload (ctrl+r) asks the server afresh.
    await press(stdin, '\x12');
    await waitFor(() =>
      expect({ clients: asked(CLIENTS), tokens: asked(TOKENS) }).toEqual({
        clients: before.clients + 2,
        tokens: before.tokens + 2,
      }),
    );
  });

  test("asked for with another profile's token, they are not used: the dashboard asks with its own", async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'alpha');
    await storeLoggedIn(w, 'beta');
    await w.store.setDefault('alpha');
    const before = { clients: asked(CLIENTS), tokens: asked(TOKENS) };
    // As if the command had meant beta: the dashboard starts with the default profile, alpha.
    prefetchLists(w.services, w.store.list(), 'beta');
    const { lastFrame } = open();
    await waitFor(() => expect(lastFrame()).toContain('Clients 3 (via alpha)'));
    await waitFor(() => expect(lastFrame()).toMatch(/server #\d+/));
    expect({ clients: asked(CLIENTS), tokens: asked(TOKENS) }).toEqual({
      clients: before.clients + 2,
      tokens: before.tokens + 2,
    });
  });

  test('their failure shows as a fetched one would, and is not asked again behind it', async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    // Refused once: asked again, the list would come (the old way, a second request, showed it).
    w.sandbox.inject({ kind: 'status', status: 403, path: CLIENTS, times: 1 });
    const before = asked(CLIENTS);
    prefetchLists(w.services, w.store.list());
    const { lastFrame } = open();
    await waitFor(() => expect(lastFrame()).toContain('✗ The token lacks a needed scope'));
    await tick(50);
    expect(lastFrame()).not.toContain('Test client');
    expect(asked(CLIENTS)).toBe(before + 1);
  });

  test("not before the first frame, but while the server's token list is awaited, the stored tokens are hashed", async () => {
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    for (let i = 0; i < 30; i++) {
      await w.saveProfile({
        name: `p${i}`,
        token: {
          accessToken: `stored-${i}`,
          tokenType: 'Bearer',
          scope: 'read',
          grant: 'client_credentials',
          obtainedAt: '2025-01-01T10:00:00Z',
        },
      });
    }
    // The store's views hash a token on first read of this field (view.ts): the dashboard is given copies
    // of them that count the reads.
    let hashed = 0;
    const copies = new WeakMap<ProfileView, ProfileView>();
    const counted = (view: ProfileView): ProfileView => {
      const token = view.token;
      const own = token && Object.getOwnPropertyDescriptor(token, 'accessTokenSha256');
      if (!token || !own?.get) return view;
      let copy = copies.get(view);
      if (!copy) {
        const fields = Object.getOwnPropertyDescriptors(token);
        fields.accessTokenSha256 = {
          enumerable: true,
          get: () => {
            hashed++;
            return own.get?.call(token);
          },
        };
        copy = { ...view, token: Object.defineProperties({}, fields) as typeof token };
        copies.set(view, copy);
      }
      return copy;
    };
    const store = new Proxy(w.store, {
      get(target, key) {
        if (key === 'list') return () => target.list().map(counted);
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const services = { ...w.services, store };
    w.sandbox.inject({ kind: 'slow', path: TOKENS, delayMs: 1500, times: 1 });
    const { lastFrame } = render(
      <App services={services} start="dashboard" sandbox={w.sandbox} onExit={() => undefined} />,
    );
    expect(lastFrame()).toContain('Tokens');
    expect(hashed).toBe(0);
    await waitFor(() => expect(hashed).toBeGreaterThanOrEqual(31), 1000);
    // Before the server's list came.
    expect(lastFrame()).not.toMatch(/server #\d+/);
    await waitFor(() => expect(lastFrame()).toMatch(/server #\d+/), 4000);
  });
});
