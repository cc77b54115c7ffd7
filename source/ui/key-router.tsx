import { type Key, useInput, useStdin } from 'ink';
import { createContext, type ReactNode, type RefObject, useContext, useMemo } from 'react';
import { useTerminalControl } from './terminal-control.js';

/**
 * A screen's key handler. It returns WAIT_FOR_FRAME when what it did must be drawn before the next key of
 * the same read is handled (a screen change, a state its next key depends on); anything else goes on.
 */
export type KeyHandler = (input: string, key: Key) => unknown;

export const WAIT_FOR_FRAME = 'wait-for-frame';

type Pending = { raw: string } | { input: string; key: Key };

/** How long to wait for a frame that may never come (the key changed nothing on screen). */
const FRAME_WAIT_MS = 20;

/**
 * The screens' key handlers, in the order they were mounted. One Ink subscription delivers every key here,
 * and a screen joins in its commit (a layout effect, see useKeys): a key that arrives after a frame is
 * drawn meets that frame's screen. Ink's own useInput subscribes in a passive effect, which runs later, so
 * a key pressed as soon as a screen is drawn (a fast typist, a busy machine) would fall between two screens.
 *
 * Ink hands over what one read brought, and plain keys that came together (key repeat, a laggy SSH link,
 * a paste) come as one string: "/abc", three Backspaces. Those are split here and sent back through Ink's
 * input event one at a time, so Ink parses each. React draws after the handlers return, so a handler whose
 * next key depends on what it just did returns WAIT_FOR_FRAME: the rest of the read waits for the frame
 * ("/" opens the filter and is drawn, then "abc" is typed into it).
 */
class KeyRoutes {
  private readonly handlers = new Set<RefObject<KeyHandler>>();
  private readonly pending: Pending[] = [];
  /** A key sent back through Ink by `drain`: deliver it, do not queue it again. */
  private replaying = false;
  private replayWait = false;
  private waiting: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly replay: (raw: string) => void,
    /** Ctrl+Z, on every screen: raw mode turned the terminal's suspend key into a key. */
    private readonly suspend: () => void,
  ) {}

  add(handler: RefObject<KeyHandler>): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  readonly receive = (input: string, key: Key): void => {
    if (this.replaying) {
      this.replayWait = this.deliver(input, key);
      return;
    }
    const chars = !key.ctrl && !key.meta ? [...input] : [];
    if (chars.length > 1) this.pending.push(...chars.map((raw) => ({ raw })));
    else this.pending.push({ input, key });
    this.drain();
  };

  /** A frame was committed (see useKeys): keys waiting for it go on, once the commit is over. */
  committed(): void {
    if (this.waiting === undefined) return;
    clearTimeout(this.waiting);
    this.waiting = undefined;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    while (this.waiting === undefined) {
      const next = this.pending.shift();
      if (!next) return;
      let wait: boolean;
      if ('raw' in next) {
        this.replaying = true;
        this.replayWait = false;
        try {
          this.replay(next.raw);
        } finally {
          this.replaying = false;
        }
        wait = this.replayWait;
      } else wait = this.deliver(next.input, next.key);
      if (wait && this.pending.length > 0) {
        this.waiting = setTimeout(() => {
          this.waiting = undefined;
          this.drain();
        }, FRAME_WAIT_MS);
      }
    }
  }

  /** Every handler present when the key came, as an event emitter does; true if one asked to wait. */
  private deliver(input: string, key: Key): boolean {
    if (key.ctrl && input === 'z') {
      this.suspend();
      return true;
    }
    let wait = false;
    for (const handler of [...this.handlers]) {
      if (handler.current(input, key) === WAIT_FOR_FRAME) wait = true;
    }
    return wait;
  }
}

const KeyRoutesContext = createContext<KeyRoutes | undefined>(undefined);

export function useKeyRoutes(): KeyRoutes {
  const routes = useContext(KeyRoutesContext);
  if (!routes) throw new Error('useKeys needs a <KeyRouter> above it');
  return routes;
}

/** Delivers keys to the useKeys below it; off when stdin cannot do raw mode (no crash without a TTY). */
export function KeyRouter({ children }: { children: ReactNode }) {
  const { isRawModeSupported, internal_eventEmitter: emitter } = useStdin();
  const control = useTerminalControl();
  // Sent back through Ink's input event, so Ink parses the key and batches what the handlers do.
  const routes = useMemo(
    () =>
      new KeyRoutes(
        (raw) => emitter.emit('input', raw),
        () => control?.suspend(),
      ),
    [emitter, control],
  );
  useInput(routes.receive, { isActive: Boolean(isRawModeSupported) });
  return <KeyRoutesContext.Provider value={routes}>{children}</KeyRoutesContext.Provider>;
}
