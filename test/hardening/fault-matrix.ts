/**
 * Every command of the built CLI against every fault the sandbox can inject, each in its own sandbox and its
 * own home directory (so cells run in parallel and cannot disturb each other). The cells are run once and
 * their observations shared by the fault tests and the no-leak sweep.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Fault } from '../../source/sandbox/types.js';
import {
  adminApi,
  authorizeUrlIn,
  closedPortUrl,
  consent,
  type Finished,
  filesUnder,
  type Home,
  loginArgs,
  makeConfidential,
  makeHome,
  pool,
  quietSandbox,
  readStoreText,
  runCli,
  type Secrets,
  sandboxWithPort,
  seedProfile,
  startCli,
  visit,
} from './helpers.js';

export const TOKEN_PATH = '/oauth2/chat/token';
/**
 * The timeout the token-slow cells run with (ZCHAT_AUTH_HTTP_TIMEOUT, seconds): the real timeout path over
 * loopback, without waiting out the default 15 s.
 */
export const SLOW_TIMEOUT_S = 5;
export const API_PATH = '/api/v2/chat';

export type ScenarioName =
  | 'baseline'
  | 'token-html'
  | 'token-500'
  | 'token-502'
  | 'token-slow'
  | 'token-reset'
  | 'token-429'
  | 'api-429'
  | 'api-401'
  | 'api-403'
  | 'deleted-client'
  | 'network-down';

export const scenarios: Record<ScenarioName, { what: string; faults: Fault[] }> = {
  baseline: { what: 'no fault', faults: [] },
  'token-html': {
    what: 'token endpoint answers an HTML 502 page',
    faults: [{ kind: 'html', path: TOKEN_PATH }],
  },
  'token-500': {
    what: 'token endpoint answers 500 (JSON)',
    faults: [{ kind: 'status', status: 500, path: TOKEN_PATH }],
  },
  'token-502': {
    what: 'token endpoint answers 502 with an empty body',
    faults: [{ kind: 'status', status: 502, body: 'empty', path: TOKEN_PATH }],
  },
  'token-slow': {
    what: `token endpoint answers after 40 s (past the ${SLOW_TIMEOUT_S} s timeout set for it)`,
    faults: [{ kind: 'slow', delayMs: 40_000, path: TOKEN_PATH }],
  },
  'token-reset': {
    what: 'token endpoint resets the connection',
    faults: [{ kind: 'reset', path: TOKEN_PATH }],
  },
  'token-429': {
    what: 'token endpoint answers 429, Retry-After 7',
    faults: [{ kind: 'rate-limit', retryAfter: 7, path: TOKEN_PATH }],
  },
  'api-429': {
    what: 'API answers 429 once, Retry-After 1',
    faults: [{ kind: 'rate-limit', retryAfter: 1, path: API_PATH, times: 1 }],
  },
  'api-401': { what: 'API answers 401', faults: [{ kind: 'status', status: 401, path: API_PATH }] },
  'api-403': { what: 'API answers 403', faults: [{ kind: 'status', status: 403, path: API_PATH }] },
  'deleted-client': { what: 'the client (and token) named were deleted: 404', faults: [] },
  'network-down': { what: 'nothing listens at the base URL (connection refused)', faults: [] },
};

export type CommandName =
  | 'login code'
  | 'login client-credentials'
  | 'login password'
  | 'token'
  | 'token --check'
  | 'status'
  | 'status --json'
  | 'test'
  | 'refresh'
  | 'clients'
  | 'clients --json'
  | 'clients confidential'
  | 'tokens'
  | 'tokens revoke'
  | 'logout'
  | 'doctor';

export const commandNames: CommandName[] = [
  'login code',
  'login client-credentials',
  'login password',
  'token',
  'token --check',
  'status',
  'status --json',
  'test',
  'refresh',
  'clients',
  'clients --json',
  'clients confidential',
  'tokens',
  'tokens revoke',
  'logout',
  'doctor',
];

