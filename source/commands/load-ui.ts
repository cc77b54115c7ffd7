/**
 * Loads the interactive screens (Ink, React, the layout engine) for the dashboard and the login panel, and
 * looks after the process around them.
 *
 * Ink's layout engine, yoga-layout, decodes its inline WebAssembly with `fetch()` whenever a global fetch
 * exists. On Node that call loads Node's whole built-in HTTP client (undici) just to read a data: URL, about
 * 25 ms of the dashboard's first frame on a 2-core machine (measured with --cpu-prof). Without a global fetch
 * yoga decodes the very same bytes itself. So fetch is hidden while the module graph evaluates (yoga's
 * top-level await included) and put back, untouched, right after.
 *
 * These, and the heap settings, are run-time tweaks listed in source/tweaks.mjs: ZCHAT_AUTH_NO_TWEAKS=1
 * leaves fetch and V8 alone.
 */

import { claimCodeCacheOffer, takeCodeCacheOffer } from '../code-cache-offer.js';
import {
  collectWhenIdle,
  growYoungGenerationOnce,
  type IdleCollector,
  layoutWithoutTurbofan,
  type RunTimeFlags,
  underDefaultFlags,
  type YoungGeneration,
} from '../core/platform/heap.js';
import { activeTweaks } from '../tweaks.mjs';
import type { RunUiOptions } from '../ui/run-ui.js';
import { forgetCachedLines } from '../ui/styled-chars-to-string.js';

export type RunUi = (o: RunUiOptions) => Promise<number>;

/** The screens' loading, once per environment: the dashboard's command line starts it early (main.ts). */
const loads = new WeakMap<NodeJS.ProcessEnv, Promise<{ runUi: RunUi }>>();

export function loadUi(env: NodeJS.ProcessEnv = process.env): Promise<{ runUi: RunUi }> {
  let load = loads.get(env);
  if (!load) {
    load = loadUiOnce(env);
    loads.set(env, load);
  }
  return load;
}

async function loadUiOnce(env: NodeJS.ProcessEnv): Promise<{ runUi: RunUi }> {
  const active = activeTweaks('run', env);
  // A screen redraws on every key: its young generation is grown once, to the size it keeps (heap.ts), from
  // before the modules load. Held at its start size until the first frame, it took 18 scavenges to that
  // frame with 1,000 profiles and 58 with 10,000; grown first, 7 and 16.
  const young = active.has('small-young-generation') ? growYoungGenerationOnce() : undefined;
  young?.drawn();
  const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  const hide = active.has('hide-fetch-for-yoga') && fetchDescriptor?.configurable === true;
  if (hide) Reflect.deleteProperty(globalThis, 'fetch');
  const layout = active.has('layout-without-turbofan') ? layoutWithoutTurbofan() : undefined;
  let ui: typeof import('../ui/run-ui.js');
  try {
    ui = await import('../ui/run-ui.js');
    // In dist/ui.cjs yoga-layout loads after its module (yoga-ready.ts): still without fetch.
    await ui.yogaReady;
  } finally {
    if (hide) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
  }
  young?.drawn(); // loading the modules grew it: held from here, before a large store is read
  return {
    async runUi(o) {
      young?.drawn(); // held from here if the store's listing grew it there
      const idle = active.has('collect-when-idle')
        ? collectWhenIdle({
            release: forgetCachedLines,
            ...(young ? { onCollected: () => young.released() } : {}),
          })
        : undefined;
      const cache = codeCacheWhenQuiet(underDefaultFlags(young, layout));
      try {
        return await ui.runUi({ ...o, onFrame: onEachFrame(young, idle, Date.now, cache) });
      } finally {
        idle?.stop();
        cache.stop();
      }
    },
  };
}

/** What a screen does after each frame: the heap settings see it drawn, and the idle collection waits. */
export function onEachFrame(
  young?: YoungGeneration,
  idle?: IdleCollector,
  now: () => number = Date.now,
  cache?: { drawn(): void },
): () => void {
  let frames = 0;
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    young?.drawn();
    cache?.drawn();
    // Ink calls this before it writes the frame: the first frame is drawn at the loading size, and the
    // frames after it (keys) at the larger one (heap.ts). After the idle collection, frames within a
    // second of each other (keys again), not the clock's (every 15 and 30 s), make it larger again.
    // A lone frame (the clock's) does not put off the idle collection; the first frame and keys do.
    const at = now();
    const quick = ++frames === 1 || at - last < 1000;
    if (quick) young?.shown();
    last = at;
    if (quick) idle?.activity();
    else idle?.nudge();
  };
}

/**
 * Writes the code cache the loader offers (dist/ui.cjs, the tweak dashboard-code-cache), once, when the
 * screen has drawn and then been quiet for `quietMs`: by then V8 has compiled what the first frame and the
 * filled lists ran, which the next start then skips compiling. Or at exit, if that comes first. V8 refuses
 * a cache made under other flags than the process starts with, and the screens change one
 * (--semi-space-growth-factor, heap.ts): it is written with V8's defaults put back for the moment.
 */
export function codeCacheWhenQuiet(
  flags?: RunTimeFlags,
  o: {
    quietMs?: number;
    claim?: () => boolean;
    take?: () => boolean;
    /** Runs `fn` as the process exits; returns what unregisters it. */
    atExit?: (fn: () => void) => () => void;
  } = {},
): { drawn(): void; stop(): void } {
  // Written by this screen, with V8's flags as a process starts (not by the loader at exit). No offer (the
  // cache was read, or the ESM bundle runs): nothing to do, no timer per frame.
  if (!(o.claim ?? claimCodeCacheOffer)()) return { drawn() {}, stop() {} };
  const take = o.take ?? takeCodeCacheOffer;
  const quietMs = o.quietMs ?? 1000;
  const atExit =
    o.atExit ??
    ((fn: () => void) => {
      process.once('exit', fn);
      return () => process.off('exit', fn);
    });
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    if (done) return;
    done = true;
    forget();
    if (flags) flags.atDefaultFlags(take);
    else take();
  };
  const forget = atExit(write);
  return {
    drawn() {
      if (done) return;
      if (timer) timer.refresh();
      else timer = setTimeout(write, quietMs).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
