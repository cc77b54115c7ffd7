/**
 * Settles once Ink's layout engine can be used. In the ESM bundle yoga-layout is ready once its module has
 * loaded (a top-level await of its WebAssembly), so this is settled already; dist/ui.cjs, a CommonJS file
 * that cannot wait at its top level, has this module replaced by one that loads yoga-layout and settles
 * then (yoga-without-top-level-await in scripts/build-options.mjs). The screens wait for it before Ink draws.
 */
export const yogaReady: Promise<void> = Promise.resolve();
