/**
 * Two dashboards and a script at once on one store. The dashboards are long-lived processes with the real
 * Services (children/dashboard.ts, bundled here), refreshing and testing in a loop while watching the store;
 * the script is the built CLI run again and again (refresh, token --check, test, status), with two logins in
 * the middle; the test itself expires the current access token now and then, so `token --check` refreshes
 * too. Afterwards: no refresh token was spent twice (every refresh the sandbox saw issued a token), the
 * stored token is the newest one, and nothing any process wrote was lost.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import { keyringMode } from '../secrets-mode.js';
import {
  authorizeUrlIn,
  consent,
  ensureBuilt,
  expectNoStack,
  type Finished,
  freePort,
  type Home,
  loginArgs,
  makeConfidential,
  makeHome,
  quietSandbox,
  readStore,
  readStoreText,
  registerRedirect,
  root,
  runCli,
  seedProfile,
  startCli,
  visit,
} from './helpers.js';

let sandbox: Sandbox;
let home: Home;
let dashboard: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
  home = await makeHome();
  const outdir = path.join(home.home, 'bundle');
  await build({
    entryPoints: [path.join(root, 'test/hardening/children/dashboard.ts')],
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    external: ['react-devtools-core'],
    logLevel: 'silent',
    banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
  });
  dashboard = path.join(outdir, 'dashboard.mjs');
}, 120_000);
afterAll(async () => {
  await sandbox.close();
  await home.remove();
});

interface Line {
  op: string;
  rotatedElsewhere?: boolean;
  sha?: string;
  error?: string;
  result?: string;
  name?: string;
  changes?: number;
}

function runDashboard(
  rounds: number,
  watchMs = 300,
): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [dashboard, home.store, String(rounds), String(watchMs)], {
      env: home.env,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => {
      const lines = out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
      resolve({ code, lines, stderr: err });
    });
  });
}

test('two dashboards and a script on one store: no lost update, no double refresh', async () => {
  await makeConfidential(sandbox, sandbox.demo.clientNumericId);
  await seedProfile(home.store, sandbox, { name: 'demo' });
  const { granted: other } = await seedProfile(home.store, sandbox, { name: 'other' });
  const port = await freePort();
  const redirectUri = `http://localhost:${port}`;
  await registerRedirect(sandbox, sandbox.demo.clientNumericId, redirectUri);
  const env = { ...home.env, ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret };

  let running = true;
  // Now and then the current access token dies on the server, as tokens do: `token --check` must refresh.
  const expirer = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 400));
      const current = readStore(home.store).profiles.demo?.token?.accessToken;
      if (current) sandbox.expireAccessToken(current);
    }
  })();

  const script = (async () => {
    const results: { args: string[]; result: Finished }[] = [];
    const run = async (args: string[]) => results.push({ args, result: await runCli(args, env) });
    for (let i = 0; i < 6; i++) {
      await run(['refresh', '--profile', 'demo']);
      await run(['token', '--check', '--profile', 'demo']);
      await run(['test', '--profile', 'other']);
      await run(['status', '--json']);
      if (i === 2) {
        await run([
          'login',
          '--flow',
          'client-credentials',
          '--subdomain',
          'demo',
          '--client-id',
          sandbox.demo.clientId,
          '--base-url',
          sandbox.url,
          '--profile',
          'fresh',
        ]);
      }
      if (i === 4) {
        const cli = startCli(loginArgs({ sandbox, redirectUri }, '--profile', 'coded'), env);
        await cli.waitFor(/authorizations\/new\?\S+\n/);
        await visit(await consent(authorizeUrlIn(cli.stderr())!, 'allow'));
        results.push({ args: ['login', 'code'], result: await cli.finished });
      }
    }
    return results;
  })();

  const idle = runDashboard(0, 6000);
  const [first, second, scripted] = await Promise.all([runDashboard(12), runDashboard(12), script]);
  running = false;
  await expirer;

  // Every process finished cleanly.
  for (const d of [first, second]) {
    expect(d.code, d.stderr).toBe(0);
    expect(
      d.lines.filter((l) => l.error),
      JSON.stringify(d.lines),
    ).toEqual([]);
    expect(d.lines.at(-1)?.op).toBe('done');
  }
  for (const { args, result } of scripted) {
    const label = args.join(' ');
    expectNoStack(result.stderr, label);
    // `test` may meet a token expired a moment ago (exit 1, said so); nothing else may fail.
    if (args[0] === 'test') expect([0, 1], `${label}\n${result.stderr}`).toContain(result.code);
    else expect(result.code, `${label}\n${result.stderr}`).toBe(0);
  }

  // No double refresh: every refresh POST the sandbox saw issued a token (a spent refresh token would have
  // been refused), and each reported rotation is a different token.
  const requests = sandbox.stats.tokenRequests.refresh_token ?? 0;
  const issued = sandbox.stats.tokensIssued.refresh_token ?? 0;
  expect(requests).toBe(issued);
  const reported = [...first.lines, ...second.lines].filter(
    (l) => l.op === 'refresh' && l.rotatedElsewhere === false,
  );
  const cliRefreshed = scripted.filter(
    ({ args, result }) => args[0] === 'refresh' && /: refreshed\./.test(result.stdout),
  );
  expect(reported.length + cliRefreshed.length).toBeLessThanOrEqual(issued);
  expect(new Set(reported.map((l) => l.sha)).size).toBe(reported.length);
  expect(issued).toBeGreaterThanOrEqual(6);
  // Some refreshes really raced: another process had refreshed first, and nothing was spent.
  const tookOthers = [...first.lines, ...second.lines].filter((l) => l.rotatedElsewhere === true).length;
  const cliTookOthers = scripted.filter(({ result }) =>
    /another process had already refreshed it/.test(result.stdout),
  ).length;
  expect(tookOthers + cliTookOthers + reported.length + cliRefreshed.length).toBe(24 + 6);

  // No lost update: the stored token is the newest (the older ones were revoked by rotation), its refresh
  // token still works, the other profiles are all there, and the logins' profiles were kept.
  const stored = readStore(home.store);
  const raw = readStoreText(home)!;
  expect(Object.keys(stored.profiles).sort()).toEqual(['coded', 'demo', 'fresh', 'other']);
  const demo = stored.profiles.demo!.token!;
  sandbox.clearFaults();
  const final = await runCli(['refresh', '--profile', 'demo'], env);
  expect(final.code, final.stderr).toBe(0);
  expect(final.stdout).toMatch(/: refreshed\./);
  expect(readStore(home.store).profiles.demo!.token!.accessToken).not.toBe(demo.accessToken);
  expect(stored.profiles.other!.token!.accessToken).toBe(other.accessToken);
  expect(stored.profiles.other!.lastTest?.result).toBe('valid');
  expect(sandbox.isTokenValid(stored.profiles.fresh!.token!.accessToken)).toBe(true);
  expect(sandbox.isTokenValid(stored.profiles.coded!.token!.accessToken)).toBe(true);
  expect(stored.defaultProfile).toBe('demo');
  // Every secret is where this run keeps them: in keyring mode the file holds none of them.
  for (const profile of Object.values(stored.profiles)) {
    expect((profile as { secretsIn?: string }).secretsIn ?? 'file').toBe(keyringMode ? 'keyring' : 'file');
    expect(raw.includes(profile.token!.accessToken)).toBe(!keyringMode);
  }
  // A dashboard left open saw the others' writes as they happened (debounced: bursts merge); the busy ones
  // re-read on their own writes, and still heard of the others'.
  const watcher = await idle;
  expect(watcher.code, watcher.stderr).toBe(0);
  expect(watcher.lines.at(-1)!.changes).toBeGreaterThanOrEqual(3);
  for (const d of [first, second]) expect(d.lines.at(-1)!.changes).toBeGreaterThan(0);
}, 60_000);
