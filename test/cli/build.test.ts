/**
 * scripts/build-options.mjs puts four start-up and memory fixes into the bundle (the bench measures what
 * they buy; the unit tests hold each to the original's answers). This checks they are wired into the
 * shipped, minified dist/ (its metafile says which modules each chunk holds): a dependency update that
 * renames what a plugin looks for fails here, not silently in the benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BundleOutput, bundleOutputs } from './bundle.js';
import { ensureBuilt, root } from './helpers.js';

let outputs: BundleOutput[];
let ui: BundleOutput;

beforeAll(() => {
  ensureBuilt();
  outputs = bundleOutputs();
  ui = outputs.find((o) => 'node_modules/ink/build/output.js' in o.inputs)!;
}, 120_000);

/** The modules of `output` kept in it (not shaken out) whose path matches. */
const kept = (output: BundleOutput, pattern: RegExp) =>
  Object.entries(output.inputs)
    .filter(([input, { bytesInOutput }]) => pattern.test(input) && bytesInOutput > 0)
    .map(([input]) => input);

const text = (output: BundleOutput) => fs.readFileSync(path.join(root, 'dist', output.file), 'utf8');

describe('the bundle', () => {
  test('is minified, and every chunk is in the metafile', () => {
    expect(ui).toBeDefined();
    expect(text(ui)).not.toContain('// node_modules/');
    const files = fs.readdirSync(path.join(root, 'dist/chunks')).map((name) => `chunks/${name}`);
    expect(outputs.map((o) => o.file).sort()).toEqual(
      ['cli.js', 'fast.cjs', 'start.cjs', 'ui.cjs', ...files].sort(),
    );
  });

  test('measures narrow text before asking string-width (both copies of it)', () => {
    expect(kept(ui, /^narrow-string-width:.*[/\\]string-width[/\\]index\.js$/)).toHaveLength(2);
    expect(kept(ui, /^source\/ui\/narrow-width\.ts$/)).toHaveLength(1);
  });

  test('gives Ink the styledCharsToString that skips equal styles and the tokenizer that remembers lines', () => {
    expect(kept(ui, /^fast-styled-chars:.*[/\\]@alcalzone[/\\]ansi-tokenize[/\\]/)).toHaveLength(1);
    // One copy of its module in each bundle, which load-ui.ts shares with Ink's output: the idle collection
    // empties the lines it keeps (forgetCachedLines). The ESM build puts it in a chunk of its own.
    const styled = /^source\/ui\/styled-chars-to-string\.ts$/;
    const esm = outputs.filter((o) => o.file.startsWith('chunks/') || o.file === 'cli.js');
    expect(esm.flatMap((o) => kept(o, styled))).toHaveLength(1);
    expect(kept(outputs.find((o) => o.file === 'ui.cjs')!, styled)).toHaveLength(1);
    // Ink's output asks for a line's characters in one call (remembered without the line's tokens), not
    // for styledCharsFromTokens(tokenize(line)).
    const lineChars =
      /getStyledChars\((\w+)\)\{let (\w+)=this\.styledChars\.get\(\1\);return \2===void 0&&\(\2=([\w$]+)\(([^()]*)\)/;
    const call = lineChars.exec(text(ui));
    expect(call).not.toBeNull();
    expect(call?.[4]).toBe(call?.[1]);
  });

  test('gives Ink rows of one shared blank cell, written out only where they changed, and narrow lines placed without string-width', () => {
    const ink = text(ui);
    // Output.get: each row from blankRow(width), the frame from rowsToString(rows): no fresh blank cell per
    // cell, no styledCharsToString per row there.
    expect(ink).toMatch(
      /get\(\)\{let (\w+)=\[\];for\(let (\w+)=0;\2<this\.height;\2\+\+\)\1\.push\([\w$]+\(this\.width\)\);/,
    );
    expect(ink).toMatch(/return\{output:[\w$]+\(\w+\),height:\w+\.length\}/);
    expect(ink).not.toContain('{type:"char",value:" ",fullWidth:!1,styles:[]}');
    // A line marked narrow is placed a cell per character, before Ink's loop that measures each one.
    expect(ink).toMatch(
      /getStyledChars\(\w+\);if\((\w+)\.narrow===!0\)\{for\(let (\w+)=0;\2<\1\.length;\2\+\+\)\w+\[\w+\+\2\]=\1\[\2\];\w+\+\+;continue\}/,
    );
  });

  test("remembers Ink's sanitizeAnsi and widestLine of a text node's text (one wrapper for both)", () => {
    const ink = text(ui);
    const squash = /internal_transform\(\w+,\w+\)\)\),\w+\+=\w+\}return ([\w$]+)\(\w+\)\}/.exec(ink);
    const widest =
      /nodeName==="ink-text"\)\{let (\w+)=[\w$]+\(\w+\);if\(\1\.length>0\)\{let \w+=([\w$]+)\(\1\)/.exec(ink);
    expect(squash).not.toBeNull();
    expect(widest).not.toBeNull();
    const literal = (name: string) => name.replace(/\$/g, '\\$');
    const madeBy = (name: string) =>
      new RegExp(`[,;{( ]${literal(name)}=([\\w$]+)\\([\\w$]+\\)[,;]`).exec(ink)?.[1];
    const wrapper = madeBy(squash?.[1] ?? '');
    expect(wrapper).toBeDefined();
    expect(madeBy(widest?.[2] ?? '')).toBe(wrapper);
  });

  test('builds no Intl.ListFormat while a chunk loads (got’s @sindresorhus/is made two: 4 MB)', () => {
    const withIs = outputs.filter((o) => kept(o, /^node_modules\/@sindresorhus\/is\//).length > 0);
    expect(withIs).toHaveLength(1);
    // The one construction left is the lazy helper's, on first use; @sindresorhus/is's own two are gone.
    const made = outputs.flatMap((o) => text(o).match(/.{0,12}new Intl\.ListFormat\(/g) ?? []);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/\?\?=\s*new Intl\.ListFormat\($/);
    expect(text(withIs[0]!)).toContain('new Intl.ListFormat(');
  });

  // dist/ui.cjs (the screens' one file): parsed there at every start without the code cache, these cost
  // the idle dashboard 8 MB resident; they load from the ESM chunks when a screen needs them.
  test('dist/ui.cjs holds Ink, React and yoga-layout, not got, conf, zod or proper-lockfile', () => {
    const screens = outputs.find((o) => o.file === 'ui.cjs')!;
    for (const name of ['ink', 'react', 'yoga-layout'])
      expect(kept(screens, new RegExp(`^node_modules/${name}/`)).length, name).toBeGreaterThan(0);
    for (const name of ['got', 'conf', 'zod', 'proper-lockfile', 'ajv'])
      expect(kept(screens, new RegExp(`^node_modules/${name}/`)), name).toEqual([]);
  });

  test('bundles got without http2-wrapper, cacheable-request, cacheable-lookup (options never set)', () => {
    const withGot = outputs.filter((o) => kept(o, /^node_modules\/got\//).length > 0);
    expect(withGot).toHaveLength(1);
    const packages = outputs.flatMap((o) => Object.keys(o.inputs));
    for (const name of [
      'http2-wrapper',
      'cacheable-request',
      'cacheable-lookup',
      'keyv',
      'http-cache-semantics',
    ])
      expect(packages.filter((input) => input.includes(`node_modules/${name}/`))).toEqual([]);
    // In their place, for got alone: a sentence if an option ever asks for one.
    for (const name of ['http2-wrapper', 'cacheable-request', 'cacheable-lookup'])
      expect(kept(withGot[0]!, new RegExp(`^got-without-unused:${name}$`))).toHaveLength(1);
    expect(text(withGot[0]!)).toContain('zchat-auth bundles got without http2-wrapper');
    expect(text(withGot[0]!)).not.toContain('node:http2');
  });
});
