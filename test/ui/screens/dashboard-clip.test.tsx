/**
 * What a key press costs Ink: every line written inside a box that clips horizontally (`overflow` or
 * `overflowX` hidden) goes through slice-ansi on every frame, which was a third of a key press's CPU with
 * 1,000 + 1,000 rows. The dashboard's boxes clip vertically only (their width is laid out already, and a
 * pane's title is truncated to it), so nothing is sliced. Checked on Ink's own node tree, and on the frame:
 * a long title with a filter typed after it still ends inside the pane's border.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { makeWorld, plain, press, screenTestHooks, storeLoggedIn, type World, waitFor } from '../helpers.js';
import { renderSized } from '../sized-render.js';

interface InkNode {
  nodeName: string;
  nodeValue?: string;
  style: { overflow?: string; overflowX?: string };
  childNodes?: InkNode[];
}

let w: World;
let unmount: (() => void) | undefined;
screenTestHooks({ world: () => w, unmount: () => unmount?.() });

/** Ink's map from stdout to its instance (not in the package's exports: the same module file Ink uses). */
async function inkInstances(): Promise<WeakMap<object, { rootNode: InkNode }>> {
  const file = path.resolve('node_modules/ink/build/instances.js');
  return (await import(pathToFileURL(file).href)).default;
}

/** The text of every text node under a horizontally clipping box. */
function clippedAcross(node: InkNode, clipped = false, out: string[] = []): string[] {
  const across = clipped || node.style?.overflow === 'hidden' || node.style?.overflowX === 'hidden';
  if (node.nodeName === '#text' && across && node.nodeValue?.trim()) out.push(node.nodeValue);
  for (const child of node.childNodes ?? []) clippedAcross(child, across, out);
  return out;
}

test('no text is inside a box that clips horizontally', async () => {
  w = await makeWorld();
  await storeLoggedIn(w, 'demo');
  await w.saveProfile({ name: 'second' });
  const r = renderSized(
    <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
    120,
    40,
  );
  unmount = r.unmount;
  await waitFor(() => expect(r.lastFrame()).toContain('Test client'));
  const root = (await inkInstances()).get(r.stdout)?.rootNode;
  expect(root).toBeDefined();
  expect(clippedAcross(root as InkNode)).toEqual([]);
});

test.each([
  [50, 20],
  [40, 12],
])(
  '%i×%i: a title longer than its pane, with a filter typed after it, ends inside the border',
  async (columns, rows) => {
    w = await makeWorld();
    await storeLoggedIn(w, 'a-profile-with-a-long-name');
    const r = renderSized(
      <App services={w.services} start="dashboard" sandbox={w.sandbox} onExit={() => {}} />,
      columns,
      rows,
    );
    unmount = r.unmount;
    await waitFor(() => expect(r.lastFrame()).toMatch(/on server/));
    await press(r.stdin, '/', 'a', '-', 'p');
    await waitFor(() => expect(plain(r.lastFrame())).toContain('filter: a-p'));
    const lines = plain(r.lastFrame()).split('\n');
    const title = lines.findIndex((l) => l.includes('Tokens 1 stored'));
    expect(title).toBeGreaterThan(0);
    // The border above the title sets where the pane ends: the title line ends with the border there.
    const right = lines[title - 1]!.lastIndexOf('╮');
    expect(right).toBeGreaterThan(0);
    expect(lines[title]![right]).toBe('│');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
  },
);
