// The esbuild settings of the CLI bundle, shared with the bench's Ink "hello" baseline so both are built,
// and so start, the same way. The plugins are the build-time tweaks listed in source/tweaks.mjs, applied
// unless ZCHAT_AUTH_NO_TWEAKS is set.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { activeTweaks } from '../source/tweaks.mjs';

// From the package root, where npm runs every script (this file is also bundled into the bench).
const narrowWidth = path.resolve('source/ui/narrow-width.ts');
const styledCharsToString = path.resolve('source/ui/styled-chars-to-string.ts');

/**
 * A plugin that puts a wrapper module in front of a package wherever it is imported: each importer still
 * gets the version it resolves to (`real`, a quoted path), the wrapper decides what it exports.
 */
function wrapPackage(name, filter, wrapper) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.namespace === name) return undefined; // the wrapper's own import of the real module
        const real = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          namespace: name,
        });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: name };
      });
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({
        resolveDir: path.dirname(args.path),
        loader: 'js',
        contents: wrapper(JSON.stringify(args.path)).join('\n'),
      }));
    },
  };
}

/**
 * Puts source/ui/narrow-width.ts in front of every `string-width` in the bundle (Ink, widest-line,
 * cli-truncate, wrap-ansi), each keeping the version it asked for: narrow text is measured without
 * string-width's emoji regular expression, whose first use costs ~19 ms (see narrow-width.ts).
 */
const narrowStringWidth = wrapPackage('narrow-string-width', /^string-width$/, (real) => [
  `import stringWidth from ${real};`,
  `import { narrowWidth } from ${JSON.stringify(narrowWidth)};`,
  'export default function narrowFirstStringWidth(text, options) {',
  '  return narrowWidth(text, options) ?? stringWidth(text, options);',
  '}',
]);

/**
 * Gives Ink the package @alcalzone/ansi-tokenize with a faster `styledCharsToString`, which skips the style
 * diff between characters of equal styles, a `styledCharsFromTokens` that makes characters of one shape,
 * and `styledCharsOfLine`, which remembers the characters of the lines of the last frames; Ink's output
 * asks it for each line instead of `styledCharsFromTokens(tokenize(line))` (see
 * source/ui/styled-chars-to-string.ts). Ink's Output.get also fills its rows with one shared blank cell
 * (blankRow), writes the rows out through rowsToString (a row of the very cells of the last frame's is
 * not written again: a key press changes a few of forty) and places a line marked narrow a cell per
 * character, without string-width for each: a key press 5-8% and 1-5% less wall time with 1,000
 * profiles and 1,000 server tokens.
 */
const wrapAnsiTokenize = wrapPackage('fast-styled-chars', /^@alcalzone\/ansi-tokenize$/, (real) => [
  `import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize } from ${real};`,
  `import { blankRow, createCachedLines, createRowsToString, createStyledCharsFromTokens, createStyledCharsToString, markNarrow } from ${JSON.stringify(styledCharsToString)};`,
  `import { narrowWidth } from ${JSON.stringify(narrowWidth)};`,
  `export * from ${real};`,
  'export const styledCharsToString = createStyledCharsToString(ansiCodesToString, diffAnsiCodes);',
  'export const styledCharsFromTokens = createStyledCharsFromTokens(reduceAnsiCodesIncremental);',
  'export const styledCharsOfLine = createCachedLines(tokenize, (tokens) => markNarrow(styledCharsFromTokens(tokens), (text) => narrowWidth(text) !== undefined));',
  'export const rowsToString = createRowsToString(styledCharsToString);',
  'export { blankRow };',
]);
const INK_LINE_CHARS = 'cached = styledCharsFromTokens(tokenize(line));';
const INK_BLANK_ROWS = `            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);`;
const INK_ROWS_TO_STRING = `const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`;
const INK_PLACE_CHARS = `                    let offsetX = x;
                    for (const character of characters) {`;
const INK_TOKENIZE_IMPORT =
  "import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';";
