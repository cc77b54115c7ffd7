/**
 * `zchat-auth doctor`: checks what makes logins fail and says how to fix each. Exit 1 if any check fails;
 * warnings (things that may be fine) do not fail it.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { isZchatError, toZchatError } from '../core/errors.js';
import { DEFAULT_REDIRECT_URI } from '../core/login/defaults.js';
import { builtin } from '../core/platform/builtin.js';
import { dirProblem, fileProblem } from '../core/store/ownership.js';
import type { Profile, TokenStore } from '../core/store/types.js';
import { hostOf, resolveBaseUrl } from '../core/zendesk/endpoints.js';
import type { OAuthClient } from '../core/zendesk/types.js';
import { flag } from './args.js';
import { type Command, type CommandIO, line, printJson } from './command.js';
import { isPortFree } from './ports.js';
import { table, withProfile } from './shared.js';

export interface DoctorOptions {
  profile?: string;
  json: boolean;
}

export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  verdict: Verdict;
  detail: string;
  fix?: string;
}

const help = `Usage: zchat-auth doctor [--profile P] [--json]

Checks what makes logins fail, and says how to fix each: the store's permissions, the redirect port,
whether Zendesk (or the base URL) answers, the clock, whether the profile's OAuth client really lists the
redirect URI and the scopes and has the type the flow needs (read through the API when a token is stored),
proxy variables, and an SSH session without a port-forward. Exit 1 if any check fails.

Options
  --profile P   the profile to check (default: the default profile, else the only one)
  --json        {"ok": true|false, "checks": [{"name", "verdict", "detail", "fix"}]}; verdict is ok,
                warn, fail or skip

Example
  zchat-auth doctor --profile acme
`;

const CLOCK_WARN_S = 60;
const CLOCK_FAIL_S = 300;

export const command: Command<DoctorOptions> = {
  help,
  options: { json: { type: 'boolean' } },
  maxPositionals: 0,
  build({ values }) {
    return { ...withProfile(values), json: flag(values, 'json') };
  },
  async run(options, io) {
    const checks = await runChecks(options, io);
    const ok = !checks.some((c) => c.verdict === 'fail');
    if (options.json) {
      printJson(io.stdout, { ok, checks });
    } else {
      const label: Record<Verdict, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };
      const rows = checks.map((c) => [
        label[c.verdict],
        c.name,
        c.fix ? `${c.detail} Fix: ${c.fix}` : c.detail,
      ]);
      line(io.stdout, table(rows));
      line(io.stdout);
      line(io.stdout, summary(checks));
    }
    return ok ? 0 : 1;
  },
};

/** The last line: never "No problems found" under a warning; each kind counted, the next step named. */
export function summary(checks: readonly Pick<Check, 'verdict'>[]): string {
  const count = (v: Verdict) => checks.filter((c) => c.verdict === v).length;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  const failed = count('fail');
  const warned = count('warn');
  if (failed > 0) {
    const also = warned > 0 ? ` and ${n(warned, 'warning')}` : '';
    return `${n(failed, 'check')} failed${also}: the fix is beside each.`;
  }
  if (warned > 0)
    return `Nothing failed, but ${n(warned, 'warning')} above may matter: the fix is beside each.`;
  return 'No problems found.';
}

