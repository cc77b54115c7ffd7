/**
 * `zchat-auth switch [PROFILE]`: in process with injected I/O and a real store (the question, the answers),
 * and once through the built CLI (what a script sees).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Parsed } from '../../source/commands/args.js';
import type { CommandIO } from '../../source/commands/command.js';
import { command } from '../../source/commands/switch.js';
import { exitCodeFor, toZchatError } from '../../source/core/errors.js';
import { openStore } from '../../source/core/store/store.js';
import type { TokenStore } from '../../source/core/store/types.js';
import { createServices } from '../../source/create-services.js';
import { cleanEnv, ensureBuilt, runCli } from './helpers.js';

let dir: string;
let store: TokenStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zchat-switch-'));
  store = openStore({ dir });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function save(...names: string[]) {
  for (const name of names) {
    await store.save({
      name,
      subdomain: name,
      clientId: `client-${name}`,
      redirectUri: 'http://localhost:8080',
      scopes: ['read'],
      flow: 'code',
    });
  }
}

/** Runs the command as cli.ts does (build, run, an error printed as one line), with `answer` on stdin. */
async function run(positionals: string[], o: { interactive: boolean; answer?: string }) {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = new PassThrough();
  const io: CommandIO = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    stdin,
    env: {},
    interactive: o.interactive,
    services: () => createServices({}, { store }),
    signal: new AbortController().signal,
  };
  if (o.answer !== undefined) stdin.end(o.answer);
  let code: number;
  try {
    code = await command.run(command.build({ positionals, values: {} } as Parsed, io), io);
  } catch (error) {
    const z = toZchatError(error);
    err.push(`zchat-auth: ${z.sentence}\n`);
    code = exitCodeFor(z);
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('switch', () => {
  test('switch NAME makes it the default; token and friends then use it', async () => {
    await save('acme', 'beta');
    expect(store.defaultProfile()).toBe('acme');
    const r = await run(['beta'], { interactive: false });
    expect(r).toMatchObject({ code: 0, stdout: 'The default profile is now "beta" (was "acme").\n' });
    expect(store.defaultProfile()).toBe('beta');
    expect(store.resolve().name).toBe('beta');
    const again = await run(['beta'], { interactive: false });
    expect(again.stdout).toBe('"beta" was already the default profile.\n');
  });

  test('in a terminal, without NAME: asks which, by number or name', async () => {
    await save('acme', 'beta', 'gamma');
    const byNumber = await run([], { interactive: true, answer: '3\n' });
    expect(byNumber.stderr).toContain('Which profile should be the default?');
    expect(byNumber.stderr).toContain('1. acme (default now) · acme · code');
    expect(byNumber.stderr).toContain('Number or name [1-3]: ');
    expect(byNumber.code).toBe(0);
    expect(store.defaultProfile()).toBe('gamma');
    const byName = await run([], { interactive: true, answer: 'beta\n' });
    expect(byName.code).toBe(0);
    expect(store.defaultProfile()).toBe('beta');
    const nothing = await run([], { interactive: true, answer: '' });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Nothing chosen; the default stays as it was.');
    expect(store.defaultProfile()).toBe('beta');
  });

  test('without a terminal: never asks; exit 2 naming the choices. Unknown name: exit 1, nothing changes', async () => {
    await save('acme', 'beta');
    const script = await run([], { interactive: false });
    expect(script.code).toBe(2);
    expect(script.stderr).toContain('Which profile? Name it: zchat-auth switch PROFILE (one of acme, beta).');
    const unknown = await run(['nope'], { interactive: false });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No profile is named "nope". Stored: acme, beta.');
    expect(store.defaultProfile()).toBe('acme');
  });

  test('one profile: it becomes the default without a question', async () => {
    await save('solo');
    await store.setDefault('solo');
    const r = await run([], { interactive: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('the built CLI: after logout of the default, the error names switch, and switch mends it', async () => {
    ensureBuilt();
    await save('acme', 'beta', 'gamma');
    const env = cleanEnv(dir);
    expect((await runCli(['logout', '--profile', 'acme'], env)).code).toBe(0);
    const token = await runCli(['token'], env);
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('zchat-auth switch');
    const sw = await runCli(['switch', 'gamma'], env);
    expect(sw.code).toBe(0);
    expect(sw.stdout).toBe('The default profile is now "gamma".\n');
    expect((await runCli(['status'], env)).stdout).toMatch(/gamma/);
  });
});