const fastStyledChars = {
  name: 'fast-styled-chars',
  setup(build) {
    wrapAnsiTokenize.setup(build);
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      // Ink is pinned: a version whose output no longer reads this way stops the build, not the tweak.
      if (
        ![INK_LINE_CHARS, INK_TOKENIZE_IMPORT, INK_BLANK_ROWS, INK_ROWS_TO_STRING, INK_PLACE_CHARS].every(
          (s) => source.includes(s),
        )
      )
        throw new Error(`fast-styled-chars: ${args.path} no longer reads its lines as this build expects`);
      return {
        contents: source
          .replace(
            INK_TOKENIZE_IMPORT,
            "import { blankRow, rowsToString, styledCharsOfLine } from '@alcalzone/ansi-tokenize';",
          )
          .replace(
            INK_PLACE_CHARS,
            `if (characters.narrow === true) {
                        for (let i = 0; i < characters.length; i++) currentLine[x + i] = characters[i];
                        offsetY++;
                        continue;
                    }
${INK_PLACE_CHARS}`,
          )
          .replace(INK_BLANK_ROWS, 'output.push(blankRow(this.width));')
          .replace(INK_ROWS_TO_STRING, 'const generatedOutput = rowsToString(output);')
          .replace(INK_LINE_CHARS, 'cached = styledCharsOfLine(line);'),
        loader: 'js',
      };
    });
  },
};

/**
 * @sindresorhus/is (loaded with got) builds two Intl.ListFormat objects when it loads, for one error
 * message: 4 ms and 4.4 MB resident (ICU's list-pattern data), in every process that calls the API. They
 * are made on first use instead. The dist test checks no chunk builds one at load.
 */
const lazyListFormat = {
  name: 'lazy-list-format',
  setup(build) {
    build.onLoad({ filter: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const helper =
        'const lazyListFormat = (locale, options) => { let formatter; const get = () => (formatter ??= new Intl.ListFormat(locale, options)); return { format: (list) => get().format(list), formatToParts: (list) => get().formatToParts(list) }; };\n';
      return {
        contents: helper + source.replaceAll('new Intl.ListFormat(', 'lazyListFormat('),
        loader: 'js',
      };
    });
  },
};

/**
 * got imports three packages at load for options zchat-auth never sets: http2-wrapper (`http2: true`, which
 * also loads node:http2), cacheable-request with keyv and http-cache-semantics (`cache`), cacheable-lookup
 * (`dnsCache`). Loaded they cost the dashboard about 10 ms of CPU between its first frame and its filled
 * lists, and 64 KB of the bundle. Each is replaced, for got's imports only, by a module that says so if an
 * option ever asks for it; the requests we make go through got as before (the proxy, fault and timeout
 * tests run the built CLI).
 */