async function runChecks(options: DoctorOptions, io: CommandIO): Promise<Check[]> {
  const services = io.services();
  const checks: Check[] = [];
  const store = services.store;

  checks.push(storePermissions(store.path));
  checks.push(await keyringCheck(store, io.env));
  let profile: Profile | undefined;
  try {
    const names = store.list().map((p) => p.name);
    if (options.profile !== undefined || names.length > 0) profile = store.resolve(options.profile);
    checks.push(
      profile
        ? {
            name: 'profile',
            verdict: 'ok',
            detail: `Checking profile "${profile.name}" (${profile.flow} flow).`,
          }
        : {
            name: 'profile',
            verdict: 'skip',
            detail: 'No profile is stored yet, so the client checks are skipped.',
            fix: 'Run `zchat-auth login`, then `zchat-auth doctor` again.',
          },
    );
  } catch (error) {
    const e = toZchatError(error);
    checks.push({ name: 'profile', verdict: 'fail', detail: e.message, ...(e.hint ? { fix: e.hint } : {}) });
  }

  const redirectUri = profile?.redirectUri ?? DEFAULT_REDIRECT_URI;
  const browserFlow = !profile || profile.flow === 'code' || profile.flow === 'implicit';
  let port: number | undefined;
  if (browserFlow) {
    const result = await redirectPort(redirectUri);
    port = result.port;
    checks.push(result.check);
  }

  let baseUrl: string | undefined;
  try {
    if (profile) baseUrl = resolveBaseUrl(profile.subdomain, profile.baseUrl);
    else if (io.env.ZCHAT_AUTH_BASE_URL) baseUrl = resolveBaseUrl('x', io.env.ZCHAT_AUTH_BASE_URL);
  } catch (error) {
    const e = toZchatError(error);
    checks.push({ name: 'base URL', verdict: 'fail', detail: e.message, ...(e.hint ? { fix: e.hint } : {}) });
  }

  checks.push(...(await proxyChecks(io.env, baseUrl)));
  if (baseUrl) checks.push(...(await reachAndClock(baseUrl, io.env, services.now())));
  else
    checks.push({
      name: 'clock',
      verdict: 'skip',
      detail: 'No base URL to compare the clock with (no profile).',
    });

  if (profile && baseUrl) checks.push(...(await clientChecks(io, profile, baseUrl)));

  const { sshInfo, portForwardHint } = await import('../core/platform/ssh.js');
  if (sshInfo(io.env).isSsh) {
    const p = port ?? 8080;
    checks.push({
      name: 'ssh',
      verdict: 'warn',
      detail: `This is an SSH session: a browser on your own computer reaches port ${p} here only through a port-forward.`,
      fix: `Connect with \`${portForwardHint(p, io.env)}\`, or log in with \`zchat-auth login --paste\`.`,
    });
  } else {
    checks.push({
      name: 'ssh',
      verdict: 'ok',
      detail: 'Not an SSH session: the browser can reach this machine.',
    });
  }
  return checks;
}

function storePermissions(file: string): Check {
  const name = 'store';
  if (process.platform === 'win32') {
    return { name, verdict: 'skip', detail: `Permissions are not checked on Windows (${file}).` };
  }
  const dir = path.dirname(file);
  // Whose the place is comes first: advice to chmod something of another user's would be wrong.
  const problem = dirProblem(dir) ?? fileProblem(file);
  if (problem) return { name, verdict: 'fail', detail: problem.reason, fix: problem.fix };
  let dirMode: number;
  try {
    dirMode = fs.statSync(dir).mode & 0o777;
  } catch {
    return { name, verdict: 'ok', detail: `No store yet; it will be created private at ${file}.` };
  }
  if (dirMode & 0o077) {
    return {
      name,
      verdict: 'fail',
      detail: `The store's directory ${dir} is open to others (mode ${dirMode.toString(8)}).`,
      fix: `chmod 700 '${dir}'`,
    };
  }
  let fileMode: number;
  try {
    fileMode = fs.statSync(file).mode & 0o777;
  } catch {
    return { name, verdict: 'ok', detail: `No store file yet in ${dir} (private directory).` };
  }
  if (fileMode & 0o077) {
    return {
      name,
      verdict: 'fail',
      detail: `The store ${file} is readable by others (mode ${fileMode.toString(8)}), and it holds tokens.`,
      fix: `chmod 600 '${file}'`,
    };
  }
  return { name, verdict: 'ok', detail: `${file} is private (mode ${fileMode.toString(8)}).` };
}

