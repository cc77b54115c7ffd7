/** Help, version, usage errors, the dashboard without a terminal, `doctor` and `sandbox`, as the built CLI. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import {
  adminApi,
  cleanEnv,
  ensureBuilt,
  freePort,
  loginWithCode,
  portIsFree,
  readStore,
  runCli,
  type SandboxFixture,
  sandboxWithRedirect,
  startBuilt,
  startCli,
  type TempDir,
  tempDir,
} from './helpers.js';

let tmp: TempDir;
let env: NodeJS.ProcessEnv;

beforeAll(() => ensureBuilt(), 120_000);
beforeEach(async () => {
  tmp = await tempDir();
  env = cleanEnv(tmp.dir);
});
afterEach(async () => {
  await tmp.remove();
});

const commandNames = [
  'login',
  'token',
  'status',
  'test',
  'refresh',
  'clients',
  'tokens',
  'logout',
  'doctor',
  'sandbox',
];

describe('help and version', () => {
  test('--version and -v print the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag], env);
      expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  test('--help lists every command, the environment and the exit codes', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const name of commandNames) expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    for (const variable of [
      'ZCHAT_AUTH_CONFIG_DIR',
      'ZCHAT_AUTH_BASE_URL',
      'ZENDESK_CHAT_CLIENT_SECRET',
      'ZENDESK_CHAT_PASSWORD',
    ]) {
      expect(result.stdout).toContain(variable);
    }
    expect(result.stdout).toContain('0 success, 1 failure, 2 usage error, 130 interrupted');
    expect((await runCli(['help'], env)).stdout).toBe(result.stdout);
  });

  test.each(commandNames)('%s --help: usage and an example, exit 0, nothing touched', async (name) => {
    const result = await runCli([name, '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: zchat-auth ${name}\\b`));
    expect(result.stdout).toMatch(/^Examples?$/m);
    if (name !== 'sandbox') expect(result.stdout).toContain('--profile');
    expect((await runCli(['help', name], env)).stdout).toBe(result.stdout);
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });

  test('-h works like --help; --profile before the command is understood', async () => {
    expect((await runCli(['token', '-h'], env)).stdout).toMatch(/^Usage: zchat-auth token/);
    const result = await runCli(['--profile', 'nope', 'token'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope');
  });
});

describe('usage errors: exit 2, one line', () => {
  test.each([
    [['frobnicate'], /^zchat-auth: Unknown command "frobnicate"\. Run `zchat-auth --help` for the list\.\n$/],
    [['status', '--frob'], /^zchat-auth: Unknown option --frob\./],
    [['status', 'extra'], /^zchat-auth: Unexpected argument "extra"\./],
    [['token', '--profile'], /^zchat-auth: --profile needs a value\.\n$/],
    [['status', '--json=yes'], /^zchat-auth: --json takes no value\.\n$/],
    [['sandbox', '--port', 'high'], /^zchat-auth: --port must be a whole number/],
    [['sandbox', '--port', '70000'], /^zchat-auth: --port must be between 0 and 65535\.\n$/],
    [
      ['sandbox', '--refresh-tokens', 'sometimes'],
      /^zchat-auth: --refresh-tokens takes one of rotate, single-use, reusable\.\n$/,
    ],
    [['sandbox', '--state', 'maybe'], /^zchat-auth: --state takes one of echoed, omitted\.\n$/],
    [['test', '--password=swordfish'], /ZENDESK_CHAT_PASSWORD/],
  ])('%j', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('swordfish');
  });
});

describe('the dashboard without a terminal', () => {
  test.each([[[]], [['--sandbox']]])(
    'zchat-auth %j: a hint to the scripting commands, exit 2',
    async (args) => {
      const result = await runCli(args, env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^zchat-auth: The dashboard needs a terminal.*zchat-auth token.*zchat-auth --help\.\n$/,
      );
      expect(fs.readdirSync(tmp.dir)).toEqual([]);
    },
  );
});

describe('doctor', () => {
  let fx: SandboxFixture;
  beforeEach(async () => {
    fx = await sandboxWithRedirect();
  });
  afterEach(async () => {
    await fx.close();
  });

  test('a healthy setup: every check ok, exit 0', async () => {
    await loginWithCode(fx, env);
    const result = await runCli(['doctor'], env);
    expect(result.stdout).toMatch(/^ok +store +.*is private \(mode 600\)/m);
    expect(result.stdout).toMatch(/^ok +redirect port +Port \d+ .* is free\./m);
    expect(result.stdout).toMatch(/^ok +connection +127\.0\.0\.1:\d+ answers\./m);
    expect(result.stdout).toMatch(/^ok +clock +This clock agrees/m);
    expect(result.stdout).toMatch(
      /^ok +client redirect +Client \d+ \("Tutorial client"\) lists http:\/\/localhost:\d+\./m,
    );
    expect(result.stdout).toMatch(/^ok +client scopes/m);
    expect(result.stdout).toMatch(/^ok +client type +.* is public, which the code flow accepts\./m);
    expect(result.stdout).toMatch(/^ok +proxy +No proxy variables are set\./m);
    expect(result.stdout).toMatch(/^ok +ssh/m);
    // Without a keyring here (no D-Bus session) that one check warns: nothing failed, but that is said.
    const warnings = result.stdout.split('\n').filter((l) => l.startsWith('warn ')).length;
    expect(result.stdout).toContain(
      warnings === 0
        ? '\nNo problems found.\n'
        : `\nNothing failed, but ${warnings} warning${warnings === 1 ? '' : 's'} above may matter: the fix is beside each.\n`,
    );
    expect(result.code).toBe(0);
  });

  test('a warning is never summed up as "No problems found"', async () => {
    await loginWithCode(fx, env);
    const noKeyring = { ...env, DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined };
    const result = await runCli(['doctor'], noKeyring);
    expect(result.stdout).toMatch(/^warn +keyring +No OS keyring is usable/m);
    expect(result.stdout).not.toContain('No problems found');
    expect(result.stdout).toMatch(
      /^Nothing failed, but \d+ warnings? above may matter: the fix is beside each\.$/m,
    );
    expect(result.code).toBe(0);
  });

  test('finds what makes logins fail and says how to fix each; exit 1', async () => {
    await loginWithCode(fx, env);
    // The profile now wants the client-credentials grant, on a public client whose scopes shrank.
    const data = readStore(tmp.dir) as ReturnType<typeof readStore> & Record<string, unknown>;
    data.profiles.demo!.flow = 'client-credentials';
    data.profiles.demo!.scopes = ['read', 'chat'];
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(data), { mode: 0o644 });
    fs.chmodSync(path.join(tmp.dir, 'config.json'), 0o644);
    await adminApi(fx.sandbox, 'PUT', `/oauth/clients/${fx.sandbox.demo.clientNumericId}`, {
      scopes: 'read write',
    });
    const proxyPort = await freePort();
    const result = await runCli(['doctor'], {
      ...env,
      HTTPS_PROXY: `http://user:proxy-pass@127.0.0.1:${proxyPort}`,
      SSH_CONNECTION: '192.0.2.7 52814 198.51.100.4 22',
      USER: 'ada',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL +store +.*readable by others \(mode 644\).*Fix: chmod 600 '/m);
    expect(result.stdout).toMatch(/^FAIL +client scopes +.*does not allow chat.*Fix: /m);
    expect(result.stdout).toMatch(
      new RegExp(
        `^FAIL +client type +.*is public, and the client-credentials flow needs a confidential client\\. Fix: Run \`zchat-auth clients confidential ${fx.sandbox.demo.clientNumericId}\``,
        'm',
      ),
    );
    // The sandbox is plain http, so HTTPS_PROXY does not apply to it.
    expect(result.stdout).toMatch(/^ok +proxy +HTTPS_PROXY set, but requests to 127\.0\.0\.1:\d+ go direct/m);
    expect(result.stdout).toMatch(
      /^warn +ssh +This is an SSH session.*Fix: Connect with `ssh -L 8080:localhost:8080 ada@198\.51\.100\.4`/m,
    );
    expect(result.stdout).toMatch(/^\d+ checks? failed( and \d+ warnings?)?: the fix is beside each\.$/m);
    expect(result.stdout).not.toContain('proxy-pass');
  });

  test('a client made by another agent is missing from your list: a warning saying why, exit 0', async () => {
    await loginWithCode(fx, env);
    // The profile's client is a colleague's: Zendesk lists only the clients this token's agent created.
    const data = readStore(tmp.dir);
    data.profiles.demo!.clientId = fx.sandbox.demo.otherAgentClientId;
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
    const result = await runCli(['doctor'], env);
    expect(result.stdout).toMatch(
      new RegExp(
        `^warn +client +Client ${fx.sandbox.demo.otherAgentClientId} is not among your 2 OAuth clients \\(those this token's agent created\\): it may belong to another agent`,
        'm',
      ),
    );
    expect(result.stdout).not.toMatch(/^FAIL/m);
    expect(result.code).toBe(0);
  });

  test('a proxy that does not accept connections fails the check (its password is never shown)', async () => {
    const deadProxy = await freePort();
    const result = await runCli(['doctor'], {
      ...env,
      HTTPS_PROXY: `http://u:proxy-pass@127.0.0.1:${deadProxy}`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^FAIL +proxy +HTTPS_PROXY points at http://127\\.0\\.0\\.1:${deadProxy}, which does not accept connections\\. Fix: `,
        'm',
      ),
    );
    expect(result.stdout).not.toContain('proxy-pass');
  });

  test('busy redirect port, unregistered redirect URI', async () => {
    await loginWithCode(fx, env);
    const other = await freePort();
    const data = readStore(tmp.dir);
    data.profiles.demo!.redirectUri = `http://localhost:${other}`;
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(other, '127.0.0.1', resolve));
    try {
      const result = await runCli(['doctor', '--json'], env);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        checks: { name: string; verdict: string; detail: string; fix?: string }[];
      };
      expect(report.ok).toBe(false);
      const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      expect(byName['redirect port']).toMatchObject({
        verdict: 'fail',
        // The blocker is this test process: named where Linux tells.
        detail: expect.stringContaining(`Port ${other} (http://localhost:${other}) is already in use by `),
      });
      expect(byName['redirect port']!.detail).toContain(`(pid ${process.pid}), so the login cannot listen`);
      expect(byName['client redirect']).toMatchObject({
        verdict: 'fail',
        detail: expect.stringContaining(`does not list http://localhost:${other}`),
      });
    } finally {
      blocker.close();
    }
  });

  test('no profile yet: the local checks run, the client checks are skipped, exit 0', async () => {
    const result = await runCli(['doctor'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^skip +profile +No profile is stored yet/m);
    expect(result.stdout).toMatch(/^ok +redirect port +Port 8080 /m);
  });
});

describe('sandbox', () => {
  test('runs in the foreground, prints the banner, answers, stops on Ctrl+C (130) and frees the port', async () => {
    const port = await freePort();
    const cli = startBuilt(['sandbox', '--port', String(port)], env);
    await cli.waitFor(/Press Ctrl\+C to stop\./, 'stdout');
    expect(cli.stdout()).toContain(`Zendesk Chat sandbox running at http://127.0.0.1:${port}`);
    expect(cli.stdout()).toMatch(
      /zchat-auth login --base-url http:\/\/127\.0\.0\.1:\d+ --subdomain demo --client-id \S+/,
    );
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/chat/chats`);
    expect(res.status).toBe(401);
    await cli.waitFor(/sandbox: GET \/api\/v2\/chat\/chats 401/, 'stdout');
    cli.child.kill('SIGINT');
    const result = await cli.finished;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Sandbox stopped.');
    expect(await portIsFree(port)).toBe(true);
  });

  test('--help lists every switch; the banner says which answers were chosen, and the emulator gives them', async () => {
    const help = await runCli(['sandbox', '--help'], env);
    for (const flag of [
      '--state echoed|omitted',
      '--refresh-tokens rotate|single-use|reusable',
      '--implicit-in fragment|query',
      '--dates z|no-zone',
      '--redirect-uris list|string',
      '--chat-only-account',
      '--clients N',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const port = await freePort();
    const cli = startCli(
      [
        'sandbox',
        '--port',
        String(port),
        '--state',
        'omitted',
        '--redirect-uris',
        'string',
        '--dates',
        'no-zone',
      ],
      env,
    );
    await cli.waitFor(/Press Ctrl\+C to stop\./, 'stdout');
    expect(cli.stdout()).toContain(
      'switches        --state omitted --refresh-tokens rotate --implicit-in fragment --dates no-zone --redirect-uris string',
    );
    const admin = /admin token\s+(\S+)/.exec(cli.stdout())![1]!;
    const clients = (await (
      await fetch(`http://127.0.0.1:${port}/api/v2/chat/oauth/clients`, {
        headers: { Authorization: `Bearer ${admin}` },
      })
    ).json()) as { redirect_uris: unknown; create_date: string }[];
    expect(typeof clients[0]!.redirect_uris).toBe('string');
    expect(clients[0]!.create_date).not.toMatch(/Z$/);
    cli.interrupt();
    expect((await cli.finished).code).toBe(130);
  });

  test('--clients N: N more clients on the account, listed with the seeded ones; a bad N is refused', async () => {
    const port = await freePort();
    const cli = startCli(['sandbox', '--port', String(port), '--clients', '3'], env);
    await cli.waitFor(/Press Ctrl\+C to stop\./, 'stdout');
    const admin = /admin token\s+(\S+)/.exec(cli.stdout())![1]!;
    const clients = (await (
      await fetch(`http://127.0.0.1:${port}/api/v2/chat/oauth/clients`, {
        headers: { Authorization: `Bearer ${admin}` },
      })
    ).json()) as { name: string; client_type: string }[];
    expect(clients.map((c) => c.name)).toEqual([
      'Tutorial client',
      'Two redirects',
      'Client 0001',
      'Client 0002',
      'Client 0003',
    ]);
    expect(new Set(clients.slice(2).map((c) => c.client_type))).toEqual(new Set(['public']));
    cli.interrupt();
    expect((await cli.finished).code).toBe(130);
    for (const [value, sentence] of [
      ['-1', '--clients must be a whole number, not "-1".'],
      ['ten', '--clients must be a whole number, not "ten".'],
      ['10001', '--clients must be between 0 and 10000.'],
    ] as const) {
      const refused = await runCli(['sandbox', '--clients', value], env);
      expect(refused.code, value).toBe(2);
      expect(refused.stderr).toContain(`zchat-auth: ${sentence}`);
    }
  });

  test('SIGTERM stops it with exit 0', async () => {
    const cli = startBuilt(['sandbox'], env);
    await cli.waitFor(/Press Ctrl\+C to stop\./, 'stdout');
    cli.child.kill('SIGTERM');
    expect((await cli.finished).code).toBe(0);
  });

  test('a busy port: exit 1 naming it', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runCli(['sandbox', '--port', String(port)], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^zchat-auth: Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });
});
