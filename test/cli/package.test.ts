/**
 * The published package, as a user gets it: `npm pack`, then `npm install` of the tarball in an empty
 * directory, offline and with an empty cache: everything but the OS keyring binding is bundled, so the only
 * packages besides ours are @napi-rs/keyring and its native build for this machine, which the test packs
 * from node_modules and installs beside it as the registry would. Then the installed command runs from
 * there: `--version`, the sandbox, a login against it and `token`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanEnv, root, type TempDir, tempDir } from './helpers.js';

const run = promisify(execFile);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};

let tmp: TempDir;
let app: string;
let installed: string;

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(full) : fs.lstatSync(full).size;
  }
  return total;
}

beforeAll(async () => {
  tmp = await tempDir('zchat-pack-');
  // The bundle is already built for this run (globalSetup): pack it as is, without the prepack build.
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp.dir],
    {
      cwd: root,
    },
  );
  const tarball = path.join(tmp.dir, stdout.trim().split('\n').pop()!);
  // The runtime dependencies, and of their optional (per-platform) ones those installed here.
  const runtime: string[] = [];
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    runtime.push(name);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { optionalDependencies?: Record<string, string> };
    for (const optional of Object.keys(manifest.optionalDependencies ?? {})) {
      if (fs.existsSync(path.join(root, 'node_modules', optional))) runtime.push(optional);
    }
  }
  const packed = await run(
    'npm',
    [
      'pack',
      '--ignore-scripts',
      '--silent',
      '--pack-destination',
      tmp.dir,
      ...runtime.map((name) => path.join(root, 'node_modules', name)),
    ],
    { cwd: tmp.dir, env: { ...process.env, npm_config_cache: path.join(tmp.dir, 'empty-cache') } },
  );
  const runtimeTarballs = packed.stdout
    .trim()
    .split('\n')
    .map((name) => path.join(tmp.dir, name));
  app = path.join(tmp.dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true}\n');
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball, ...runtimeTarballs], {
    cwd: app,
    env: { ...process.env, npm_config_cache: path.join(tmp.dir, 'empty-cache') },
  });
  installed = path.join(app, 'node_modules/.bin/zchat-auth');
}, 120_000);
afterAll(async () => {
  await tmp?.remove();
});

describe('the packed tarball, installed offline in an empty directory', () => {
  test('its one runtime dependency is the keyring binding, with one native build; all of it under 5.5 MB', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@napi-rs/keyring']);
    expect(fs.readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([
      '@napi-rs',
      'zendesk-chat-auth',
    ]);
    const napi = fs.readdirSync(path.join(app, 'node_modules/@napi-rs'));
    expect(napi).toContain('keyring');
    expect(napi.filter((name) => name.startsWith('keyring-'))).toHaveLength(1);
    // The keyring's native build is ~3.4 MB; ours is the minified bundle, no source maps, no metafile.
    // dist/ui.cjs (the screens and `login` in one file, for V8's code cache: the tweak
    // dashboard-code-cache) repeats Ink, React and yoga-layout of the ESM chunks (kept for
    // ZCHAT_AUTH_NO_TWEAKS and the other commands): 0.7 MB for ~70 ms off every dashboard start.
    const ours = path.join(app, 'node_modules/zendesk-chat-auth');
    expect(fs.existsSync(path.join(ours, 'dist/meta.json'))).toBe(false);
    expect(
      fs.readdirSync(ours, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map')),
    ).toEqual([]);
    expect(sizeOf(ours)).toBeLessThan(2.1 * 1000 * 1000);
    expect(sizeOf(path.join(app, 'node_modules'))).toBeLessThan(5.5 * 1000 * 1000);
  });

  test('--version, through npx as a user runs it', async () => {
    const { stdout } = await run('npx', ['--offline', '--no-install', 'zchat-auth', '--version'], {
      cwd: app,
      env: cleanEnv(tmp.dir),
    });
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  test('runs the sandbox, logs in against it and prints the token', async () => {
    const configDir = path.join(tmp.dir, 'config');
    fs.mkdirSync(configDir, { mode: 0o700 });
    const env = cleanEnv(configDir);
    const sandbox: ChildProcess = spawn(installed, ['sandbox', '--port', '0'], { cwd: app, env });
    try {
      let banner = '';
      sandbox.stdout!.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        sandbox.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${banner}`)));
        sandbox.stdout!.on('data', (chunk: string) => {
          banner += chunk;
          if (banner.includes('Ctrl+C')) resolve();
        });
      });
      const field = (name: string) => new RegExp(`${name}\\s+(\\S+)`).exec(banner)![1]!;
      const url = /running at (http:\/\/\S+)/.exec(banner)![1]!;
      const clientId = field('client id');
      // The emulator's client starts public; client credentials need a confidential one.
      const admin = { Authorization: `Bearer ${field('admin token')}`, 'Content-Type': 'application/json' };
      const clients = (await (
        await fetch(`${url}/api/v2/chat/oauth/clients`, { headers: admin })
      ).json()) as {
        id: number;
        client_identifier: string;
      }[];
      const client = clients.find((c) => c.client_identifier === clientId)!;
      const made = await fetch(`${url}/api/v2/chat/oauth/clients/${client.id}`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ client_type: 'confidential' }),
      });
      expect(made.status).toBe(200);
      const login = await run(
        installed,
        [
          'login',
          '--base-url',
          url,
          '--subdomain',
          'demo',
          '--client-id',
          clientId,
          '--flow',
          'client-credentials',
        ],
        { cwd: app, env: { ...env, ZENDESK_CHAT_CLIENT_SECRET: field('client secret') } },
      );
      expect(login.stderr).not.toContain(field('client secret'));
      const { stdout: token } = await run(installed, ['token'], { cwd: app, env });
      expect(token).toMatch(/^\S{20,}\n$/);
      const chats = await fetch(`${url}/api/v2/chat/chats`, {
        headers: { Authorization: `Bearer ${token.trim()}` },
      });
      expect(chats.status).toBe(200);
    } finally {
      sandbox.kill('SIGTERM');
    }
  });
});
