/**
 * A secret goes only where it was meant to: the programs we start (the browser opener, a clipboard helper)
 * get our environment less the client secret, the password and any proxy's credentials. Real processes,
 * which write down the environment they were given.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { openBrowser } from '../../source/core/platform/browser.js';
import { childEnv } from '../../source/core/platform/child-env.js';
import { copyText } from '../../source/ui/clipboard/copy.js';

let dir: string;
let dumper: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zchat-child-env-'));
  dumper = path.join(dir, 'dump-env.mjs');
  await writeFile(
    dumper,
    [
      "import { renameSync, writeFileSync } from 'node:fs';",
      'const out = process.argv[2];',
      "writeFileSync(out + '.tmp', JSON.stringify(process.env));",
      "renameSync(out + '.tmp', out);",
    ].join('\n'),
  );
  // A stand-in xclip on PATH: it keeps the environment it was started with.
  const xclip = path.join(dir, 'xclip');
  await writeFile(xclip, `#!/bin/sh\ncat >/dev/null\nexec "${process.execPath}" "${dumper}" "$XCLIP_OUT"\n`);
  await chmod(xclip, 0o755);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const secrets = {
  clientSecret: 'cs-Sup3rS3cret-client',
  password: 'pw-Sup3rS3cret-agent',
  proxyPassword: 'Pr0xyPa55w0rd',
};

/**
 * The secrets in this process's own environment, as when a user exports them, and that environment given
 * to the code (as the CLI does): what a child inherits by default is exactly what must not leak.
 */
function hostileEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const values: Record<string, string> = {
    PATH: `${dir}:${process.env.PATH ?? ''}`,
    HOME: dir,
    DISPLAY: ':0',
    ZENDESK_CHAT_CLIENT_SECRET: secrets.clientSecret,
    ZENDESK_CHAT_PASSWORD: secrets.password,
    HTTPS_PROXY: `http://alice:${secrets.proxyPassword}@127.0.0.1:3128`,
    http_proxy: `http://bob:${secrets.proxyPassword}@proxy.corp:8080/`,
    ALL_PROXY: `alice:${secrets.proxyPassword}@127.0.0.1:1080`,
    NO_PROXY: 'localhost',
    ...extra,
  };
  for (const [name, value] of Object.entries(values)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  return process.env;
}

const saved = new Map<string, string | undefined>();
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
});

async function waitForJson(file: string): Promise<Record<string, string>> {
  for (let i = 0; i < 300; i++) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error(`nothing was started (${file})`);
}

function expectClean(seen: Record<string, string>): void {
  const text = JSON.stringify(seen);
  for (const [name, secret] of Object.entries(secrets)) expect(text, name).not.toContain(secret);
  expect(seen.ZENDESK_CHAT_CLIENT_SECRET).toBeUndefined();
  expect(seen.ZENDESK_CHAT_PASSWORD).toBeUndefined();
  // The proxies themselves still work for the child; only their credentials are gone.
  expect(seen.HTTPS_PROXY).toBe('http://127.0.0.1:3128');
  expect(seen.http_proxy).toBe('http://proxy.corp:8080');
  expect(seen.NO_PROXY).toBe('localhost');
  expect(seen.HOME).toBe(dir);
}

test('the browser opener ($BROWSER) is started without the secrets', async () => {
  const out = path.join(dir, 'browser.json');
  const env = hostileEnv({ BROWSER: `"${process.execPath}" "${dumper}" "${out}"` });
  expect(await openBrowser('http://127.0.0.1:9/authorize', env, { platform: 'linux' })).toEqual({
    opened: true,
  });
  expectClean(await waitForJson(out));
});

test('a clipboard helper (xclip) is started without the secrets', async () => {
  const out = path.join(dir, 'xclip.json');
  const env = hostileEnv({ XCLIP_OUT: out });
  const written: string[] = [];
  const result = await copyText('copied text', {
    env,
    write: (data) => written.push(data),
    isSsh: false,
    platform: 'linux',
  });
  expect(result.via).toEqual(['osc52', 'xclip']);
  expectClean(await waitForJson(out));
});

test.each([
  ['http://u:p@h:1', 'http://h:1'],
  ['https://u@h', 'https://h'],
  ['u:p@h:3128', 'h:3128'],
  ['http://h:1', 'http://h:1'],
  ['not a url @ all', undefined],
])('proxy %s becomes %s in a child', (value, expected) => {
  expect(childEnv({ HTTPS_PROXY: value }).HTTPS_PROXY).toBe(expected);
});
