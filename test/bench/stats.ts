/** Small statistics for benchmark samples: machines here are noisy, so we report medians and spread. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  p90: number;
  runs: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] ?? NaN;
  return {
    median: at(0.5),
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
    p90: at(0.9),
    runs: sorted.length,
  };
}

/** Runs `once` `warmup` times unmeasured, then `runs` times measured; returns the samples. */
export async function sample(
  runs: number,
  warmup: number,
  once: () => Promise<number> | number,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await once();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await once());
  return out;
}

/**
 * Interleaves a candidate with its baseline (A B A B ...) so that drift in machine load hits both alike.
 */
export async function samplePair(
  runs: number,
  warmup: number,
  baseline: () => Promise<number> | number,
  candidate: () => Promise<number> | number,
): Promise<{ baseline: number[]; candidate: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await candidate();
  }
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(await baseline());
    c.push(await candidate());
  }
  return { baseline: b, candidate: c };
}
