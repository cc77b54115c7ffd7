/**
 * `zchat-auth login`, plain (no TTY), run as the built CLI against the sandbox. The test plays the browser:
 * it reads the authorize URL from stderr, presses Allow or Deny on the sandbox's consent page, and follows
 * the redirect to the CLI's loopback server (or posts the fragment as the capture page would).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { keyringMode } from '../secrets-mode.js';
import {
  authorizeUrlIn,
  cleanEnv,
  consent,
  ensureBuilt,
  type Finished,
  makeConfidential,
  portIsFree,
  postFragment,
  readStore,
  runCli,
  type SandboxFixture,
  loginArgs as sandboxLoginArgs,
  sandboxWithRedirect,
  startCli,
  type TempDir,
  tempDir,
  visit,
} from './helpers.js';

let fx: SandboxFixture;
let tmp: TempDir;
let env: NodeJS.ProcessEnv;

beforeAll(() => ensureBuilt(), 120_000);
beforeEach(async () => {
  fx = await sandboxWithRedirect();
  tmp = await tempDir();
  env = cleanEnv(tmp.dir, { ZENDESK_CHAT_CLIENT_SECRET: fx.sandbox.demo.clientSecret });
});
afterEach(async () => {
  await fx.close();
  await tmp.remove();
});

function loginArgs(...extra: string[]): string[] {
  return sandboxLoginArgs(fx, ...extra);
}

/** No output carries the client secret; only `token` may print a full access token. */
function expectNoSecrets(
  result: Pick<Finished, 'stdout' | 'stderr'>,
  ...secrets: (string | undefined)[]
): void {
  for (const secret of [fx.sandbox.demo.clientSecret, fx.sandbox.demo.password, ...secrets]) {
    if (!secret) continue;
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('login: authorization code flow', () => {
  test('Allow: prints the URL on its own line, stores the token, prints a masked one-line summary, exit 0', async () => {
    const cli = startCli(loginArgs(), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const url = authorizeUrlIn(cli.stderr())!;
    expect(url).toContain('response_type=code');
    expect(url).toContain(`redirect_uri=${encodeURIComponent(fx.redirectUri)}`);
    expect(url).toMatch(/&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$/);
    expect(cli.stderr()).not.toContain('Warning:');
    expect(await visit(await consent(url, 'allow'))).toBe(200);
    const result = await cli.finished;

    expect(result.code).toBe(0);
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(stored.token?.grant).toBe('authorization_code');
    expect(stored.token?.refreshToken).toBeTruthy();
    expect(stored.baseUrl).toBe(fx.sandbox.url);
    expect(fx.sandbox.isTokenValid(stored.token!.accessToken)).toBe(true);
    const summary = result.stdout.trim();
    expect(summary.split('\n')).toHaveLength(1);
    expect(summary).toMatch(
      /^Logged in: profile "demo", grant authorization_code, scopes read write, token \S+…\S{4}/,
    );
    expect(result.stderr).toContain('Not opening a browser: --no-browser.');
    expect(result.stderr).toContain('Stored the token in profile "demo".');
    expectNoSecrets(result, stored.token!.accessToken, stored.token!.refreshToken);
  });

  test('a request with the wrong state is ignored and the login keeps waiting for the right one', async () => {
    const cli = startCli(loginArgs(), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    expect(await visit(`${fx.redirectUri}/?code=forged&state=wrong`)).toBe(400);
    await cli.waitFor(/Ignored a request: GET .*wrong state.*still waiting/);
    expect(await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'))).toBe(200);
    const result = await cli.finished;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('forged');
    expect(readStore(tmp.dir).profiles.demo?.token?.grant).toBe('authorization_code');
  });

  test('Deny: exit 1, says "denied", stores nothing', async () => {
    const cli = startCli(loginArgs(), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(cli.stderr())!, 'deny'));
    const result = await cli.finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^zchat-auth: .*Deny.*$/m);
    expect(result.stderr.toLowerCase()).toContain('denied');
    expect(result.stdout).toBe('');
    expect(readStore(tmp.dir).profiles).toEqual({});
  });

  test('busy port: fails within seconds, naming the port, exit 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(fx.port, '127.0.0.1', resolve));
    try {
      const result = await runCli(loginArgs(), env);
      expect(result.code).toBe(1);
      expect(result.ms).toBeLessThan(5000);
      expect(result.stderr).toMatch(new RegExp(`^zchat-auth: Port ${fx.port} is already in use`, 'm'));
      expect(readStore(tmp.dir).profiles).toEqual({});
    } finally {
      blocker.close();
    }
  });

  test('Ctrl+C while waiting: exit 130, the port is free again, nothing is stored', async () => {
    const cli = startCli(loginArgs(), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    expect(await portIsFree(fx.port)).toBe(false);
    cli.interrupt();
    const result = await cli.finished;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelled');
    expect(await portIsFree(fx.port)).toBe(true);
    expect(readStore(tmp.dir).profiles).toEqual({});
  });

  test('--timeout: gives up after the given seconds, exit 1, port freed', async () => {
    const result = await runCli(loginArgs('--timeout', '1'), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^zchat-auth: No answer came from the browser within 1 seconds\./m);
    expect(result.ms).toBeLessThan(5000);
    expect(await portIsFree(fx.port)).toBe(true);
  });

  test('--json prints the summary as JSON, token masked', async () => {
    const cli = startCli(loginArgs('--json'), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
    const result = await cli.finished;
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual([
      'profile',
      'subdomain',
      'baseUrl',
      'clientId',
      'flow',
      'grant',
      'scope',
      'tokenType',
      'token',
      'hasRefreshToken',
      'obtainedAt',
      'expiresAt',
      'secretsIn',
    ]);
    expect(summary).toMatchObject({
      secretsIn: keyringMode ? 'keyring' : 'file',
      profile: 'demo',
      flow: 'code',
      grant: 'authorization_code',
      hasRefreshToken: true,
    });
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(summary.token).not.toBe(stored.token!.accessToken);
    expect(stored.token!.accessToken.endsWith(summary.token.slice(-4))).toBe(true);
    expectNoSecrets(result, stored.token!.accessToken, stored.token!.refreshToken);
  });

  test('--client-secret-stdin reads the secret from the first line of stdin', async () => {
    const { ZENDESK_CHAT_CLIENT_SECRET: _dropped, ...noSecretEnv } = env;
    const cli = startCli(loginArgs('--client-secret-stdin', '--profile', 'piped'), noSecretEnv);
    cli.end(`${fx.sandbox.demo.clientSecret}\n`);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
    const result = await cli.finished;
    expect(result.code).toBe(0);
    expect(readStore(tmp.dir).profiles.piped?.clientSecret).toBe(fx.sandbox.demo.clientSecret);
    expectNoSecrets(result);
  });

  test('a second login of a stored profile reuses its settings (and its stored secret)', async () => {
    const first = startCli(loginArgs(), env);
    await first.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(first.stderr())!, 'allow'));
    expect((await first.finished).code).toBe(0);
    const before = readStore(tmp.dir).profiles.demo!.token!.accessToken;

    const bare = { ...env };
    delete bare.ZENDESK_CHAT_CLIENT_SECRET;
    const again = startCli(['login', '--profile', 'demo', '--no-browser'], bare);
    await again.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(again.stderr())!, 'allow'));
    expect((await again.finished).code).toBe(0);
    expect(readStore(tmp.dir).profiles.demo!.token!.accessToken).not.toBe(before);
  });
});

