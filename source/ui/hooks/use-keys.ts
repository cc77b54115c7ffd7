import { useLayoutEffect, useRef } from 'react';
import { type KeyHandler, useKeyRoutes } from '../key-router.js';

export type { KeyHandler } from '../key-router.js';

/**
 * A screen's key handler, joined to the KeyRouter in the commit that draws the screen (layout effects), so
 * a key always meets the screen and the state of the frame on screen, even one typed ahead of it.
 */
export function useKeys(handler: KeyHandler, active = true): void {
  const routes = useKeyRoutes();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useLayoutEffect(() => (active ? routes.add(latest) : undefined), [routes, active]);
}
