import type { RateLimiter } from './rate-limit.js';
import type { SandboxState } from './state.js';
import type { SandboxStats } from './types.js';

/** What every route handler gets. */
export interface RouteContext {
  state: SandboxState;
  stats: SandboxStats;
  limiter: RateLimiter;
  /** The sandbox's own base URL, e.g. http://127.0.0.1:43123. */
  baseUrl: string;
}

export function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}
