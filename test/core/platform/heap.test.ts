import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  collectWhenIdle,
  compacting,
  exposeGc,
  growYoungGenerationOnce,
  type IdleCollector,
  layoutWithoutTurbofan,
  underDefaultFlags,
} from '../../../source/core/platform/heap.js';

// The idle timer runs on a fake clock: exact, and unaffected by a busy machine.
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const MB = 1024 * 1024;

let collector: IdleCollector | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  collector?.stop();
  vi.useRealTimers();
});

/** A collector on a fake heap: `used` is what heapUsed reports; gc() empties it to `live`. */
function fake(o: { idleMs?: number; used?: number; live?: number } = {}) {
  const heap = { used: o.used ?? 20 * MB, live: o.live ?? 10 * MB, gcs: 0, scavenges: 0, young: 1 * MB };
  collector = collectWhenIdle({
    idleMs: o.idleMs ?? 40,
    gc: (options) => {
      if (options?.type === 'minor') {
        heap.scavenges++;
        return;
      }
      heap.gcs++;
      heap.used = heap.live;
      heap.young = 1 * MB; // V8 gives the young generation's room back at an idle full collection
    },
    heapUsed: () => heap.used,
    youngBytes: () => heap.young,
  });
  return { heap, collector };
}

/** A collector on a fake heap of 20 MB that lists its passes in order (scavenges, full, compacting...). */
function collectorOfPasses(o: { release?: (passes: string[]) => void } = {}): {
  passes: string[];
  idle: IdleCollector;
} {
  const passes: string[] = [];
  const release = o.release;
  const idle = collectWhenIdle({
    idleMs: 40,
    gc: (options) => passes.push(options?.type ?? 'gc'),
    compactingGc: () => passes.push('compacting'),
    heapUsed: () => 20 * MB,
    ...(release ? { release: () => release(passes) } : {}),
  });
  collector = idle;
  return { passes, idle };
}

