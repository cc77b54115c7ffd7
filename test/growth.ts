/**
 * Growth checks for the algorithmic guards: the same work at n and at 10n, compared. Linear work grows about
 * 10× (n log n a little more), quadratic work 100×. Made to hold on a busy 2-core machine:
 * - CPU time of this process, not wall time, so time spent waiting for a core does not count;
 * - the small input runs 10 times per sample, so both sides of a sample take about as long and meet the
 *   same timer resolution, caches and collections;
 * - the fastest of several interleaved samples on each side;
 * - a bound (50×) far from both answers: a hash join over 1,000 records fits the CPU caches and over 10,000
 *   does not, which measured 31× here (0.03 → 1.04 ms) for plainly linear code; quadratic code is 100×.
 */

export interface Growth {
  /** CPU ms for one run at n and at 10n (fastest sample). */
  small: number;
  large: number;
  ratio: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** `setup(n)` builds the input (untimed); `work(input)` is timed. */
export function measureGrowth<I>(
  n: number,
  setup: (n: number) => I,
  work: (input: I) => unknown,
  samples = 5,
): Growth {
  const small = setup(n);
  const large = setup(n * 10);
  let bestSmall = Number.POSITIVE_INFINITY;
  let bestLarge = Number.POSITIVE_INFINITY;
  // Warm up on the small input only: when the work is quadratic, a large run costs seconds.
  for (let i = 0; i < 3; i++) work(small);
  for (let i = 0; i < samples; i++) {
    let t = cpuMs();
    for (let k = 0; k < 10; k++) work(small);
    bestSmall = Math.min(bestSmall, (cpuMs() - t) / 10);
    t = cpuMs();
    work(large);
    bestLarge = Math.min(bestLarge, cpuMs() - t);
    // Clearly not linear and already slow: no need to spend more seconds proving it. (A fast large run is
    // sampled again: one garbage collection in a 3 ms run is not quadratic growth.)
    if (bestLarge / bestSmall > 3 * LINEAR_BOUND && bestLarge > 200) break;
  }
  return { small: bestSmall, large: bestLarge, ratio: bestLarge / bestSmall };
}

/** Growth from n to 10n that is at most linear (n log n allowed), with room for noise. */
export const LINEAR_BOUND = 50;

/** The message for a failed check: the figures. */
export function describeGrowth(g: Growth): string {
  return `${g.small.toFixed(2)} ms at n, ${g.large.toFixed(2)} ms at 10n: ${g.ratio.toFixed(1)}×`;
}
