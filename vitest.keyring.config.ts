/**
 * The second run against a real OS keyring (CI: `.ci/with-secret-service`, which starts an unlocked Secret
 * Service): the store, login, refresh and concurrency tests again, with ZCHAT_TEST_SECRETS=keyring, and the
 * tests that only a keyring can run. See test/secrets-mode.ts.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Not mergeConfig: it would add these lists to the base ones instead of replacing them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/keyring/**/*.test.ts',
      'test/core/store/store.test.ts',
      'test/core/store/refresh-race.test.ts',
      'test/core/store/concurrency.test.ts',
      'test/core/profile-actions.test.ts',
      'test/cli/login.test.ts',
      'test/cli/commands.test.ts',
      'test/cli/keyring-fallback.test.ts',
      'test/cli/logout.test.ts',
      'test/hardening/concurrency.test.ts',
    ],
    exclude: ['node_modules/**'],
    // One set of files, each with its own modules (the keyring is loaded and probed once per process).
    projects: undefined,
    // One file at a time: the files share one Secret Service, and listing its entries while another file
    // deletes its own failed now and then ('Object does not exist'); under 3 workers gnome-keyring even
    // dropped replies ('NoReply', 17 failures on a fresh CI clone).
    fileParallelism: false,
    env: { ...base.test?.env, ZCHAT_TEST_SECRETS: 'keyring' },
  },
});
