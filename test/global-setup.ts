/**
 * Builds the CLI bundle once per test run, and only when what it is built from changed: the key is a hash
 * of source/, scripts/, package.json, package-lock.json and ZCHAT_AUTH_NO_TWEAKS. A dependency upgrade
 * (the lockfile) or an edit anywhere in the sources rebuilds; an unchanged tree reuses dist/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The hash of everything the bundle in `dir` is built from. */
export function buildKey(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(path.join(dir, 'source')),
    ...filesUnder(path.join(dir, 'scripts')),
    path.join(dir, 'package.json'),
    path.join(dir, 'package-lock.json'),
  ];
  for (const file of inputs) {
    hash.update(path.relative(dir, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  hash.update(`ZCHAT_AUTH_NO_TWEAKS=${env.ZCHAT_AUTH_NO_TWEAKS ?? ''}`);
  return hash.digest('hex');
}

const keyFile = path.join(root, '.tmp', 'build-key');
const bundle = path.join(root, 'dist', 'cli.js');

/** What the last build was made from, tied to the bundle it wrote (a hand-run build or a deleted dist/ shows). */
function stamp(key: string): string {
  return `${key} ${fs.statSync(bundle).mtimeMs}`;
}

export default function setup(): void {
  const key = buildKey(root);
  const fresh =
    fs.existsSync(bundle) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === stamp(key);
  if (fresh) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, stamp(key));
}
