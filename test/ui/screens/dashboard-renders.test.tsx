/**
 * What a key press costs the dashboard: its body is rendered once per key (a set-state during render made
 * React render it twice), and the profile the status bar is about follows the selection, staying on the
 * last stored profile while a server token no profile holds is selected. And the first frame already shows
 * the account's lists being fetched (it said "No token for this account yet", then drew a second frame),
 * and the next render is the one with the lists (each request logged on the way drew the dashboard again).
 */
import { describe, expect, test, vi } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { plain, press, render, screenTestHooks, storeLoggedIn, type World, waitFor } from '../helpers.js';

// The dashboard lays itself out once per render of its body: counting the layouts counts the renders.
const layouts = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../source/ui/layout.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../source/ui/layout.js')>();
  return {
    ...original,
    computeLayout: (...args: Parameters<typeof original.computeLayout>) => {
      layouts.count++;
      return original.computeLayout(...args);
    },
  };
});

let w: World;

screenTestHooks({ world: () => w });

/** The status bar's line (the last one drawn). */
const statusLine = (frame: string | undefined) => plain(frame).trimEnd().split('\n').at(-1) ?? '';

describe('a key press renders the dashboard once', () => {
  test('j and k between stored profiles and onto a server token: one render each, status bar follows', async () => {
    const { makeWorld } = await import('../helpers.js');
    w = await makeWorld();
    for (const name of ['alpha', 'beta', 'gamma']) await storeLoggedIn(w, name);
    const { lastFrame, stdin, frames } = render(
      <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    );
    // The server's list: the three tokens stored here and the admin's, held by no profile.
    await waitFor(() => expect(lastFrame()).toContain('4 on server'));
    await waitFor(() => expect(plain(lastFrame())).toMatch(/› alpha/));
    expect(statusLine(lastFrame())).toContain('profile alpha');

    const renders: number[] = [];
    const step = async (key: string, row: RegExp, profile: string) => {
      await press(stdin, key);
      await waitFor(() => expect(plain(lastFrame())).toMatch(row));
      expect(statusLine(lastFrame())).toContain(`profile ${profile}`);
    };
    for (const [key, row, profile] of [
      ['j', /› beta/, 'beta'],
      ['j', /› gamma/, 'gamma'],
      // The first server row: the admin's token (no PROFILE cell); the status bar stays on gamma.
      ['j', /› {3,}#\d+/, 'gamma'],
      ['k', /› gamma/, 'gamma'],
      ['k', /› beta/, 'beta'],
    ] as const) {
      const before = layouts.count;
      const framesBefore = frames.length;
      await step(key, row, profile);
      renders.push(layouts.count - before);
      expect(frames.length - framesBefore).toBeGreaterThan(0);
    }
    expect(renders).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('the first frame', () => {
  test('shows the clients being fetched with the stored token, never "no token"; the next render lists them', async () => {
    const { makeWorld } = await import('../helpers.js');
    w = await makeWorld();
    await storeLoggedIn(w, 'demo');
    const { lastFrame, frames } = render(
      <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    );
    const atFirstFrame = layouts.count;
    await waitFor(() => expect(lastFrame()).toContain('Test client'));
    await waitFor(() => expect(lastFrame()).toMatch(/\d+ on server/));
    // Drawn again once, with the lists: not for each request logged on the way, nor to show the spinner.
    expect(layouts.count - atFirstFrame).toBe(1);
    const first = plain(frames[0]);
    expect(first).toContain('Clients (via demo)');
    expect(first).toContain('fetching…');
    for (const frame of frames) expect(plain(frame)).not.toContain('No token for this account');
  });
});
