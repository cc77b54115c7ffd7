/** loadUi loads the screens once per environment: the dashboard's early start and its own call share it. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { codeCacheWhenQuiet, loadUi, onEachFrame } from '../../source/commands/load-ui.js';

describe('loadUi', () => {
  test('the same environment gets the same loading; another environment its own', async () => {
    const env = { ...process.env, ZCHAT_AUTH_NO_TWEAKS: '1' };
    const first = loadUi(env);
    expect(loadUi(env)).toBe(first);
    const other = { ...env };
    const second = loadUi(other);
    expect(second).not.toBe(first);
    expect(typeof (await first).runUi).toBe('function');
    expect(typeof (await second).runUi).toBe('function');
  }, 30_000);
});

describe('onEachFrame', () => {
  test('the young generation is told of each frame; shown after the first and after quick frames (keys), not the clock, whose frames do not put off the idle collection', () => {
    const calls: string[] = [];
    const young = {
      drawn: () => calls.push('drawn'),
      shown: () => calls.push('shown'),
      released: () => calls.push('released'),
      atDefaultFlags: <T>(fn: () => T) => fn(),
    };
    const idle = {
      activity: () => calls.push('activity'),
      nudge: () => calls.push('nudge'),
      stop: () => calls.push('stop'),
    };
    let clock = 0;
    const onFrame = onEachFrame(young, idle, () => clock);
    onFrame();
    // Shown after the first frame's drawn(): that frame is still drawn at the loading size.
    expect(calls).toEqual(['drawn', 'shown', 'activity']);
    calls.length = 0;
    // The clock's frames of an idle screen, 15 s apart: drawn, not shown.
    clock += 15_000;
    onFrame();
    clock += 15_000;
    onFrame();
    expect(calls).toEqual(['drawn', 'nudge', 'drawn', 'nudge']);
    calls.length = 0;
    // Keys: a frame within a second of the last one is shown.
    clock += 60;
    onFrame();
    expect(calls).toEqual(['drawn', 'shown', 'activity']);
  });
});

describe('codeCacheWhenQuiet', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A screen whose code cache is offered: `calls` says when it was written, and under which flags. */
  function screen() {
    const calls: string[] = [];
    let flags = 'screen flags';
    const young = {
      drawn: () => 0,
      shown: () => 0,
      released: () => 0,
      atDefaultFlags: <T>(fn: () => T): T => {
        flags = 'V8 defaults';
        try {
          return fn();
        } finally {
          flags = 'screen flags';
        }
      },
    };
    const exits = new Set<() => void>();
    const exit = () => {
      for (const fn of [...exits]) fn();
    };
    const cache = codeCacheWhenQuiet(young, {
      quietMs: 1000,
      atExit: (fn) => {
        exits.add(fn);
        return () => exits.delete(fn);
      },
      claim: () => true,
      take: () => {
        calls.push(`written under ${flags}`);
        return true;
      },
    });
    return { calls, cache, exit };
  }

  test('written once, a quiet second after the last frame, with V8’s flags as a process starts', async () => {
    vi.useFakeTimers();
    const { calls, cache, exit } = screen();
    cache.drawn();
    await vi.advanceTimersByTimeAsync(600);
    cache.drawn(); // the lists fill: later
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual(['written under V8 defaults']);
    cache.drawn();
    await vi.advanceTimersByTimeAsync(5000);
    exit();
    expect(calls).toEqual(['written under V8 defaults']);
    cache.stop();
  });

  test('at exit, when the screen never went quiet (then not again)', () => {
    const { calls, cache, exit } = screen();
    cache.drawn();
    exit();
    exit();
    expect(calls).toEqual(['written under V8 defaults']);
    cache.stop();
  });

  test('no offer (the cache was read): nothing written, quiet or at exit', async () => {
    vi.useFakeTimers();
    const taken: string[] = [];
    const exits: (() => void)[] = [];
    const cache = codeCacheWhenQuiet(undefined, {
      claim: () => false,
      take: () => taken.push('written') > 0,
      atExit: (fn) => {
        exits.push(fn);
        return () => undefined;
      },
    });
    cache.drawn();
    await vi.advanceTimersByTimeAsync(5000);
    for (const fn of exits) fn();
    expect({ taken, exits: exits.length }).toEqual({ taken: [], exits: 0 });
  });
});
