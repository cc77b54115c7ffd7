/** Short human forms for the screens (pure). */
import type { LastTest, TestResult } from '../core/store/types.js';

/** "just now", "42s", "5m", "3h", "2d": how long ago an ISO time was. */
export function formatAge(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(Math.round((now - t) / 1000), 0);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** "5m ago", or "just now". */
export function ago(iso: string | undefined, now: number): string {
  const age = formatAge(iso, now);
  return age === 'just now' || age === '' ? age : `${age} ago`;
}

/** "4:59" for a countdown. */
export function formatClock(ms: number): string {
  const total = Math.max(Math.ceil(ms / 1000), 0);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export const testLabels: Record<TestResult, string> = {
  valid: 'valid',
  'expired-or-revoked': 'expired or revoked',
  'missing-scope': 'missing scope',
  network: 'unreachable',
  'server-error': 'server error',
  'rate-limited': 'rate limited',
};

/**
 * A sentence for the result line after `t`. `token` says what the refused token still allows: a revoked
 * one (its refresh token died with it) or one without a refresh token only leaves a new login.
 */
export function testSentence(
  profile: string,
  test: LastTest,
  token: { revokedAt?: string | undefined; hasRefreshToken?: boolean } = {},
): string {
  const how = [
    test.status ? `HTTP ${test.status}` : '',
    test.durationMs !== undefined ? `${test.durationMs} ms` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const tail = how ? ` (${how})` : '';
  switch (test.result) {
    case 'valid':
      return `${profile}: the token works${tail}.`;
    case 'expired-or-revoked':
      if (token.revokedAt)
        return `${profile}: the token was refused${tail}: it was revoked here, its refresh token with it. Press n to log in again.`;
      return `${profile}: the token was refused${tail}: it expired or was revoked. ${token.hasRefreshToken === false ? 'Press n to log in again.' : 'Press r to refresh it or n to log in again.'}`;
    case 'missing-scope':
      return `${profile}: the token lacks a scope or role for chats${tail}. Log in again (n) with the chat scope.`;
    case 'rate-limited':
      return `${profile}: Zendesk is rate limiting${tail}. Wait a minute and press t again.`;
    case 'server-error':
      return `${profile}: Zendesk answered with an error${tail}. Try again later.`;
    case 'network':
      return `${profile}: Zendesk could not be reached. Check the network or proxy, then press t again.`;
  }
}

export function durationText(ms: number | undefined): string {
  return ms === undefined ? '' : `${Math.round(ms)} ms`;
}
