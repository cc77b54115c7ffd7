/**
 * What the built bundle is made of, read from dist/meta.json: esbuild's metafile, written by
 * scripts/build.mjs beside the (minified) chunks, keyed by each output's path in dist/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { root } from './helpers.js';

export interface BundleOutput {
  /** The file under dist/, e.g. `chunks/run-ui-XXXX.js`. */
  file: string;
  /** Each module in it (a path under the package root, or `<plugin namespace>:<absolute path>`), by bytes kept. */
  inputs: Record<string, { bytesInOutput: number }>;
}

export function bundleOutputs(): BundleOutput[] {
  const meta = JSON.parse(fs.readFileSync(path.join(root, 'dist/meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  return Object.entries(meta.outputs)
    .filter(([file]) => /\.c?js$/.test(file))
    .map(([file, output]) => ({ file, inputs: output.inputs }));
}

/** The npm packages a module path belongs to (the outermost, for a nested node_modules). */
export function packageOf(input: string): string | undefined {
  return /(?:^|[/:])node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
}

/** The npm packages whose code is in the output file at `absolute` (a path under dist/). */
export function packagesIn(absolute: string, outputs = bundleOutputs()): Set<string> {
  const file = path.relative(path.join(root, 'dist'), absolute);
  const output = outputs.find((o) => o.file === file);
  if (!output) throw new Error(`dist/meta.json does not list ${file}: a stale build?`);
  const packages = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    if (name && bytesInOutput > 0) packages.add(name);
  }
  return packages;
}