describe('collectWhenIdle', () => {
  test('collects (twice: free, then give pages back) once the screen has been idle', async () => {
    const { heap, collector } = fake();
    collector.activity();
    await sleep(20);
    expect(heap.gcs).toBe(0);
    await sleep(60);
    expect(heap.gcs).toBe(2);
    await sleep(80);
    expect(heap.gcs).toBe(2); // once per quiet spell, not on a timer
  });

  test('each frame postpones it: nothing while the user keeps typing', async () => {
    const { heap, collector } = fake({ idleMs: 60 });
    for (let i = 0; i < 8; i++) {
      collector.activity();
      await sleep(20);
    }
    expect(heap.gcs).toBe(0);
    await sleep(100);
    expect(heap.gcs).toBe(2);
  });

  test('skips the collection when the heap has not grown by 4 MB since the last one', async () => {
    const { heap, collector } = fake();
    collector.activity();
    await sleep(80);
    expect(heap.gcs).toBe(2);
    heap.used = heap.live + 3 * MB; // an idle tick of the clock draws a frame, but makes little garbage
    collector.activity();
    await sleep(80);
    expect(heap.gcs).toBe(2);
    heap.used = heap.live + 5 * MB;
    collector.activity();
    await sleep(80);
    expect(heap.gcs).toBe(4);
  });

  test('collects when only the young generation grew (keys grew it), to give its room back', async () => {
    const { heap, collector } = fake();
    collector.activity();
    await sleep(80);
    expect(heap.gcs).toBe(2);
    // Keys: the heap grows less than 4 MB, the young generation to 16 MB a semi-space.
    heap.used = heap.live + 2 * MB;
    heap.young = 16 * MB;
    collector.activity();
    await sleep(80);
    expect(heap.gcs).toBe(4);
    expect(heap.young).toBe(1 * MB);
  });

  test('a lone frame (the clock) does not put off a pending collection, and starts one when none is pending', async () => {
    const { heap, collector } = fake({ idleMs: 60 });
    collector.activity(); // the last key
    await sleep(40);
    collector.nudge(); // the clock, 40 ms later
    await sleep(30);
    expect(heap.gcs).toBe(2); // 70 ms after the key, not 100
    heap.used = heap.live + 5 * MB;
    collector.nudge();
    await sleep(50);
    expect(heap.gcs).toBe(2);
    await sleep(20);
    expect(heap.gcs).toBe(4);
  });

  test('says when it has collected (the young generation then grows again on the next frames)', async () => {
    let told = 0;
    collector = collectWhenIdle({
      idleMs: 40,
      gc: () => {},
      heapUsed: () => 20 * MB,
      onCollected: () => told++,
    });
    collector.activity();
    await sleep(20);
    expect(told).toBe(0);
    await sleep(40);
    expect(told).toBe(1);
  });

  test('drops what the screen can rebuild (its caches) right before the collection, so it frees that too', async () => {
    const { passes, idle } = collectorOfPasses({ release: (passes) => passes.push('release') });
    idle.activity();
    await sleep(60);
    expect(passes).toEqual(['release', 'minor', 'minor', 'gc', 'compacting']);
  });

  test('a second after the last key, scavenges once if keys grew the young generation (so V8 sees a quiet screen at the idle collection and gives its room back)', async () => {
    const heap = { young: 1 * MB, scavenges: 0, gcs: 0 };
    collector = collectWhenIdle({
      idleMs: 6500,
      settleMs: 1000,
      gc: (options) => {
        if (options?.type === 'minor') heap.scavenges++;
        else heap.gcs++;
      },
      heapUsed: () => 20 * MB,
      youngBytes: () => heap.young,
    });
    heap.young = 16 * MB; // keys grew it
    for (let i = 0; i < 5; i++) {
      collector.activity();
      await sleep(500); // typing: no scavenge of ours between keys
    }
    expect(heap.scavenges).toBe(0);
    await sleep(600);
    expect(heap.scavenges).toBe(1);
    await sleep(4000);
    expect(heap.scavenges).toBe(1); // once per quiet spell
    expect(heap.gcs).toBe(0);
    await sleep(1500); // 6.5 s after the last key: the idle collection
    expect(heap.gcs).toBe(2);
    expect(heap.scavenges).toBe(3);
  });

  test('no scavenge of its own a second after a frame when the young generation is at the size of the last collection', async () => {
    let scavenges = 0;
    collector = collectWhenIdle({
      idleMs: 6500,
      gc: (options) => {
        if (options?.type === 'minor') scavenges++;
      },
      heapUsed: () => 20 * MB,
      youngBytes: () => 1 * MB,
    });
    collector.activity();
    await sleep(2000);
    expect(scavenges).toBe(0);
  });

  test('stop() cancels a pending collection, and the scavenge after the last key', async () => {
    const { heap, collector } = fake({ idleMs: 6500 });
    heap.young = 16 * MB;
    collector.activity();
    collector.stop();
    await sleep(8000);
    expect(heap.gcs).toBe(0);
    expect(heap.scavenges).toBe(0);
  });

  test('its timer never keeps the process alive', () => {
    vi.useRealTimers();
    const { collector } = fake({ idleMs: 60_000 });
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    collector.activity();
    // An unref'd timer is not an active resource.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});

describe('growYoungGenerationOnce', () => {
  /** A young generation of `mb` a semi-space, grown as V8 grows it: times the factor last set. */
  function fakeYoung(mb: number) {
    const young = { bytes: mb * MB, factor: 1, flags: [] as string[] };
    const grower = growYoungGenerationOnce({
      size: () => young.bytes,
      setFlags: (flags) => {
        young.flags.push(flags);
        young.factor = Number(/=(\d+)$/.exec(flags)?.[1]);
      },
    });
    const scavengeThatGrows = () => {
      young.bytes *= young.factor;
    };
    /** `count` frames, each after a scavenge (which grows it as the factor says). */
    const framesAfterScavenges = (count: number) => {
      for (let i = 0; i < count; i++) {
        scavengeThatGrows();
        grower.drawn();
      }
    };
    return { young, grower, scavengeThatGrows, framesAfterScavenges };
  }

  test('lets it grow once, to 8 MB a semi-space, then holds it there', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(2);
    grower.drawn();
    expect(young.factor).toBe(4);
    framesAfterScavenges(1);
    expect(young.bytes).toBe(8 * MB);
    expect(young.factor).toBe(1);
    // Held: more drawing and more scavenges leave it at 8 MB.
    framesAfterScavenges(10);
    expect(young.bytes).toBe(8 * MB);
    expect(young.flags).toEqual(['--semi-space-growth-factor=4', '--semi-space-growth-factor=1']);
  });

  test('in one step from 1 MB', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(1);
    grower.drawn();
    framesAfterScavenges(1);
    expect(young.bytes).toBe(8 * MB);
    expect(young.factor).toBe(1);
  });

  // V8 refuses a code cache made under other flags than the next process starts with (load-ui.ts).
  test('atDefaultFlags: V8’s own growth factor while fn runs, then the one it had set', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(2);
    expect(grower.atDefaultFlags(() => 'nothing set yet')).toBe('nothing set yet');
    expect(young.flags).toEqual([]);
    grower.drawn();
    framesAfterScavenges(1);
    const seen = grower.atDefaultFlags(() => young.factor);
    expect(seen).toBe(2);
    expect(young.factor).toBe(1);
    expect(() =>
      grower.atDefaultFlags(() => {
        throw new Error('failed');
      }),
    ).toThrow('failed');
    expect(young.flags.slice(-2)).toEqual(['--semi-space-growth-factor=2', '--semi-space-growth-factor=1']);
    // Held as before: the factors set for the cache are not taken for its own.
    framesAfterScavenges(5);
    expect(young.bytes).toBe(8 * MB);
  });

  test('after the idle collection, holds it where V8 left it through the clock’s frames', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(2);
    grower.drawn();
    framesAfterScavenges(1);
    expect(young.factor).toBe(1);
    young.bytes = 1 * MB; // the idle collection: V8 gave the semi-space back
    grower.released();
    // The clock's frames of an idle screen (15 and 30 s apart), each after a scavenge.
    framesAfterScavenges(5);
    expect(young.bytes).toBe(1 * MB);
    expect(young.factor).toBe(1);
  });

  test('once the first frame is shown, grows it once more, to 16 MB, and holds it there', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(1);
    grower.drawn();
    framesAfterScavenges(1); // the first frame: drawn at 8 MB
    expect(young.bytes).toBe(8 * MB);
    grower.shown();
    expect(young.bytes).toBe(8 * MB); // not before a frame after it
    grower.drawn();
    expect(young.factor).toBe(2);
    framesAfterScavenges(1);
    expect(young.bytes).toBe(16 * MB);
    expect(young.factor).toBe(1);
    framesAfterScavenges(10);
    expect(young.bytes).toBe(16 * MB);
  });

  test('after the idle collection, grows it back to 16 MB only once shown again (keys), not on the clock', () => {
    const { young, grower, framesAfterScavenges } = fakeYoung(8);
    grower.drawn();
    grower.shown();
    grower.drawn();
    framesAfterScavenges(1);
    expect(young.bytes).toBe(16 * MB);
    young.bytes = 1 * MB; // the idle collection
    grower.released();
    grower.drawn(); // the clock's frame of an idle screen: held where it is
    expect(young.factor).toBe(1);
    framesAfterScavenges(1);
    expect(young.bytes).toBe(1 * MB);
    grower.shown(); // keys again
    grower.drawn();
    expect(young.factor).toBe(16);
    framesAfterScavenges(1);
    expect(young.bytes).toBe(16 * MB);
    expect(young.factor).toBe(1);
  });

  test('holds it where it is when it is already that large', () => {
    const { young, grower } = fakeYoung(16);
    grower.drawn();
    expect(young.flags).toEqual(['--semi-space-growth-factor=1']);
  });
});

