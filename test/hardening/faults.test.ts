/**
 * Faults, end to end: every command of the built CLI × every fault the sandbox injects (fault-matrix.ts),
 * then what each must look like: a clear sentence (never a stack trace), the right exit code, the store as
 * it was, GETs riding out a 429 and POSTs never retried; and the no-leak sweep over all of it (stdout,
 * stderr, every file in the home directory) plus util.inspect of every error the core throws for each fault.
 */
import { inspect } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { ZchatError } from '../../source/core/errors.js';
import { refreshProfile, testProfile } from '../../source/core/profile-actions.js';
import { checkStoreData } from '../../source/core/store/validate.js';
import { createChatApi } from '../../source/core/zendesk/chat-api.js';
import { createTokenClient } from '../../source/core/zendesk/token-client.js';
import { createServices } from '../../source/create-services.js';
import {
  API_PATH,
  allCells,
  type Cell,
  type CommandName,
  cell,
  commandNames,
  type ScenarioName,
  SLOW_TIMEOUT_S,
  scenarios,
  TOKEN_PATH,
} from './fault-matrix.js';
import {
  closedPortUrl,
  ensureBuilt,
  expectNoStack,
  expectSentence,
  findLeaks,
  grantCode,
  makeConfidential,
  makeHome,
  quietSandbox,
  type Secrets,
  seedProfile,
} from './helpers.js';

let cells: Cell[];
beforeAll(async () => {
  ensureBuilt();
  cells = await allCells();
}, 150_000);

const scenarioNames = Object.keys(scenarios) as ScenarioName[];
const logins: CommandName[] = ['login code', 'login client-credentials', 'login password'];
/** The commands that spend a token POST in each cell (token --check runs on an expired token). */
const tokenPosters: CommandName[] = [...logins, 'refresh', 'token --check'];
const apiGetters: CommandName[] = ['test', 'clients', 'clients --json', 'tokens'];
const apiWriters: CommandName[] = ['clients confidential', 'tokens revoke'];

function profileOf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  return JSON.parse(text).profiles?.demo;
}

/** The stored profile minus what a run may legitimately change without a new token. */
function withoutBookkeeping(profile: Record<string, unknown> | undefined) {
  if (!profile) return profile;
  const { lastTest: _t, updatedAt: _u, ...rest } = profile;
  return rest;
}

describe('every command × every fault', () => {
  test('exit 0 or 1, never a signal or a stack trace; a failure ends in one sentence', () => {
    expect(cells).toHaveLength(commandNames.length * scenarioNames.length);
    for (const c of cells) {
      const label = `${c.scenario} × ${c.command}`;
      expect(c.result.signal, label).toBeNull();
      expect([0, 1], `${label} exit ${c.result.code}\n${c.result.stderr}`).toContain(c.result.code);
      expectNoStack(c.result.stdout, label);
      expectNoStack(c.result.stderr, label);
      if (c.result.code !== 0 && c.command !== 'doctor') expectSentence(c.result, label);
      // One line per error, never a multi-line dump.
      for (const line of c.result.stderr.split('\n')) expect(line.length, label).toBeLessThan(400);
    }
  });

  test('the store keeps what it had: a failed run changes no token, and the file stays valid and private', () => {
    for (const c of cells) {
      const label = `${c.scenario} × ${c.command}`;
      expect(c.after, label).toBeDefined();
      const parsed = JSON.parse(c.after!);
      expect(checkStoreData(parsed).ok, label).toBe(true);
      const before = profileOf(c.before);
      const after = profileOf(c.after);
      if (c.command === 'logout') {
        expect(after, label).toBeUndefined();
        continue;
      }
      if (c.result.code !== 0) {
        expect(withoutBookkeeping(after), label).toEqual(withoutBookkeeping(before));
      } else if (c.afterAccess !== c.storedAccess) {
        // A new token was stored (login, refresh): it must be one the server honours.
        expect(c.afterValid, `${label}: the stored new token works`).toBe(true);
      } else {
        expect(c.afterAccess, label).toBe(c.storedAccess);
      }
    }
  });

  test('no store file is left world-readable and nothing else is written next to it', () => {
    for (const c of cells) {
      const names = [...c.files.keys()].sort();
      expect(names, `${c.scenario} × ${c.command}`).toEqual(['config/config.json']);
    }
  });
});

