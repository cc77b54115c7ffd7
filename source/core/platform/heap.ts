/**
 * The resident memory of a long-lived screen. Ink rebuilds its whole character grid on every frame, so a
 * dashboard makes much short-lived garbage. Left to its defaults V8 grows the young generation to 32 MB
 * and keeps old garbage until it needs the room: about 120 MB resident with 1,000 tokens and 1,000
 * clients, and 109 MB with one profile, while the dashboard's live heap is about 15 MB (measured with heap
 * snapshots and /proc/self/smaps). With the measures below, and large-reads.ts: 64 to 66 MB once idle after
 * keys (`npm run bench`, keys then memory; the bare Ink hello 58-59 MB).
 */
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { builtin } from './builtin.js';

/** V8 flags a screen changes while it runs. */
export interface RunTimeFlags {
  /**
   * Runs `fn` with V8's defaults back, then sets this one's again: V8 refuses a code cache made under flags
   * other than those the next process starts with (load-ui.ts, codeCacheWhenQuiet).
   */
  atDefaultFlags<T>(fn: () => T): T;
}

export interface YoungGeneration extends RunTimeFlags {
  /** A frame was drawn. */
  drawn(): void;
  /** The screen is up and in use: from the next frames on, grow to `shownBytes`. */
  shown(): void;
  /** The idle collection gave the room back: hold it there until shown() again (keys, not the clock). */
  released(): void;
}

/** V8's default --semi-space-growth-factor (node --v8-options). */
const V8_GROWTH_FACTOR = 2;

/** The size of one semi-space of V8's young generation, in bytes. */
function semiSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Once drawing, lets the young generation grow once, to `toBytes` a semi-space (8 MB), then holds it there.
 * A key press makes about 2 MB of garbage (Ink's character grid and its lines, React's work): at 2 MB a
 * semi-space (where the screens start) it ran two to three scavenges, and garbage collection was a third
 * of its CPU (--cpu-prof); at 8 MB about half of one (--trace-gc: 239 scavenges for 200 keys at 4 MB, 127
 * at 8 MB). Idle, V8 gives the room back at the idle collection (its allocation rate is low then): no more
 * resident once idle. Left alone, V8 goes to 16 MB a semi-space from the start, 30 MB more resident. V8
 * fixes the largest size when the process starts, so the growth factor is what changes: the size is read
 * at each call of drawn(). A screen calls it before its modules load (so they load with few scavenges),
 * after they have loaded (held there, before a large store is read), and after each frame.
 *
 * Once the first frame is shown, it grows once more, to `shownBytes` (16 MB, V8's own largest, where the
 * bare Ink list app of the bench runs): keys then run half the scavenges (0.15 a key instead of 0.33 with
 * 1,000 profiles and 1,000 server tokens, so 0.15-0.37 ms of scavenging a key instead of 0.3-1.1; key
 * p90 7.6 instead of 9.0 ms, three runs each of `npm run bench`). It costs no idle memory: the idle
 * collection gives the room back either way (75-79 MB idle with both sizes in the same runs).
 */
