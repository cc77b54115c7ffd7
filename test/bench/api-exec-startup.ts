/**
 * `zchat-auth api` and `exec`: spawn → their first request reaching the server, against a bare
 * `node -e 0` (spawn → exit) in the same run. The server is a bare loopback one answering every request at
 * once, so the figure is the CLI's own start-up (store read, argument parsing, HTTP stack), not the
 * sandbox's. Kept apart from bench.ts so the bench can be reworked around it.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../source/core/store/store.js';
import { timeProcess } from './startup.js';
import { samplePair, summarize } from './stats.js';

export interface StartupRow {
  figure: string;
  candidate: string;
  baseline: string;
  value: string;
  target: string;
  pass: boolean;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function apiExecStartupRows(cli: string, work: string, runs: number): Promise<StartupRow[]> {
  let arrived: (() => void) | undefined;
  const server = createServer((_req, res) => {
    arrived?.();
    const body = '{"chats":[],"count":0,"next_url":null}';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = path.join(work, 'api-exec');
  await openStore({ dir }).save({
    name: 'demo',
    subdomain: 'demo',
    baseUrl,
    clientId: 'bench-client',
    redirectUri: 'http://localhost:8080',
    scopes: ['read', 'write'],
    flow: 'code',
    token: {
      accessToken: 'bench-token-0123456789',
      tokenType: 'Bearer',
      scope: 'read write',
      grant: 'authorization_code',
      obtainedAt: new Date().toISOString(),
    },
  });
  const env = { ...process.env, ZCHAT_AUTH_CONFIG_DIR: dir, NO_COLOR: '1' };

  /** Spawn → the first request at the server; then waits for the exit so runs do not overlap. */
  const toFirstRequest = (args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      let at: number | undefined;
      arrived = () => {
        at ??= performance.now() - started;
      };
      const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        arrived = undefined;
        if (code !== 0 || at === undefined)
          reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
        else resolve(at);
      });
    });

  const rows: StartupRow[] = [];
  try {
    for (const [figure, args] of [
      ['`zchat-auth api chats` → first request', ['api', 'chats']],
      ['`zchat-auth exec -- true` → first request', ['exec', '--', 'true']],
    ] as [string, string[]][]) {
      const pair = await samplePair(
        runs,
        3,
        () => timeProcess(['-e', '0'], env),
        () => toFirstRequest(args),
      );
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
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return rows;
}
