// `npm run build`: bundles the CLI into a fresh dist/ (no stale chunks from earlier builds). It builds
// beside dist/ and then swaps the directories, so a test or a bench running the built CLI at that moment
// never finds dist/ empty or half-written.
import { renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const next = `.tmp/dist-next-${process.pid}`;
const old = `.tmp/dist-old-${process.pid}`;
rmSync(next, { recursive: true, force: true });
await build({
  entryPoints: ['source/cli.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  outdir: next,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['react-devtools-core', 'node-pty'],
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
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
