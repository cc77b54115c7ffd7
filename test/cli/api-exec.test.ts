/**
 * `api` and `exec` through the BUILT CLI: a real process against the sandbox, so what `ps` shows and how
 * a signal ends it are what a user gets.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { startSandbox } from '../../source/sandbox/server.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { saveLoggedIn } from '../commands/io.js';
import { sampleProfile } from '../core/store/helpers.js';
import { codeToken } from '../sandbox/helpers.js';
import {
  cleanEnv,
  ensureBuilt,
  readStore,
  runBuilt as runCli,
  startBuilt as startCli,
  type TempDir,
  tempDir,
} from './helpers.js';

let sb: Sandbox;
let tmp: TempDir;
let env: NodeJS.ProcessEnv;
let access: string;

beforeAll(async () => {
  ensureBuilt();
  sb = await startSandbox({ quiet: true });
  tmp = await tempDir();
  env = cleanEnv(tmp.dir);
  const pair = await codeToken(sb);
  access = pair.access_token;
  await openStore({ dir: tmp.dir }).save(
    sampleProfile('demo', {
      subdomain: 'demo',
      baseUrl: sb.url,
      clientId: sb.demo.clientId,
      token: {
        accessToken: access,
        refreshToken: pair.refresh_token,
        tokenType: 'Bearer',
        scope: 'read write',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
      },
    }),
  );
}, 120_000);
afterAll(async () => {
  await sb.close();
  await tmp.remove();
});

describe('api (built CLI)', () => {
  test('--paginate --slurp in a pipe: one compact JSON array of the 3 pages, exit 0', async () => {
    const result = await runCli(['api', 'chats', '-f', 'limit=5', '--paginate', '--slurp'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(2);
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(3);
  });

  test('a foreign origin: exit 2, one line, nothing on stdout', async () => {
    const result = await runCli(['api', 'https://example.com/api/v2/chat/chats'], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^zchat-auth: https:\/\/example\.com is not on the profile's origin .*\n$/);
  });
});

/**
 * `api` and `exec` run from the one-file bundle (dist/fast.cjs); a refresh takes got, the lock and the
 * store's writer from the ESM bundle's chunks. These run that path as a user meets it.
 */
describe('a 401 in the built CLI: the refresh comes from the ESM chunks', () => {
  /** A store of its own with one profile: a fresh token pair, or the refresh token given. */
  async function profileDir(refreshToken?: string) {
    const dir = await tempDir();
    const { access } = await saveLoggedIn(
      openStore({ dir: dir.dir }),
      sb,
      {},
      refreshToken ? { refreshToken } : {},
    );
    return { dir, access };
  }

  test('api: refreshes, retries, exits 0, and the new token is stored', async () => {
    const { dir, access: old } = await profileDir();
    try {
      sb.expireAccessToken(old);
      const result = await runCli(['api', 'chats'], cleanEnv(dir.dir));
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('refreshed it and retried');
      expect(JSON.parse(result.stdout).chats.length).toBeGreaterThan(0);
      const stored = readStore(dir.dir).profiles.demo!.token!.accessToken;
      expect(stored).not.toBe(old);
      expect(sb.isTokenValid(stored)).toBe(true);
    } finally {
      await dir.remove();
    }
  });

  // The refusal is a ZchatError made by the ESM chunk's copy of errors.ts: the one-file bundle must still
  // know it for one (not "Something unexpected went wrong").
  test('exec: a refresh token the server refuses ends in its own message, exit 1, the command not run', async () => {
    const { dir, access: old } = await profileDir('not-a-refresh-token');
    try {
      sb.expireAccessToken(old);
      const result = await runCli(
        ['exec', '--', process.execPath, '-e', 'console.log("ran")'],
        cleanEnv(dir.dir),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toContain('Something unexpected');
      expect(result.stderr).toMatch(/^zchat-auth: .*refresh token/i);
    } finally {
      await dir.remove();
    }
  });
});

describe('exec (built CLI)', () => {
  // /proc is Linux's; the test machines are Linux.
  test('the token is in the child environment but in no process argument list; SIGTERM to the child ends zchat-auth by SIGTERM', async () => {
    const script = 'console.log(process.pid); setInterval(() => {}, 1000)';
    const cli = startCli(['exec', '--', process.execPath, '-e', script], env);
    const [, pid] = await cli.waitFor(/^(\d+)\n/, 'stdout');
    const childArgs = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const cliArgs = fs.readFileSync(`/proc/${cli.child.pid}/cmdline`, 'utf8');
    expect(childArgs).toContain('setInterval');
    expect(childArgs).not.toContain(access);
    expect(cliArgs).toContain('exec');
    expect(cliArgs).not.toContain(access);
    expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(
      `ZENDESK_CHAT_TOKEN=${access}`,
    );
    process.kill(Number(pid), 'SIGTERM');
    const result = await cli.finished;
    expect(result.signal).toBe('SIGTERM');
    expect(result.stderr).toBe('');
  });

  test('exit codes pass through', async () => {
    const result = await runCli(['exec', '--', process.execPath, '-e', 'process.exit(42)'], env);
    expect(result.code).toBe(42);
  });
});
