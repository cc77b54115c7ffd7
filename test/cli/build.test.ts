/**
 * scripts/build-options.mjs puts three start-up and memory fixes into the bundle (the bench measures what
 * they buy; the unit tests hold each to the original's answers). This checks they are wired in: a dependency
 * update that renames what a plugin looks for fails here, not silently in the benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, root } from './helpers.js';

let chunks: { name: string; text: string }[];

beforeAll(() => {
  ensureBuilt();
  const dir = path.join(root, 'dist/chunks');
  chunks = fs.readdirSync(dir).map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}, 120_000);

const containing = (needle: string | RegExp) =>
  chunks.filter(({ text }) => (typeof needle === 'string' ? text.includes(needle) : needle.test(text)));

describe('the bundle', () => {
  test('measures narrow text before asking string-width (both copies of it)', () => {
    const [ui] = containing('// node_modules/ink/build/output.js');
    expect(ui).toBeDefined();
    expect(ui!.text.match(/narrowWidth\(text, options\) \?\? stringWidth\d*\(text, options\)/g)).toHaveLength(
      2,
    );
  });

  test('gives Ink the styledCharsToString that skips equal styles', () => {
    const [ui] = containing('// node_modules/ink/build/output.js');
    expect(ui!.text).toMatch(/var styledCharsToString\d* = createStyledCharsToString\(/);
  });

  test('gives Ink the tokenizer that remembers the last frames’ lines', () => {
    const [ui] = containing('// node_modules/ink/build/output.js');
    expect(ui!.text).toMatch(/var cached\d* = createCachedTokenizer\(/);
    expect(ui!.text).toMatch(/var tokenize\d* = cached\d*\.tokenize;/);
  });

  test('builds no Intl.ListFormat while a chunk loads (got’s @sindresorhus/is made two: 4 MB)', () => {
    expect(containing('// node_modules/@sindresorhus/is/')).toHaveLength(1);
    for (const { name, text } of chunks) {
      expect(text.match(/^(?:var|const|let) \w+ = new Intl\.ListFormat\(/gm), name).toBeNull();
    }
    expect(containing(/= lazyListFormat\("en"/)).toHaveLength(1);
  });
});