const GOT_UNUSED = {
  'http2-wrapper': [
    'const unused = () => { throw new Error("zchat-auth bundles got without http2-wrapper: the http2 option is not available"); };',
    'export default { get globalAgent() { return unused(); }, get auto() { return unused(); } };',
  ],
  'cacheable-request': [
    'export default class CacheableRequest { constructor() { throw new Error("zchat-auth bundles got without cacheable-request: the cache option is not available"); } }',
    'export class CacheError extends Error {}',
  ],
  'cacheable-lookup': [
    'export default class CacheableLookup { constructor() { throw new Error("zchat-auth bundles got without cacheable-lookup: the dnsCache option is not available"); } }',
  ],
};
const gotWithoutUnused = {
  name: 'got-without-unused',
  setup(build) {
    build.onResolve({ filter: /^(http2-wrapper|cacheable-request|cacheable-lookup)$/ }, (args) =>
      /[\\/]node_modules[\\/]got[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'got-without-unused' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'got-without-unused' }, (args) => ({
      contents: GOT_UNUSED[args.path].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * Ink connects to React DevTools (a WebSocket on localhost:8097, where any local user could listen and read
 * every token on screen) and reads its package.json when DEV=true. The dashboard never does, whatever the
 * environment says: Ink's isDev is false in the bundle, and its devtools module is an empty one.
 */
const INK_DEV_AWAITS = ["await import('./devtools.js');", '? await loadPackageJson()'];
const noInkDevtools = {
  name: 'no-ink-devtools',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]utils\.js$/ }, () => ({
      contents: 'const isDev = () => false;\nexport { isDev };\n',
      loader: 'js',
    }));
    // The reconciler's DEV branches (never taken: isDev is false) await at the top level, which a CommonJS
    // bundle (dist/ui.cjs) cannot hold: they go.
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!INK_DEV_AWAITS.every((text) => source.includes(text)))
        throw new Error(
          `no-ink-devtools: ${args.path} no longer awaits its DEV branches as this build expects`,
        );
      return {
        contents: source.replace(INK_DEV_AWAITS[0], 'void 0;').replace(INK_DEV_AWAITS[1], '? undefined'),
        loader: 'js',
      };
    });
    build.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build$/.test(args.resolveDir)
        ? { path: 'ink-devtools', namespace: 'no-ink-devtools' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-ink-devtools' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * yoga-layout's entry instantiates its WebAssembly with a top-level await, which a CommonJS file cannot
 * hold. In dist/ui.cjs (the tweak dashboard-code-cache) Ink's `import Yoga from 'yoga-layout'` gets an
 * object that yoga-layout/load's loadYoga() fills in, and source/ui/yoga-ready.ts settles when it has:
 * the screens wait for that before Ink draws (load-ui.ts). Ink only reads the object's members when it
 * lays out a frame. Before that, a read finds nothing (a test checks the dashboard draws).
 */
const YOGA_READY = path.resolve('source/ui/yoga-ready.ts');
const yogaWithoutTopLevelAwait = {
  name: 'yoga-without-top-level-await',
  setup(build) {
    build.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga', namespace: 'yoga-holder' }));
    build.onLoad({ filter: /.*/, namespace: 'yoga-holder' }, () => ({
      contents: 'export default {};',
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]source[\\/]ui[\\/]yoga-ready\.ts$/ }, (args) => {
      if (path.resolve(args.path) !== YOGA_READY) return undefined;
      return {
        resolveDir: path.dirname(YOGA_READY),
        loader: 'js',
        contents: [
          "import { loadYoga } from 'yoga-layout/load';",
          "import Yoga from 'yoga-layout';",
          'export const yogaReady = loadYoga().then((loaded) => { Object.assign(Yoga, loaded); });',
        ].join('\n'),
      };
    });
  },
};

/**
 * Ink runs sanitizeAnsi (squash-text-nodes.js) and widestLine (render-node-to-output.js) on the whole text
 * of every text node on every frame. A node with styled parts inside (a row's coloured state, a details
 * line's bold label) has escape sequences, which the first tokenizes and the second strips afresh each
 * time, though a key press changes a few nodes of fifty: both answer from rememberText
 * (source/ui/styled-chars-to-string.ts) for a text of the last frames. A key press ~7% less wall time with
 * 1,000 profiles and 1,000 server tokens.
 */
const INK_SANITIZE_IMPORT = "import sanitizeAnsi from './sanitize-ansi.js';";
const INK_WIDEST_IMPORT = "import widestLine from 'widest-line';";
const inkTextCaches = {
  name: 'ink-text-caches',
  setup(build) {
    const patch = (file, line, name) =>
      build.onLoad({ filter: new RegExp(`[\\\\/]ink[\\\\/]build[\\\\/]${file}\\.js$`) }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        // Ink is pinned: a version that no longer imports these this way stops the build, not the tweak.
        if (!source.includes(line))
          throw new Error(`ink-text-caches: ${args.path} no longer imports ${name} as this build expects`);
        return {
          contents: source.replace(
            line,
            `${line.replace(name, `${name}EachTime`)}\nimport { rememberText } from ${JSON.stringify(styledCharsToString)};\nconst ${name} = rememberText(${name}EachTime);`,
          ),
          loader: 'js',
        };
      });
    patch('squash-text-nodes', INK_SANITIZE_IMPORT, 'sanitizeAnsi');
    patch('render-node-to-output', INK_WIDEST_IMPORT, 'widestLine');
  },
};

/**
 * Ink's log-update draws a frame as its changed lines (source/ui/changed-lines.ts) when the app asks for
 * incremental rendering, as the screens do (source/ui/run-ui.tsx); Ink's own incremental mode is not used.
 * Other Ink apps (the bench's baselines) ask for nothing and keep Ink's whole frames. A key press on the
 * dashboard at 1,000 profiles writes ~1.1 KB instead of 7.5 KB.
 */