export interface Cell {
  command: CommandName;
  scenario: ScenarioName;
  result: Finished;
  before: string;
  after: string | undefined;
  /** Every file under the home directory after the run (store, its neighbours, anything else). */
  files: Map<string, Buffer>;
  secrets: Secrets;
  /** The access token stored before the run (the one `token` may print). */
  storedAccess: string;
  /** Tokens in the store after the run (a successful refresh or login changes them). */
  afterAccess: string | undefined;
  /** Whether the token stored after the run works on the server (checked before the sandbox closed). */
  afterValid: boolean;
  /** What the sandbox saw during the run (method, path, status), after the setup. */
  requests: { method: string; path: string; status: number }[];
  /** The client's type on the server after the run (for `clients confidential`). */
  clientType: string | undefined;
}

export async function runCell(command: CommandName, scenario: ScenarioName): Promise<Cell> {
  // The code-flow login needs a loopback redirect URI registered on the client; so does doctor, which checks
  // that the profile's redirect port is free (never 8080 here: another test may be using it).
  const ownPort = command === 'login code' || command === 'doctor';
  const { sandbox, redirectUri } = ownPort
    ? await sandboxWithPort()
    : // The password grant works on a Chat-only account only.
      { sandbox: await quietSandbox({ chatOnlyAccount: command === 'login password' }), redirectUri: '' };
  const home: Home = await makeHome();
  try {
    const down = scenario === 'network-down' ? await closedPortUrl() : undefined;
    if (command === 'login client-credentials' || command === 'login password') {
      await makeConfidential(sandbox, sandbox.demo.clientNumericId);
    }
    const { granted } = await seedProfile(home.store, sandbox, {
      ...(down ? { baseUrl: down } : {}),
      ...(command === 'doctor' ? { redirectUri } : {}),
    });
    // `token --check` is at its most useful on a dead token: test (401), then refresh.
    if (command === 'token --check') sandbox.expireAccessToken(granted.accessToken);

    // IDs for the commands that name one: a real client and token, or (deleted-client) ones gone from the
    // account.
    let clientId = sandbox.demo.multiRedirectClientNumericId;
    // The seeded admin token comes first (the lowest ID): revoking it leaves the profile's alone.
    let tokenId = 0;
    if (command === 'tokens revoke') {
      const tokens = (await (await adminApi(sandbox, 'GET', '/oauth/tokens')).json()) as { id: number }[];
      tokenId = Math.min(...tokens.map((t) => t.id));
    }
    if (
      scenario === 'deleted-client' &&
      (command === 'clients confidential' || command === 'tokens revoke')
    ) {
      const created = (await (
        await adminApi(sandbox, 'POST', '/oauth/clients', {
          name: 'Doomed',
          company: 'Demo Inc.',
          redirect_uris: ['http://localhost:9'],
          scopes: 'read',
        })
      ).json()) as { id: number };
      await adminApi(sandbox, 'DELETE', `/oauth/clients/${created.id}`);
      clientId = created.id;
      if (tokenId) await adminApi(sandbox, 'DELETE', `/oauth/tokens/${tokenId}`);
    }
    const before = readStoreText(home) ?? '';
    const seen = sandbox.stats.requests.length;
    for (const fault of scenarios[scenario].faults) {
      // `tokens revoke` lists the tokens first (a GET, to name the profile holding the one revoked): the
      // one 429 goes to its DELETE, which is what this scenario holds to "said, not retried".
      const write = scenario === 'api-429' && command === 'tokens revoke';
      sandbox.inject(write ? { ...fault, path: `${API_PATH}/oauth/tokens/` } : fault);
    }

    const secrets: Secrets = {
      clientSecret: sandbox.demo.clientSecret,
      multiRedirectSecret: sandbox.demo.multiRedirectClientSecret,
      adminToken: sandbox.demo.adminToken,
      password: sandbox.demo.password,
      seedCode: granted.code,
      accessToken: granted.accessToken,
      refreshToken: granted.refreshToken,
    };
    const env = {
      ...home.env,
      ...(scenario === 'token-slow' ? { ZCHAT_AUTH_HTTP_TIMEOUT: String(SLOW_TIMEOUT_S) } : {}),
    };
    const baseUrl = down ?? sandbox.url;
    let result: Finished;
    switch (command) {
      case 'login code': {
        const cli = startCli(loginArgs({ sandbox, redirectUri }, '--timeout', '60'), {
          ...env,
          ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret,
        });
        await cli.waitFor(/authorizations\/new\?\S+\n/);
        const location = await consent(authorizeUrlIn(cli.stderr())!, 'allow');
        secrets.loginCode = new URL(location).searchParams.get('code') ?? undefined;
        if (down) await sandbox.close();
        await visit(location);
        result = await cli.finished;
        break;
      }
      case 'login client-credentials':
        result = await runCli(
          [
            'login',
            '--flow',
            'client-credentials',
            '--base-url',
            baseUrl,
            '--subdomain',
            'demo',
            '--client-id',
            sandbox.demo.clientId,
            '--profile',
            'demo',
          ],
          { ...env, ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret },
        );
        break;
      case 'login password':
        result = await runCli(
          [
            'login',
            '--flow',
            'password',
            '--username',
            sandbox.demo.username,
            '--base-url',
            baseUrl,
            '--subdomain',
            'demo',
            '--client-id',
            sandbox.demo.clientId,
          ],
          {
            ...env,
            ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret,
            ZENDESK_CHAT_PASSWORD: sandbox.demo.password,
          },
        );
        break;
      case 'clients confidential':
        result = await runCli(['clients', 'confidential', String(clientId)], env);
        break;
      case 'tokens revoke':
        result = await runCli(['tokens', 'revoke', String(tokenId)], env);
        break;
      default:
        result = await runCli(command.split(' '), env);
    }
    const after = readStoreText(home);
    let afterAccess: string | undefined;
    try {
      afterAccess = JSON.parse(after ?? '{}').profiles?.demo?.token?.accessToken;
      const afterRefresh = JSON.parse(after ?? '{}').profiles?.demo?.token?.refreshToken;
      if (afterAccess && afterAccess !== granted.accessToken) secrets.newAccessToken = afterAccess;
      if (afterRefresh && afterRefresh !== granted.refreshToken) secrets.newRefreshToken = afterRefresh;
    } catch {
      afterAccess = undefined;
    }
    return {
      command,
      scenario,
      result,
      before,
      after,
      files: filesUnder(home.home),
      secrets,
      storedAccess: granted.accessToken,
      afterAccess,
      afterValid: afterAccess !== undefined && sandbox.isTokenValid(afterAccess),
      requests: sandbox.stats.requests.slice(seen).map((r) => ({ ...r })),
      clientType: sandbox.getClient(sandbox.demo.multiRedirectClientId)?.client_type,
    };
  } finally {
    await sandbox.close();
    await home.remove();
  }
}

