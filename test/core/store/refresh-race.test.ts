import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../../source/core/store/store.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { saveLoggedIn } from '../../commands/io.js';
import { sandbox } from '../../sandbox/helpers.js';
import { keyringMode } from '../../secrets-mode.js';
import { bundleChild, removeDir, tempDir } from './helpers.js';

let work: string;
let refresher: string;
let sb: Sandbox;

beforeAll(async () => {
  work = tempDir();
  [refresher, sb] = await Promise.all([bundleChild('refresher', work), sandbox()]);
});
afterAll(async () => {
  await sb?.close();
  removeDir(work);
});

interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  exit: Promise<number | null>;
}

function start(dir: string): Child {
  const child = spawn(process.execPath, [refresher, dir]);
  const lines: string[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.resume();
  return { process: child, lines, exit: new Promise((r) => child.on('exit', r)) };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('two processes refreshing the same profile at once', () => {
  test('the refresh token is spent once and both end with the same valid token', async () => {
    const dir = `${work}/race`;
    const store = openStore({ dir });
    const pair = await saveLoggedIn(store, sb);
    // A slow token endpoint keeps the winner inside the lock long after the loser has read the profile.
    const unslow = sb.inject({ kind: 'slow', path: '/oauth2/chat/token', delayMs: 400 });
    const before = sb.stats.tokenRequests.refresh_token ?? 0;

    const children = [start(dir), start(dir)];
    await expect.poll(() => children.every((c) => c.lines.includes('ready')), { timeout: 10_000 }).toBe(true);
    for (const c of children) c.process.stdin.end('go\n');
    const codes = await Promise.all(children.map((c) => c.exit));
    unslow();

    const outcomes = children.map(
      (c) => JSON.parse(c.lines.at(-1)!) as { rotatedElsewhere: boolean; sha: string },
    );
    expect(codes).toEqual([0, 0]);
    expect((sb.stats.tokenRequests.refresh_token ?? 0) - before).toBe(1);
    expect(outcomes.map((o) => o.rotatedElsewhere).sort()).toEqual([false, true]);

    const stored = store.get('demo')!.token!;
    expect(outcomes[0]!.sha).toBe(sha(stored.accessToken));
    expect(outcomes[1]!.sha).toBe(sha(stored.accessToken));
    expect(stored.accessToken).not.toBe(pair.access);
    expect(stored.refreshToken).not.toBe(pair.refresh);
    expect(stored.grant).toBe('refresh_token');
    expect(sb.isTokenValid(stored.accessToken)).toBe(true);
    expect(sb.isTokenValid(pair.access)).toBe(false);
    // Where the secrets went: the keyring (only masked in the file), or the file.
    const file = fs.readFileSync(store.path, 'utf8');
    expect(store.get('demo')!.secretsIn).toBe(keyringMode ? 'keyring' : 'file');
    if (keyringMode) expect(file).not.toContain(stored.refreshToken!);
    else expect(file).toContain(stored.refreshToken!);
  }, 30_000);
});
