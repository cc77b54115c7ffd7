import { useLayoutEffect, useRef } from 'react';
import { type KeyHandler, useKeyRoutes } from '../key-router.js';

export { type KeyHandler, WAIT_FOR_FRAME } from '../key-router.js';

/**
 * A screen's key handler, joined to the KeyRouter in the commit that draws the screen (layout effects):
 * a key meets the screen and the state of the frame on show, even one pressed the moment it is drawn.
 */
export function useKeys(handler: KeyHandler, active = true): void {
  const routes = useKeyRoutes();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
    routes.committed();
  });
  useLayoutEffect(() => (active ? routes.add(latest) : undefined), [routes, active]);
}
