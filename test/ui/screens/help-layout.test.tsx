/** The help overlay and the status bar at small sizes: nothing dropped, nothing drawn twice, nothing moves. */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { dashboardKeys } from '../../../source/ui/keys.js';
import {
  flat,
  makeWorld,
  plain,
  press,
  screenTestHooks,
  storeLoggedIn,
  type World,
  waitFor,
} from '../helpers.js';
import { renderSized } from '../sized-render.js';

let w: World;
let unmount: (() => void) | undefined;

screenTestHooks({ world: () => w, unmount: () => unmount?.() });

async function open(columns: number, rows: number) {
  w = await makeWorld();
  await storeLoggedIn(w, 'demo');
  const r = renderSized(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    columns,
    rows,
  );
  unmount = r.unmount;
  await waitFor(() => expect(r.lastFrame()).toContain('demo'));
  await waitFor(() => expect(r.lastFrame()).toContain('? help'));
  return r;
}

const lines = (frame: string | undefined) => plain(frame).split('\n');
const statusLine = (frame: string | undefined) => lines(frame).findIndex((l) => l.includes('? help'));

describe('help', () => {
  test.each([
    [60, 20],
    [40, 12],
  ])(
    '%i×%i: every word of every key shows while scrolling, each line fits, the status bar stays put',
    async (columns, rows) => {
      const { lastFrame, stdin } = await open(columns, rows);
      const barAt = statusLine(lastFrame());
      expect(barAt).toBeGreaterThan(0);
      await press(stdin, '?');
      await waitFor(() => expect(lastFrame()).toContain('Keys'));
      const seen: string[] = [];
      for (let i = 0; i < 80; i++) {
        const frame = lastFrame();
        for (const l of lines(frame)) expect(l.length).toBeLessThanOrEqual(columns);
        expect(lines(frame).length).toBeLessThanOrEqual(rows - 1);
        expect(statusLine(frame)).toBe(barAt);
        seen.push(flat(frame));
        const m = /\((\d+)–(\d+) of (\d+)\)/.exec(plain(frame));
        if (!m || m[2] === m[3]) break;
        await press(stdin, 'j');
        await waitFor(() => expect(lastFrame()).not.toBe(frame));
      }
      const all = seen.join('');
      for (const k of dashboardKeys) {
        for (const word of k.action.split(/\s+/)) expect(all).toContain(word);
      }
    },
  );
});

describe('the status bar', () => {
  test.each([
    [120, 32],
    [80, 30],
    [60, 20],
    [40, 12],
  ])('%i×%i: stays on the same line when a question opens and when it closes', async (columns, rows) => {
    const { lastFrame, stdin } = await open(columns, rows);
    await waitFor(() => expect(lastFrame()).toMatch(/server #\d+|#\d+/));
    const barAt = statusLine(lastFrame());
    expect(barAt).toBeGreaterThan(0);
    await press(stdin, 'd');
    await waitFor(() => expect(lastFrame()).toContain('Delete the profile'));
    expect(lastFrame()).toContain('machine?'); // the whole question, wrapped if need be
    expect(lastFrame()).toContain('y yes · n or esc no');
    expect(statusLine(lastFrame())).toBe(barAt);
    expect(lines(lastFrame()).length).toBeLessThanOrEqual(rows - 1);
    await press(stdin, 'n');
    await waitFor(() => expect(lastFrame()).toContain('Cancelled.'));
    expect(statusLine(lastFrame())).toBe(barAt);
  });
});

describe('the status bar names the focused pane’s keys', () => {
  test.each([
    [120, 32],
    [40, 12],
  ])('%i×%i: tokens, then clients after tab; ? help always', async (columns, rows) => {
    const { lastFrame, stdin } = await open(columns, rows);
    const bar = () => lines(lastFrame())[statusLine(lastFrame())] ?? '';
    expect(bar().trimEnd()).toMatch(
      columns >= 60 ? /t test · r refresh.* · \? help · q quit$/ : /t test · \? help/,
    );
    expect(bar().length).toBeLessThanOrEqual(columns);
    await press(stdin, '\t');
    await waitFor(() => expect(bar()).toMatch(/c confidential · .*\? help/));
    await press(stdin, ...(columns >= 60 ? ['\t'] : ['\t', '\t']), 'd'); // one pane at a time: tokens → clients → details

    await waitFor(() => expect(bar()).toMatch(/y yes · n no · \? help/));
    expect(bar().trimEnd()).toMatch(/y yes · n no · \? help( · q quit)?$/); // the keys are never cut
  });
});