let running: Promise<Cell[]> | undefined;

/** All cells, run once per test process (both fault files share them), four CLI processes at a time. */
export function allCells(): Promise<Cell[]> {
  running ??= (async () => {
    // The cells that wait out the timeout only wait: they run beside the pool, not in it (both are started
    // before either is awaited).
    const slow = Promise.all(commandNames.map((command) => runCell(command, 'token-slow')));
    const tasks: (() => Promise<Cell>)[] = [];
    for (const scenario of Object.keys(scenarios) as ScenarioName[]) {
      if (scenario === 'token-slow') continue;
      for (const command of commandNames) tasks.push(() => runCell(command, scenario));
    }
    const [slowCells, otherCells] = await Promise.all([slow, pool(8, tasks)]);
    const cells = [...slowCells, ...otherCells];
    if (process.env.ZCHAT_HARDEN_REPORT) writeReport(cells, process.env.ZCHAT_HARDEN_REPORT);
    return cells;
  })();
  return running;
}

export function cell(cells: Cell[], command: CommandName, scenario: ScenarioName): Cell {
  const found = cells.find((c) => c.command === command && c.scenario === scenario);
  if (!found) throw new Error(`no cell ${command} × ${scenario}`);
  return found;
}

/** A readable table of what happened (ZCHAT_HARDEN_REPORT=file), for the hardening note. */
function writeReport(cells: Cell[], file: string): void {
  const lines: string[] = [];
  for (const c of cells) {
    const err = c.result.stderr.trim().split('\n').at(-1) ?? '';
    const out = c.result.stdout.trim().split('\n').slice(-30).join(' / ');
    lines.push(
      `## ${c.scenario} × ${c.command}: exit ${c.result.code} (${Math.round(c.result.ms)} ms)\n  stderr: ${err}\n  stdout: ${out.slice(0, 4000)}\n  store: ${c.after === c.before ? 'unchanged' : 'changed'}`,
    );
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
