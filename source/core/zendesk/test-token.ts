import { toZchatError, type ZchatError } from '../errors.js';
import type { LastTest, TestResult } from '../store/types.js';
import type { ChatApi } from './chat-api.js';

/** How a failed test reads: the tutorial's GET /api/v2/chat/chats, classified. */
export function classifyTestError(error: ZchatError): TestResult {
  switch (error.code) {
    case 'unauthorized':
      return 'expired-or-revoked';
    case 'forbidden':
      return 'missing-scope';
    case 'rate_limited':
      return 'rate-limited';
    case 'network':
    case 'timeout':
    case 'cancelled':
      return 'network';
    default:
      // 5xx, HTML pages, 404 from a wrong base URL, unexpected JSON: the server side is at fault.
      return 'server-error';
  }
}

export interface TokenTestOutcome {
  test: LastTest;
  /** Why it failed, as a sentence to show; absent when the token is valid. */
  error?: ZchatError;
}

/** Like testToken, and also hands back the error to show when the token is not valid. */
export async function testTokenDetailed(
  api: ChatApi,
  now: () => Date = () => new Date(),
): Promise<TokenTestOutcome> {
  const started = performance.now();
  try {
    await api.chats();
    return {
      test: {
        at: now().toISOString(),
        ok: true,
        result: 'valid',
        status: 200,
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (thrown) {
    const error = toZchatError(thrown);
    const test: LastTest = {
      at: now().toISOString(),
      ok: false,
      result: classifyTestError(error),
      durationMs: Math.round(performance.now() - started),
    };
    if (error.status !== undefined) test.status = error.status;
    return { test, error };
  }
}

/** GET /api/v2/chat/chats with the token; never throws, the verdict is in `result`. */
export async function testToken(api: ChatApi): Promise<LastTest> {
  return (await testTokenDetailed(api)).test;
}
