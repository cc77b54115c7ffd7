import type * as z from 'zod/mini';
import type { lastTestShape, profileShape, storedTokenShape } from './schema.js';

export const SCHEMA_VERSION = 1;

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

// The stored records are defined once, as zod shapes in schema.ts; their types derive from them (a type-only
// import: reading the store never loads zod). Unknown fields from a newer release are kept at run time
// (loose objects) but not typed.
type Shaped<S extends z.core.$ZodLooseShape> = z.infer<z.ZodMiniObject<S>>;
export type StoredToken = Shaped<typeof storedTokenShape>;
export type LastTest = Shaped<typeof lastTestShape>;
export type Profile = Omit<Shaped<typeof profileShape>, 'token' | 'lastTest'> & {
  token?: StoredToken;
  lastTest?: LastTest;
};
export interface StoreData {
  schemaVersion: number;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/** What listings get: secrets masked (`hat_…9f3c`), a flag for each secret that exists. */
export interface ProfileView extends Omit<Profile, 'clientSecret' | 'token'> {
  isDefault: boolean;
  hasClientSecret: boolean;
  token?: Omit<StoredToken, 'accessToken' | 'refreshToken'> & {
    accessTokenMasked: string;
    hasRefreshToken: boolean;
  };
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
}
