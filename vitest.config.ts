import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Performance and memory measurements run with `npm run bench` (vitest.bench.config.ts); the keyring
    // tests only with a keyring (vitest.keyring.config.ts).
    exclude: ['test/bench/**', 'test/keyring/**', 'node_modules/**'],
    // The CLI bundle, built once per run and only when its sources changed.
    globalSetup: ['test/global-setup.ts'],
    // File or keyring: see test/secrets-mode.ts.
    setupFiles: ['test/setup-secrets.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: keep worker count modest so loopback timing tests stay honest.
    maxWorkers: 2,
    // Ink draws only the last frame when CI is set (is-in-ci); the screen tests read live frames, as a person
    // at a terminal sees them, so they must run the same on a CI machine as on a laptop.
    env: { CI: 'false' },
    coverage: {
      provider: 'v8',
      include: ['source/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
