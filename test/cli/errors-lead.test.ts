/**
 * Errors that lead somewhere, in plain `login` (in process, against the sandbox over loopback): a taken
 * redirect port names the program holding it; what can be checked before the wait is said at once.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { holdPort } from '../support/hold-port.js';
import {
  cleanEnv,
  loginArgs,
  runCli,
  type SandboxFixture,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
} from './helpers.js';

let fx: SandboxFixture;
let tmp: TempDir;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  fx = await sandboxWithRedirect();
  tmp = await tempDir();
  env = cleanEnv(tmp.dir, { ZENDESK_CHAT_CLIENT_SECRET: fx.sandbox.demo.clientSecret });
});
afterEach(async () => {
  await fx.close();
  await tmp.remove();
});

test('a busy redirect port: the one-line error names the process holding it and the paste path', async () => {
  const holder = await holdPort(fx.port);
  try {
    const result = await runCli(loginArgs(fx, '--no-tui'), env);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('zchat-auth:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Port ${fx.port} is already in use by node (pid ${holder.pid})`);
    expect(errors[0]).toContain('--paste');
  } finally {
    holder.kill();
  }
});
