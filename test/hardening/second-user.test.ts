/**
 * The store refuses places it does not own (ssh's StrictModes), with a second local user as the attacker:
 * a config directory another user owns (with a planted profile, a pre-made empty store, or a symlinked
 * config.json), a shared sticky directory like /tmp, and a directory writable by its group. Each is refused
 * with a sentence and a fix, nothing is written or sent, and `doctor` never advises chmod on a directory the
 * user does not own. The second user is `nobody` (uid 65534); the other side runs through setpriv.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { bin, cleanEnv, ensureBuilt, expectSentence, type Finished, root, runCli } from './helpers.js';

const OTHER = { uid: 65534, gid: 65534 };
const uid = process.geteuid?.();
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
const cannotSwitch =
  process.platform === 'win32'
    ? 'Windows has no uids'
    : uid !== 0
      ? `running as uid ${uid}, not root: files of another user cannot be made here`
      : !setpriv
        ? 'setpriv is not installed (util-linux)'
        : undefined;
if (cannotSwitch) {
  // Loud on purpose: these rows are the proof for the second-user findings.
  console.warn(`SKIPPING the second-user store tests: ${cannotSwitch}.`);
}

let base: string;
let attackerHits = 0;
let attacker: http.Server;
let attackerUrl: string;
beforeAll(async () => {
  ensureBuilt();
  // Traversable by the other user (0755), unlike the usual private temp dirs.
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-2nd-user-'));
  fs.chmodSync(base, 0o755);
  attacker = http.createServer((req, res) => {
    attackerHits++;
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'attacker-token', token_type: 'Bearer', scope: 'read' }));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  attacker.closeAllConnections();
  await new Promise<void>((resolve) => attacker.close(() => resolve()));
  fs.rmSync(base, { recursive: true, force: true });
});

let n = 0;
function place(o: { owner?: typeof OTHER; mode?: number } = {}): string {
  const dir = path.join(base, `store-${n++}`);
  fs.mkdirSync(dir);
  fs.chmodSync(dir, o.mode ?? 0o755);
  if (o.owner) fs.chownSync(dir, o.owner.uid, o.owner.gid);
  return dir;
}

function planted(dir: string, content: unknown, owner = OTHER): string {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(content), { mode: 0o644 });
  fs.chownSync(file, owner.uid, owner.gid);
  return file;
}

const plantedProfile = () => ({
  schemaVersion: 1,
  defaultProfile: 'demo',
  profiles: {
    demo: {
      name: 'demo',
      subdomain: 'demo',
      baseUrl: attackerUrl,
      clientId: 'victim_client',
      redirectUri: 'http://localhost:8080',
      scopes: ['read'],
      flow: 'client-credentials',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
  },
});

const sampleProfile = {
  name: 'mine',
  subdomain: 'demo',
  clientId: 'client',
  clientSecret: 'victim-client-secret',
  redirectUri: 'http://localhost:8080',
  scopes: ['read'],
  flow: 'implicit' as const,
};

/** The built CLI as the other user (setpriv drops to its uid and gid, no extra groups). */
function runAsOther(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      setpriv!,
      [
        `--reuid=${OTHER.uid}`,
        `--regid=${OTHER.gid}`,
        '--clear-groups',
        '--',
        process.execPath,
        bin,
        ...args,
      ],
      { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

interface DoctorJson {
  checks: { name: string; verdict: string; detail: string; fix?: string }[];
}

function storeCheck(result: Finished) {
  return (JSON.parse(result.stdout) as DoctorJson).checks.find((c) => c.name === 'store')!;
}

describe.skipIf(cannotSwitch)('a config directory another user controls', () => {
  test('a planted profile: nothing is sent to its base URL; status, login and doctor refuse', async () => {
    const dir = place({ owner: OTHER });
    planted(dir, plantedProfile());
    attackerHits = 0;
    const env = cleanEnv(dir, { ZENDESK_CHAT_CLIENT_SECRET: 'victim-client-secret' });
    const login = await runCli(
      ['login', '--flow', 'client-credentials', '--profile', 'demo', '--no-tui'],
      env,
    );
    const status = await runCli(['status'], env);
    for (const result of [login, status]) {
      expect(result.code).not.toBe(0);
      expect(expectSentence(result)).toMatch(
        /belongs to another user \(uid 65534\).*Point ZCHAT_AUTH_CONFIG_DIR at a directory of your own/,
      );
    }
    expect(attackerHits).toBe(0);
    const doctor = await runCli(['doctor', '--json'], env);
    expect(storeCheck(doctor)).toMatchObject({ verdict: 'fail' });
    expect(storeCheck(doctor).detail).toMatch(/belongs to another user/);
    expect(JSON.stringify(storeCheck(doctor))).not.toMatch(/chmod/);
    expect(attackerHits).toBe(0);
  });

  test('a pre-made empty store: a write is refused, not handed to its owner', async () => {
    const dir = place({ owner: OTHER });
    const file = planted(dir, {});
    await expect(openStore({ dir }).save(sampleProfile)).rejects.toThrow(/belongs to another user/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{}');
    expect(fs.statSync(file).uid).toBe(OTHER.uid);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  test('the directory alone, empty: no store is created in it', async () => {
    const dir = place({ owner: OTHER, mode: 0o777 & ~0o022 });
    await expect(openStore({ dir }).save(sampleProfile)).rejects.toThrow(/belongs to another user/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a symlinked config.json: the file it points at is neither read nor overwritten', async () => {
    const dir = place({ owner: OTHER });
    const precious = path.join(place(), 'precious.txt');
    fs.writeFileSync(precious, 'precious');
    const link = path.join(dir, 'config.json');
    fs.symlinkSync(precious, link);
    fs.lchownSync(link, OTHER.uid, OTHER.gid);
    await expect(openStore({ dir }).save(sampleProfile)).rejects.toThrow(/another user|symbolic link/);
    expect(fs.readFileSync(precious, 'utf8')).toBe('precious');
  });

  test('seen from the other side: a store directory of root is refused to nobody, without chmod advice', async () => {
    const dir = place({ mode: 0o755 });
    const env = { ...cleanEnv(dir), HOME: dir };
    const status = await runAsOther(['status'], env);
    expect(status.code).not.toBe(0);
    expect(expectSentence(status)).toMatch(/belongs to another user \(root\)/);
    const doctor = await runAsOther(['doctor', '--json'], env);
    expect(storeCheck(doctor).detail).toMatch(/belongs to another user \(root\)/);
    expect(JSON.stringify(storeCheck(doctor))).not.toMatch(/chmod/);
  });

  test('a shared sticky directory like /tmp: refused for its owner and for everyone else', async () => {
    const dir = place({ mode: 0o1777 });
    await expect(openStore({ dir }).save(sampleProfile)).rejects.toThrow(/shared directory anyone can write/);
    const asOther = await runAsOther(['doctor', '--json'], { ...cleanEnv(dir), HOME: dir });
    expect(storeCheck(asOther).detail).toMatch(/shared directory anyone can write/);
    expect(JSON.stringify(storeCheck(asOther))).not.toMatch(/chmod/);
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('places of the user’s own that are still unsafe (no second user needed)', () => {
  test.skipIf(process.platform === 'win32')(
    'a symlink at config.json in the own directory is refused, read or write',
    async () => {
      const dir = place({ mode: 0o700 });
      const target = path.join(place({ mode: 0o700 }), 'real.json');
      await openStore({ dir: path.dirname(target) }).save(sampleProfile);
      fs.renameSync(path.join(path.dirname(target), 'config.json'), target);
      fs.symlinkSync(target, path.join(dir, 'config.json'));
      const before = fs.readFileSync(target, 'utf8');
      const store = openStore({ dir });
      expect(() => store.list()).toThrow(/symbolic link/);
      await expect(store.save({ ...sampleProfile, name: 'other' })).rejects.toThrow(/symbolic link/);
      expect(fs.readFileSync(target, 'utf8')).toBe(before);
      const doctor = await runCli(['doctor', '--json'], cleanEnv(dir));
      expect(storeCheck(doctor)).toMatchObject({ verdict: 'fail' });
      expect(storeCheck(doctor).detail).toMatch(/symbolic link/);
    },
  );

  test.skipIf(process.platform === 'win32')(
    'a group-writable directory of the user is refused, and here chmod is the right advice',
    async () => {
      const dir = place({ mode: 0o770 });
      await expect(openStore({ dir }).save(sampleProfile)).rejects.toThrow(/can be written by its group/);
      const doctor = await runCli(['doctor', '--json'], cleanEnv(dir));
      expect(storeCheck(doctor).fix).toBe(
        `Run \`chmod 700 '${dir}'\` (it is yours), or point ZCHAT_AUTH_CONFIG_DIR elsewhere.`,
      );
    },
  );
});
