import type { BuildOptions } from 'esbuild';

export declare function buildOptionsFor(env: Record<string, string | undefined>): BuildOptions;
export declare const buildOptions: BuildOptions;
