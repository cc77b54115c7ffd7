import type * as z from 'zod/mini';
import type { lastTestShape, profileShape, storedTokenShape } from './schema.js';

/** The newest schema this code writes: 2 once some profile keeps its secrets in the keyring, else 1. */
export const SCHEMA_VERSION = 2;
/** A store with every secret in the file stays at 1, so an older zchat-auth can still read and write it. */
export const FILE_ONLY_SCHEMA_VERSION = 1;

/** Where a profile's secrets (access token, refresh token, client secret) are kept. */
export const SECRETS_IN = ['keyring', 'file'] as const;
export type SecretsIn = (typeof SECRETS_IN)[number];

/** The result of a token test, as the store keeps it. */
export const TEST_RESULTS = [
  'valid',
  'expired-or-revoked',
  'missing-scope',
  'network',
  'server-error',
  'rate-limited',
] as const;
export type TestResult = (typeof TEST_RESULTS)[number];

// The stored records are defined once, as zod shapes in schema.ts, in the form the file holds them; their
// types derive from them (a type-only import: reading the store never loads zod). Unknown fields from a
// newer release are kept at run time (loose objects) but not typed.
type Shaped<S extends z.core.$ZodLooseShape> = z.infer<z.ZodMiniObject<S>>;

/** A token as the file holds it: with the secrets in the keyring, only their masked form and flags. */
export type StoredTokenRecord = Shaped<typeof storedTokenShape>;
/** A token with its secrets (what the core works with, whichever place keeps them). */
export type StoredToken = Omit<
  StoredTokenRecord,
  'accessToken' | 'accessTokenMasked' | 'accessTokenSha256' | 'hasRefreshToken'
> & { accessToken: string };
export type LastTest = Shaped<typeof lastTestShape>;

/** A profile as the file holds it (see secrets.ts for the two forms). */
export type StoredProfile = Omit<Shaped<typeof profileShape>, 'token' | 'lastTest'> & {
  token?: StoredTokenRecord | undefined;
  lastTest?: LastTest | undefined;
};
/** A profile with its secrets: what the store hands the core. */
export type Profile = Omit<StoredProfile, 'token' | 'keyringAccount' | 'hasClientSecret'> & {
  token?: StoredToken | undefined;
};

/** What listings get: secrets masked (`hat_…9f3c`), a flag for each secret that exists. */
export interface ProfileView
  extends Omit<Profile, 'clientSecret' | 'token' | 'secretsIn' | 'insecureStorage' | 'keyringUnusable'> {
  isDefault: boolean;
  /** Where the secrets are kept, and why the file when the keyring was wanted. */
  secretsIn: SecretsIn;
  insecureStorage?: boolean;
  keyringUnusable?: string;
  hasClientSecret: boolean;
  token?: Omit<StoredToken, 'accessToken' | 'refreshToken'> & {
    accessTokenMasked: string;
    /** SHA-256 (hex) of the access token: matches the server's token list exactly, shows nothing. */
    accessTokenSha256: string;
    hasRefreshToken: boolean;
  };
}

export interface Removal {
  removed: boolean;
  /** Keyring accounts (service `zchat-auth`) the removed profile used that are still there. */
  keyringLeft: string[];
  /** Why the keyring was not reachable, when it was not. */
  keyringProblem?: string;
}

export interface StoreData {
  schemaVersion: number;
  defaultProfile?: string | undefined;
  profiles: Record<string, StoredProfile>;
  /**
   * Keyring entries that may be named by no profile: about to be written (recorded before they are), or
   * no longer named and about to be deleted. A locked write deletes the ones the file does not name.
   */
  keyringPending?: string[] | undefined;
}

/**
 * The store the whole product uses (implemented in store.ts). Reads need no lock; every
 * read-modify-write holds a cross-process lock and re-reads the file inside it.
 */
export interface TokenStore {
  /** The config file's path. */
  readonly path: string;
  /** All profiles, masked, sorted by name. */
  list(): ProfileView[];
  /** One profile with its secrets (for the core, never for printing). */
  get(name: string): Profile | undefined;
  /** The profile to use: `name` if given (must exist), else the default, else the only one. */
  resolve(name?: string): Profile;
  defaultProfile(): string | undefined;
  /** Insert or replace a profile (login). The first profile becomes the default. */
  save(
    profile: Omit<Profile, 'createdAt' | 'updatedAt'> & Partial<Pick<Profile, 'createdAt'>>,
  ): Promise<Profile>;
  /** Locked read-modify-write of one profile. */
  update(name: string, change: (profile: Profile) => Profile): Promise<Profile>;
  remove(name: string): Promise<boolean>;
  /** The profile `resolve` would pick, by name only: reads no secret (works with the keyring locked). */
  resolveName(name?: string): string;
  /**
   * remove, saying what stayed in the OS keyring: entries it could not delete (it is unreachable, or the
   * delete failed) are named, so the user can remove them by hand.
   */
  removeProfile(name: string): Promise<Removal>;
  setDefault(name: string): Promise<void>;
  recordTest(name: string, test: LastTest): Promise<void>;
  /**
   * Refresh under the lock. `spend` is called with the refresh token read inside the lock, unless another
   * process already rotated the token since `seenAccessToken` was read, in which case the newer stored
   * token is returned and nothing is spent.
   */
  refreshLocked(
    name: string,
    seenAccessToken: string | undefined,
    spend: (profile: Profile) => Promise<StoredToken>,
  ): Promise<{ token: StoredToken; rotatedElsewhere: boolean }>;
  /** Called when another process changes the file. Returns an unsubscribe function. */
  watch(onChange: () => void): () => void;
  /**
   * Loads the write path (conf, the lock, the schema: tens of ms on first use) ahead of a write that must be
   * quick, e.g. while a login waits for its redirect. Optional, so fakes may leave it out.
   */
  prepareWrites?(): Promise<void>;
  /**
   * Deletes the keyring entries recorded as pending that no profile names (left by a process killed in the
   * middle of a write), under the lock. Any write does this too; this is for when nothing else is written.
   */
  cleanKeyring?(): Promise<void>;
}
