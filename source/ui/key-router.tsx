import { type Key, useInput, useStdin } from 'ink';
import { createContext, type ReactNode, type RefObject, useContext, useMemo } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

/**
 * The screens' key handlers, in the order they were mounted. One Ink subscription delivers every key here,
 * and a screen joins in its commit (a layout effect, see useKeys): a key that arrives after a frame is
 * drawn meets that frame's screen. Ink's own useInput subscribes in a passive effect, which runs later, so
 * a key pressed as soon as a screen is drawn (a fast typist, a busy machine) would fall between two screens.
 */
class KeyRoutes {
  private readonly handlers = new Set<RefObject<KeyHandler>>();

  add(handler: RefObject<KeyHandler>): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Every handler present when the key came, as an event emitter does. */
  readonly dispatch: KeyHandler = (input, key) => {
    for (const handler of [...this.handlers]) handler.current(input, key);
  };
}

const KeyRoutesContext = createContext<KeyRoutes | undefined>(undefined);

export function useKeyRoutes(): KeyRoutes {
  const routes = useContext(KeyRoutesContext);
  if (!routes) throw new Error('useKeys needs a <KeyRouter> above it');
  return routes;
}

/** Delivers keys to the useKeys below it; off when stdin cannot do raw mode (no crash without a TTY). */
export function KeyRouter({ children }: { children: ReactNode }) {
  const { isRawModeSupported } = useStdin();
  const routes = useMemo(() => new KeyRoutes(), []);
  useInput(routes.dispatch, { isActive: Boolean(isRawModeSupported) });
  return <KeyRoutesContext.Provider value={routes}>{children}</KeyRoutesContext.Provider>;
}
