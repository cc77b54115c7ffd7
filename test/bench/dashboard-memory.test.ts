/**
 * The dashboard's memory while it runs (guards the run-time tweaks small-young-generation and
 * collect-when-idle of source/tweaks.mjs in a real process): a pseudo-terminal, much drawing, then 9 s idle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  bin,
  cleanEnv,
  ensureBuilt,
  freePort,
  type TempDir,
  tempDir,
  writeStoredToken,
} from '../cli/helpers.js';
import { startTerminal } from '../e2e/helpers/terminal.js';

let tmp: TempDir;

beforeAll(async () => {
  ensureBuilt();
  tmp = await tempDir();
  // A stored token, so `token` and `status` take their real path; its base URL is a closed loopback port,
  // so nothing reaches beyond this machine.
  const closed = await freePort();
  writeStoredToken(tmp.dir, `http://127.0.0.1:${closed}`);
}, 120_000);
afterAll(async () => {
  await tmp.remove();
});

describe('the dashboard’s memory while it runs', () => {
  test('a young generation of at most 8 MB, and one full collection (two scavenges, two passes) once it sits idle, after which it is back at its start size', async () => {
    const probeLog = path.join(tmp.dir, 'heap.json');
    const probe = path.join(tmp.dir, 'heap-probe.mjs');
    fs.writeFileSync(
      probe,
      `import fs from 'node:fs';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
if (process.argv[1] === ${JSON.stringify(bin)}) {
  const forced = [];
  const scavenges = [];
  const writes = [];
  // The young generation's size while the screen sits idle (sampled: read at exit, a last frame came first).
  const young = [];
  setInterval(() => {
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    young.push([performance.now(), space.space_size / 1048576]);
  }, 200).unref();
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    writes.push(performance.now());
    return write(chunk, ...rest);
  };
  // GC entries arrive late and in batches: keep their start times, compare them with the writes at exit.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!(e.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) continue;
      if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(e.startTime);
      else forced.push(e.startTime);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    const last = Math.max(...forced);
    const nextWrite = Math.min(...writes.filter((w) => w > last));
    const idle = young.filter(([at]) => at > last && at < nextWrite);
    const sinceFrame = forced.map((at) => at - Math.max(0, ...writes.filter((w) => w <= at)));
    fs.writeFileSync(${JSON.stringify(probeLog)}, JSON.stringify({ sinceFrame, scavenges: scavenges.length, youngMb: idle.length > 0 ? idle[idle.length - 1][1] : -1 }));
  });
}
`,
    );
    const term = startTerminal([], { ...cleanEnv(tmp.dir), NODE_OPTIONS: `--import ${probe}` });
    try {
      await term.waitForScreen(/Tokens/);
      // Much drawing: the help overlay, on and off.
      for (let i = 0; i < 60; i++) await term.pressAndDraw('?');
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      term.press('q');
      expect((await term.ended).code).toBe(0);
    } finally {
      term.kill();
    }
    const { sinceFrame, scavenges, youngMb } = JSON.parse(fs.readFileSync(probeLog, 'utf8')) as {
      sinceFrame: number[];
      scavenges: number;
      youngMb: number;
    };
    // Left to grow, the young generation reaches 16 to 32 MB on this much drawing; it grows once, to 8 MB,
    // and the idle collection gives that room back (V8 shrinks it when its allocation rate is low), down
    // to its start size (a bare Ink hello's): two scavenges empty it first, else V8 kept 2 MB. One more a
    // second after the last key, so V8 sees a low allocation rate by then (heap.ts, settle).
    expect(youngMb).toBeGreaterThan(0);
    expect(youngMb).toBeLessThanOrEqual(1);
    expect(scavenges).toBe(3);
    // Two forced full passes, about 6.5 s after the last frame, and none while keys were drawing frames.
    expect(sinceFrame).toHaveLength(2);
    for (const ms of sinceFrame) expect(ms).toBeGreaterThan(6000);
  }, 30_000);
});
