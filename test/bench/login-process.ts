/**
 * Redirect received → token stored, in a fresh `zchat-auth login --no-tui` process against the sandbox, as
 * a user runs it. The bench plays the browser: it reads the authorize URL from the process's stderr, presses
 * Allow on the sandbox's consent page, waits as a person would before the redirect comes back, then sends
 * the redirect to the process's loopback server. The clock runs from sending the redirect to the store
 * file's replacement (inotify on its directory, the rename that makes the token stored). Beside the wall
 * time: the CPU time the process's main thread spent meanwhile, which waiting for a busy core does not add to.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Sandbox } from '../../source/sandbox/types.js';
import { mainThreadCpuMs } from './pty-timing.js';

/** Presses Allow on the sandbox's consent page over HTTP and returns the redirect it answers with. */
export async function allow(authorizeUrl: string): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  if (!consentId) throw new Error(`no consent form in the sandbox page (status ${page.status})`);
  const action = new URL('/oauth2/chat/authorizations', authorizeUrl);
  const answer = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, decision: 'allow' }),
  });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`the sandbox did not redirect (status ${answer.status})`);
  return location;
}

const signature = (file: string) => {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
};

export async function loginProcess(
  cli: string,
  env: NodeJS.ProcessEnv,
  storeDir: string,
  sandbox: Sandbox,
  redirectUri: string,
  nodeArgs: string[] = [],
): Promise<{ wall: number; cpu: number }> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      cli,
      'login',
      '--no-tui',
      '--no-browser',
      '--profile',
      'bench-login',
      '--subdomain',
      'demo',
      '--client-id',
      sandbox.demo.clientId,
      '--base-url',
      sandbox.url,
      '--redirect-uri',
      redirectUri,
      '--scope',
      'read write',
    ],
    {
      env: { ...env, ZCHAT_AUTH_CONFIG_DIR: storeDir, ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no authorize URL: ${stderr}`)), 20_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /^(https?:\/\/\S+\/oauth2\/chat\/authorizations\/new\S*)$/m.exec(stderr)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    const redirect = await allow(url);
    // Nobody presses Allow within 300 ms of the URL appearing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const file = path.join(storeDir, 'config.json');
    const before = signature(file);
    let storedAt = 0;
    let cpuStored = 0;
    const stored = new Promise<void>((resolve) => {
      const watcher = fs.watch(storeDir, (_event, name) => {
        if (name !== 'config.json' || signature(file) === before) return;
        storedAt = performance.now();
        cpuStored = mainThreadCpuMs(child.pid as number);
        watcher.close();
        resolve();
      });
    });
    const cpuSent = mainThreadCpuMs(child.pid as number);
    const sentAt = performance.now();
    const hit = await fetch(redirect);
    await hit.text();
    await stored;
    const code = await exited;
    if (code !== 0) throw new Error(`login exited ${code}: ${stderr}`);
    return { wall: storedAt - sentAt, cpu: cpuStored - cpuSent };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
