import { defineConfig } from 'vitest/config';

// Performance and memory measurements run with `npm run bench` (vitest.bench.config.ts); the keyring
// tests only with a keyring (vitest.keyring.config.ts).
const exclude = ['test/bench/**', 'test/keyring/**', 'node_modules/**'];

/**
 * Files that need modules of their own: they replace a module (vi.mock), set what a dependency reads once
 * when it loads (chalk's colour level), or time growth in CPU time (a worker with a large heap left by
 * other files spends CPU on concurrent GC during the timed run). Every other file shares its worker's modules with the files run
 * before it (isolate: false): importing Ink, React, got and the sources anew for each of 110 files was
 * half the suite's CPU time. A file that leaves state behind (a listener, an env variable, an open server)
 * must restore it in its hooks.
 */
const ownModules = [
  'test/core/store/checks-what-changed.test.ts',
  'test/ui/theme.test.tsx',
  'test/ui/dashboard-rows.test.ts',
  'test/ui/run-ui-frames.test.tsx',
  'test/ui/screens/dashboard-renders.test.tsx',
];

export default defineConfig({
  test: {
    // The CLI bundle, built once per run and only when its sources changed.
    globalSetup: ['test/global-setup.ts'],
    // File or keyring: see test/secrets-mode.ts.
    setupFiles: ['test/setup-secrets.ts'],
    // Guards against a hang, not limits on speed: with coverage on a loaded machine (load 13, 4 workers) a
    // CPU-only property test has taken 23 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here, but each worker runs one thread at a time and waits on child processes,
    // pseudo-terminals, Chromium and short timers in between: a fourth worker fills those gaps. On a quiet
    // machine 2 workers took about 130 s, 3 took 110 s, 4 took 99 s; on a busy one (load 10) 4 took 173 s
    // and 3 took 196 s, all green.
    maxWorkers: 4,
    // Transformed modules kept on disk between runs (node_modules/.experimental-vitest-cache, keyed on each
    // file's content; the default from vitest 5): on a quiet machine a second run took 78-82 s instead of
    // 84-94 s (transform 3-4 s instead of 14-17 s, summed over the workers). A fresh clone fills it.
    experimental: { fsModuleCache: true },
    // Ink draws only the last frame when CI is set (is-in-ci); the screen tests read live frames, as a person
    // at a terminal sees them, so they must run the same on a CI machine as on a laptop.
    env: { CI: 'false' },
    projects: [
      // Each project's own lists (with `extends`, lists given at the top would be added to these).
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: [...exclude, ...ownModules],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-modules', include: ownModules, isolate: true } },
    ],
    coverage: {
      provider: 'v8',
      include: ['source/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
