import type { FlowKind, GrantType } from '../oauth/types.js';

export const SCHEMA_VERSION = 1;

export interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  scope: string;
  grant: GrantType;
  obtainedAt: string; // ISO 8601
  expiresAt?: string; // ISO 8601, only when the server said expires_in
}

export type TestResult =
  | 'valid'
  | 'expired-or-revoked'
  | 'missing-scope'
  | 'network'
  | 'server-error'
  | 'rate-limited';

export interface LastTest {
  at: string; // ISO 8601
  ok: boolean;
  result: TestResult;
  status?: number;
  durationMs?: number;
}

export interface Profile {
  name: string;
  subdomain: string;
  /** Replaces https://{subdomain}.zendesk.com (sandbox, test servers). */
  baseUrl?: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scopes: string[];
  flow: FlowKind;
  username?: string;
  /** false: the code flow runs without PKCE (--no-pkce, for a server that rejects it). Absent: PKCE on. */
  pkce?: boolean;
  token?: StoredToken;
  lastTest?: LastTest;
  createdAt: string;
  updatedAt: string;
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

export interface StoreData {
  schemaVersion: number;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
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
