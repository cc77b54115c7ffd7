/**
 * The hand-over between the one-file bundle's loader (fast-loader.ts, in dist/start.cjs) and the bundle it
 * runs (dist/ui.cjs): two bundles, so two copies of this module, which meet on one global symbol. The
 * loader offers to write the bundle's code cache when it has none it could use; the screens take the offer
 * once, at a moment of their choosing (load-ui.ts).
 */

const OFFER = Symbol.for('zchat-auth.code-cache-offer');

type Holder = { [OFFER]?: () => void };

/** The loader: `write` saves V8's code of the bundle as compiled so far. */
export function offerCodeCache(write: () => void): void {
  (globalThis as Holder)[OFFER] = write;
}

/** The bundle: writes the offered cache, once; false when none was offered (a usable cache was read). */
export function takeCodeCacheOffer(): boolean {
  const holder = globalThis as Holder;
  const write = holder[OFFER];
  if (!write) return false;
  delete holder[OFFER];
  write();
  return true;
}
