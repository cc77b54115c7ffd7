/**
 * The first wait before a failed GET is tried again, in the tests that build Services (the CLI waits 1 s,
 * then 2 s): the same retries happen, and a test that counts them still can, without three seconds per
 * unreachable server. The waits themselves are tested in test/core/zendesk/http.test.ts.
 */
export const testRetryDelayMs = 10;