describe('the token endpoint misbehaves', () => {
  const expectations: [ScenarioName, RegExp][] = [
    [
      'token-html',
      /answered with a web page \(status 502\) instead of JSON\. A proxy, a sign-in page or an outage/,
    ],
    ['token-500', /server error \(status 500\)\. Try again/],
    ['token-502', /server error \(status 502\)\. Try again/],
    ['token-slow', new RegExp(`did not answer within ${SLOW_TIMEOUT_S} seconds\\. Try again`)],
    ['token-reset', /connection to 127\.0\.0\.1:\d+ was cut before Zendesk answered/],
    ['token-429', /limiting the request rate; try again in 7 seconds/],
  ];
  test.each(expectations)(
    '%s: each token POST fails once, in a sentence, and is never retried',
    (scenario, sentence) => {
      for (const command of tokenPosters) {
        const c = cell(cells, command, scenario);
        const label = `${scenario} × ${command}`;
        expect(c.result.code, label).toBe(1);
        expect(c.result.stdout, label).toBe('');
        expect(expectSentence(c.result, label), label).toMatch(sentence);
        const posts = c.requests.filter((r) => r.method === 'POST' && r.path === TOKEN_PATH);
        expect(posts, `${label}: token POSTs`).toHaveLength(1);
      }
    },
  );

  test('the slow answer is cut at the timeout ZCHAT_AUTH_HTTP_TIMEOUT sets, not waited for', () => {
    for (const command of ['refresh', 'login client-credentials'] as CommandName[]) {
      const ms = cell(cells, command, 'token-slow').result.ms;
      expect(ms).toBeGreaterThan(SLOW_TIMEOUT_S * 1000 - 100);
      expect(ms).toBeLessThan(30_000); // the answer would come at 40 s
    }
  });
});

describe('the API misbehaves', () => {
  test('429 with Retry-After: GETs wait it out and succeed; PUT and DELETE say so and are not retried', () => {
    // doctor's reachability probe (a HEAD) counts any answer, a 429 included, as "answers".
    expect(cell(cells, 'doctor', 'api-429').result.code).toBe(0);
    for (const command of [...apiGetters, 'token --check'] as CommandName[]) {
      const c = cell(cells, command, 'api-429');
      const label = `api-429 × ${command}`;
      expect(c.result.code, `${label}\n${c.result.stderr}`).toBe(0);
      const first = c.requests.findIndex((r) => r.status === 429);
      expect(first, label).toBeGreaterThanOrEqual(0);
      // The same GET again, after the 429, got a real answer (token --check: the 401 of its dead token).
      const retried = c.requests.slice(first + 1).find((r) => r.path === c.requests[first]!.path);
      expect(retried?.status, label).toBe(command === 'token --check' ? 401 : 200);
      expect(c.result.ms, `${label}: waited Retry-After`).toBeGreaterThan(900);
    }
    for (const command of apiWriters) {
      const c = cell(cells, command, 'api-429');
      const label = `api-429 × ${command}`;
      expect(c.result.code, label).toBe(1);
      expect(expectSentence(c.result, label)).toMatch(/limiting the request rate; try again in 1 second\./);
      const writes = c.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE');
      expect(writes, label).toHaveLength(1);
    }
    expect(cell(cells, 'clients confidential', 'api-429').clientType).toBe('public');
    expect(cell(cells, 'clients confidential', 'baseline').clientType).toBe('confidential');
  });

  test('401 and 403 are said apart, for every command that calls the API', () => {
    for (const command of [...apiGetters, ...apiWriters]) {
      const unauthorized = expectSentence(cell(cells, command, 'api-401').result, `401 × ${command}`);
      const forbidden = expectSentence(cell(cells, command, 'api-403').result, `403 × ${command}`);
      expect(unauthorized).toMatch(/expired or (was )?revoked/);
      expect(unauthorized).toMatch(/zchat-auth refresh/);
      expect(forbidden).toMatch(/scope/);
      expect(forbidden).not.toMatch(/expired|revoked/);
      expect(unauthorized).not.toMatch(/scope/);
    }
    expect(expectSentence(cell(cells, 'test', 'api-401').result)).toMatch(/was rejected \(401\)/);
    expect(expectSentence(cell(cells, 'test', 'api-403').result)).toMatch(/was refused \(403\)/);
    // token --check on a 401 refreshes (documented), on a 403 it does not: a new token would not help.
    const check401 = cell(cells, 'token --check', 'api-401');
    expect(check401.result.code).toBe(0);
    expect(check401.result.stdout).toBe(`${check401.afterAccess}\n`);
    const check403 = cell(cells, 'token --check', 'api-403');
    expect(check403.result.code).toBe(1);
    expect(check403.afterAccess).toBe(check403.storedAccess);
  });

  test('404: a deleted client or a revoked token ID is named as gone', () => {
    for (const command of apiWriters) {
      const c = cell(cells, command, 'deleted-client');
      expect(c.result.code).toBe(1);
      expect(expectSentence(c.result, command)).toMatch(/nothing at this address \(status 404\).*deleted/);
    }
  });
});