const changedLines = path.resolve('source/ui/changed-lines.ts');
const inkDrawsChangedLines = path.resolve('source/ui/ink-draws-changed-lines.ts');
const LOG_UPDATE_EDITS = [
  // The standard writer takes the option and keeps a ChangedLines.
  [
    'const createStandard = (stream, { showCursor = false } = {}) => {',
    'const createStandard = (stream, { showCursor = false, changedLinesOnly = false } = {}) => {\n    const changed = changedLinesOnly ? new __ChangedLines(__stringWidth) : undefined;',
  ],
  // A frame of the same height and width is written as its changed lines.
  [
    `            previousOutput = str;
            const returnPrefix = buildReturnToBottomPrefix(cursorWasShown, previousLineCount, previousCursorPosition);
            stream.write(returnPrefix +`,
    `            const onScreen = previousOutput;
            previousOutput = str;
            const onlyChanged = changed?.update(onScreen, str, stream.columns, cursorWasShown || activeCursor !== undefined);
            const returnPrefix = buildReturnToBottomPrefix(cursorWasShown, previousLineCount, previousCursorPosition);
            stream.write(onlyChanged ?? returnPrefix +`,
  ],
  // Asked for incremental rendering, the standard writer with changed lines instead of Ink's own.
  [
    'return createIncremental(stream, { showCursor });',
    'return createStandard(stream, { showCursor, changedLinesOnly: true });',
  ],
];
const changedLinesOnly = {
  name: 'changed-lines-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of LOG_UPDATE_EDITS) {
        // Ink is pinned: a version whose log-update differs stops the build, not the tweak.
        if (!source.includes(from))
          throw new Error(`changed-lines-only: ${args.path} no longer has: ${from}`);
        source = source.replace(from, to);
      }
      const head = `import __stringWidth from 'string-width';\nimport { ChangedLines as __ChangedLines } from ${JSON.stringify(changedLines)};\n`;
      return { contents: head + source, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]source[\\/]ui[\\/]ink-draws-changed-lines\.ts$/ }, (args) =>
      args.path === inkDrawsChangedLines
        ? { contents: 'export const inkDrawsChangedLines = true;', loader: 'ts' }
        : undefined,
    );
  },
};

/** Each build-time tweak of source/tweaks.mjs, by id. */
const tweakPlugins = {
  'narrow-string-width': narrowStringWidth,
  'fast-styled-chars': fastStyledChars,
  'lazy-list-format': lazyListFormat,
  'got-without-unused': gotWithoutUnused,
  'ink-text-caches': inkTextCaches,
  'changed-lines-only': changedLinesOnly,
};

/** The bundle's settings for an environment (its ZCHAT_AUTH_NO_TWEAKS). */
export function buildOptionsFor(env) {
  const active = activeTweaks('build', env);
  for (const id of active) {
    if (!(id in tweakPlugins))
      throw new Error(`source/tweaks.mjs lists a build tweak "${id}" with no plugin`);
  }
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    // The published package is this bundle: minified it is 1.3 MB instead of 2.5 MB (the package's install
    // stays under 5.5 MB with the keyring's native binary and dist/ui.cjs), and no slower to start. Which package a chunk
    // holds is in dist/meta.json (esbuild's metafile), not in comments.
    minify: true,
    // @napi-rs/keyring loads a native module per platform: it stays in node_modules, required at first use.
    external: ['react-devtools-core', 'node-pty', '@napi-rs/keyring'],
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Bundled CommonJS dependencies call require(): give the ESM bundle one.
    banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
    // noInkDevtools is a safety measure, not a tweak: it stays whatever ZCHAT_AUTH_NO_TWEAKS says.
    plugins: [
      ...Object.entries(tweakPlugins)
        .filter(([id]) => active.has(id))
        .map(([, plugin]) => plugin),
      noInkDevtools,
    ],
  };
}

export const buildOptions = buildOptionsFor(process.env);

/**
 * The modules whose ESM chunk (with the chunks it imports) holds code of an npm package: got, conf, zod,
 * proper-lockfile, hpagent... From esbuild's metafile of the ESM build; keyed by the module's path as the
 * metafile writes it (`source/core/store/schema.ts`, `node_modules/hpagent/index.mjs`), valued by its chunk.
 */
function packageChunks(metafile) {
  const outputs = metafile.outputs;
  const holdsPackage = new Map();
  const heavy = (file, seen = new Set()) => {
    if (holdsPackage.has(file)) return holdsPackage.get(file);
    if (seen.has(file)) return false;
    seen.add(file);
    const output = outputs[file];
    const own = Object.entries(output.inputs).some(
      ([input, { bytesInOutput }]) => bytesInOutput > 0 && /(^|[/:])node_modules\//.test(input),
    );
    const answer =
      own ||
      (output.imports ?? []).some((i) => i.kind === 'import-statement' && !i.external && heavy(i.path, seen));
    holdsPackage.set(file, answer);
    return answer;
  };
  const chunks = new Map();
  for (const [file, output] of Object.entries(outputs)) {
    if (output.entryPoint && file.endsWith('.js') && heavy(file)) chunks.set(output.entryPoint, file);
  }
  return chunks;
}

