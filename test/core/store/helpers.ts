import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Profile } from '../../../source/core/store/types.js';

/** A fresh private temp directory; the store under test lives in `<it>/store`. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-store-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

export function sampleProfile(
  name: string,
  extra: Partial<Profile> = {},
): Omit<Profile, 'createdAt' | 'updatedAt'> {
  return {
    name,
    subdomain: 'demo',
    baseUrl: 'http://127.0.0.1:9',
    clientId: `client-${name}`,
    clientSecret: `secret_${name}_0123456789abcdef`,
    redirectUri: 'http://localhost:8080',
    scopes: ['read', 'write'],
    flow: 'code',
    token: {
      accessToken: `hat_${name}_0123456789abcdef9f3c`,
      refreshToken: `hrt_${name}_0123456789abcdefa1b2`,
      tokenType: 'Bearer',
      scope: 'read write',
      grant: 'authorization_code',
      obtainedAt: '2025-01-02T03:04:05.000Z',
    },
    ...extra,
  };
}

/**
 * Bundles a child script (TypeScript, importing the real store) into plain .mjs files that `node` runs as is:
 * child processes get the same code the tests use, without tsx, built the way the CLI is (esbuild, ESM,
 * code splitting, so lazily imported CommonJS such as proper-lockfile goes through the same interop).
 */
export async function bundleChild(name: string, outDir: string): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outdir = path.join(outDir, name);
  await build({
    entryPoints: [path.join(here, 'children', `${name}.ts`)],
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
    banner: { js: "import{createRequire as __zcr}from'node:module';const require=__zcr(import.meta.url);" },
  });
  return path.join(outdir, `${name}.mjs`);
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
