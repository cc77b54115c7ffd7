/** useNow: the time for ages and countdowns, without drawing a screen twice when it appears. */
import { render } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { useNow } from '../../../source/ui/hooks/use-now.js';
import { Text } from '../../../source/ui/safe-text.js';
import { tick } from '../helpers.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

test('a component that shows the time renders once when mounted, then once a tick', async () => {
  let renders = 0;
  function Clock() {
    renders++;
    const now = useNow(60);
    return <Text>{String(now)}</Text>;
  }
  const r = render(<Clock />);
  unmount = r.unmount;
  await tick(20);
  // It held the time of its first render: setting it again on mount drew it a second time.
  expect(renders).toBe(1);
  const shown = Number(r.lastFrame());
  await tick(150);
  expect(renders).toBeGreaterThanOrEqual(2);
  expect(Number(r.lastFrame())).toBeGreaterThan(shown);
});

test('paused and started again after more than a tick, it shows the time at once', async () => {
  function Clock({ active }: { active: boolean }) {
    const now = useNow(50, active);
    return <Text>{String(now)}</Text>;
  }
  const r = render(<Clock active={false} />);
  unmount = r.unmount;
  const shown = Number(r.lastFrame());
  await tick(80);
  expect(Number(r.lastFrame())).toBe(shown);
  r.rerender(<Clock active />);
  await tick(10);
  expect(Number(r.lastFrame())).toBeGreaterThanOrEqual(shown + 50);
});
