/** Bundles the bench's baseline apps (and helpers) with the CLI's own esbuild settings, so all start the same way. */
import path from 'node:path';
import { build } from 'esbuild';
import { buildOptions } from '../../scripts/build-options.mjs';

/** `test/bench/<name>` bundled into `outdir`; returns the script to run with node. */
export async function buildBenchEntry(outdir: string, name: string): Promise<string> {
  await build({ ...buildOptions, entryPoints: [path.resolve('test/bench', name)], outdir });
  return path.join(outdir, `${path.parse(name).name}.js`);
}

export function buildBaselineApp(outdir: string): Promise<string> {
  return buildBenchEntry(outdir, 'hello-app.tsx');
}
