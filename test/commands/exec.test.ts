/** `zchat-auth exec` in process (injected CommandIO) against the sandbox over loopback. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { command, runExec } from '../../source/commands/exec.js';
import { openStore } from '../../source/core/store/store.js';
import type { TokenStore } from '../../source/core/store/types.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { removeDir, tempDir } from '../core/store/helpers.js';
import { sandbox } from '../sandbox/helpers.js';
import { runCommand, saveLoggedIn, testIO } from './io.js';

let sb: Sandbox;
let root: string;
let store: TokenStore;
let access: string;

beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  root = tempDir();
  store = openStore({ dir: path.join(root, 'store') });
  ({ access } = await saveLoggedIn(store, sb));
});
afterEach(() => removeDir(root));

async function exec(argv: string[], raised: string[] = []) {
  const io = testIO(store, { env: { PATH: process.env.PATH } });
  const spawn = (await import('node:child_process')).spawn;
  const code = await runCommand(command, argv, io, (options) =>
    runExec(options, io, { spawn, raise: (signal) => raised.push(signal) }),
  );
  return { code, io };
}

/** A node child that writes what it sees to a file, then exits with `code`. */
function reporter(out: string, code = 0): string[] {
  const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ argv: process.argv.slice(1), env: { token: process.env.ZENDESK_CHAT_TOKEN, api: process.env.ZENDESK_CHAT_API, subdomain: process.env.ZENDESK_CHAT_SUBDOMAIN } })); process.exit(${code})`;
  return ['--', process.execPath, '-e', script, 'an-arg'];
}

describe('exec', () => {
  test('the child gets the token, API root and subdomain in its environment, and its exit code passes through', async () => {
    const out = path.join(root, 'seen.json');
    const { code } = await exec(reporter(out, 7));
    expect(code).toBe(7);
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as { argv: string[]; env: Record<string, string> };
    expect(seen.env).toEqual({ token: access, api: `${sb.url}/api/v2/chat`, subdomain: 'demo' });
    expect(seen.argv).toEqual(['an-arg']);
    expect(JSON.stringify(seen.argv)).not.toContain(access);
  });

  test('the token is checked first: GET /chats before the child runs', async () => {
    const before = sb.stats.requests.length;
    await exec(reporter(path.join(root, 'x.json')));
    expect(sb.stats.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v2/chat/chats 200',
    ]);
  });

  test('an expired token is refreshed before the child runs; the child gets the new one', async () => {
    sb.expireAccessToken(access);
    const out = path.join(root, 'seen.json');
    const { code } = await exec(reporter(out));
    expect(code).toBe(0);
    const token = (JSON.parse(fs.readFileSync(out, 'utf8')) as { env: { token: string } }).env.token;
    expect(token).not.toBe(access);
    expect(token).toBe(store.resolve('demo').token!.accessToken);
    expect(sb.isTokenValid(token)).toBe(true);
  });

  test('a revoked token with no way to refresh: exit 1, the command is not run', async () => {
    await store.update('demo', (p) => ({ ...p, token: { ...p.token!, refreshToken: undefined } as never }));
    sb.revokeAccessToken(access);
    const out = path.join(root, 'seen.json');
    const { code, io } = await exec(reporter(out));
    expect(code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    expect(io.err()).toMatch(/was rejected \(401\): it has expired or was revoked/);
  });

  test('a child killed by SIGTERM: the same signal is raised here, and 143 is the fallback code', async () => {
    const raised: string[] = [];
    const { code } = await exec(
      ['--', process.execPath, '-e', "process.kill(process.pid, 'SIGTERM')"],
      raised,
    );
    expect(raised).toEqual(['SIGTERM']);
    expect(code).toBe(143);
  });

  test('a command that does not exist: 127 and a line saying so', async () => {
    const { code, io } = await exec(['--', 'no-such-command-zchat']);
    expect(code).toBe(127);
    expect(io.err()).toBe('zchat-auth: command not found: no-such-command-zchat\n');
  });

  test('no command: usage, exit 2', async () => {
    const { code, io } = await exec([]);
    expect(code).toBe(2);
    expect(io.err()).toContain('Which command?');
  });
});
