import { describe, expect, test } from 'vitest';
import {
  type DashboardState,
  dashboardReducer,
  initialDashboard,
} from '../../../source/ui/hooks/use-dashboard-state.js';

const run = (s: DashboardState, ...actions: Parameters<typeof dashboardReducer>[1][]) =>
  actions.reduce(dashboardReducer, s);

describe('dashboard reducer', () => {
  test('move clamps to the list and hides a revealed secret', () => {
    let s = initialDashboard();
    s = run(s, { type: 'toggle-reveal' }, { type: 'move', delta: 1, count: 3 });
    expect(s.selected.tokens).toBe(1);
    expect(s.reveal).toBe(false);
    s = run(s, { type: 'move', delta: 10, count: 3 });
    expect(s.selected.tokens).toBe(2);
    s = run(s, { type: 'move', delta: -10, count: 3 });
    expect(s.selected.tokens).toBe(0);
    expect(run(s, { type: 'move', delta: -1, count: 3 })).toBe(s);
    expect(run(s, { type: 'move-to', index: 99, count: 3 }).selected.tokens).toBe(2);
    expect(run(s, { type: 'move', delta: 1, count: 0 }).selected.tokens).toBe(0);
  });

  test('tab: tokens ⇄ clients; in one-pane mode through details too', () => {
    let s = initialDashboard();
    s = run(s, { type: 'tab', mode: 'wide' });
    expect([s.focus, s.lastList]).toEqual(['clients', 'clients']);
    s = run(s, { type: 'move', delta: 2, count: 5 });
    expect(s.selected).toEqual({ tokens: 0, clients: 2 });
    s = run(s, { type: 'tab', mode: 'wide' });
    expect(s.focus).toBe('tokens');
    s = run(initialDashboard(), { type: 'tab', mode: 'single' }, { type: 'tab', mode: 'single' });
    expect([s.focus, s.lastList]).toEqual(['details', 'clients']);
    s = run(s, { type: 'tab', mode: 'single' });
    expect(s.focus).toBe('tokens');
  });

  test('enter toggles the details; esc peels one layer at a time', () => {
    let s = run(initialDashboard(), { type: 'toggle-details' });
    expect([s.expanded, s.focus]).toEqual([true, 'details']);
    s = run(s, { type: 'toggle-details' });
    expect([s.expanded, s.focus]).toEqual([false, 'tokens']);
    s = run(
      initialDashboard(),
      { type: 'toggle-reveal' },
      { type: 'toggle-details' },
      { type: 'toggle-help' },
    );
    s = run(s, { type: 'close' });
    expect(s.help).toBe(false);
    expect(s.expanded).toBe(true);
    s = run(s, { type: 'close' });
    expect(s.expanded).toBe(false);
    expect(s.reveal).toBe(true);
    s = run(s, { type: 'close' });
    expect(s.reveal).toBe(false);
    expect(run(s, { type: 'close' })).toBe(s);
  });

  test('filter: typing, backspace, keep, clear', () => {
    let s = run(initialDashboard(), { type: 'move', delta: 2, count: 5 }, { type: 'filter-start' });
    s = run(
      s,
      { type: 'filter-type', text: 'd' },
      { type: 'filter-type', text: 'ex' },
      { type: 'filter-backspace' },
    );
    expect(s.filter.tokens).toBe('de');
    expect(s.selected.tokens).toBe(0);
    s = run(s, { type: 'filter-end', keep: true });
    expect([s.filtering, s.filter.tokens]).toEqual([false, 'de']);
    s = run(s, { type: 'close' });
    expect(s.filter.tokens).toBe('');
    s = run(
      s,
      { type: 'filter-start' },
      { type: 'filter-type', text: 'x' },
      { type: 'filter-end', keep: false },
    );
    expect(s.filter.tokens).toBe('');
  });

  test('confirmation: asked, then answered or cancelled with a line', () => {
    const ask = { type: 'ask', confirm: { type: 'delete', profile: 'demo' } } as const;
    let s = run(initialDashboard({ activity: { kind: 'ok', text: 'old' } }), ask);
    expect(s.confirm).toEqual({ type: 'delete', profile: 'demo' });
    expect(s.activity).toBeUndefined();
    expect(run(s, { type: 'answer' }).confirm).toBeUndefined();
    s = run(s, { type: 'close' });
    expect(s.confirm).toBeUndefined();
    expect(s.activity).toEqual({ kind: 'info', text: 'Cancelled.' });
  });
});
