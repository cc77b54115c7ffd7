/**
 * Where no OS keyring is usable (no D-Bus session, a bus that never answers, one that is gone), the decision
 * is quick, the secrets go to the file, and `login` and `status` say so; `--insecure-storage` chooses the
 * file on purpose and is remembered. Runs in every mode: each test takes the D-Bus session away itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { probeKeyring } from '../../source/core/store/keyring.js';
import {
  cleanEnv,
  ensureBuilt,
  makeConfidential,
  readStore,
  runCli,
  type SandboxFixture,
  loginArgs as sandboxLoginArgs,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
} from './helpers.js';

describe('deciding that no keyring is usable', () => {
  let silent: net.Server;
  let socket: string;
  beforeAll(async () => {
    // A "bus" that accepts connections and never says a word: the binding would wait on it for 25 s.
    socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-bus-')), 'bus');
    silent = net.createServer((c) => c.on('data', () => undefined));
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  const cases: [string, () => NodeJS.ProcessEnv, RegExp][] = [
    ['no D-Bus session', () => ({}), /^no D-Bus session \(DBUS_SESSION_BUS_ADDRESS is not set\)$/],
    [
      'a bus address whose socket is gone',
      () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}-gone` }),
      /^the D-Bus session bus cannot be reached \(ENOENT\)$/,
    ],
    [
      'a bus that never answers',
      () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket},guid=0123` }),
      /^the D-Bus session bus did not answer within \d+ ms$/,
    ],
  ];
  test.each(cases)('%s: under 100 ms, with the reason', async (_name, env, reason) => {
    const started = performance.now();
    const check = await probeKeyring({ env: env(), platform: 'linux' });
    const took = performance.now() - started;
    expect(check).toEqual({ usable: false, reason: expect.stringMatching(reason) });
    expect(took).toBeLessThan(100);
  });
});

describe('login and status without a keyring', () => {
  let fx: SandboxFixture;
  let tmp: TempDir;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(async () => {
    fx = await sandboxWithRedirect();
    await makeConfidential(fx.sandbox, fx.sandbox.demo.clientNumericId);
    tmp = await tempDir();
    env = cleanEnv(tmp.dir, {
      ZENDESK_CHAT_CLIENT_SECRET: fx.sandbox.demo.clientSecret,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      XDG_RUNTIME_DIR: undefined,
      ZCHAT_AUTH_INSECURE_STORAGE: undefined,
    });
  });
  afterEach(async () => {
    await fx.close();
    await tmp.remove();
  });
  const login = (...extra: string[]) =>
    runCli(sandboxLoginArgs(fx, '--flow', 'client-credentials', '--scope', 'read', ...extra), env);

  // Linux: elsewhere (macOS, Windows) the keyring needs no D-Bus and is always there.
  test('the file is used, and login says so the first time; status says where, with the reason', async () => {
    const first = await login();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `! No OS keyring is usable here (no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)): the secrets are stored in ${path.join(tmp.dir, 'config.json')}, readable only by you.`,
    );
    expect(first.stderr).toContain('zchat-auth migrate-secrets --to keyring');
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(fs.readFileSync(path.join(tmp.dir, 'config.json'), 'utf8')).toContain(stored.token!.accessToken);

    const again = await login();
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('No OS keyring');

    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(/^ {2}secrets +config file \(no keyring: no D-Bus session/m);
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout);
    expect(json.profiles[0]).toMatchObject({
      secretsIn: 'file',
      keyringUnusable: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)',
      insecureStorage: false,
    });
    const doctor = await runCli(['doctor', '--json'], env);
    expect(JSON.parse(doctor.stdout).checks).toContainEqual(
      expect.objectContaining({ name: 'keyring', verdict: 'warn' }),
    );
  });

  test('--insecure-storage: the file on purpose, nothing to warn about, and remembered by the profile', async () => {
    const first = await login('--insecure-storage');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('No OS keyring');
    const again = await login();
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('No OS keyring');
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout);
    expect(json.profiles[0]).toMatchObject({
      secretsIn: 'file',
      keyringUnusable: null,
      insecureStorage: true,
    });
    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(/^ {2}secrets +config file \(--insecure-storage\)$/m);
  });

  test('migrate-secrets --to keyring without a keyring: refused, nothing moved', async () => {
    expect((await login('--insecure-storage')).code).toBe(0);
    const before = fs.readFileSync(path.join(tmp.dir, 'config.json'));
    const moved = await runCli(['migrate-secrets', '--to', 'keyring'], env);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/^zchat-auth: No OS keyring is usable here \(.+\); nothing was moved\./);
    expect(fs.readFileSync(path.join(tmp.dir, 'config.json')).equals(before)).toBe(true);
  });
});
