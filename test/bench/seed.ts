/**
 * Seeds a store of n profiles in the store's own format (the JSON conf writes: tab-indented, 0600 in a
 * 0700 directory), checked with the store's own read check. The first profiles hold the server tokens
 * given (profile 0 the account's admin token, so the dashboard can list the account); the rest hold tokens
 * the server does not know, as old profiles of a long-used machine do. Writing the file at once rather than
 * with n saves keeps the bench short; the format is the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Profile, StoreData } from '../../source/core/store/types.js';
import { checkStoreData } from '../../source/core/store/validate.js';
import type { Sandbox } from '../../source/sandbox/types.js';

export interface SeedToken {
  accessToken: string;
  scope: string;
}

export function profileName(i: number): string {
  return `profile-${String(i).padStart(5, '0')}`;
}

export function seedStore(dir: string, n: number, sandbox: Sandbox, tokens: readonly SeedToken[]): void {
  const now = new Date().toISOString();
  const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const profiles: Record<string, Profile> = {};
  for (let i = 0; i < n; i++) {
    const name = profileName(i);
    const token = tokens[i];
    profiles[name] = {
      name,
      subdomain: 'demo',
      baseUrl: sandbox.url,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      redirectUri: sandbox.demo.redirectUri,
      scopes: ['read', 'write'],
      flow: 'client-credentials',
      token: {
        accessToken: token?.accessToken ?? `hat_retired_${String(i).padStart(8, '0')}_0123456789abcdef`,
        tokenType: 'Bearer',
        scope: token?.scope ?? 'read write',
        grant: 'client_credentials',
        obtainedAt: token ? now : old,
      },
      createdAt: token ? now : old,
      updatedAt: token ? now : old,
    };
  }
  const data: StoreData = { schemaVersion: 1, defaultProfile: profileName(0), profiles };
  const checked = checkStoreData(JSON.parse(JSON.stringify(data)));
  if (!checked.ok) throw new Error(`seeded store is not valid: ${checked.problems.join('; ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(data, undefined, '\t'), { mode: 0o600 });
}
