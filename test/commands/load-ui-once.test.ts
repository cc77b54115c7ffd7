/** loadUi loads the screens once per environment: the dashboard's early start and its own call share it. */
import { describe, expect, test } from 'vitest';
import { loadUi } from '../../source/commands/load-ui.js';

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
