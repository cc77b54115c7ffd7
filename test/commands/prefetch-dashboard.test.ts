/**
 * The dashboard's command line starts loading its screens at once (main.ts prefetchCommand), beside the
 * services and the dashboard's module, instead of after them; loadUi then finds the same loading.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';

const loadUi = vi.fn((_env: NodeJS.ProcessEnv) => Promise.resolve({ runUi: async () => 0 }));
vi.mock('../../source/commands/load-ui.js', () => ({ loadUi }));

const { prefetchCommand } = await import('../../source/main.js');

/** Lets the prefetch's dynamic imports settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

afterEach(() => {
  loadUi.mockClear();
});

describe('prefetchCommand', () => {
  test.each([[[]], [['--sandbox']], [['--profile', 'work']]])(
    'the dashboard (%j) on a terminal starts loading the screens, with the environment given',
    async (argv) => {
      const env = { ZCHAT_AUTH_CONFIG_DIR: '/nowhere' };
      prefetchCommand(argv, { interactive: true, env });
      await settle();
      expect(loadUi.mock.calls).toEqual([[env]]);
    },
  );

  test.each([
    ['not on a terminal', [], false],
    ['--help', ['--help'], true],
    ['--version', ['--version'], true],
    ['an unknown option', ['--bogus'], true],
    ['a command', ['status'], true],
    ['an unknown command', ['nonsense'], true],
  ])('%s: no screens loaded', async (_, argv, interactive) => {
    prefetchCommand(argv as string[], { interactive: interactive as boolean, env: {} });
    await settle();
    expect(loadUi).not.toHaveBeenCalled();
  });
});