export function growYoungGenerationOnce(
  o: { toBytes?: number; shownBytes?: number; size?: () => number; setFlags?: (flags: string) => void } = {},
): YoungGeneration {
  const loadingTo = o.toBytes ?? 8 * 1024 * 1024;
  let to = loadingTo;
  const shownTo = o.shownBytes ?? 16 * 1024 * 1024;
  const size = o.size ?? semiSpaceBytes;
  const setV8Flags = o.setFlags ?? setFlagsFromString;
  // The factor last set, if any (atDefaultFlags puts it back).
  let factor: string | undefined;
  const setFlags = (flags: string) => {
    factor = flags;
    setV8Flags(flags);
  };
  let state: 'small' | 'growing' | 'held' | 'idle' = 'small';
  return {
    drawn() {
      if (state === 'held' || state === 'idle') return;
      const now = size();
      if (now >= to) {
        setFlags('--semi-space-growth-factor=1');
        state = 'held';
      } else if (state === 'small') {
        // One step: V8 multiplies the size by the factor at its next growth.
        setFlags(`--semi-space-growth-factor=${Math.max(2, Math.ceil(to / Math.max(now, 1)))}`);
        state = 'growing';
      }
    },
    shown() {
      if (state === 'idle') {
        // Keys again after a pause: from the size V8 left, straight to the keys' size.
        to = shownTo;
        state = 'small';
        return;
      }
      if (shownTo <= to) return;
      to = shownTo;
      // Held at a factor of 1 below the new size, or growing by a factor set for the old one: let the next
      // frame set the factor that reaches the new size from where it is.
      state = 'small';
    },
    released() {
      // Held where V8 left it (its start size) through the clock's frames of an idle screen (every 15 and
      // 30 s): grown back to 8 MB by the first of them, it held 1.5 MB resident more than the bare Ink
      // hello's for as long as the screen sat idle. Quick frames (keys, shown()) grow it again, to 16 MB.
      setFlags('--semi-space-growth-factor=1');
      state = 'idle';
    },
    atDefaultFlags(fn) {
      const set = factor;
      if (set === undefined) return fn();
      setV8Flags(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
      try {
        return fn();
      } finally {
        setV8Flags(set);
      }
    },
  };
}

/** V8's gc(): a full collection, or a scavenge of the young generation only with `{ type: 'minor' }`. */
export type Gc = (options?: { type: 'minor' | 'major' }) => void;

/** A full garbage collection, without --expose-gc on the command line. */
export function exposeGc(): Gc {
  setFlagsFromString('--expose-gc');
  // The flag installs gc() in contexts created from now on: take it from a fresh one, then clear the flag.
  // node:vm on first use: it is not needed until a screen has been idle (not by the first frame).
  const gc = builtin('node:vm').runInNewContext('gc') as Gc;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

/**
 * One full collection that also compacts every page of the old generation. V8 moves objects only out of
 * pages its heuristics call fragmented enough, so after the collections of an idle dashboard (whose live
 * heap is 14 MB at 1,000 profiles) about 2 MB of its old space stayed committed and empty, spread over
 * half-used pages: 15.7 MB committed for 13.7 MB used. Compacting them all at the idle collection gives
 * those pages back (14.2 committed for 14.0 used; about 1.5 MB resident; `npm run bench`, memory). It costs
 * the moving of the live heap once (~15 ms, at a moment nobody is typing). The flag is V8's own, read when
 * a full collection chooses its pages: set for this collection only.
 */
export function compacting(
  gc: () => void,
  setFlags: (flags: string) => void = setFlagsFromString,
): () => void {
  return () => {
    setFlags('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlags('--no-compact-on-every-full-gc');
    }
  };
}

export interface IdleCollector {
  /** Something was drawn (or typed): the screen is busy. */
  activity(): void;
  /**
   * Something was drawn on its own (the clock's frames, every 15 and 30 s): wait for idle if not already
   * waiting, without putting off a wait under way. A clock frame 4 s after the last key put the collection
   * off by 6.5 s more, so a dashboard was still at 85-88 MB 10 s after its last key instead of 68-70 in
   * about half the runs of `npm run bench` (memory).
   */
  nudge(): void;
  stop(): void;
}

export interface IdleCollectorOptions {
  /** How long without activity counts as idle. */
  idleMs?: number;
  /** Heap growth since the last collection worth a collection, in bytes. */
  minGrowthBytes?: number;
  gc?: Gc;
  /** The second pass: `gc` compacting every page (see compacting()). */
  compactingGc?: () => void;
  heapUsed?: () => number;
  /** One semi-space of the young generation, in bytes (see semiSpaceBytes). */
  youngBytes?: () => number;
  /** After each collection. */
  onCollected?: () => void;
  /** Before each collection: drops what the screen can rebuild (caches), so the collection frees it too. */
  release?: () => void;
  /**
   * How long after the last key to scavenge the young generation once, when keys grew it (see settle in
   * collectWhenIdle); 0: never. At most `idleMs` less V8's 5 s window.
   */
  settleMs?: number;
}

/**
 * Runs one full collection when the screen goes idle after drawing, if the heap or the young generation grew
 * since the last one,
 * so a dashboard left open gives its garbage back instead of sitting on it (V8's own memory reducer may
 * wait indefinitely). A collection takes ~10 ms, at a moment nobody is typing.
 */
export function collectWhenIdle(o: IdleCollectorOptions = {}): IdleCollector {
  // 6.5 s: V8 gives the young generation's room back (8 MB a semi-space to 1) at a collection only when
  // its allocation rate over the last 5 s is low, and it measures that rate at collections. At 5 s after
  // the last frame a scavenge drawn just after that frame still counted, so it did so in some runs only:
  // 72-79 MB idle at 1,000 profiles; at 6.5 s every run, 71-72 MB (npm run bench, memory).
  const idleMs = o.idleMs ?? 6500;
  const minGrowth = o.minGrowthBytes ?? 4 * 1024 * 1024;
  const heapUsed = o.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  let gc = o.gc;
  let compact = o.compactingGc;
  const youngBytes = o.youngBytes ?? semiSpaceBytes;
  let afterLast = 0;
  // Where the young generation starts, and where V8 leaves it after an idle collection.
  let youngAfterLast = youngBytes();
  let timer: NodeJS.Timeout | undefined;
  // V8 gives the young generation's room back at a collection only when its allocation rate is low: the
  // bytes allocated since the last collection over the time since, taken over at least its last 5 s. After
  // keys, the young generation (16 MB a semi-space) may hold up to 16 MB allocated before the last key and
  // not yet scavenged: the first scavenge of the idle collection then counts them over the ~7 s since, and
  // with more than ~6 MB there (1 KB/ms) V8 kept 16 MB a semi-space: 86-89 MB resident idle instead of
  // 69-72, in about one run in four of `npm run bench` (memory, 1,000 profiles; the young generation's
  // use before the idle collection was 6.4 MB in the run that kept it, 0.2-4.8 MB in those that did not).
  // One scavenge a second after the last key moves those bytes out of V8's window: the idle collection's
  // 5.5 s later counts only what the screen allocated meanwhile (a clock frame or two).
  const settleMs = o.settleMs ?? 1000;
  let settleTimer: NodeJS.Timeout | undefined;
  const settle = () => {
    settleTimer = undefined;
    if (youngBytes() <= youngAfterLast) return;
    gc ??= exposeGc();
    gc({ type: 'minor' });
  };
  const collect = () => {
    timer = undefined;
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = undefined;
    // Also when only the young generation grew (keys grow it to 16 MB a semi-space, 16-32 MB resident) while
    // the heap grew less than minGrowth: skipped then, a dashboard stayed at 85-88 MB idle instead of 68-70
    // in about half the runs of `npm run bench` (its memory figure).
    if (heapUsed() - afterLast < minGrowth && youngBytes() <= youngAfterLast) return;
    gc ??= exposeGc();
    o.release?.();
    // Twice: the first collection frees the garbage, the second, compacting, moves what lives into as few
    // pages as it fills and gives the rest back to the system (one alone left a fragmented old space at its
    // full size: 45 MB committed for 5 MB live).
    // Two scavenges first: they promote what the young generation still holds (an object that survives two
    // is moved to the old one). A full collection copies young survivors within the young generation, and
    // V8 then shrinks it to twice what it holds, not to its start size: 2 MB a semi-space, 1.3 MB resident,
    // where the bare Ink hello's is 1 MB and 0.3 MB resident. Emptied first, it shrinks to the same.
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    gc();
    compact ??= compacting(gc);
    compact();
    afterLast = heapUsed();
    youngAfterLast = youngBytes();
    o.onCollected?.();
  };
  return {
    activity() {
      if (timer) timer.refresh();
      else timer = setTimeout(collect, idleMs).unref();
      if (settleMs <= 0 || settleMs >= idleMs) return;
      if (settleTimer) settleTimer.refresh();
      else settleTimer = setTimeout(settle, settleMs).unref();
    },
    nudge() {
      timer ??= setTimeout(collect, idleMs).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (settleTimer) clearTimeout(settleTimer);
      settleTimer = undefined;
    },
  };
}

/**
 * Keeps WebAssembly (yoga-layout's, Ink's layout engine) on V8's baseline compiler. V8 otherwise recompiles
 * a hot function with TurboFan on a worker thread, and each such compile's memory (its zone: up to 840 KB
 * for yoga's largest function, `--trace-wasm-compilation-times`) is one malloc block freed on that thread:
 * glibc then keeps its mmap threshold that high for good, and each of V8's four worker threads' arenas
 * keeps up to twice that free (large-reads.ts). With it, those arenas held 2.4-3.5 MB of an idle dashboard
 * at 1,000 profiles instead of 5.0-5.3 (`npm run bench`, memory). Yoga's layout of a screen is a small part
 * of a key press; key → frame is the same. V8 reads both flags when a tier-up is due, so they stay set
 * while the screen runs; atDefaultFlags puts V8's defaults back (the code cache is checked against them).
 */
export function layoutWithoutTurbofan(setFlags: (flags: string) => void = setFlagsFromString): RunTimeFlags {
  const off = '--no-wasm-tier-up --no-wasm-dynamic-tiering';
  setFlags(off);
  return {
    atDefaultFlags(fn) {
      setFlags('--wasm-tier-up --wasm-dynamic-tiering');
      try {
        return fn();
      } finally {
        setFlags(off);
      }
    },
  };
}

/** Every one of `all` at V8's defaults while `fn` runs. */
export function underDefaultFlags(...all: (RunTimeFlags | undefined)[]): RunTimeFlags {
  const set = all.filter((f): f is RunTimeFlags => f !== undefined);
  return {
    atDefaultFlags: <T>(fn: () => T): T =>
      set.reduceRight<() => T>((inner, f) => () => f.atDefaultFlags(inner), fn)(),
  };
}
