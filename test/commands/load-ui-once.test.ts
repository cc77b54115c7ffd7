/** loadUi loads the screens once per environment: the dashboard's early start and its own call share it. */
import { describe, expect, test } from 'vitest';
import { loadUi, onEachFrame } from '../../source/commands/load-ui.js';

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
  test('the young generation is told of each frame, and that the screen is shown after the first only', () => {
    const calls: string[] = [];
    const young = {
      drawn: () => calls.push('drawn'),
      shown: () => calls.push('shown'),
      released: () => calls.push('released'),
    };
    const idle = { activity: () => calls.push('activity'), stop: () => calls.push('stop') };
    const onFrame = onEachFrame(young, idle);
    onFrame();
    // Shown after the first frame's drawn(): that frame is still drawn at the loading size.
    expect(calls).toEqual(['drawn', 'shown', 'activity']);
    onFrame();
    onFrame();
    expect(calls.slice(3)).toEqual(['drawn', 'activity', 'drawn', 'activity']);
  });
});
