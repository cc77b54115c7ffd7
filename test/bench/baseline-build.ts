/** Bundles the bare Ink app with the CLI's own esbuild settings, so both start the same way. */
import path from 'node:path';
import { build } from 'esbuild';
import { buildOptions } from '../../scripts/build-options.mjs';

export async function buildBaselineApp(outdir: string): Promise<string> {
  await build({ ...buildOptions, entryPoints: [path.resolve('test/bench/hello-app.tsx')], outdir });
  return path.join(outdir, 'hello-app.js');
}
