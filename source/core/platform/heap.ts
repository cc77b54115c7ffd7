/**
 * The resident memory of a long-lived screen. Ink rebuilds its whole character grid on every frame, so a
 * dashboard makes much short-lived garbage. Left to its defaults V8 grows the young generation to 32 MB
 * and keeps old garbage until it needs the room: about 120 MB resident with 1,000 tokens and 1,000
 * clients, and 109 MB with one profile, while the dashboard's live heap is about 15 MB (measured with heap
 * snapshots and /proc/self/smaps). With both measures below: 70 to 73 MB once idle (`npm run bench`).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Stops the young generation from growing past its start size (1 MB a semi-space): more, cheap,
 * scavenges instead of 30 MB more resident. For the screens only: the scripting commands end before it
 * would matter.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** A full garbage collection, without --expose-gc on the command line. */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  // The flag installs gc() in contexts created from now on: take it from a fresh one, then clear the flag.
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

export interface IdleCollector {
  /** Something was drawn (or typed): the screen is busy. */
  activity(): void;
  stop(): void;
}

export interface IdleCollectorOptions {
  /** How long without activity counts as idle. */
  idleMs?: number;
  /** Heap growth since the last collection worth a collection, in bytes. */
  minGrowthBytes?: number;
  gc?: () => void;
  heapUsed?: () => number;
}

/**
 * Runs one full collection when the screen goes idle after drawing, if the heap grew since the last one,
 * so a dashboard left open gives its garbage back instead of sitting on it (V8's own memory reducer may
 * wait indefinitely). A collection takes ~10 ms, at a moment nobody is typing.
 */
export function collectWhenIdle(o: IdleCollectorOptions = {}): IdleCollector {
  // Five seconds: V8 also gives back young-generation pages when the allocation rate has been low for a
  // while; at 2 s it had not yet, and the idle dashboard sat 1 to 2 MB higher.
  const idleMs = o.idleMs ?? 5000;
  const minGrowth = o.minGrowthBytes ?? 4 * 1024 * 1024;
  const heapUsed = o.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  let gc = o.gc;
  let afterLast = 0;
  let timer: NodeJS.Timeout | undefined;
  const collect = () => {
    timer = undefined;
    if (heapUsed() - afterLast < minGrowth) return;
    gc ??= exposeGc();
    // Twice: the first collection frees the garbage, the second gives its emptied pages back to the system
    // (one alone left a fragmented old space at its full size: 45 MB committed for 5 MB live).
    gc();
    gc();
    afterLast = heapUsed();
  };
  return {
    activity() {
      if (timer) timer.refresh();
      else timer = setTimeout(collect, idleMs).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
