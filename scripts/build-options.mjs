// The esbuild settings of the CLI bundle, shared with the bench's Ink "hello" baseline so both are built,
// and so start, the same way.
import path from 'node:path';

// From the package root, where npm runs every script (this file is also bundled into the bench).
const narrowWidth = path.resolve('source/ui/narrow-width.ts');

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
  plugins: [narrowStringWidth],
};
