// The esbuild settings of the CLI bundle, shared with the bench's Ink "hello" baseline so both are built,
// and so start, the same way.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

// From the package root, where npm runs every script (this file is also bundled into the bench).
const narrowWidth = path.resolve('source/ui/narrow-width.ts');
const styledCharsToString = path.resolve('source/ui/styled-chars-to-string.ts');

/**
 * Puts source/ui/narrow-width.ts in front of every `string-width` in the bundle (Ink, widest-line,
 * cli-truncate, wrap-ansi), each keeping the version it asked for: narrow text is measured without
 * string-width's emoji regular expression, whose first use costs ~19 ms (see narrow-width.ts).
 */
const narrowStringWidth = {
  name: 'narrow-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.namespace === 'narrow-string-width') return undefined;
      const real = await build.resolve('string-width', {
        kind: args.kind,
        resolveDir: args.resolveDir,
        namespace: 'narrow-string-width',
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'narrow-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'narrow-string-width' }, (args) => ({
      resolveDir: path.dirname(args.path),
      loader: 'js',
      contents: [
        `import stringWidth from ${JSON.stringify(args.path)};`,
        `import { narrowWidth } from ${JSON.stringify(narrowWidth)};`,
        'export default function narrowFirstStringWidth(text, options) {',
        '  return narrowWidth(text, options) ?? stringWidth(text, options);',
        '}',
      ].join('\n'),
    }));
  },
};

/**
 * Gives Ink the package @alcalzone/ansi-tokenize with a faster `styledCharsToString`, which skips the style
 * diff between characters of equal styles (see source/ui/styled-chars-to-string.ts).
 */
const fastStyledChars = {
  name: 'fast-styled-chars',
  setup(build) {
    build.onResolve({ filter: /^@alcalzone\/ansi-tokenize$/ }, async (args) => {
      if (args.namespace === 'fast-styled-chars') return undefined;
      const real = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        namespace: 'fast-styled-chars',
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'fast-styled-chars' };
    });
    build.onLoad({ filter: /.*/, namespace: 'fast-styled-chars' }, (args) => ({
      resolveDir: path.dirname(args.path),
      loader: 'js',
      contents: [
        `import { ansiCodesToString, diffAnsiCodes } from ${JSON.stringify(args.path)};`,
        `import { createStyledCharsToString } from ${JSON.stringify(styledCharsToString)};`,
        `export * from ${JSON.stringify(args.path)};`,
        'export const styledCharsToString = createStyledCharsToString(ansiCodesToString, diffAnsiCodes);',
      ].join('\n'),
    }));
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

export const buildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  external: ['react-devtools-core', 'node-pty'],
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
  plugins: [narrowStringWidth, fastStyledChars, lazyListFormat],
};
