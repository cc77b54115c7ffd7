/**
 * A profile's secrets (access token, refresh token, client secret) live either in the file, inline as they
 * always did, or in the OS keyring: then the file keeps the rest of the profile, the masked token and
 * which secrets exist, plus `keyringAccount`, the entry holding them as one JSON value.
 *
 * An entry is never overwritten: new secrets get a new account, the file is switched to it, and only then
 * is the old entry deleted. An interrupted write therefore leaves the file pointing at a whole entry (the
 * old or the new), never at half of one. An entry the file may not name (about to be written, or about to
 * be deleted) is recorded in the file first (`keyringPending`), so one left by a killed process is found
 * and deleted by the next locked write (store.ts). It also means an account's value never changes, so this
 * process may cache what it read.
 */
import { ZchatError } from '../errors.js';
import { mask, nodeCrypto, sha256Hex } from '../redact.js';
import type { Keyring } from './keyring.js';
import type { Profile, StoredProfile, StoredToken } from './types.js';
import { FILE_ONLY_SCHEMA_VERSION, SCHEMA_VERSION } from './types.js';

interface Secrets {
  accessToken?: string;
  refreshToken?: string;
  clientSecret?: string;
}

/** Reads entries through a cache (an account's value never changes) and collects the writes of one change. */
export class SecretsBook {
  readonly #keyring: () => Keyring;
  readonly #cache: Map<string, Secrets>;
  readonly #pending = new Map<string, string>();

  constructor(keyring: () => Keyring, cache: Map<string, Secrets>) {
    this.#keyring = keyring;
    this.#cache = cache;
  }

  /** The profile with its secrets, read from the keyring when they are there. */
  full(stored: StoredProfile): Profile {
    const { keyringAccount, hasClientSecret: _has, token, ...rest } = stored;
    if (stored.secretsIn !== 'keyring' || keyringAccount === undefined) return stored as Profile;
    const secrets = this.#read(stored.name, keyringAccount);
    const profile: Profile = { ...rest };
    if (secrets.clientSecret !== undefined) profile.clientSecret = secrets.clientSecret;
    if (token) {
      const {
        accessTokenMasked: _m,
        accessTokenSha256: _h,
        hasRefreshToken: _r,
        accessToken: _a,
        ...plain
      } = token;
      if (secrets.accessToken === undefined) throw missingEntry(stored.name);
      const full: StoredToken = { ...plain, accessToken: secrets.accessToken };
      if (secrets.refreshToken !== undefined) full.refreshToken = secrets.refreshToken;
      profile.token = full;
    }
    return profile;
  }

  /**
   * The file form of `profile`, its secrets where `profile.secretsIn` says. A keyring entry to write is
   * queued (see `flush`); an unchanged one is reused. `previous` is the version on disk, if any.
   */
  store(profile: Profile, previous: StoredProfile | undefined): StoredProfile {
    if (profile.secretsIn !== 'keyring') return profile;
    const secrets = secretsOf(profile);
    let account: string | undefined;
    if (previous?.secretsIn === 'keyring' && previous.keyringAccount !== undefined) {
      try {
        const before = this.#read(previous.name, previous.keyringAccount);
        if (sameSecrets(before, secrets)) account = previous.keyringAccount;
      } catch {
        // The old entry cannot be read: write a new one.
      }
    }
    if (account === undefined) {
      account = `${profile.name}/${nodeCrypto().randomBytes(6).toString('hex')}`;
      this.#pending.set(account, JSON.stringify(secrets));
      this.#cache.set(account, secrets);
    }
    const { clientSecret, token, ...rest } = profile;
    const stored: StoredProfile = { ...rest, keyringAccount: account };
    if (clientSecret) stored.hasClientSecret = true;
    if (token) {
      const { accessToken, refreshToken, ...plain } = token;
      stored.token = {
        ...plain,
        accessTokenMasked: mask(accessToken),
        accessTokenSha256: sha256Hex(accessToken),
      };
      if (refreshToken) stored.token.hasRefreshToken = true;
    }
    return stored;
  }

  /** The accounts of the entries queued for the keyring (see `flush`). */
  adding(): string[] {
    return [...this.#pending.keys()];
  }

  /**
   * Deletes the entries of `accounts` (none of them named by the file any more); the ones that could not be
   * deleted are returned, to stay recorded. No entry is not an error.
   */
  deleteAll(accounts: readonly string[]): string[] {
    if (accounts.length === 0) return [];
    let keyring: Keyring;
    try {
      keyring = this.#keyring();
    } catch {
      return [...accounts];
    }
    const left: string[] = [];
    for (const account of accounts) {
      try {
        keyring.delete(account);
        this.#cache.delete(account);
      } catch {
        left.push(account);
      }
    }
    return left;
  }

  /** Step one of a write: the queued entries go to the keyring, before the file names them. */
  flush(): void {
    if (this.#pending.size === 0) return;
    const keyring = this.#keyring();
    for (const [account, value] of this.#pending) keyring.set(account, value);
    this.#pending.clear();
  }

  #read(name: string, account: string): Secrets {
    const cached = this.#cache.get(account);
    if (cached) return cached;
    const text = this.#keyring().get(account);
    if (text === undefined) throw missingEntry(name);
    let secrets: Secrets;
    try {
      secrets = parseSecrets(JSON.parse(text));
    } catch {
      throw new ZchatError('keyring', `The keyring entry of profile "${name}" is damaged.`, {
        hint: `Run \`zchat-auth login --profile ${name}\` again to store new secrets.`,
      });
    }
    this.#cache.set(account, secrets);
    return secrets;
  }
}

function parseSecrets(value: unknown): Secrets {
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  const out: Secrets = {};
  for (const key of ['accessToken', 'refreshToken', 'clientSecret'] as const) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    if (typeof field !== 'string') throw new Error('not a string');
    out[key] = field;
  }
  return out;
}

function secretsOf(profile: Profile): Secrets {
  const out: Secrets = {};
  if (profile.token?.accessToken !== undefined) out.accessToken = profile.token.accessToken;
  if (profile.token?.refreshToken !== undefined) out.refreshToken = profile.token.refreshToken;
  if (profile.clientSecret !== undefined) out.clientSecret = profile.clientSecret;
  return out;
}

function sameSecrets(a: Secrets, b: Secrets): boolean {
  return (
    a.accessToken === b.accessToken && a.refreshToken === b.refreshToken && a.clientSecret === b.clientSecret
  );
}

function missingEntry(name: string): ZchatError {
  return new ZchatError('keyring', `The secrets of profile "${name}" are missing from the OS keyring.`, {
    hint: `Run \`zchat-auth login --profile ${name}\` again to store new ones.`,
  });
}

export function accountsOf(profiles: Iterable<StoredProfile>): Set<string> {
  const out = new Set<string>();
  for (const profile of profiles) {
    if (profile.secretsIn === 'keyring' && profile.keyringAccount !== undefined)
      out.add(profile.keyringAccount);
  }
  return out;
}

/** 2 when some profile's secrets are in the keyring (older versions could not read it), else 1. */
export function schemaVersionFor(profiles: readonly StoredProfile[]): number {
  return profiles.some((p) => p.secretsIn === 'keyring') ? SCHEMA_VERSION : FILE_ONLY_SCHEMA_VERSION;
}
