import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: keep worker count modest so loopback timing tests stay honest.
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['source/core/**', 'source/sandbox/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
