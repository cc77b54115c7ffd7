/**
 * The README's picture, made from the real program: the built CLI runs `--sandbox` in a 120x32 tmux pane,
 * gets a token as a newcomer would (the keys below), tests it, and the pane is captured and drawn as SVG.
 *
 *   npm run build && node test/tools/screenshot.mjs [docs/dashboard.svg]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { toSvg } from './ansi-to-svg.mjs';

const out = process.argv[2] ?? 'docs/dashboard.svg';
const session = `zchat-shot-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const capture = () => tmux('capture-pane', '-t', session, '-p');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(text, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (capture().includes(text)) return;
    await sleep(100);
  }
  throw new Error(`"${text}" never appeared:\n${capture()}`);
}

async function key(k, then) {
  tmux('send-keys', '-t', session, k);
  await until(then);
}

tmux(
  'new-session',
  '-d',
  '-s',
  session,
  '-x',
  '120',
  '-y',
  '32',
  '-c',
  process.cwd(),
  'env',
  '-u',
  'NO_COLOR',
  '-u',
  'ZCHAT_AUTH_CONFIG_DIR',
  'TERM=xterm-256color',
  'node',
  'bin/zchat-auth.js',
  '--sandbox',
);
try {
  await until('zchat-auth');
  await sleep(500);
  const first = capture();
  const keys = [];
  if (first.includes('n: log in')) {
    await key('n', 'Start the login');
    keys.push('n');
  } else {
    await until('Start the login');
  }
  await key('Enter', 'press a to approve');
  await key('a', 'Stored as profile demo');
  await key('Enter', 'Clients');
  await key('t', 'the token works');
  keys.push('enter', 'a', 'enter', 't');
  await sleep(300);
  const screen = tmux('capture-pane', '-t', session, '-e', '-p');
  writeFileSync(out, toSvg(screen, { title: 'zchat-auth --sandbox', cols: 120, rows: 32 }));
  process.stdout.write(`${out}: written after ${keys.length} keys (${keys.join(' ')})\n`);
  tmux('send-keys', '-t', session, 'q');
} finally {
  await sleep(300);
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone: q ended it
  }
}