describe('login: implicit flow', () => {
  test('the capture page posts the fragment: token stored, grant implicit, no refresh token', async () => {
    const noSecret = { ...env };
    delete noSecret.ZENDESK_CHAT_CLIENT_SECRET;
    const cli = startCli(loginArgs('--flow', 'implicit'), noSecret);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const url = authorizeUrlIn(cli.stderr())!;
    expect(url).toContain('response_type=token');
    expect(cli.stderr()).toContain(
      "Warning: The implicit flow leaves the access token in the browser's history (it is in the redirected address): prefer the code flow.",
    );
    const redirected = await consent(url, 'allow');
    expect(redirected).toContain('#access_token=');
    // The browser never sends the fragment; the loopback page would load, then post it back.
    expect(await visit(redirected.split('#')[0]!)).toBe(200);
    expect(await postFragment(redirected)).toBe(200);
    const result = await cli.finished;
    expect(result.code).toBe(0);
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(stored.token?.grant).toBe('implicit');
    expect(stored.token?.refreshToken).toBeUndefined();
    expect(result.stdout).toMatch(/^Logged in: profile "demo", grant implicit, scopes read write, token /);
    expectNoSecrets(result, stored.token!.accessToken);
  });
});

describe('login --paste', () => {
  test('reads the full redirected URL from stdin (a wrong one first is refused, the login keeps waiting)', async () => {
    const cli = startCli(loginArgs('--paste'), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    expect(cli.stderr()).toContain('paste here the full address');
    expect(cli.stderr()).not.toContain('Listening');
    const redirected = await consent(authorizeUrlIn(cli.stderr())!, 'allow');
    expect(redirected).toMatch(/\?code=/);
    cli.write(`${fx.redirectUri}/?code=other&state=not-this-one\n`);
    await cli.waitFor(/^zchat-auth: That address belongs to another login/m);
    cli.end(`${redirected}\n`);
    const result = await cli.finished;
    expect(result.code).toBe(0);
    expect(readStore(tmp.dir).profiles.demo?.token?.grant).toBe('authorization_code');
    // Nothing listened: the redirect port was never opened.
    expect(await portIsFree(fx.port)).toBe(true);
    const code = new URL(redirected).searchParams.get('code')!;
    expect(result.stderr).not.toContain(code);
    expectNoSecrets(result, readStore(tmp.dir).profiles.demo!.token!.accessToken);
  });

  test('stdin closing before an answer: exit 1, nothing stored', async () => {
    const result = await runCli(loginArgs('--paste'), env, '');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stdin ended before a redirected address was pasted');
    expect(readStore(tmp.dir).profiles).toEqual({});
  });
});

describe('login: a redirect without the state (a server that does not echo it)', () => {
  beforeEach(async () => {
    await fx.close();
    fx = await sandboxWithRedirect({ echoState: false });
    env.ZENDESK_CHAT_CLIENT_SECRET = fx.sandbox.demo.clientSecret;
  });

  test('plain: exit 1 with one sentence naming --accept-missing-state; nothing stored', async () => {
    const cli = startCli(loginArgs(), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const redirected = await consent(authorizeUrlIn(cli.stderr())!, 'allow');
    expect(new URL(redirected).searchParams.has('state')).toBe(false);
    expect(await visit(redirected)).toBe(400);
    const result = await cli.finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^zchat-auth: Zendesk returned the code without the state it was sent, so it was not used: if you just pressed Allow for this login, run it again with --accept-missing-state \(it accepts one such redirect\)\.$/m,
    );
    expect(readStore(tmp.dir).profiles).toEqual({});
    expect(fx.sandbox.stats.tokenRequests.authorization_code).toBeUndefined();
  });

  test('--accept-missing-state takes the one state-less redirect', async () => {
    const cli = startCli(loginArgs('--accept-missing-state'), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    expect(await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'))).toBe(200);
    const result = await cli.finished;
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(readStore(tmp.dir).profiles.demo?.token?.grant).toBe('authorization_code');
  });
});

describe('login --paste: what a paste must carry', () => {
  test('a bare code is refused under --paste and taken under --paste-code', async () => {
    const cli = startCli(loginArgs('--paste'), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const code = new URL(await consent(authorizeUrlIn(cli.stderr())!, 'allow')).searchParams.get('code')!;
    cli.end(`${code}\n`);
    const refused = await cli.finished;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('That is a bare code, which carries no state to check');
    expect(readStore(tmp.dir).profiles).toEqual({});

    const second = startCli(loginArgs('--paste-code'), env);
    await second.waitFor(/authorizations\/new\?\S+\n/);
    const fresh = new URL(await consent(authorizeUrlIn(second.stderr())!, 'allow')).searchParams.get('code')!;
    second.end(`${fresh}\n`);
    const taken = await second.finished;
    expect(taken.code).toBe(0);
    expect(readStore(tmp.dir).profiles.demo?.token?.grant).toBe('authorization_code');
  });

  test('implicit: a pasted address with the token in the query string is read', async () => {
    const noSecret = { ...env };
    delete noSecret.ZENDESK_CHAT_CLIENT_SECRET;
    const cli = startCli(loginArgs('--flow', 'implicit', '--paste'), noSecret);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    const redirected = new URL(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
    // As a server that puts the implicit token in the query would send it.
    const inQuery = `${redirected.origin}${redirected.pathname}?${redirected.hash.slice(1)}`;
    cli.end(`${inQuery}\n`);
    const result = await cli.finished;
    expect(result.code).toBe(0);
    expect(readStore(tmp.dir).profiles.demo?.token?.grant).toBe('implicit');
  });
});

describe('login: client credentials and password', () => {
  test('on a public client: says it must be confidential and shows the exact command to switch it', async () => {
    // A stored admin token lets the CLI look the client up and name its ID.
    const cli = startCli(loginArgs('--profile', 'admin'), env);
    await cli.waitFor(/authorizations\/new\?\S+\n/);
    await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
    expect((await cli.finished).code).toBe(0);

    const result = await runCli(loginArgs('--flow', 'client-credentials', '--profile', 'cc'), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^zchat-auth: The client-credentials flow needs a confidential client/m);
    expect(result.stderr).toContain(`zchat-auth clients confidential ${fx.sandbox.demo.clientNumericId}`);
    expect(readStore(tmp.dir).profiles.cc).toBeUndefined();
    expectNoSecrets(result);
  });

  test('on a public client with no token to look it up: still points to `clients confidential`', async () => {
    const result = await runCli(loginArgs('--flow', 'client-credentials'), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('zchat-auth clients confidential ID');
    expectNoSecrets(result);
  });

  test('on a confidential client: token stored, exit 0', async () => {
    await makeConfidential(fx.sandbox, fx.sandbox.demo.clientNumericId);
    const result = await runCli(loginArgs('--flow', 'client-credentials', '--scope', 'read'), env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/grant client_credentials, scopes read, token /);
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(stored.token?.grant).toBe('client_credentials');
    expectNoSecrets(result, stored.token!.accessToken);
  });

  test('password flow off a Chat-only account (the default): exit 1, one sentence saying where it works', async () => {
    await makeConfidential(fx.sandbox, fx.sandbox.demo.clientNumericId);
    const result = await runCli(loginArgs('--flow', 'password', '--username', fx.sandbox.demo.username), {
      ...env,
      ZENDESK_CHAT_PASSWORD: fx.sandbox.demo.password,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('works only on Chat-only accounts');
    expect(result.stderr).toContain('confidential client');
    expect(result.stderr).not.toMatch(/secret is wrong/);
    expectNoSecrets(result);
  });

  test('password flow: username flag, password from ZENDESK_CHAT_PASSWORD', async () => {
    fx.sandbox.setChatOnlyAccount(true);
    await makeConfidential(fx.sandbox, fx.sandbox.demo.clientNumericId);
    const result = await runCli(loginArgs('--flow', 'password', '--username', fx.sandbox.demo.username), {
      ...env,
      ZENDESK_CHAT_PASSWORD: fx.sandbox.demo.password,
    });
    expect(result.code).toBe(0);
    const stored = readStore(tmp.dir).profiles.demo!;
    expect(stored.token?.grant).toBe('password');
    expect(JSON.stringify(stored)).not.toContain(fx.sandbox.demo.password);
    expectNoSecrets(result, stored.token!.accessToken);
  });
});

describe('login: usage errors (exit 2, nothing prompts without a TTY)', () => {
  const cases: [string, string[], Record<string, string | undefined>, RegExp][] = [
    [
      'secret as a flag',
      ['--client-secret', 'hunter2-secret'],
      {},
      /ZENDESK_CHAT_CLIENT_SECRET.*--client-secret-stdin/,
    ],
    ['secret as a flag with =', ['--client-secret=hunter2-secret'], {}, /never taken as a flag/],
    ['password as a flag', ['--password', 'hunter2-secret'], {}, /ZENDESK_CHAT_PASSWORD/],
    ['malformed subdomain', ['--subdomain', 'not a subdomain!'], {}, /subdomain/],
    [
      'unknown flow',
      ['--flow', 'magic'],
      {},
      /--flow must be one of code, implicit, client-credentials, password/,
    ],
    ['unknown scope', ['--scope', 'read admin'], {}, /--scope takes read, write and chat/],
    ['bad timeout', ['--timeout', 'soon'], {}, /--timeout takes a number of seconds/],
    ['bad base URL', ['--base-url', 'ftp://x'], {}, /base URL/],
    ['unknown option', ['--frobnicate'], {}, /Unknown option --frobnicate\./],
  ];
  test.each(cases)('%s', async (_name, args, extra, message) => {
    const result = await runCli(['login', ...args], cleanEnv(tmp.dir, extra));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^zchat-auth: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('hunter2-secret');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a profile name or a store that cannot keep the token is refused before any port, URL or code', async () => {
    const port = Number(new URL(fx.redirectUri).port);
    const refused = async (args: string[], extra: NodeJS.ProcessEnv, message: RegExp, code: number) => {
      const result = await runCli(loginArgs(...args), { ...env, ...extra });
      expect(result.code, message.source).toBe(code);
      expect(result.stderr.trim().split('\n'), message.source).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/Listening|Open this URL|oauth2/);
      expect(await portIsFree(port)).toBe(true);
    };
    await refused(['--profile', '__proto__'], {}, /"__proto__" cannot be used/, 2);
    await refused(['--profile', 'two\nlines'], {}, /control characters/, 2);

    const notADir = path.join(tmp.dir, 'a-file');
    fs.writeFileSync(notADir, 'x');
    await refused([], { ZCHAT_AUTH_CONFIG_DIR: notADir }, /a-file cannot be written \(EEXIST\)/, 1);

    const newer = path.join(tmp.dir, 'newer');
    fs.mkdirSync(newer);
    fs.writeFileSync(path.join(newer, 'config.json'), JSON.stringify({ schemaVersion: 7, profiles: {} }));
    await refused([], { ZCHAT_AUTH_CONFIG_DIR: newer }, /written by a newer zchat-auth/, 1);
    expect(fs.readFileSync(path.join(newer, 'config.json'), 'utf8')).toContain('"schemaVersion":7');
  });

  test('missing values name the flag or variable', async () => {
    const bare = cleanEnv(tmp.dir);
    const base = ['login', '--base-url', fx.sandbox.url, '--no-browser'];
    const noSub = await runCli(base, bare);
    expect([noSub.code, noSub.stderr]).toEqual([2, expect.stringContaining('--subdomain')]);
    const noClient = await runCli([...base, '--subdomain', 'demo'], bare);
    expect([noClient.code, noClient.stderr]).toEqual([2, expect.stringContaining('--client-id')]);
    const withClient = [...base, '--subdomain', 'demo', '--client-id', fx.sandbox.demo.clientId];
    const noSecret = await runCli(withClient, bare);
    expect([noSecret.code, noSecret.stderr]).toEqual([
      2,
      expect.stringContaining('ZENDESK_CHAT_CLIENT_SECRET'),
    ]);
    expect(noSecret.stderr).toContain('--client-secret-stdin');
    const withSecret = cleanEnv(tmp.dir, { ZENDESK_CHAT_CLIENT_SECRET: 'x' });
    const noUser = await runCli([...withClient, '--flow', 'password'], withSecret);
    expect([noUser.code, noUser.stderr]).toEqual([2, expect.stringContaining('--username')]);
    const noPassword = await runCli([...withClient, '--flow', 'password', '--username', 'u'], withSecret);
    expect([noPassword.code, noPassword.stderr]).toEqual([
      2,
      expect.stringContaining('ZENDESK_CHAT_PASSWORD'),
    ]);
    expect(readStore(tmp.dir).profiles).toEqual({});
  });
});

describe('login: when to open a browser', () => {
  /** A fake $BROWSER: records each call, then does what a person would (Allow). */
  function fakeBrowser(dir: string): { command: string; log: string } {
    const log = path.join(dir, 'browser-calls.log');
    const command = path.join(dir, 'fake-browser.mjs');
    fs.writeFileSync(
      command,
      `#!/usr/bin/env node
import fs from 'node:fs';
const url = process.argv[2];
fs.appendFileSync(${JSON.stringify(log)}, url + '\\n');
const page = await (await fetch(url)).text();
const id = /name="consent_id" value="([^"]+)"/.exec(page)[1];
const action = /<form method="post" action="([^"]+)"/.exec(page)[1];
const answer = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ consent_id: id, decision: 'allow' }).toString() });
await fetch(answer.headers.get('location'));
`,
      { mode: 0o755 },
    );
    return { command, log };
  }

  function withoutNoBrowser(args: string[]): string[] {
    return args.filter((a) => a !== '--no-browser');
  }

  test('$BROWSER is launched when allowed, and the login completes through it', async () => {
    const browser = fakeBrowser(tmp.dir);
    const result = await runCli(withoutNoBrowser(loginArgs()), { ...env, BROWSER: browser.command });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Opened it in your browser.');
    const calls = fs.readFileSync(browser.log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBe(authorizeUrlIn(result.stderr));
  });

  test('over SSH: no browser even with $BROWSER set; says why, prints the port-forward line and --paste', async () => {
    const browser = fakeBrowser(tmp.dir);
    const sshEnv = {
      ...env,
      BROWSER: browser.command,
      SSH_CONNECTION: '192.0.2.7 52814 198.51.100.4 2222',
      SSH_TTY: '/dev/pts/3',
      USER: 'ada',
    };
    const cli = startCli(withoutNoBrowser(loginArgs()), sshEnv);
    await cli.waitFor(/--paste/);
    expect(cli.stderr()).toMatch(/^Not opening a browser: .*SSH.*\.$/m);
    expect(cli.stderr()).toContain(`ssh -L ${fx.port}:localhost:${fx.port} -p 2222 ada@198.51.100.4`);
    expect(cli.stderr()).toContain('zchat-auth login --paste');
    // The person forwards the port and presses Allow in their own browser.
    await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
    expect((await cli.finished).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.existsSync(browser.log)).toBe(false);
  });

  test('no display and no $BROWSER: no browser, says why', async () => {
    const cli = startCli(withoutNoBrowser(loginArgs()), env);
    await cli.waitFor(/^Not opening a browser: no display\.$/m);
    cli.interrupt();
    expect((await cli.finished).code).toBe(130);
  });
});