async function redirectPort(redirectUri: string): Promise<{ check: Check; port?: number }> {
  const name = 'redirect port';
  const { loopbackTarget } = await import('../core/oauth/loopback-server.js');
  let port: number;
  try {
    port = loopbackTarget(redirectUri).port;
  } catch {
    return {
      check: {
        name,
        verdict: 'warn',
        detail: `The redirect URI ${redirectUri} is not on this computer, so zchat-auth cannot listen for it.`,
        fix: 'Log in with `--paste`, or register an http://localhost:PORT redirect URI on the client.',
      },
    };
  }
  if (await isPortFree(port)) {
    return { port, check: { name, verdict: 'ok', detail: `Port ${port} (${redirectUri}) is free.` } };
  }
  const { portHolder } = await import('../core/platform/port-holder.js');
  const holder = await portHolder(port);
  const who = holder ? `${holder.name} (pid ${holder.pid})` : 'another program';
  return {
    port,
    check: {
      name,
      verdict: 'fail',
      detail: `Port ${port} (${redirectUri}) is already in use by ${who}, so the login cannot listen on it.`,
      fix: `Stop ${holder ? `${holder.name}` : `that program (\`lsof -i :${port}\` shows it)`}, log in with --paste, or register another http://localhost:PORT redirect URI on the client and log in with --redirect-uri.`,
    },
  };
}

async function proxyChecks(env: NodeJS.ProcessEnv, baseUrl: string | undefined): Promise<Check[]> {
  const name = 'proxy';
  const variables = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].filter((v) => env[v]?.trim());
  if (variables.length === 0) return [{ name, verdict: 'ok', detail: 'No proxy variables are set.' }];
  const { proxyForUrl } = await import('../core/zendesk/proxy.js');
  const target = baseUrl ?? 'https://example.zendesk.com';
  let choice: { url: string; variable: string } | undefined;
  try {
    choice = proxyForUrl(target, env);
  } catch (error) {
    const e = toZchatError(error);
    return [{ name, verdict: 'fail', detail: e.message, ...(e.hint ? { fix: e.hint } : {}) }];
  }
  if (!choice) {
    return [
      {
        name,
        verdict: 'ok',
        detail: `${variables.join(', ')} set, but requests to ${hostOf(target)} go direct (loopback or NO_PROXY).`,
      },
    ];
  }
  const proxy = new URL(choice.url);
  const shown = `${proxy.protocol}//${proxy.host}`; // never the proxy's user name or password
  const reachable = await canConnect(proxy.hostname.replace(/^\[|\]$/g, ''), Number(proxy.port || 80));
  return [
    reachable
      ? {
          name,
          verdict: 'ok',
          detail: `Requests to ${hostOf(target)} go through ${shown} (${choice.variable}).`,
        }
      : {
          name,
          verdict: 'fail',
          detail: `${choice.variable} points at ${shown}, which does not accept connections.`,
          fix: `Fix or unset ${choice.variable}, or add ${hostOf(target)} to NO_PROXY.`,
        },
  ];
}

