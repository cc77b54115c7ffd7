/**
 * The code cache's hand-over (source/code-cache-offer.ts): the loader offers, a screen claims and writes
 * it when quiet; an offer nobody claimed (`login --no-tui`) is written by the loader as the process exits;
 * never twice.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { claimCodeCacheOffer, offerCodeCache, takeCodeCacheOffer } from '../source/code-cache-offer.js';

/** The loader's side, with the process's exit played by the test. */
function loader() {
  const written: string[] = [];
  const exits: (() => void)[] = [];
  offerCodeCache(
    () => written.push('cache'),
    (fn) => exits.push(fn),
  );
  return {
    written,
    exit: () => {
      for (const fn of exits) fn();
    },
  };
}

afterEach(() => {
  takeCodeCacheOffer();
});

describe('the code cache offer', () => {
  test('unclaimed (no screen): written as the process exits', () => {
    const { written, exit } = loader();
    exit();
    expect(written).toEqual(['cache']);
  });

  test('claimed by a screen: not written at exit by the loader, but when the screen takes it, once', () => {
    const { written, exit } = loader();
    expect(claimCodeCacheOffer()).toBe(true);
    exit();
    expect(written).toEqual([]);
    expect(takeCodeCacheOffer()).toBe(true);
    expect(takeCodeCacheOffer()).toBe(false);
    expect(written).toEqual(['cache']);
  });

  test('nothing offered (a usable cache was read): nothing to claim or take', () => {
    expect(claimCodeCacheOffer()).toBe(false);
    expect(takeCodeCacheOffer()).toBe(false);
  });
});
