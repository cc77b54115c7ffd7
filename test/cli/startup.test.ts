/**
 * What the fast paths load. `--version`, `--help`, `token` and `status` must not load Ink, React or got
 * (start-up time is a feature, ARCHITECTURE.md). A module hook records every ES module the built CLI
 * loads, and the CommonJS files (dist/start.cjs, dist/fast.cjs) are read from require.cache at exit; the
 * build's metafile (dist/meta.json) names the packages each file contains.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTerminal } from '../e2e/helpers/terminal.js';
import { bundleOutputs, packagesIn } from './bundle.js';
import {
  bin,
  cleanEnv,
  ensureBuilt,
  freePort,
  root,
  type TempDir,
  tempDir,
  writeStoredToken,
} from './helpers.js';

let tmp: TempDir;
let register: string;

beforeAll(async () => {
  ensureBuilt();
  tmp = await tempDir();
  const hooks = path.join(tmp.dir, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    `import fs from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) fs.appendFileSync(process.env.ZCHAT_LOAD_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  register = path.join(tmp.dir, 'register.mjs');
  fs.writeFileSync(
    register,
    `import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const files = Object.keys(cache).map((file) => pathToFileURL(file).href + '\\n');
  fs.appendFileSync(process.env.ZCHAT_LOAD_LOG, files.join(''));
});
`,
  );
  // A stored token, so `token` and `status` take their real path; its base URL is a closed loopback port,
  // so nothing reaches beyond this machine.
  const closed = await freePort();
  writeStoredToken(tmp.dir, `http://127.0.0.1:${closed}`);
}, 120_000);
afterAll(async () => {
  await tmp.remove();
});

/**
 * The npm packages whose code the CLI loaded for `args`, our own modules by output file (ES modules in
 * load order, then the CommonJS files), and those files' names under dist/.
 */
async function packagesLoaded(
  args: string[],
  configDir = tmp.dir,
): Promise<{ code: number | null; packages: Set<string>; sources: string[][]; files: string[] }> {
  const log = path.join(tmp.dir, `load-${args.join('-')}-${path.basename(configDir)}.log`);
  fs.rmSync(log, { force: true });
  // Not spawnSync: the test's own server must go on answering while the CLI runs.
  const child = spawn(process.execPath, ['--import', register, bin, ...args], {
    cwd: root,
    env: { ...cleanEnv(configDir), ZCHAT_LOAD_LOG: log },
    stdio: 'ignore',
  });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const files = fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((url) => new URL(url).pathname)
    .filter((file) => file.startsWith(path.join(root, 'dist')));
  const outputs = bundleOutputs();
  const packages = new Set<string>();
  const sources: string[][] = [];
  for (const file of files) {
    for (const name of packagesIn(file, outputs)) packages.add(name);
    const output = outputs.find((o) => o.file === path.relative(path.join(root, 'dist'), file));
    sources.push(Object.keys(output?.inputs ?? {}).filter((input) => input.startsWith('source/')));
  }
  return {
    code: status,
    packages,
    sources,
    files: files.map((file) => path.relative(path.join(root, 'dist'), file)),
  };
}

/** The position in `sources` of the first chunk holding `module`. */
function chunkOf(sources: string[][], module: string): number {
  return sources.findIndex((chunk) => chunk.includes(module));
}