async function canConnect(host: string, port: number): Promise<boolean> {
  const net = builtin('node:net');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** One HEAD request to the base URL: does it answer, and does its clock agree with ours? */
async function reachAndClock(baseUrl: string, env: NodeJS.ProcessEnv, now: Date): Promise<Check[]> {
  const { agentsFor } = await import('../core/zendesk/got-client.js');
  let date: string | undefined;
  try {
    const { agent } = agentsFor(baseUrl, env);
    // The base URL itself: any answer carries a Date, and it spends none of the API's rate limit.
    date = await headDate(`${baseUrl}/`, agent);
  } catch (error) {
    const reason = isZchatError(error) ? error.message : 'the connection failed';
    return [
      {
        name: 'connection',
        verdict: 'fail',
        detail: `${hostOf(baseUrl)} did not answer (${reason.replace(/\.$/, '')}).`,
        fix: 'Check the network, the subdomain or base URL, and the proxy variables.',
      },
      { name: 'clock', verdict: 'skip', detail: 'Not compared: the server did not answer.' },
    ];
  }
  const checks: Check[] = [{ name: 'connection', verdict: 'ok', detail: `${hostOf(baseUrl)} answers.` }];
  const serverTime = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(serverTime)) {
    checks.push({
      name: 'clock',
      verdict: 'skip',
      detail: 'The server sent no Date header to compare with.',
    });
    return checks;
  }
  // The Date header has a resolution of one second.
  const skew = Math.round((now.getTime() - serverTime) / 1000);
  const off = Math.abs(skew);
  const direction = skew > 0 ? 'ahead of' : 'behind';
  if (off <= CLOCK_WARN_S) {
    checks.push({
      name: 'clock',
      verdict: 'ok',
      detail: `This clock agrees with the server's (within ${Math.max(off, 1)} s).`,
    });
  } else {
    checks.push({
      name: 'clock',
      verdict: off > CLOCK_FAIL_S ? 'fail' : 'warn',
      detail: `This clock is ${off} s ${direction} the server's; codes live only a few minutes and expiry dates will be off.`,
      fix: 'Turn on time synchronisation (e.g. `timedatectl set-ntp true`).',
    });
  }
  return checks;
}

function headDate(url: string, agent: { http: http.Agent; https: https.Agent }): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const request = (secure ? https : http).request(
      url,
      { method: 'HEAD', agent: secure ? agent.https : agent.http, timeout: 5000 },
      (res) => {
        res.resume();
        const date = res.headers.date;
        resolve(typeof date === 'string' ? date : undefined);
      },
    );
    request.once('timeout', () => request.destroy(new Error('timed out')));
    request.once('error', () => reject(new Error('unreachable')));
    request.end();
  });
}

/** What the OAuth client on the server says: redirect URI, scopes and type, read with the stored token. */
async function clientChecks(io: CommandIO, profile: Profile, baseUrl: string): Promise<Check[]> {
  const name = 'client';
  const accessToken = profile.token?.accessToken;
  if (!accessToken) {
    return [
      {
        name,
        verdict: 'skip',
        detail: `No token is stored for "${profile.name}", so client ${profile.clientId} cannot be read from the API.`,
        fix: 'Compare the redirect URI and scopes with Zendesk Chat > Account > API & SDKs.',
      },
    ];
  }
  let clients: OAuthClient[];
  try {
    const api = await io.services().chatApi(baseUrl, accessToken);
    clients = await api.listClients();
  } catch (error) {
    const e = toZchatError(error);
    const detail =
      e.code === 'forbidden'
        ? 'The stored token may not list OAuth clients (that needs an administrator), so the client was not checked.'
        : e.code === 'unauthorized'
          ? 'The stored token was rejected (expired or revoked), so the client was not checked.'
          : `The client list could not be read: ${e.message}`;
    return [{ name, verdict: 'warn', detail, fix: 'Log in as an administrator, then run doctor again.' }];
  }
  const client = clients.find((c) => c.client_identifier === profile.clientId);
  if (!client) {
    // Chat lists only the clients the calling token's agent created: a colleague's client is missing here
    // yet works. The token works too (the list was read with it), so this is a warning, not a failure.
    return [
      {
        name,
        verdict: 'warn',
        detail: `Client ${profile.clientId} is not among your ${clients.length} OAuth clients (those this token's agent created): it may belong to another agent, so its redirect URLs, scopes and type were not checked.`,
        fix: 'That is fine if a colleague made it; they (or an admin) can check it in Zendesk Chat > Account > API & SDKs. A Zendesk Support client never works with Chat.',
      },
    ];
  }
  const checks: Check[] = [];
  const label = `Client ${client.id} ("${client.name}")`;
  if (profile.flow === 'code' || profile.flow === 'implicit') {
    checks.push(
      client.redirect_uris.includes(profile.redirectUri)
        ? { name: 'client redirect', verdict: 'ok', detail: `${label} lists ${profile.redirectUri}.` }
        : {
            name: 'client redirect',
            verdict: 'fail',
            detail: `${label} does not list ${profile.redirectUri} (it has: ${client.redirect_uris.join(', ') || 'none'}).`,
            fix: 'Add it to the client in Zendesk Chat > Account > API & SDKs, or log in with --redirect-uri set to one it lists.',
          },
    );
  }
  const allowed = client.scopes.split(/\s+/).filter(Boolean);
  const missing = profile.scopes.filter((s) => !allowed.includes(s));
  checks.push(
    missing.length === 0
      ? { name: 'client scopes', verdict: 'ok', detail: `${label} allows ${profile.scopes.join(' ')}.` }
      : {
          name: 'client scopes',
          verdict: 'fail',
          detail: `${label} does not allow ${missing.join(' ')} (it allows: ${allowed.join(' ') || 'nothing'}).`,
          fix: `Log in with --scope "${profile.scopes.filter((s) => allowed.includes(s)).join(' ') || 'read'}", or add the scope to the client.`,
        },
  );
  const needsConfidential = profile.flow === 'client-credentials' || profile.flow === 'password';
  if (needsConfidential && client.client_type !== 'confidential') {
    checks.push({
      name: 'client type',
      verdict: 'fail',
      detail: `${label} is public, and the ${profile.flow} flow needs a confidential client.`,
      fix: `Run \`zchat-auth clients confidential ${client.id}\` (re-saving the client in the Zendesk UI turns it back to public).`,
    });
  } else {
    checks.push({
      name: 'client type',
      verdict: 'ok',
      detail: `${label} is ${client.client_type}, which the ${profile.flow} flow accepts.`,
    });
  }
  return checks;
}

