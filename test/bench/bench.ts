/**
 * `npm run bench`: every performance target of design.md, each against a baseline measured in the same run
 * (machines here are noisy, so targets are ratios or medians, and baselines are interleaved with the
 * candidate). Prints a table and exits 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../source/core/store/store.js';
import { createChatApi } from '../../source/core/zendesk/chat-api.js';
import { createTokenClient } from '../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../source/sandbox/server.js';
import { apiExecStartupRows } from './api-exec-startup.js';
import { buildBaselineApp } from './baseline-build.js';
import { keyringTokenFigure } from './keyring-token.js';
import { runInPty } from './pty-timing.js';
import { redirectToStored } from './redirect-to-stored.js';
import { startupSamples } from './startup.js';
import { sample, samplePair, summarize } from './stats.js';

const cli = path.resolve('bin/zchat-auth.js');
const quick = process.argv.includes('--quick');
const runs = quick ? 5 : 15;
// `--only first-frame,memory`: run some figures (startup, api-exec, keyring, first-frame, redirect, memory), for quick iteration.
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = (name: string) => !onlyArg || onlyArg.split(',').includes(name);

interface Row {
  figure: string;
  candidate: string;
  baseline: string;
  value: string;
  target: string;
  pass: boolean;
}
const rows: Row[] = [];
const ms = (n: number) => `${n.toFixed(1)} ms`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'zchat-bench-'));
const sandbox = await startSandbox({ quiet: true, rateLimitPerMinute: 10_000_000 });
try {
  const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
  const env = (dir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    ZCHAT_AUTH_CONFIG_DIR: dir,
    NO_COLOR: '',
    FORCE_COLOR: '1',
    TERM: 'xterm-256color',
  });

  // A store with one logged-in profile, for `token` and the first frame.
  const oneDir = path.join(work, 'one');
  const one = openStore({ dir: oneDir });
  const now = new Date().toISOString();
  await one.save({
    name: 'demo',
    subdomain: 'demo',
    baseUrl: sandbox.url,
    clientId: sandbox.demo.clientId,
    redirectUri: sandbox.demo.redirectUri,
    scopes: ['read', 'write', 'chat'],
    flow: 'code',
    token: {
      accessToken: sandbox.demo.adminToken,
      tokenType: 'Bearer',
      scope: 'read write chat',
      grant: 'authorization_code',
      obtainedAt: now,
    },
  });

  // 1. and 2.: whole-process start-up against `node -e 0`.
  for (const [figure, args] of (only('startup')
    ? [
        ['`zchat-auth --version`', [cli, '--version']],
        ['`zchat-auth token`', [cli, 'token']],
      ]
    : []) as [string, string[]][]) {
    const pair = await startupSamples(runs, env(oneDir), [...args]);
    const b = summarize(pair.baseline);
    const c = summarize(pair.candidate);
    const ratio = c.median / b.median;
    rows.push({
      figure,
      candidate: `${ms(c.median)} (${ms(c.min)}–${ms(c.max)})`,
      baseline: `node -e 0 ${ms(b.median)}`,
      value: `${ratio.toFixed(2)}×`,
      target: '≤ 1.5×',
      pass: ratio <= 1.5,
    });
  }

  // `api` and `exec`: spawn → first request, against `node -e 0`.
  if (only('api-exec')) rows.push(...(await apiExecStartupRows(cli, work, runs)));

  // 2b.: `token` with the secrets in the OS keyring (keyring-token.ts).
  if (only('keyring')) {
    rows.push(await keyringTokenFigure(cli, work, runs, env, one.get('demo')!));
  }

  // 3.: dashboard first frame vs a bare Ink app, both bundled and started the same way, in a pty.
  const hello = await buildBaselineApp(path.join(work, 'hello'));
  if (only('first-frame')) {
    const firstFrame = await samplePair(
      quick ? 5 : 15,
      2,
      async () => {
        const run = runInPty([hello], env(oneDir));
        const at = await run.waitFor(/hello/);
        await run.kill();
        return at - run.startedAt;
      },
      async () => {
        const run = runInPty([cli], env(oneDir));
        const at = await run.waitFor(/Tokens/);
        await run.kill();
        return at - run.startedAt;
      },
    );
    const b = summarize(firstFrame.baseline);
    const c = summarize(firstFrame.candidate);
    const ratio = c.median / b.median;
    rows.push({
      figure: 'dashboard first frame',
      candidate: `${ms(c.median)} (${ms(c.min)}–${ms(c.max)})`,
      baseline: `Ink hello ${ms(b.median)}`,
      value: `${ratio.toFixed(2)}×`,
      target: '≤ 1.3×',
      pass: ratio <= 1.3,
    });
  }

  // 4.: redirect received → token stored.
  if (only('redirect')) {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}`;
    await admin.updateClient(sandbox.demo.clientNumericId, { redirect_uris: [redirectUri] });
    const store = openStore({ dir: path.join(work, 'login') });
    await store.prepareWrites?.();
    const samples = await sample(quick ? 10 : 30, 3, () => redirectToStored(sandbox, store, redirectUri));
    const s = summarize(samples);
    rows.push({
      figure: 'redirect received → token stored',
      candidate: `p90 ${ms(s.p90)}`,
      baseline: '—',
      value: `${ms(s.median)} median`,
      target: '< 20 ms',
      pass: s.median < 20,
    });
  }

  // 5. and 6.: 1,000 stored tokens and 1,000 clients: key press → frame, and resident memory.
  if (only('memory')) {
    const bigDir = path.join(work, 'big');
    const big = openStore({ dir: bigDir });
    const tokens = createTokenClient({ baseUrl: sandbox.url });
    await admin.updateClient(sandbox.demo.clientNumericId, { client_type: 'confidential' });
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          admin.createClient({
            name: `Client ${batch * 100 + i}`,
            redirect_uris: ['https://example.com/cb'],
          }),
        ),
      );
    }
    for (let i = 0; i < 1000; i++) {
      const token = await tokens.clientCredentials({
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        scope: 'read write',
      });
      await big.save({
        name: `profile-${String(i).padStart(4, '0')}`,
        subdomain: 'demo',
        baseUrl: sandbox.url,
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        redirectUri: sandbox.demo.redirectUri,
        scopes: ['read', 'write'],
        flow: 'client-credentials',
        token: {
          accessToken: i === 0 ? sandbox.demo.adminToken : token.accessToken,
          tokenType: 'Bearer',
          scope: i === 0 ? 'read write chat' : token.scope,
          grant: 'client_credentials',
          obtainedAt: now,
        },
      });
    }
    const run = runInPty([cli], env(bigDir));
    try {
      await run.waitFor(/Clients 10\d\d/, 30_000);
      await run.quiet(300);
      // Down ten, up ten: the selection never hits the top, where `k` would change nothing to draw.
      let pressed = 0;
      const samples = await sample(quick ? 10 : 40, 6, async () => {
        const key = pressed++ < 6 || (pressed - 7) % 20 < 10 ? 'j' : 'k';
        const took = await run.keyToFrame(key);
        await run.quiet(30);
        return took;
      });
      const s = summarize(samples);
      rows.push({
        figure: 'key press → frame (1,000 + 1,000)',
        candidate: `p90 ${ms(s.p90)}`,
        baseline: '—',
        value: `${ms(s.median)} median`,
        target: '< 16 ms',
        pass: s.median < 16,
      });
      // Right after the burst of key presses, and settled: after 10 s idle, as a dashboard left open sits.
      const burstRss = run.rssMb();
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const rss = run.rssMb();
      // For context: what a bare Ink app holds, drawn the same way (the target stays absolute).
      const helloRun = runInPty([hello], env(oneDir));
      let helloRss: number;
      try {
        await helloRun.waitFor(/hello/);
        await helloRun.quiet(300);
        helloRss = helloRun.rssMb();
      } finally {
        await helloRun.kill();
      }
      rows.push({
        figure: 'dashboard resident memory (1,000 + 1,000)',
        candidate: `${burstRss.toFixed(1)} MB right after the keys`,
        baseline: `Ink hello ${helloRss.toFixed(1)} MB`,
        value: `${rss.toFixed(1)} MB settled`,
        target: '< 80 MB',
        pass: rss < 80,
      });
    } finally {
      await run.kill();
    }
  }
} finally {
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });
}

const headers = ['figure', 'value', 'target', 'result', 'candidate', 'baseline'];
const table = rows.map((r) => [
  r.figure,
  r.value,
  r.target,
  r.pass ? 'PASS' : 'FAIL',
  r.candidate,
  r.baseline,
]);
const widths = headers.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(headers));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
const failed = rows.filter((r) => !r.pass).length;
console.log(failed === 0 ? '\nAll targets met.' : `\n${failed} target(s) missed.`);
process.exit(failed === 0 ? 0 : 1);
