/**
 * What a key press costs Ink: every line written inside a box that clips horizontally (`overflow` or
 * `overflowX` hidden) goes through slice-ansi on every frame, which was a third of a key press's CPU with
 * 1,000 + 1,000 rows. The dashboard's body and activity line clip vertically only (their width is laid out
 * already), so only the one-line pane titles are clipped across. Checked on Ink's own node tree.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { makeWorld, screenTestHooks, storeLoggedIn, type World, waitFor } from '../helpers.js';
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

test('no list row, details line or status text is inside a box that clips horizontally', async () => {
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
  const texts = clippedAcross(root as InkNode);
  // The pane titles ("Tokens 2 stored…", "Clients 3 (via demo)", "Details") and nothing else.
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).toMatch(/^ (Tokens|Clients|Details)\b/);
  // No row: a profile's name appears only as the titles' "(via demo)", whose token fetched the lists.
  expect(texts.map((t) => t.replace(/ \(via [^)]*\)/, '')).join('\n')).not.toContain('demo');
});
