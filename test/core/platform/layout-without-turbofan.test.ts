/**
 * The tweak `layout-without-turbofan` (source/core/platform/heap.ts) in a real process: set at run time, as
 * the screens set it before they load, V8 compiles none of yoga-layout's WebAssembly with TurboFan while it
 * lays out a screen's worth of nodes many times; without it, V8 does (each such compile's memory is a
 * malloc block whose size glibc then keeps as its mmap threshold). V8 reports each compile with
 * --trace-wasm-compilation-times.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
let tmp: string;
let script: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-layout-'));
  script = path.join(tmp, 'layout.mjs');
  const entry = path.join(tmp, 'entry.ts');
  // Ink's tree, roughly: a column of rows, laid out again and again as keys redraw it.
  fs.writeFileSync(
    entry,
    `import { layoutWithoutTurbofan } from ${JSON.stringify(path.join(root, 'source/core/platform/heap.ts'))};
    if (process.argv[2] === 'tweak') layoutWithoutTurbofan();
    const { default: Yoga } = await import('yoga-layout');
    for (let frame = 0; frame < 300; frame++) {
      const screen = Yoga.Node.create();
      for (let i = 0; i < 40; i++) {
        const row = Yoga.Node.create();
        row.setWidth(10 + i);
        row.setHeight(1);
        screen.insertChild(row, i);
      }
      screen.calculateLayout(120, 40);
      screen.freeRecursive();
    }
    `,
  );
  // Bundled by esbuild's own process: this test's worker is shared with other files (heap.test.ts among
  // them measures its own heap), and esbuild's JavaScript API would leave its service and results there.
  const built = spawnSync(
    path.join(root, 'node_modules/.bin/esbuild'),
    [
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      `--outfile=${script}`,
      '--log-level=warning',
      `--resolve-extensions=.ts,.js,.mjs`,
      "--banner:js=import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);",
    ],
    { encoding: 'utf8', cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } },
  );
  expect(built.status, built.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function turbofanCompiles(...args: string[]): number {
  const run = spawnSync(process.execPath, ['--trace-wasm-compilation-times', script, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return (run.stdout.match(/using TurboFan/g) ?? []).length;
}

describe('yoga-layout’s WebAssembly while a screen runs', () => {
  test('with the tweak, nothing is compiled with TurboFan; without it, its hot functions are', () => {
    expect(turbofanCompiles()).toBeGreaterThan(0);
    expect(turbofanCompiles('tweak')).toBe(0);
  }, 60_000);
});
