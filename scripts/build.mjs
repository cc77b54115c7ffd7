// `npm run build`: bundles the CLI into a fresh dist/ (no stale chunks from earlier builds). It builds
// beside dist/ and then swaps the directories, so a test or a bench running the built CLI at that moment
// never finds dist/ empty or half-written.
import { renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildOptions } from './build-options.mjs';

const next = `.tmp/dist-next-${process.pid}`;
const old = `.tmp/dist-old-${process.pid}`;
rmSync(next, { recursive: true, force: true });
await build({
  ...buildOptions,
  entryPoints: ['source/cli.ts'],
  outdir: next,
  chunkNames: 'chunks/[name]-[hash]',
});
let moved = false;
try {
  renameSync('dist', old);
  moved = true;
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(next, 'dist');
if (moved) rmSync(old, { recursive: true, force: true });
