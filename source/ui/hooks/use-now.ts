import { useEffect, useState } from 'react';

/** The time, refreshed every `intervalMs`, for ages and countdowns (only the caller re-renders). */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // Caught up when it starts again after a pause; just mounted, the time it holds is fresh (setting it
    // anyway drew every screen a second time right after its first frame).
    setNow((held) => (Date.now() - held >= intervalMs ? Date.now() : held));
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