describe('the network is down (connection refused)', () => {
  test('every command that calls out says it could not reach the server', () => {
    for (const command of [...tokenPosters, ...apiGetters, ...apiWriters]) {
      const c = cell(cells, command, 'network-down');
      const label = `network-down × ${command}`;
      expect(c.result.code, label).toBe(1);
      expect(expectSentence(c.result, label), label).toMatch(/Could not reach (http:\/\/)?127\.0\.0\.1:\d+/);
    }
    const doctor = cell(cells, 'doctor', 'network-down');
    expect(doctor.result.code).toBe(1);
    expect(doctor.result.stdout).toMatch(/^FAIL +connection +.*127\.0\.0\.1/m);
  });

  test('commands that never call out work as usual', () => {
    for (const command of ['token', 'status', 'status --json', 'logout'] as CommandName[]) {
      expect(cell(cells, command, 'network-down').result.code, command).toBe(0);
    }
  });
});

describe('no leaks', () => {
  test('no secret, code or full token in any output or file but the store, for every command × fault', () => {
    const problems: string[] = [];
    for (const c of cells) {
      const label = `${c.scenario} × ${c.command}`;
      // Only `token` prints a token: the stored one, alone on stdout.
      const printsToken = c.command === 'token' || c.command === 'token --check';
      const allowed = printsToken && c.result.code === 0 ? [c.afterAccess ?? ''] : [];
      if (allowed.length > 0) expect(c.result.stdout, label).toBe(`${c.afterAccess}\n`);
      for (const [where, text] of [
        ['stdout', c.result.stdout],
        ['stderr', c.result.stderr],
      ] as const) {
        const leaks = findLeaks(text, c.secrets, where === 'stdout' ? allowed : []);
        if (leaks.length) problems.push(`${label}: ${where} shows ${leaks.join(', ')}`);
      }
      for (const [file, bytes] of c.files) {
        if (file === 'config/config.json') continue; // the store itself (0600) holds them by design
        const leaks = findLeaks(bytes.toString('latin1'), c.secrets);
        if (leaks.length) problems.push(`${label}: ${file} holds ${leaks.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('util.inspect of every error the core throws, for every fault, shows no secret', async () => {
    const sandbox = await quietSandbox();
    const home = await makeHome();
    try {
      await makeConfidential(sandbox, sandbox.demo.clientNumericId);
      const { granted } = await seedProfile(home.store, sandbox);
      const code = (await grantCode(sandbox)).code; // unspent: a secret as much as any
      const down = await closedPortUrl();
      const secrets: Secrets = {
        clientSecret: sandbox.demo.clientSecret,
        password: sandbox.demo.password,
        code,
        accessToken: granted.accessToken,
        refreshToken: granted.refreshToken,
        adminToken: sandbox.demo.adminToken,
      };
      const services = createServices(home.env);
      const errors: { label: string; error: unknown }[] = [];
      const attempt = async (label: string, run: () => Promise<unknown>) => {
        try {
          await run();
        } catch (error) {
          errors.push({ label, error });
        }
      };
      const operations = (baseUrl: string, timeoutMs?: number) => {
        const tokens = createTokenClient({ baseUrl, ...(timeoutMs ? { timeoutMs } : {}), env: {} });
        const api = createChatApi({ baseUrl, accessToken: granted.accessToken, env: {}, retries: 0 });
        const id = sandbox.demo.clientId;
        const secret = sandbox.demo.clientSecret;
        return [
          () =>
            tokens.exchangeCode({
              code,
              clientId: id,
              clientSecret: secret,
              redirectUri: sandbox.demo.redirectUri,
              scope: 'read',
            }),
          () => tokens.refresh({ refreshToken: granted.refreshToken!, clientId: id, clientSecret: secret }),
          () => tokens.clientCredentials({ clientId: id, clientSecret: secret, scope: 'read' }),
          () =>
            tokens.password({
              username: sandbox.demo.username,
              password: sandbox.demo.password,
              clientId: id,
              clientSecret: secret,
              scope: 'read',
            }),
          () => api.chats(),
          () => api.listClients(),
          () => api.updateClient(sandbox.demo.multiRedirectClientNumericId, { client_type: 'confidential' }),
          () => api.deleteClient(999_999),
          () => api.revokeToken(999_999),
        ];
      };
      for (const scenario of scenarioNames) {
        sandbox.clearFaults();
        for (const fault of scenarios[scenario].faults) {
          const { times: _once, ...always } = fault;
          sandbox.inject(always);
        }
        const baseUrl = scenario === 'network-down' ? down : sandbox.url;
        const ops = operations(baseUrl, scenario === 'token-slow' ? 300 : undefined);
        await Promise.all(ops.map((op, i) => attempt(`${scenario} #${i}`, op)));
      }
      sandbox.clearFaults();
      // And the profile actions the commands call, through the CLI's own services, over a dead network.
      sandbox.inject({ kind: 'status', status: 500, path: TOKEN_PATH });
      sandbox.inject({ kind: 'status', status: 403, path: API_PATH });
      await attempt('refreshProfile 500', () =>
        refreshProfile(services.store, 'demo', (u) => services.tokenClient(u)),
      );
      await attempt('testProfile 403 (no throw)', async () => {
        const result = await testProfile(services.store, 'demo', (u, t) => services.chatApi(u, t));
        if (result.ok) throw new Error('a 403 passed the test');
      });
      expect(errors.length).toBeGreaterThan(scenarioNames.length * 3);
      for (const { label, error } of errors) {
        expect(error, label).toBeInstanceOf(ZchatError);
        const shown = [
          inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
          String((error as Error).stack),
          JSON.stringify(error),
          (error as ZchatError).sentence,
        ].join('\n');
        expect(findLeaks(shown, secrets), `${label}: ${(error as ZchatError).message}`).toEqual([]);
        expectNoStack((error as ZchatError).sentence, label);
      }
    } finally {
      await sandbox.close();
      await home.remove();
    }
  }, 30_000);
});

test('the baseline passes everywhere, and every fault makes some command fail', () => {
  for (const scenario of scenarioNames) {
    const failed = commandNames.filter((command) => cell(cells, command, scenario).result.code !== 0);
    if (scenario === 'baseline') expect(failed).toEqual([]);
    else expect(failed.length, scenario).toBeGreaterThan(0);
  }
});