describe('fast paths load no Ink, React or got', () => {
  test.each([
    [['--version']],
    [['--help']],
    [['token']],
    [['status']],
    [['status', '--json']],
    [['token', '--help']],
  ])('zchat-auth %j', async (args) => {
    const { code, packages } = await packagesLoaded(args);
    expect(code).toBe(0);
    for (const heavy of ['ink', 'react', 'got', 'conf', 'yoga-layout', 'open']) {
      expect(packages).not.toContain(heavy);
    }
  });

  // node:crypto costs ~2% of `token`'s start (it hashes nothing); it loads when something hashes. `status`
  // prints no token hash, so it hashes none (1,000 hashes were a third of its listing); `test` hashes the
  // token it sends (the server's token list is matched by hash), so the check can fail.
  test.each([
    [['token'], false, 0],
    [['--version'], false, 0],
    [['status', '--json'], false, 0],
    [['status'], false, 0],
    [['test'], true, 1],
  ])('zchat-auth %j loads node:crypto: %s', async (args, loads, exitCode) => {
    const { spawn } = await import('node:child_process');
    const log = path.join(tmp.dir, `builtins-${args.join('-')}.json`);
    const probe = path.join(tmp.dir, 'builtins.mjs');
    fs.writeFileSync(
      probe,
      `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(process.env.ZCHAT_BUILTINS_LOG, JSON.stringify(process.moduleLoadList)));\n`,
    );
    // `test` needs an answer: a server that refuses the token at once (see the got check below).
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = path.join(tmp.dir, `crypto-${args.join('-')}`);
    writeStoredToken(dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    // Not spawnSync: the server must go on answering while the CLI runs.
    const child = spawn(process.execPath, ['--import', probe, bin, ...args], {
      cwd: root,
      env: { ...cleanEnv(dir), ZCHAT_BUILTINS_LOG: log },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve)).finally(() =>
      server.close(),
    );
    expect(code).toBe(exitCode);
    const crypto = (JSON.parse(fs.readFileSync(log, 'utf8')) as string[]).filter(
      (m) => m === 'NativeModule crypto',
    );
    expect(crypto.length > 0).toBe(loads);
  });

  // Node's ESM loader (its module jobs, an asynchronous read per chunk) cost `api chats` ~20 ms of its start
  // and `token` ~25 ms: these run from one CommonJS file. A --require probe starts no ESM loader itself.
  test.each([
    [['token'], false],
    [['api', 'chats'], false],
    [['exec', '--', 'true'], false],
    [['--profile', 'demo', 'token', '--help'], false],
    [['status'], false],
    [['status', '--json'], false],
    [['help', 'token'], true],
  ])('zchat-auth %j starts the ESM loader: %s (node:vm: the opposite)', async (args, starts) => {
    const { spawnSync } = await import('node:child_process');
    const log = path.join(tmp.dir, `esm-${args.join('-')}.json`);
    const probe = path.join(tmp.dir, 'esm-probe.cjs');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(process.env.ZCHAT_BUILTINS_LOG, JSON.stringify(process.moduleLoadList)));\n`,
    );
    const result = spawnSync(process.execPath, ['--require', probe, bin, ...args], {
      cwd: root,
      env: { ...cleanEnv(tmp.dir), ZCHAT_BUILTINS_LOG: log },
      encoding: 'utf8',
    });
    // api and exec fail at their request (a closed port); what was loaded by then is the point.
    expect(result.status).toBe(args[0] === 'api' || args[0] === 'exec' ? 1 : 0);
    const loaded = JSON.parse(fs.readFileSync(log, 'utf8')) as string[];
    expect(loaded.includes('NativeModule internal/modules/esm/module_job')).toBe(starts);
    // node:vm runs the one-file bundle (fast-loader.ts); the ESM command lines never load it.
    expect(loaded.includes('NativeModule vm')).toBe(!starts);
  });

  // node:tty and node:net load Node's streams and sockets (30-odd modules): `token` and `status --json` in a
  // script, stdin /dev/null and stdout a pipe or /dev/null, write with fs.writeSync and ask isatty of
  // neither. `api` opens a socket, so the check can fail.
  test.each([
    [['token'], 'pipe', false],
    [['status', '--json'], 'pipe', false],
    [['status'], 'pipe', false],
    [['token'], '/dev/null', false],
    [['status', '--json'], '/dev/null', false],
    [['api', 'chats'], 'pipe', true],
  ])('zchat-auth %j, stdout %s, loads node:net and node:tty: %s', async (args, stdout, loads) => {
    const { spawnSync } = await import('node:child_process');
    const log = path.join(tmp.dir, `net-${args.join('-')}.json`);
    const probe = path.join(tmp.dir, 'net-probe.cjs');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(process.env.ZCHAT_BUILTINS_LOG, JSON.stringify(process.moduleLoadList)));\n`,
    );
    const devNull = stdout === '/dev/null' ? fs.openSync('/dev/null', 'w') : undefined;
    const result = spawnSync(process.execPath, ['--require', probe, bin, ...args], {
      cwd: root,
      env: { ...cleanEnv(tmp.dir), ZCHAT_BUILTINS_LOG: log },
      encoding: 'utf8',
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    if (devNull !== undefined) fs.closeSync(devNull);
    // `api` fails at its request (a closed port); what it loaded by then is the point.
    expect(result.status).toBe(args[0] === 'api' ? 1 : 0);
    if (stdout === 'pipe' && !loads) expect(result.stdout.length).toBeGreaterThan(0);
    const loaded = JSON.parse(fs.readFileSync(log, 'utf8')) as string[];
    expect(loaded.includes('NativeModule net')).toBe(loads);
    if (!loads) expect(loaded.includes('NativeModule tty')).toBe(false);
  });

  // Their first request fails here (the base URL is a closed port): what they load up to it is the point.
  test.each([[['api', 'chats']], [['exec', '--', 'true']]])(
    'zchat-auth %j makes its request without got, conf, Ink or React',
    async (args) => {
      const { code, packages, files } = await packagesLoaded(args);
      expect(code).toBe(1);
      expect(files).toContain('fast.cjs');
      for (const heavy of ['ink', 'react', 'got', 'conf', '@inkjs/ui', 'yoga-layout', 'open', 'zod']) {
        expect(packages).not.toContain(heavy);
      }
    },
  );

  // A command's module used to be read only once the services had loaded: two rounds of file reads in turn.
  // `status --json` at 1,000 profiles: the ESM path (loader, a read per chunk) cost it about 30 ms of CPU.
  test('`status` and `status --json` read start.cjs and fast.cjs only (no ESM chunk)', async () => {
    for (const args of [['status'], ['status', '--json']]) {
      const { code, files, sources } = await packagesLoaded(args);
      expect(code).toBe(0);
      expect(files.sort()).toEqual(['fast.cjs', 'start.cjs']);
      expect(chunkOf(sources, 'source/commands/status.ts')).toBeGreaterThanOrEqual(0);
    }
  });

  // `--version` alone is answered by start.cjs: the ESM bundle's loader and chunks were a third of its start.
  test('`--version` and `-v` read start.cjs only; with another option they go through the ESM bundle', async () => {
    for (const flag of ['--version', '-v']) {
      const { code, files } = await packagesLoaded([flag]);
      expect(code).toBe(0);
      expect(files).toEqual(['start.cjs']);
    }
    const both = await packagesLoaded(['--version', '--sandbox']);
    expect(both.code).toBe(0);
    expect(both.files).toContain('cli.js');
  });

  // The debug log is in fast.cjs, bundled behind its dynamic import: it runs only when ZCHAT_AUTH_DEBUG is set.
  test('`token` reads start.cjs and fast.cjs only (no help text, no ESM chunk); `--help` loads the help', async () => {
    const token = await packagesLoaded(['token']);
    expect(token.code).toBe(0);
    expect(token.files.sort()).toEqual(['fast.cjs', 'start.cjs']);
    expect(chunkOf(token.sources, 'source/commands/help.ts')).toBe(-1);
    const help = await packagesLoaded(['--help']);
    expect(chunkOf(help.sources, 'source/commands/help.ts')).toBeGreaterThanOrEqual(0);
  });

  test('`api chats` answered 200 reads two files of dist/: start.cjs and fast.cjs, no ESM chunk', async () => {
    const http = await import('node:http');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"chats":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dir = path.join(tmp.dir, 'answered');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stored = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'config.json'), 'utf8'));
      stored.profiles.demo.baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(stored), { mode: 0o600 });
      const { code, sources, files } = await packagesLoaded(['api', 'chats'], dir);
      expect(code).toBe(0);
      expect(chunkOf(sources, 'source/core/api-call.ts')).toBeGreaterThanOrEqual(0);
      expect(files.sort()).toEqual(['fast.cjs', 'start.cjs']);
    } finally {
      server.close();
    }
  });

  // A GET's first attempt is made without got (http.ts); got loads for its retries. A server that refuses
  // the token at once, after one 503 or none (a closed port is retried for seconds before `test` gives up).
  test.each([
    [0, false],
    [1, true],
  ])(
    '`test` answered 401 after %i 503s: got loaded %s (so the check above can fail)',
    async (busy, loadsGot) => {
      let left = busy;
      const server = http.createServer((_req, res) => {
        if (left-- > 0) res.writeHead(503, { 'retry-after': '0' }).end();
        else res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const dir = path.join(tmp.dir, `refusing-${busy}`);
      writeStoredToken(dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const { code, packages } = await packagesLoaded(['test'], dir).finally(() => server.close());
      expect(code).toBe(1);
      expect(packages.has('got')).toBe(loadsGot);
    },
  );
});

// A token POST goes over node:http too (http.ts, firstAttempt): got, warm, took 4-6 ms of a login's redirect
// → stored time. A refresh the server refuses: the POST is made, and got never loads.
test('`refresh` refused with invalid_grant makes its token POST without got', async () => {
  const posts: string[] = [];
  const server = http.createServer((req, res) => {
    posts.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = path.join(tmp.dir, 'refresh-refused');
  writeStoredToken(dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const file = path.join(dir, 'config.json');
  const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  stored.profiles.demo.token.refreshToken = 'hrt_0123456789abcdef0123456789';
  fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  const { code, packages } = await packagesLoaded(['refresh'], dir).finally(() => server.close());
  expect(posts).toEqual(['POST /oauth2/chat/token']);
  expect(code).toBe(1);
  expect(packages.has('got')).toBe(false);
});

/** Runs the dashboard to its first frame; says what was loaded by then and whether fetch was put back. */
async function firstFrame(
  extraEnv: Record<string, string> = {},
  o: { configDir?: string; id?: string; thenWaitFor?: RegExp; watchRequests?: boolean } = {},
) {
  const id = o.id ?? (Object.keys(extraEnv).join('-') || 'default');
  const probeLog = path.join(tmp.dir, `probe-${id}.json`);
  const probe = path.join(tmp.dir, `probe-${id}.mjs`);
  fs.writeFileSync(
    probe,
    `import fs from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
const original = globalThis.fetch;
if (process.argv[1] === ${JSON.stringify(bin)}) {
  const requested = [];
  ${
    o.watchRequests
      ? `const http = process.getBuiltinModule('node:http');
  const request = http.request;
  http.request = function (...args) {
    requested.push(String(args[0]?.pathname ?? args[0]));
    return request.apply(this, args);
  };`
      : ''
  }
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    if (String(chunk).includes('Tokens') && !fs.existsSync(${JSON.stringify(probeLog)})) {
      fs.writeFileSync(${JSON.stringify(probeLog)}, JSON.stringify({
        undici: process.moduleLoadList.filter((m) => m.includes('undici')),
        fetchRestored: globalThis.fetch === original,
        requested,
        youngBytes: getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size,
        builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
        loaded: fs.readFileSync(process.env.ZCHAT_LOAD_LOG, 'utf8').trim().split('\\n'),
      }));
    }
    return write(chunk, ...rest);
  };
}
`,
  );
  const loadLog = path.join(tmp.dir, `load-dashboard-${id}.log`);
  const term = startTerminal([], {
    ...cleanEnv(o.configDir ?? tmp.dir),
    ...extraEnv,
    NODE_OPTIONS: `--import ${register} --import ${probe}`,
    ZCHAT_LOAD_LOG: loadLog,
  });
  try {
    await term.waitForScreen(/Tokens/);
    if (o.thenWaitFor) await term.waitForScreen(o.thenWaitFor);
    term.press('q');
    expect((await term.ended).code).toBe(0);
  } finally {
    term.kill();
  }
  const loaded = fs
    .readFileSync(loadLog, 'utf8')
    .trim()
    .split('\n')
    .map((url) => new URL(url).pathname)
    .filter((file) => file.startsWith(path.join(root, 'dist')));
  const atFrame = JSON.parse(fs.readFileSync(probeLog, 'utf8')) as {
    undici: string[];
    fetchRestored: boolean;
    requested: string[];
    builtins: string[];
    loaded: string[];
    youngBytes: number;
  };
  const inDist = (urls: string[]) =>
    urls.map((url) => new URL(url).pathname).filter((file) => file.startsWith(path.join(root, 'dist')));
  return {
    undici: atFrame.undici,
    fetchRestored: atFrame.fetchRestored,
    /** The paths node:http was asked for by the first frame (with watchRequests). */
    requestedAtFrame: atFrame.requested,
    /** The size of V8's young generation at the first frame. */
    youngBytesAtFrame: atFrame.youngBytes,
    /** Node's built-in modules loaded by the first frame. */
    builtinsAtFrame: atFrame.builtins,
    /** The files of dist/ loaded by the first frame. */
    loadedAtFrame: inDist(atFrame.loaded),
    loaded,
    /** The npm packages whose code the dashboard loaded by the time it quit. */
    packages: new Set(loaded.flatMap((file) => [...packagesIn(file, bundleOutputs())])),
  };
}

/** The dashboard from the ESM bundle's chunks, whose loads the hooks see one by one. */
const ESM = { ZCHAT_AUTH_NO_TWEAKS: 'dashboard-code-cache' };

describe('what the dashboard loads for its screens', () => {
  // Ink's layout engine reads its inline wasm with fetch() when a global fetch exists, which loads undici:
  // about 25 ms of the first frame. loadUi hides fetch while the screens load and puts it back after.
  test('dist/ui.cjs (the default): no undici by the first frame, fetch back afterwards, one-byte file', async () => {
    const { undici, fetchRestored, loaded, loadedAtFrame } = await firstFrame({}, { id: 'ui-undici' });
    expect({ undici, fetchRestored }).toEqual({ undici: [], fetchRestored: true });
    // dist/ui.cjs, and no ESM chunk by the first frame (the tweak dashboard-code-cache).
    expect(loaded.map((file) => path.basename(file))).toContain('ui.cjs');
    expect(loadedAtFrame.filter((file) => file.includes(`${path.sep}chunks${path.sep}`))).toEqual([]);
    const wide = [...fs.readFileSync(path.join(root, 'dist/ui.cjs'), 'utf8')].filter(
      (ch) => ch.codePointAt(0)! > 0xff,
    );
    expect(wide).toEqual([]);
  });

  // The ESM bundle, as the dashboard runs with dashboard-code-cache off (and as `login` and the rest run).
  test('the ESM bundle: no undici by the first frame, fetch back afterwards, and one-byte chunks only', async () => {
    const { undici, fetchRestored, loaded } = await firstFrame(ESM, { id: 'esm-undici' });
    expect({ undici, fetchRestored }).toEqual({ undici: [], fetchRestored: true });

    // V8 keeps each module's source in the heap, at two bytes a character if any one is beyond Latin-1:
    // a stray comment in the 1 MB UI chunk once cost the dashboard 1 MB of resident memory.
    expect(loaded.some((file) => file.includes('run-ui'))).toBe(true);
    for (const file of loaded) {
      const wide = [...fs.readFileSync(file, 'utf8')].filter((ch) => ch.codePointAt(0)! > 0xff);
      expect(wide, path.basename(file)).toEqual([]);
    }
  });

  // The first frame waits for every module loaded before it. The OAuth redirect server (node:crypto:
  // ~5 ms) loads when a login starts: the screens check a typed redirect URI without it. node:vm (the idle
  // collection's gc()) loads once the screen has been idle. got loads for a GET's retries and for writes
  // only (the test below). node:http does load: the account's lists are asked for beside the screens.
  test('dist/ui.cjs: by the first frame, no node:crypto (node:vm: the code cache loads it)', async () => {
    const { builtinsAtFrame } = await firstFrame({}, { id: 'ui-builtins' });
    expect(builtinsAtFrame).toContain('tty');
    expect(builtinsAtFrame.filter((id) => id === 'crypto')).toEqual([]);
  });

  test('the ESM bundle: by the first frame, no redirect server, got, node:crypto or node:vm', async () => {
    const { builtinsAtFrame, loadedAtFrame } = await firstFrame(ESM, { id: 'esm-builtins' });
    expect(loadedAtFrame.some((file) => file.includes('run-ui'))).toBe(true);
    const sources = loadedAtFrame.flatMap((file) => {
      const output = bundleOutputs().find((o) => o.file === path.relative(path.join(root, 'dist'), file));
      return Object.keys(output?.inputs ?? {});
    });
    expect(sources).not.toContain('source/core/oauth/loopback-server.ts');
    expect(sources).toContain('source/core/oauth/loopback-target.ts');
    expect(builtinsAtFrame).toContain('tty');
    expect(builtinsAtFrame.filter((id) => id === 'crypto' || id === 'vm')).toEqual([]);
    expect(sources.filter((file) => file.includes('node_modules/got/'))).toEqual([]);
  });

  // Held at its start size until the first frame, the young generation took 18 scavenges to it with 1,000
  // profiles and 58 with 10,000: it is grown to its screen size (heap.ts) before the modules load.
  test('the young generation is at its screen size, 8 MB, by the first frame', async () => {
    const { youngBytesAtFrame } = await firstFrame();
    expect(youngBytesAtFrame / 1024 / 1024).toBe(8);
  });

  // Fetched with got, the lists came 120-170 ms after the first frame with 1,000 clients, ~60 ms of it
  // loading got before the requests left; a GET's first attempt now goes over node:http. Asked for once
  // the first frame was drawn, they still came 110-125 ms after it: they are asked for beside the
  // screens' loading, once, and the dashboard takes those answers over instead of asking again.
  test.each([
    ['dist/ui.cjs', {}],
    ['the ESM bundle', ESM],
  ])(
    "%s: the account's two lists are asked for once, before the first frame, and fill the panes without got",
    async (_name, env) => {
      const asked: string[] = [];
      const server = http.createServer((req, res) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        asked.push(path);
        res.writeHead(200, { 'content-type': 'application/json' });
        if (path.endsWith('/oauth/clients')) {
          res.end(
            JSON.stringify({
              clients: [7, 8].map((id) => ({ id, name: `Listed ${id}`, client_identifier: `listed_${id}` })),
            }),
          );
        } else if (path.endsWith('/oauth/tokens')) {
          res.end(JSON.stringify({ tokens: [{ id: 41, scopes: 'read' }] }));
        } else res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const dir = path.join(tmp.dir, `lists-${_name.length}`);
      writeStoredToken(dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      try {
        const { packages, requestedAtFrame, loadedAtFrame } = await firstFrame(env, {
          configDir: dir,
          id: `lists-${_name.length}`,
          thenWaitFor: /Listed 8/,
          watchRequests: true,
        });
        const lists = ['/api/v2/chat/oauth/clients', '/api/v2/chat/oauth/tokens'];
        expect(requestedAtFrame.sort()).toEqual(lists);
        expect(asked.sort()).toEqual(lists);
        // What reads their records is there before they are read: dist/ui.cjs holds it in its one file; the
        // ESM bundle imported it once they came, and it waited behind the screen's work after the first
        // frame (20-40 ms of the filled panes').
        if (env === ESM) {
          const sources = loadedAtFrame.flatMap((file) => {
            const output = bundleOutputs().find(
              (o) => o.file === path.relative(path.join(root, 'dist'), file),
            );
            return Object.keys(output?.inputs ?? {});
          });
          expect(sources).toContain('source/core/zendesk/shapes.ts');
        }
        expect(packages).not.toContain('got');
      } finally {
        server.close();
      }
    },
  );

  test('ZCHAT_AUTH_NO_TWEAKS=1 leaves fetch alone: yoga then loads undici (so the check above can fail)', async () => {
    const { undici, fetchRestored } = await firstFrame({ ZCHAT_AUTH_NO_TWEAKS: '1' });
    expect(undici.length).toBeGreaterThan(0);
    expect(fetchRestored).toBe(true);
  });
});
