/**
 * Zendesk's token list carries every token's value in full. None may reach any output: each command's
 * stdout and stderr (and with ZCHAT_AUTH_DEBUG=1, its debug log) is searched for every value the sandbox
 * has issued. Only `token` prints a token, and only the profile's own: that is its job.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  cleanEnv,
  ensureBuilt,
  type Finished,
  loginWithCode,
  runCli,
  type SandboxFixture,
  sandboxWithRedirect,
  type TempDir,
  tempDir,
} from './helpers.js';

let fx: SandboxFixture;
let tmp: TempDir;
let env: NodeJS.ProcessEnv;
const outputs: { args: string[]; debug: boolean; result: Finished }[] = [];

beforeAll(async () => {
  ensureBuilt();
  fx = await sandboxWithRedirect();
  tmp = await tempDir();
  env = cleanEnv(tmp.dir);
  await loginWithCode(fx, env);
  await loginWithCode(fx, env, '--profile', 'second');
  const commands = [
    ['status'],
    ['status', '--json'],
    ['test'],
    ['tokens'],
    ['tokens', '--json'],
    ['clients'],
    ['clients', '--json'],
    ['doctor'],
    ['doctor', '--json'],
    ['refresh', '--profile', 'second'],
    ['tokens'],
  ];
  for (const debug of [false, true]) {
    for (const args of commands) {
      const result = await runCli(args, debug ? { ...env, ZCHAT_AUTH_DEBUG: '1' } : env);
      outputs.push({ args, debug, result });
    }
  }
}, 120_000);
afterAll(async () => {
  await fx.close();
  await tmp.remove();
});

describe('token values from the server list', () => {
  test('the list really carries them (so the search below means something)', async () => {
    const res = await fetch(`${fx.sandbox.url}/api/v2/chat/oauth/tokens`, {
      headers: { Authorization: `Bearer ${fx.sandbox.demo.adminToken}` },
    });
    const list = (await res.json()) as { access_token: string; refresh_token: string | null }[];
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.filter((t) => t.refresh_token).length).toBeGreaterThanOrEqual(2);
  });

  test('appear in no command’s output, with or without ZCHAT_AUTH_DEBUG=1', () => {
    const values = fx.sandbox.issuedTokenValues();
    expect(values.length).toBeGreaterThanOrEqual(6);
    for (const { args, debug, result } of outputs) {
      expect(result.code, `${args.join(' ')} exited ${result.code}: ${result.stderr}`).toBe(0);
      for (const value of values) {
        const where = `${debug ? 'ZCHAT_AUTH_DEBUG=1 ' : ''}zchat-auth ${args.join(' ')}`;
        expect(result.stdout.includes(value), `${where}: stdout`).toBe(false);
        expect(result.stderr.includes(value), `${where}: stderr`).toBe(false);
      }
    }
  });

  test('tokens --json lists each with its fields but no value and no hash of one', () => {
    const listed = JSON.parse(
      outputs.find((o) => o.args.join(' ') === 'tokens --json')!.result.stdout,
    ) as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThanOrEqual(3);
    for (const entry of listed) {
      expect(Object.keys(entry)).not.toContain('access_token');
      expect(Object.keys(entry)).not.toContain('refresh_token');
      expect(Object.keys(entry)).not.toContain('access_token_sha256');
      expect(entry).toMatchObject({ token_type: 'Bearer', agent_id: fx.sandbox.demo.ownerAgentId });
    }
  });

  test('ZCHAT_AUTH_DEBUG=1 logs each exchange on stderr: names, statuses and JSON keys kept, values masked', () => {
    const debugged = (args: string) => outputs.find((o) => o.debug && o.args.join(' ') === args)!.result;
    const tokens = debugged('tokens');
    expect(tokens.stderr).toMatch(/^> GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/chat\/oauth\/tokens$/m);
    expect(tokens.stderr).toMatch(/^> authorization: Bearer \S{2}…\S{4}$/im);
    expect(tokens.stderr).toMatch(/^< 200 OK$/m);
    expect(tokens.stderr).toMatch(/"access_token":"\S{2}…\S{4}","refresh_token":/);
    expect(tokens.stderr).toContain('"token_type":"Bearer"');
    const refresh = debugged('refresh --profile second');
    expect(refresh.stderr).toMatch(/^> POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/chat\/token$/m);
    expect(refresh.stderr).toMatch(
      /^> grant_type=refresh_token&refresh_token=\S{2}…\S{4}&client_id=[A-Za-z0-9]{50}&client_secret=\S{2}…\S{4}$/m,
    );
    expect(refresh.stderr).toMatch(
      /^< \{"access_token":"\S{2}…\S{4}","token_type":"Bearer","scope":"read write","refresh_token":"\S{2}…\S{4}"\}$/m,
    );
    expect(refresh.stderr).not.toContain(fx.sandbox.demo.clientSecret);
    // Without the variable: not a word.
    const quiet = outputs.find((o) => !o.debug && o.args.join(' ') === 'tokens')!.result;
    expect(quiet.stderr).toBe('');
  });
});
