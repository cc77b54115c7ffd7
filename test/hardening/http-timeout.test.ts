/**
 * ZCHAT_AUTH_HTTP_TIMEOUT: values that are not a number of seconds are refused in one sentence (exit 2)
 * before any request, the store untouched; a good value is the timeout every command's requests run with,
 * got's (refresh, test) and node:http's (`api`), cut over loopback against the sandbox's slow fault.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ZchatError } from '../../source/core/errors.js';
import { httpTimeoutMs } from '../../source/core/zendesk/http-timeout.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  expectNoStack,
  expectSentence,
  type Home,
  makeHome,
  quietSandbox,
  readStoreText,
  runCli,
  seedProfile,
} from './helpers.js';

const hostile = [
  'abc',
  '0',
  '0.0',
  '00',
  '-1',
  '-0.5',
  '1e3',
  '0x10',
  'Infinity',
  'NaN',
  '15s',
  '15 s',
  '1,5',
  '.5',
  '5.',
  '3601',
  '99999999999999999999',
  '0.0001',
  '1\n2',
  '\u0661\u0665',
  '\u001b[31m9',
];

describe('the value', () => {
  test.each(hostile)('%j is refused in one sentence that does not repeat it', (value) => {
    let thrown: unknown;
    try {
      httpTimeoutMs({ ZCHAT_AUTH_HTTP_TIMEOUT: value }, 15_000);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ZchatError);
    const error = thrown as ZchatError;
    expect(error.code).toBe('usage');
    expect(error.sentence).toBe(
      'ZCHAT_AUTH_HTTP_TIMEOUT must be a number of seconds above 0 and at most 3600, such as 30. Set it so, or unset it for the default (15 seconds).',
    );
  });

  test.each([
    [undefined, 15_000],
    ['', 15_000],
    ['  ', 15_000],
    ['30', 30_000],
    [' 2 ', 2_000],
    ['0.5', 500],
    ['1.25', 1_250],
    ['3600', 3_600_000],
  ])('%j: %i ms', (value, ms) => {
    expect(httpTimeoutMs(value === undefined ? {} : { ZCHAT_AUTH_HTTP_TIMEOUT: value }, 15_000)).toBe(ms);
  });
});

describe('the commands', () => {
  let sandbox: Sandbox;
  const homes: Home[] = [];
  beforeAll(async () => {
    sandbox = await quietSandbox();
  });
  afterAll(async () => sandbox.close());
  afterEach(async () => {
    sandbox.clearFaults();
    for (const h of homes.splice(0)) await h.remove();
  });

  async function seeded(timeout: string): Promise<Home> {
    const home = await makeHome({ ZCHAT_AUTH_HTTP_TIMEOUT: timeout });
    homes.push(home);
    await seedProfile(home.store, sandbox);
    return home;
  }

  test.each([['refresh'], ['test'], ['api', 'chats'], ['clients']])(
    'zchat-auth %s with a bad value: exit 2, one line, no request, the store as it was',
    async (...args) => {
      const home = await seeded('soon');
      const before = readStoreText(home);
      const seen = sandbox.stats.requests.length;
      const done = await runCli(args, home.env);
      expect(done.code, done.stderr).toBe(2);
      expect(done.stdout).toBe('');
      expect(done.stderr).toBe(
        'zchat-auth: ZCHAT_AUTH_HTTP_TIMEOUT must be a number of seconds above 0 and at most 3600, such as 30. Set it so, or unset it for the default (' +
          `${args[0] === 'api' ? 30 : 15} seconds).\n`,
      );
      expect(sandbox.stats.requests.length).toBe(seen);
      expect(readStoreText(home)).toBe(before);
    },
  );

  test('the value is read only by what sends a request: token and status still work', async () => {
    const home = await seeded('soon');
    expect((await runCli(['token'], home.env)).code).toBe(0);
    expect((await runCli(['status'], home.env)).code).toBe(0);
  });

  // The sandbox would answer after 40 s: each run ends at the timeout set, with the sentence that names it.
  test.each([
    ['refresh', '/oauth2/chat/token', 'POST'],
    ['test', '/api/v2/chat/chats', 'GET'],
    ['api chats', '/api/v2/chat/chats', 'GET'],
  ])('zchat-auth %s gives up on a silent server after ZCHAT_AUTH_HTTP_TIMEOUT=1', async (command, path) => {
    const home = await seeded('1');
    const token = () => JSON.parse(readStoreText(home)!).profiles.demo.token;
    const before = token();
    sandbox.inject({ kind: 'slow', delayMs: 40_000, path });
    const done = await runCli(command.split(' '), home.env);
    expect(done.code, done.stderr).toBe(1);
    expect(expectSentence(done, command)).toMatch(/did not answer within 1 second\b/);
    expectNoStack(done.stdout, command);
    // A GET is tried three times (two retries), each cut at 1 s; far below the 40 s the answer would take
    // and the 15 s (30 s for api) of the default.
    expect(done.ms).toBeGreaterThan(950);
    expect(done.ms).toBeLessThan(12_000);
    expect(token()).toEqual(before);
  });
});
