/**
 * Errors that lead somewhere, in plain `login` (in process, against the sandbox over loopback): a taken
 * redirect port names the program holding it; what can be checked before the wait is said at once.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { sampleProfile } from '../core/store/helpers.js';
import { holdPort } from '../support/hold-port.js';
import {
  cleanEnv,
  freePort,
  loginArgs,
  runCli,
  type SandboxFixture,
  sandboxWithRedirect,
  startCli,
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

/** A stored admin token for the fixture's sandbox: what lets a login see the OAuth client. */
async function storeAdmin(): Promise<void> {
  await openStore({ dir: tmp.dir }).save(
    sampleProfile('admin', {
      subdomain: 'demo',
      baseUrl: fx.sandbox.url,
      clientId: fx.sandbox.demo.clientId,
      token: {
        accessToken: fx.sandbox.demo.adminToken,
        tokenType: 'Bearer',
        scope: 'read write',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
      },
    }),
  );
}

test('before the wait: a redirect URI the client does not list is said at once, with what to do', async () => {
  await storeAdmin();
  const other = `http://localhost:${await freePort()}`;
  const args = loginArgs(fx, '--no-tui', '--profile', 'fresh', '--timeout', '30');
  args[args.indexOf('--redirect-uri') + 1] = other;
  const cli = startCli(args, env);
  const [problem] = await cli.waitFor(/^! Client .*$/m);
  expect(problem).toContain(`! Client ${fx.sandbox.demo.clientId} does not list the redirect URI ${other}`);
  expect(problem).toContain('add it to the client in Zendesk Chat > Account > API & SDKs');
  await cli.waitFor(new RegExp(`^Checked: ${new URL(fx.sandbox.url).host} answers\\.$`, 'm'));
  cli.interrupt();
  expect((await cli.finished).code).toBe(130);
});

test('before the wait: a listed redirect URI is said to be checked', async () => {
  await storeAdmin();
  const cli = startCli(loginArgs(fx, '--no-tui', '--profile', 'fresh'), env);
  await cli.waitFor(new RegExp(`^Checked: Client \\S+ lists ${fx.redirectUri}\\.$`, 'm'));
  cli.interrupt();
  await cli.finished;
});

test('before the wait: a server that does not answer is said at once; nothing about the client without a token', async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const args = loginArgs(fx, '--no-tui');
  args[args.indexOf('--base-url') + 1] = dead;
  const cli = startCli(args, env);
  const [problem] = await cli.waitFor(/^! .* did not answer.*$/m);
  expect(problem).toContain(`! ${new URL(dead).host} did not answer`);
  expect(problem).toContain('check the network, the subdomain or base URL');
  cli.interrupt();
  const result = await cli.finished;
  expect(result.stderr).not.toMatch(/Client \S+ (lists|does not list)/);
});
