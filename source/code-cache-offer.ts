/**
 * The hand-over between the one-file bundle's loader (fast-loader.ts, in dist/start.cjs) and the bundle it
 * runs (dist/ui.cjs): two bundles, so two copies of this module, which meet on one global symbol. The
 * loader offers to write the bundle's code cache when it has none it could use. A screen claims the offer
 * and writes it at a moment of its choosing (load-ui.ts); an offer no screen claimed is written by the
 * loader as the process exits (a command without screens, such as `login --no-tui`).
 */

const OFFER = Symbol.for('zchat-auth.code-cache-offer');

interface Offer {
  write(): void;
  claimed: boolean;
}

type Holder = { [OFFER]?: Offer };

/** The loader: `write` saves V8's code of the bundle as compiled so far; written at exit unless claimed. */
export function offerCodeCache(
  write: () => void,
  atExit: (fn: () => void) => void = (fn) => {
    process.once('exit', fn);
  },
): void {
  const offer: Offer = { write, claimed: false };
  (globalThis as Holder)[OFFER] = offer;
  atExit(() => {
    if (!offer.claimed) takeCodeCacheOffer();
  });
}

/** A screen: the offer is its to write (takeCodeCacheOffer); false when there is none. */
export function claimCodeCacheOffer(): boolean {
  const offer = (globalThis as Holder)[OFFER];
  if (!offer) return false;
  offer.claimed = true;
  return true;
}

/** Writes the offered cache, once; false when none was offered (a usable cache was read) or it is written. */
export function takeCodeCacheOffer(): boolean {
  const holder = globalThis as Holder;
  const offer = holder[OFFER];
  if (!offer) return false;
  delete holder[OFFER];
  offer.write();
  return true;
}