describe('exposeGc', () => {
  test('returns a real full collection, without --expose-gc on the command line', () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    const gc = exposeGc();
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () =>
      Array.from({ length: 5000 }, (_, i) => i),
    );
    const withGarbage = getHeapStatistics().used_heap_size;
    expect(garbage.length).toBe(200);
    garbage = undefined;
    gc();
    expect(withGarbage - getHeapStatistics().used_heap_size).toBeGreaterThan(5 * MB);
    // The flag is cleared again: contexts made later get no global gc.
    expect('gc' in globalThis).toBe(false);
  });
});

describe('compacting', () => {
  /** Old space committed and not used, in bytes. */
  const oldFree = () => {
    const old = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    return (old?.physical_space_size ?? 0) - (old?.space_used_size ?? 0);
  };
  /** 240,000 objects in the old generation, then two in five dropped: every page left 60% used. */
  const fragment = (gc: () => void) => {
    let kept = Array.from({ length: 240_000 }, (_, i) => ({ i, a: i + 1, b: i + 2 }));
    gc();
    gc();
    kept = kept.filter((_, i) => i % 5 < 3);
    gc();
    return kept;
  };

  test('gives back the old space pages a plain full collection leaves half used', () => {
    const gc = exposeGc();
    // From a settled heap: this worker may have run other files just before (a marking they started, their
    // garbage), and the plain collection below then left 1.9-2.7 MB free in about one run in five.
    gc();
    gc();
    // A plain full collection keeps those pages as they are (V8 moves objects out of emptier pages only).
    const plain = fragment(gc);
    gc();
    const leftByPlain = oldFree();
    expect(leftByPlain).toBeGreaterThan(3 * MB);
    expect(plain.length).toBe(144_000);
    const compacted = fragment(gc);
    compacting(gc)();
    // Against what the plain collection left in this same heap: the test worker's own garbage (coverage
    // counters under `npm test`) adds its share of free space to both.
    expect(oldFree()).toBeLessThan(leftByPlain - 1.5 * MB);
    expect(compacted.length).toBe(144_000);
  });

  test('sets V8 flag for that collection only, even when it throws', () => {
    const flags: string[] = [];
    const setFlags = (f: string) => flags.push(f);
    compacting(() => flags.push('gc'), setFlags)();
    expect(flags).toEqual(['--compact-on-every-full-gc', 'gc', '--no-compact-on-every-full-gc']);
    flags.length = 0;
    expect(() =>
      compacting(() => {
        throw new Error('boom');
      }, setFlags)(),
    ).toThrow('boom');
    expect(flags).toEqual(['--compact-on-every-full-gc', '--no-compact-on-every-full-gc']);
  });

  test('is the second pass of the idle collection, after two scavenges empty the young generation', async () => {
    const { passes, idle } = collectorOfPasses();
    idle.activity();
    await sleep(60);
    expect(passes).toEqual(['minor', 'minor', 'gc', 'compacting']);
  });
});

