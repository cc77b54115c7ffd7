/** useNow: the time for ages and countdowns, without drawing a screen twice when it appears. */
import { render } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { useNow } from '../../../source/ui/hooks/use-now.js';
import { Text } from '../../../source/ui/safe-text.js';
import { tick, waitFor } from '../helpers.js';

let renders = 0;
function Clock({ every, active = true }: { every: number; active?: boolean }) {
  renders++;
  const now = useNow(every, active);
  return <Text>{String(now)}</Text>;
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

test('a component that shows the time renders once when mounted, then once a tick', async () => {
  renders = 0;
  const r = render(<Clock every={1000} />);
  unmount = r.unmount;
  await tick(20);
  // It held the time of its first render: setting it again on mount drew it a second time.
  expect(renders).toBe(1);
  const shown = Number(r.lastFrame());
  await waitFor(() => expect(renders).toBe(2), 5000);
  expect(Number(r.lastFrame())).toBeGreaterThanOrEqual(shown + 1000);
});

test('paused and started again after more than a tick, it shows the time at once', async () => {
  const r = render(<Clock every={50} active={false} />);
  unmount = r.unmount;
  const shown = Number(r.lastFrame());
  await tick(80);
  expect(Number(r.lastFrame())).toBe(shown);
  r.rerender(<Clock every={50} />);
  await tick(10);
  expect(Number(r.lastFrame())).toBeGreaterThanOrEqual(shown + 50);
});
