/**
 * Listing clients and tokens (the dashboard's first calls, `clients list`) loads no zod: zod took longer to
 * load than the two requests took to answer, between the dashboard's first frame and its clients. Checked
 * on a bundle built like the CLI's: every chunk the Chat API client can load, statically or dynamically.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { removeDir, tempDir } from '../store/helpers.js';

let work: string;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => removeDir(work));

function closure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of meta.outputs[file]?.imports ?? []) if (!dep.external) visit(dep.path);
  };
  visit(entry);
  return seen;
}

test('the Chat API client, with everything it may import, holds no zod', async () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const result = await build({
    stdin: {
      contents: `import { createChatApi } from './source/core/zendesk/chat-api.js';\nconsole.log(typeof createChatApi);`,
      resolveDir: path.resolve(here, '../../..'),
      sourcefile: 'lister.ts',
    },
    outdir: path.join(work, 'out'),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
  });
  const meta = result.metafile;
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === 'lister.ts');
  expect(entry).toBeDefined();
  const inputs = [...closure(meta, entry as string)].flatMap((o) =>
    Object.keys(meta.outputs[o]?.inputs ?? {}),
  );
  expect(inputs.some((input) => input.endsWith('source/core/zendesk/shapes.ts'))).toBe(true);
  expect(inputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([]);
});