describe('layoutWithoutTurbofan', () => {
  const off = '--no-wasm-tier-up --no-wasm-dynamic-tiering';
  const defaults = '--wasm-tier-up --wasm-dynamic-tiering';

  test('WebAssembly tier-up off from the start; V8’s defaults back only while atDefaultFlags runs', () => {
    const flags: string[] = [];
    const layout = layoutWithoutTurbofan((f) => flags.push(f));
    expect(flags).toEqual([off]);
    expect(layout.atDefaultFlags(() => flags.at(-1))).toBe(defaults);
    expect(flags.at(-1)).toBe(off);
    expect(() =>
      layout.atDefaultFlags(() => {
        throw new Error('failed');
      }),
    ).toThrow('failed');
    expect(flags.at(-1)).toBe(off);
  });

  // The screens' code cache is written under these (load-ui.ts): V8 checks it against the flags the next
  // process starts with, so every flag a screen changed must be at its default while it is written.
  test('underDefaultFlags: each one’s defaults while fn runs, each one’s own again after', () => {
    const flags: string[] = [];
    const layout = layoutWithoutTurbofan((f) => flags.push(f));
    const young = {
      atDefaultFlags<T>(fn: () => T): T {
        flags.push('--semi-space-growth-factor=2');
        try {
          return fn();
        } finally {
          flags.push('--semi-space-growth-factor=1');
        }
      },
    };
    flags.length = 0;
    const during = underDefaultFlags(young, undefined, layout).atDefaultFlags(() => [...flags]);
    expect(new Set(during)).toEqual(new Set(['--semi-space-growth-factor=2', defaults]));
    expect(new Set(flags.slice(during.length))).toEqual(new Set(['--semi-space-growth-factor=1', off]));
    expect(underDefaultFlags().atDefaultFlags(() => 'none')).toBe('none');
  });
});
