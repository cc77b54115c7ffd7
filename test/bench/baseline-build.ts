/** Bundles the bare Ink app with the same esbuild settings as the CLI, so both start the same way. */
import path from 'node:path';
import { build } from 'esbuild';

export async function buildBaselineApp(outdir: string): Promise<string> {
  await build({
    entryPoints: [path.resolve('test/bench/hello-app.tsx')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir,
    external: ['react-devtools-core', 'node-pty'],
    logLevel: 'warning',
    legalComments: 'none',
    // As the CLI's build: React's production build (the development one is slower to load and to render).
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
  });
  return path.join(outdir, 'hello-app.js');
}