/**
 * Whether the OS keyring is usable now, and whether the profiles whose secrets are there can read them. A
 * missing keyring is a warning while every secret is in the file, a failure when some are in the keyring.
 */
async function keyringCheck(store: TokenStore, env: NodeJS.ProcessEnv): Promise<Check> {
  const { probeKeyring } = await import('../core/store/keyring.js');
  const name = 'keyring';
  let inKeyring: string[];
  try {
    inKeyring = store
      .list()
      .filter((p) => p.secretsIn === 'keyring')
      .map((p) => p.name);
  } catch {
    inKeyring = []; // the profile check reports a damaged store
  }
  const check = await probeKeyring({ env });
  if (!check.usable) {
    if (inKeyring.length > 0) {
      return {
        name,
        verdict: 'fail',
        detail: `The OS keyring is not usable (${check.reason}), and profile ${inKeyring.map((n) => `"${n}"`).join(', ')} keeps its secrets there.`,
        fix: 'Log in to the desktop session (or unlock the keyring) on this computer, then run the command again.',
      };
    }
    return {
      name,
      verdict: 'warn',
      detail: `No OS keyring is usable (${check.reason}): secrets are kept in the config file, readable only by you.`,
      fix: 'Where a keyring can run (a desktop session, or gnome-keyring on Linux), run `zchat-auth migrate-secrets --to keyring`.',
    };
  }
  for (const profile of inKeyring) {
    try {
      store.get(profile);
    } catch (error) {
      const e = toZchatError(error);
      return { name, verdict: 'fail', detail: e.message, ...(e.hint ? { fix: e.hint } : {}) };
    }
  }
  const held =
    inKeyring.length === 0
      ? 'no profile keeps its secrets there yet'
      : `it holds the secrets of ${inKeyring.length} profile${inKeyring.length === 1 ? '' : 's'}`;
  return {
    name,
    verdict: 'ok',
    detail: `The OS keyring is usable; ${held}.${env.ZCHAT_AUTH_INSECURE_STORAGE === '1' ? ' ZCHAT_AUTH_INSECURE_STORAGE=1 keeps new logins in the file.' : ''}`,
  };
}
