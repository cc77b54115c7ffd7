import type { BuildOptions } from 'esbuild';

export declare function buildOptionsFor(env: Record<string, string | undefined>): BuildOptions;
export declare const buildOptions: BuildOptions;
export declare function finishFastBundle(file: string): void;
export declare function commonJsBuildsFor(
  env: Record<string, string | undefined>,
  metafile: import('esbuild').Metafile,
  esmDir: string,
): BuildOptions[];
