/**
 * The completion scripts, run by the real shells: bash (COMP_WORDS → COMPREPLY), zsh (the function with
 * compadd recording what it offers) and fish (`complete -C`). Profile names come from the built CLI's
 * `__complete profiles` on PATH, reading a real store.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { sampleProfile } from '../core/store/helpers.js';
import { bin, cleanEnv, ensureBuilt, runCli, type TempDir, tempDir } from './helpers.js';

let tmp: TempDir;
let env: NodeJS.ProcessEnv;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  tmp = await tempDir();
  const binDir = path.join(tmp.dir, 'bin');
  fs.mkdirSync(binDir);
  fs.symlinkSync(bin, path.join(binDir, 'zchat-auth'));
  env = cleanEnv(path.join(tmp.dir, 'store'), { PATH: `${binDir}:${process.env.PATH}` });
  const store = openStore({ dir: path.join(tmp.dir, 'store') });
  await store.save(sampleProfile('acme'));
  await store.save(sampleProfile('acme-eu'));
  await store.save(sampleProfile('globex'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell], env);
    expect(result.code).toBe(0);
    scripts[shell] = path.join(tmp.dir, `completion.${shell}`);
    fs.writeFileSync(scripts[shell]!, result.stdout);
  }
}, 120_000);
afterAll(async () => {
  await tmp.remove();
});

function bash(words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '--norc',
      '-c',
      `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _zchat_auth; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      scripts.bash!,
    ],
    { env, encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

function zsh(words: string[]): string[] {
  // compadd and compdef are the completion system's; here they record what the function offers.
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const current = words.at(-1)!;
  const script = [
    'compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }',
    'compdef() { :; }',
    '_files() { :; }',
    'source "$1"',
    `words=(${quoted}); CURRENT=${words.length}; PREFIX='${current}'`,
    '_zchat_auth | while read -r w; do [[ $w == $PREFIX* ]] && print -r -- $w; done; true',
  ].join('\n');
  const out = execFileSync('zsh', ['-f', '-c', script, 'zsh', scripts.zsh!], { env, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

function fish(line: string): string[] {
  const out = execFileSync(
    'fish',
    ['--no-config', '-c', `source $argv[1]; complete -C '${line}'`, scripts.fish!],
    {
      env,
      encoding: 'utf8',
    },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
}

const shells = [
  ['bash', bash],
  ['zsh', zsh],
] as const;

describe.each(shells)('%s', (_shell, complete) => {
  test('commands, including the new ones, and not the hidden one', () => {
    const offered = complete(['zchat-auth', '']);
    expect(offered).toEqual(expect.arrayContaining(['login', 'token', 'api', 'exec', 'completion', 'help']));
    expect(offered).not.toContain('__complete');
    expect(complete(['zchat-auth', 'to'])).toEqual(['token', 'tokens']);
  });

  test("a command's flags come from its option spec", () => {
    expect(complete(['zchat-auth', 'api', '--pa'])).toEqual(['--paginate']);
    expect(complete(['zchat-auth', 'token', '--'])).toEqual(['--profile', '--help', '--check']);
    expect(complete(['zchat-auth', 'login', '--client-'])).toEqual(['--client-id', '--client-secret-stdin']);
  });

  test('profile names after --profile, read from the store', () => {
    expect(complete(['zchat-auth', 'token', '--profile', ''])).toEqual(['acme', 'acme-eu', 'globex']);
    expect(complete(['zchat-auth', '--profile', 'ac'])).toEqual(['acme', 'acme-eu']);
    // After --profile NAME the command is still found.
    expect(complete(['zchat-auth', '--profile', 'acme', 'api', '--sl'])).toEqual(['--slurp']);
  });

  test('positional words: completion shells, api paths', () => {
    expect(complete(['zchat-auth', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(complete(['zchat-auth', 'api', 'ch'])).toEqual(['chats']);
  });
});

describe('zsh after `exec --`', () => {
  test('the rest of the line is completed as a command line of its own (_normal, words shifted)', () => {
    const script = [
      'compadd() { :; }',
      'compdef() { :; }',
      '_normal() { print -r -- "normal $CURRENT $words" }',
      'source "$1"',
      'words=(zchat-auth exec -- git ch); CURRENT=5; PREFIX=ch',
      '_zchat_auth',
    ].join('\n');
    const out = execFileSync('zsh', ['-f', '-c', script, 'zsh', scripts.zsh!], { env, encoding: 'utf8' });
    expect(out).toBe('normal 2 git ch\n');
  });
});

describe('fish', () => {
  test('commands, flags and profiles', () => {
    expect(fish('zchat-auth ')).toEqual(expect.arrayContaining(['api', 'exec', 'completion', 'token']));
    expect(fish('zchat-auth api --pa')).toEqual(['--paginate']);
    expect(fish('zchat-auth token --profile ')).toEqual(['acme', 'acme-eu', 'globex']);
  });
});

describe('__complete profiles', () => {
  test('one name a line; nothing at all (exit 0) when there is no store or it is damaged', async () => {
    expect((await runCli(['__complete', 'profiles'], env)).stdout).toBe('acme\nacme-eu\nglobex\n');
    const empty = await tempDir();
    try {
      const none = await runCli(['__complete', 'profiles'], cleanEnv(empty.dir));
      expect(none).toMatchObject({ code: 0, stdout: '', stderr: '' });
      fs.writeFileSync(path.join(empty.dir, 'config.json'), '{not json');
      const damaged = await runCli(['__complete', 'profiles'], cleanEnv(empty.dir));
      expect(damaged).toMatchObject({ code: 0, stdout: '', stderr: '' });
    } finally {
      await empty.remove();
    }
  });

  test('is in neither --help nor the completion scripts', async () => {
    expect((await runCli(['--help'], env)).stdout).not.toContain('__complete');
    expect((await runCli(['completion', 'bash'], env)).stdout).toContain('__complete profiles');
  });
});
