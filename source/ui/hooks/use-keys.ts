import { type Key, useInput, useStdin } from 'ink';
import { useCallback, useLayoutEffect, useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

/**
 * useInput with two guarantees: it is off when stdin cannot do raw mode (no crash without a TTY), and a key
 * always meets the state of the frame on screen. Ink re-subscribes a new handler in a passive effect, which
 * can run after the frame is drawn: a key pressed in between would see the previous state. Here the latest
 * handler is stored during commit (layout effect), together with the frame.
 */
export function useKeys(handler: KeyHandler, active = true): void {
  const { isRawModeSupported } = useStdin();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const stable = useCallback<KeyHandler>((input, key) => latest.current(input, key), []);
  useInput(stable, { isActive: Boolean(isRawModeSupported) && active });
}
