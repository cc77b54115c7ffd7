import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { removeDir, tempDir } from './helpers.js';

// `zchat-auth token` must start almost as fast as bare node: reading the store may load none of the write
// path's dependencies. Checked on the bundle, built like the CLI's (ESM, code splitting).
let work: string;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => removeDir(work));

function staticClosure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of meta.outputs[file]?.imports ?? []) {
      if (dep.kind === 'import-statement' && !dep.external) visit(dep.path);
    }
  };
  visit(entry);
  return seen;
}

test('the read path statically loads no zod, conf, ajv or proper-lockfile; writes still can', async () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outdir = path.join(work, 'out');
  const result = await build({
    stdin: {
      contents: `import { openStore } from './source/core/store/store.js';\nconsole.log(openStore().list().length);`,
      resolveDir: path.resolve(here, '../../..'),
      sourcefile: 'reader.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
  });
  const meta = result.metafile;
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === 'reader.ts');
  expect(entry).toBeDefined();
  const loaded = [...staticClosure(meta, entry as string)].flatMap((o) =>
    Object.keys(meta.outputs[o]?.inputs ?? {}),
  );
  const heavy = /node_modules\/(zod|conf|ajv|ajv-formats|atomically|proper-lockfile|graceful-fs)\//;
  expect(loaded.filter((input) => heavy.test(input))).toEqual([]);
  expect(loaded.some((input) => input.endsWith('source/core/store/validate.ts'))).toBe(true);
  // ...and they are in the bundle, behind dynamic imports (conf writes, with serialize.ts as its serializer).
  const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
  for (const name of ['zod', 'conf', 'proper-lockfile']) {
    expect(all.some((input) => input.includes(`node_modules/${name}/`))).toBe(true);
  }
});
