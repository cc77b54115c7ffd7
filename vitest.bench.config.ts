import { defineConfig } from 'vitest/config';

// `npm run bench`: the measurements with targets in time or memory (test/bench/*.test.*), kept out of the
// default suite so that a busy machine slows `npx vitest run` without failing it.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One at a time: measurements share the machine with nothing else of ours.
    maxWorkers: 1,
    env: { CI: 'false' },
  },
});
