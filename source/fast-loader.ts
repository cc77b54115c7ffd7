/**
 * Runs dist/fast.cjs (fast-cli.ts) as Node runs a CommonJS file, with two differences:
 *
 * - its dynamic imports of the ESM bundle's chunks go through `importChunk` (the build rewrites them so,
 *   scripts/build-options.mjs): code compiled with node:vm has no import() of its own in Node 20;
 * - the tweak `v8-code-cache` (source/tweaks.mjs): V8's compiled code for the file is kept in the user's
 *   cache directory, so the next `token`, `api` or `exec` skips compiling it. The cache is trusted only in a
 *   directory of the user's own that no one else may write (0700), from a file of theirs that no one else
 *   may read or write (0600), opened without following links; else it is neither read nor written. V8
 *   itself rejects data made by another V8 or with other flags; the file's name holds the bundle's size,
 *   time and inode, so an upgrade never meets an old cache.
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { offerCodeCache } from './code-cache-offer.js';
import { readBytesOutsideMalloc, readTextOutsideMalloc } from './core/platform/large-reads.js';
import { activeTweaks } from './tweaks.mjs';

export type ImportChunk = (specifier: string) => Promise<unknown>;

/** Parameters of the function fast.cjs is wrapped in: CommonJS's five, then importChunk. */
const HEAD = '(function (exports, require, module, __filename, __dirname, importChunk) { ';
const TAIL = '\n});';

export interface CodeCache {
  /** The cached data, when there is a trustworthy file for this bundle. */
  read(): Buffer | undefined;
  write(data: Buffer): void;
}

export function runFastBundle(
  file: string,
  importChunk: ImportChunk,
  env: NodeJS.ProcessEnv,
  /** The command word (command-word.ts): each command keeps a cache of the code it runs. */
  command?: string,
  o: {
    /** The run-time tweak that keeps this bundle's cache (tweaks.mjs). */
    tweak?: 'v8-code-cache' | 'dashboard-code-cache';
    /**
     * `exit` (default): the cache is written as the process exits. `offered`: the bundle writes it when it
     * chooses, through offerCodeCache (code-cache-offer.ts): a screen is killed more often than it exits,
     * and changes V8's flags while it runs (heap.ts), which V8 checks a cache against.
     */
    write?: 'exit' | 'offered';
  } = {},
): void {
  const source = readTextOutsideMalloc(file);
  const cache = activeTweaks('run', env).has(o.tweak ?? 'v8-code-cache')
    ? codeCacheFor(file, env, cacheDirFor(env), command)
    : undefined;
  const cachedData = cache?.read();
  const script = new vm.Script(HEAD + source + TAIL, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = new Module(file);
  mod.filename = file;
  mod.loaded = true;
  const require = createRequire(file);
  // Listed as a loaded module, as require() would have listed it.
  require.cache[file] = mod;
  if (cache && (cachedData === undefined || script.cachedDataRejected)) {
    // Written after the run, the cache holds the functions the command compiled, not only the file's top level.
    const write = () => {
      try {
        cache.write(script.createCachedData());
      } catch {
        // A cache that cannot be written is only a slower next start.
      }
    };
    if (o.write === 'offered') offerCodeCache(write);
    else process.once('exit', write);
  }
  wrapper.call(mod.exports, mod.exports, require, mod, file, path.dirname(file), importChunk);
}

/** The user's cache directory for this program, by the platform's convention; undefined on Windows. */
export function cacheDirFor(env: NodeJS.ProcessEnv, platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'zchat-auth');
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'zchat-auth');
}

/**
 * The code cache of `bundle` in `dir` (default: cacheDirFor), or undefined where there can be none.
 * `command`: a cache of that command's own. V8 compiles functions when first called, and a cache holds
 * those its run compiled: one written by `token` left `status` compiling its listing at every start.
 */
export function codeCacheFor(
  bundle: string,
  env: NodeJS.ProcessEnv,
  dir = cacheDirFor(env),
  command?: string,
): CodeCache | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (dir === undefined || uid === undefined) return undefined;
  let build: string;
  const bundleName = path.basename(bundle).replace(/\.c?js$/, '');
  try {
    const stat = fs.statSync(bundle);
    // Named after the bundle (fast.cjs, ui.cjs): a bundle's write clears its own old builds, not another's.
    build = `${bundleName}-${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}`;
  } catch {
    return undefined;
  }
  const name = command === undefined ? `${build}.v8` : `${build}-${command}.v8`;
  const file = path.join(dir, name);
  const mine = (stat: fs.Stats) => stat.uid === uid && (stat.mode & 0o077) === 0;
  const privateDir = (create: boolean): boolean => {
    try {
      if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stat = fs.lstatSync(dir);
      return stat.isDirectory() && mine(stat);
    } catch {
      return false;
    }
  };
  return {
    read() {
      if (!privateDir(false)) return undefined;
      let fd: number | undefined;
      try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
        const stat = fs.fstatSync(fd);
        return stat.isFile() && mine(stat) ? readBytesOutsideMalloc(fd, stat.size) : undefined;
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    write(data) {
      if (!privateDir(true)) return;
      const temp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
        fs.renameSync(temp, file);
      } catch {
        fs.rmSync(temp, { force: true });
        return;
      }
      // Caches of earlier builds are dead weight: each upgrade would leave some behind. This build's
      // caches of other commands stay. So is the half-written file of a process killed while it wrote
      // (~1 MB for the screens), which no later write would replace; a live writer's is left alone.
      for (const old of fs.readdirSync(dir)) {
        if (!old.startsWith(`${bundleName}-`)) continue;
        const writer = /\.v8\.(\d+)\.tmp$/.exec(old)?.[1];
        if (
          writer !== undefined
            ? !processAlive(Number(writer))
            : old.endsWith('.v8') && !old.startsWith(`${build}.`) && !old.startsWith(`${build}-`)
        )
          fs.rmSync(path.join(dir, old), { force: true });
      }
    },
  };
}

/** The process exists (EPERM: it does, as another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