/**
 * In the CommonJS bundle of `token`, `status`, `api` and `exec` (source/fast-cli.ts), a dynamic import() of a module
 * whose ESM chunk holds an npm package stays an import() of that chunk (`./chunks/schema-XXXX.js`): the
 * package stays out of the one file, and loads, from the ESM bundle, only on the rare path that needs it.
 * Every other dynamic import is bundled into the file. `esmDir`: where the ESM build wrote its files.
 * finishFastBundle then makes those imports calls of `importChunk` (see source/fast-loader.ts).
 */
function packagesFromEsmChunks(metafile, esmDir, inside = () => false) {
  const chunks = packageChunks(metafile);
  return {
    name: 'packages-from-esm-chunks',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.fromEsmChunks) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { fromEsmChunks: true },
        });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const key = path.relative(process.cwd(), resolved.path).split(path.sep).join('/');
        const chunk = chunks.get(key);
        if (chunk === undefined || inside(key)) return undefined;
        return { path: `./${path.relative(esmDir, chunk).split(path.sep).join('/')}`, external: true };
      });
    },
  };
}

/**
 * In the CommonJS files, `import fs from 'node:fs'` is `__toESM(require("node:fs"))`: a copy of the module
 * with a getter per export (fs has about a hundred), made for each module that imports it, at every start:
 * 1-3 ms of each `token`. These built-ins are only default-imported there, so the import becomes the module
 * itself. A named or namespace import of one fails the build (no such export) instead of reading undefined.
 */
const builtinDefaults = {
  name: 'builtin-defaults',
  setup(build) {
    build.onResolve({ filter: /^node:(fs|path|os|vm)$/ }, (args) =>
      args.kind === 'require-call'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin-default' },
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-default' }, (args) => ({
      contents: `export default require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The two CommonJS files beside the ESM bundle: dist/start.cjs (what bin/zchat-auth.js runs: picks the
 * bundle for a command line) and dist/fast.cjs (`token`, `status`, `api`, `exec` in one file). Node reads CommonJS
 * with plain synchronous reads and never starts its ESM loader for them: `api chats` reached its first
 * request ~20 ms sooner than through the ESM chunks, `token` ~25 ms. `metafile`: the ESM build's.
 */
export function commonJsBuildsFor(env, metafile, esmDir) {
  const esm = buildOptionsFor(env);
  const common = {
    ...esm,
    format: 'cjs',
    splitting: false,
    // import.meta.url in a CommonJS file: the file's own URL (createRequire, the keyring binding's loader).
    banner: { js: 'var __zchatFileUrl=require("node:url").pathToFileURL(__filename).href;' },
    define: { ...esm.define, 'import.meta.url': '__zchatFileUrl' },
    plugins: [builtinDefaults, ...esm.plugins],
    logOverride: { 'import-is-undefined': 'error' },
  };
  return [
    { ...common, entryPoints: { start: 'source/start.ts' }, outExtension: { '.js': '.cjs' }, outdir: esmDir },
    // The screens (no command word), in one file of their own with Ink, React and yoga-layout in it (the
    // tweak dashboard-code-cache): V8's code cache is made for one script, and what the first frame runs is
    // compiled once. The packages a screen needs later, if at all (got, conf and zod for a write, the
    // browser opener...), stay in the ESM chunks as for fast.cjs: in this file, V8 parsed them at every
    // start without the cache and kept their scopes with it (8 MB more resident once idle, `npm run bench`).
    // Without builtinDefaults: Ink's packages import built-ins by name.
    {
      ...common,
      entryPoints: { ui: 'source/cli.ts' },
      outExtension: { '.js': '.cjs' },
      outdir: esmDir,
      plugins: [
        packagesFromEsmChunks(metafile, esmDir, (key) => key === 'source/ui/run-ui.tsx'),
        yogaWithoutTopLevelAwait,
        ...esm.plugins,
      ],
    },
    {
      ...common,
      entryPoints: { fast: 'source/fast-cli.ts' },
      outExtension: { '.js': '.cjs' },
      outdir: esmDir,
      plugins: [packagesFromEsmChunks(metafile, esmDir), ...common.plugins],
    },
  ];
}

/**
 * The one-file bundle is compiled with node:vm (source/fast-loader.ts), where Node 20 gives import() no
 * loader: its imports of ESM chunks become calls of `importChunk`, a parameter of the function it runs in.
 * Throws if any other import() is left. `file`: the built fast.cjs, rewritten in place.
 */
export function finishFastBundle(file) {
  const text = readFileSync(file, 'utf8');
  const done = text.replaceAll('import("./chunks/', 'importChunk("./chunks/');
  if (/\bimport\(/.test(done)) throw new Error(`${file} has an import() that is not of an ESM chunk`);
  writeFileSync(file, done);
}
