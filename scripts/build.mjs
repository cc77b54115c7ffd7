// `npm run build`: bundles the CLI into a fresh dist/ (no stale chunks from earlier builds). It builds
// beside dist/ and then swaps the directories, so a test or a bench running the built CLI at that moment
// never finds dist/ empty or half-written.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { buildOptions, commonJsBuildsFor, finishFastBundle } from './build-options.mjs';

const next = `.tmp/dist-next-${process.pid}`;
const old = `.tmp/dist-old-${process.pid}`;
rmSync(next, { recursive: true, force: true });
const { metafile } = await build({
  ...buildOptions,
  entryPoints: ['source/cli.ts'],
  outdir: next,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
});
// The CommonJS start-up files beside it (build-options.mjs), which import chunks of the ESM build by name.
for (const options of commonJsBuildsFor(process.env, metafile, next)) {
  const built = await build({ ...options, metafile: true });
  Object.assign(metafile.inputs, built.metafile.inputs);
  Object.assign(metafile.outputs, built.metafile.outputs);
}
finishFastBundle(`${next}/fast.cjs`);
finishFastBundle(`${next}/ui.cjs`);
// What each output file (by its path in dist/) was built from: the tests read it to name the packages a
// chunk holds. Not packed (package.json "files").
const outputs = Object.fromEntries(
  Object.entries(metafile.outputs).map(([file, output]) => [file.slice(next.length + 1), output]),
);
writeFileSync(`${next}/meta.json`, JSON.stringify({ inputs: metafile.inputs, outputs }));
let moved = false;
try {
  renameSync('dist', old);
  moved = true;
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(next, 'dist');
if (moved) rmSync(old, { recursive: true, force: true });
