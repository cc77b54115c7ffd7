/**
 * ZCHAT_AUTH_HTTP_TIMEOUT: how many seconds one request to Zendesk may take before it is given up. A slow
 * link or proxy may need more than the default; a script that would rather fail fast, less. Read where a
 * client is made (http.ts for got, api-call.ts for `api` and `exec`), so a bad value is refused before any
 * request, and only by what sends one.
 */
import { ZchatError } from '../errors.js';

export const HTTP_TIMEOUT_VARIABLE = 'ZCHAT_AUTH_HTTP_TIMEOUT';
/** An hour: longer is no longer a timeout. */
const MAX_SECONDS = 3600;

/** The timeout in ms from `env`, else `fallbackMs`; a value that is not a number of seconds is refused. */
export function httpTimeoutMs(env: Record<string, string | undefined>, fallbackMs: number): number {
  const given = env[HTTP_TIMEOUT_VARIABLE]?.trim();
  if (given === undefined || given === '') return fallbackMs;
  // Plain decimal seconds only: "1e3", "0x10", "15s" or "Infinity" would each mean something else to Number().
  const seconds = /^\d+(\.\d+)?$/.test(given) ? Number(given) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_SECONDS) || Math.round(seconds * 1000) < 1) {
    // The value is not repeated: whatever it is, the sentence says what would do.
    throw new ZchatError(
      'usage',
      `${HTTP_TIMEOUT_VARIABLE} must be a number of seconds above 0 and at most ${MAX_SECONDS}, such as 30.`,
      { hint: `Set it so, or unset it for the default (${Math.round(fallbackMs / 1000)} seconds).` },
    );
  }
  return Math.round(seconds * 1000);
}
