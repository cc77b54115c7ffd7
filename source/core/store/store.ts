/**
 * The token store: profiles, their tokens and last tests, in one JSON file written by conf.
 *
 * Reads go straight to the file with node:fs (no lock, no conf: `zchat-auth token` must start fast) and are
 * cached by file signature, so every read sees other processes' writes. Every read-modify-write takes the
 * cross-process lock, re-reads the file inside it, and writes through conf (atomic rename, 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import { ZchatError } from '../errors.js';
import { currentSignature, ensurePrivateDir, type FileRead, readStoreFile } from './file.js';
import { withLock } from './lock.js';
import { assertOwnPlace } from './ownership.js';
import { CONFIG_FILE, CONFIG_NAME, PROJECT_NAME, resolveConfigDir } from './paths.js';
import {
  type LastTest,
  type Profile,
  type ProfileView,
  SCHEMA_VERSION,
  type StoreData,
  type StoredToken,
  type TokenStore,
} from './types.js';
import { toView } from './view.js';
import { watchFile } from './watch.js';

export interface OpenStoreOptions {
  /** The directory holding config.json; default ZCHAT_AUTH_CONFIG_DIR, else the OS config directory. */
  dir?: string;
  /** Environment to read ZCHAT_AUTH_CONFIG_DIR from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** A lock older than this is taken over as left by a crashed process (default 10 s). */
  lockStaleMs?: number;
  /** How long a write waits for a busy lock before `store_locked` (default 15 s). */
  lockWaitMs?: number;
  /** Clock for createdAt/updatedAt (tests). */
  now?: () => Date;
}

type SaveInput = Omit<Profile, 'createdAt' | 'updatedAt'> & Partial<Pick<Profile, 'createdAt'>>;

export function openStore(options: OpenStoreOptions = {}): TokenStore {
  return new FileTokenStore(options);
}

class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #dir: string;
  readonly #options: OpenStoreOptions;
  readonly #now: () => Date;
  #cache: FileRead | undefined;
  #conf: Conf<StoreData> | undefined;
  /** Signatures of the files this instance wrote, so watch() reports only other writers. */
  readonly #ownWrites = new Set<string>();

  constructor(options: OpenStoreOptions) {
    this.#options = options;
    this.#dir = resolveConfigDir(options.dir, options.env ?? process.env);
    this.path = path.join(this.#dir, CONFIG_FILE);
    this.#now = options.now ?? (() => new Date());
  }

  // ---- reads: no lock -------------------------------------------------------------------------------

  #read(): StoreData {
    // Checked on every read, not once: the place can change under a long-running dashboard.
    assertOwnPlace(this.#dir, this.path);
    const fresh = readStoreFile(this.path, { unlessSignature: this.#cache?.signature });
    if (fresh) this.#cache = fresh;
    return (this.#cache as FileRead).data;
  }

  list(): ProfileView[] {
    const data = this.#read();
    const chosen = defaultOf(data);
    return Object.values(data.profiles)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((profile) => toView(profile, profile.name === chosen));
  }

  get(name: string): Profile | undefined {
    const profile = own(this.#read().profiles, name);
    return profile ? structuredClone(profile) : undefined;
  }

  resolve(name?: string): Profile {
    const data = this.#read();
    return structuredClone(resolveIn(data, name));
  }

  defaultProfile(): string | undefined {
    return defaultOf(this.#read());
  }

  // ---- writes: locked read-modify-write --------------------------------------------------------------

  async save(input: SaveInput): Promise<Profile> {
    checkProfileName(input.name);
    return this.#mutate((data) => {
      const now = this.#now().toISOString();
      const existing = own(data.profiles, input.name);
      const profile: Profile = {
        ...input,
        createdAt: existing?.createdAt ?? input.createdAt ?? now,
        updatedAt: now,
      };
      data.profiles[profile.name] = profile;
      if (!defaultOf(data)) data.defaultProfile = profile.name;
      return { data, result: structuredClone(profile) };
    });
  }

  async update(name: string, change: (profile: Profile) => Profile): Promise<Profile> {
    return this.#mutate((data) => {
      const current = requireProfile(data, name);
      const changed = change(structuredClone(current));
      // Handing back the same object (unchanged) writes nothing.
      if (changed === current || isDeepEqual(changed, current)) return { result: structuredClone(current) };
      const next: Profile = { ...changed, updatedAt: this.#now().toISOString() };
      if (next.name !== name) {
        checkProfileName(next.name);
        if (own(data.profiles, next.name)) {
          throw new ZchatError('usage', `A profile named "${next.name}" already exists.`, {
            hint: 'Choose another name, or delete that profile first.',
          });
        }
        delete data.profiles[name];
        if (data.defaultProfile === name) data.defaultProfile = next.name;
      }
      data.profiles[next.name] = next;
      return { data, result: structuredClone(next) };
    });
  }

  async remove(name: string): Promise<boolean> {
    return this.#mutate((data) => {
      if (!own(data.profiles, name)) return { result: false };
      delete data.profiles[name];
      if (data.defaultProfile === name) {
        const left = Object.keys(data.profiles);
        if (left.length === 1) data.defaultProfile = left[0];
        else delete data.defaultProfile;
      }
      return { data, result: true };
    });
  }

  async setDefault(name: string): Promise<void> {
    await this.#mutate((data) => {
      requireProfile(data, name);
      if (data.defaultProfile === name) return { result: undefined };
      data.defaultProfile = name;
      return { data, result: undefined };
    });
  }

  async recordTest(name: string, test: LastTest): Promise<void> {
    await this.#mutate((data) => {
      const profile = requireProfile(data, name);
      data.profiles[name] = { ...profile, lastTest: { ...test } };
      return { data, result: undefined };
    });
  }

  async refreshLocked(
    name: string,
    seenAccessToken: string | undefined,
    spend: (profile: Profile) => Promise<StoredToken>,
  ): Promise<{ token: StoredToken; rotatedElsewhere: boolean }> {
    return this.#mutate<{ token: StoredToken; rotatedElsewhere: boolean }>(async (data, assertHeld) => {
      const profile = requireProfile(data, name);
      const current = profile.token;
      // Another process refreshed since our caller looked: its token is ours too, and the refresh token we
      // would spend is already spent.
      if (current && seenAccessToken !== undefined && current.accessToken !== seenAccessToken) {
        return { result: { token: structuredClone(current), rotatedElsewhere: true } };
      }
      const token = await spend(structuredClone(profile));
      assertHeld();
      const { lastTest: _stale, ...rest } = profile; // the last test was of the old token
      data.profiles[name] = { ...rest, token: { ...token }, updatedAt: this.#now().toISOString() };
      return { data, result: { token: structuredClone(token), rotatedElsewhere: false } };
    });
  }

  watch(onChange: () => void): () => void {
    // The directory must exist to be watched; creating it (0700) is what the first write would do anyway.
    // If it cannot be made, the poller alone still sees the file appear.
    try {
      ensurePrivateDir(this.#dir);
    } catch {}
    return watchFile(this.path, onChange, { isOwn: (signature) => this.#isOwn(signature) });
  }

  async prepareWrites(): Promise<void> {
    await Promise.all([import('conf'), import('proper-lockfile'), import('./schema.js')]);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  #isOwn(signature: string | undefined): boolean {
    return signature !== undefined && this.#ownWrites.has(signature);
  }

  /**
   * The one write path. `change` gets the file as it is on disk now (read inside the lock) and returns the
   * new data to write, or no data to write nothing.
   */
  async #mutate<T>(
    change: (
      data: StoreData,
      assertHeld: () => void,
    ) => Promise<{ data?: StoreData; result: T }> | { data?: StoreData; result: T },
  ): Promise<T> {
    assertOwnPlace(this.#dir, this.path);
    try {
      ensurePrivateDir(this.#dir);
    } catch (error) {
      throw unwritable(`Could not create the token store directory ${this.#dir}`, error);
    }
    const lockOptions = {
      ...(this.#options.lockStaleMs !== undefined && { staleMs: this.#options.lockStaleMs }),
      ...(this.#options.lockWaitMs !== undefined && { waitMs: this.#options.lockWaitMs }),
    };
    return withLock(
      this.path,
      async (assertHeld) => {
        // Again inside the lock, right before conf writes (atomically follows a symlink and chowns the new
        // file to the old one's owner): the file must still be ours, and no link.
        assertOwnPlace(this.#dir, this.path);
        const fresh = readStoreFile(this.path, { forWrite: true }) as FileRead;
        this.#cache = fresh;
        const { data, result } = await change(structuredClone(fresh.data), assertHeld);
        if (!data) return result;
        data.schemaVersion = SCHEMA_VERSION;
        // zod, the reference schema, guards what is written; it loads here, with conf, never on reads.
        const { validateStoreData } = await import('./schema.js');
        const checked = validateStoreData(data);
        if (!checked.ok) {
          throw new ZchatError('usage', `The profile cannot be stored: ${checked.problems.join('; ')}.`);
        }
        assertHeld();
        assertOwnPlace(this.#dir, this.path);
        await this.#write(checked.data);
        return result;
      },
      lockOptions,
    );
  }

  async #write(data: StoreData): Promise<void> {
    const conf = await this.#confInstance();
    try {
      conf.store = data;
      // conf writes 0600 through atomically; say it again for the paths where it cannot (SNAP, EXDEV).
      if (process.platform !== 'win32') fs.chmodSync(this.path, 0o600);
    } catch (error) {
      // conf writes to a temporary file and renames it: a failure leaves the old file whole.
      throw unwritable(`Could not write the token store ${this.path}`, error);
    }
    const signature = currentSignature(this.path);
    if (signature) {
      this.#ownWrites.add(signature);
      if (this.#ownWrites.size > 32) this.#ownWrites.delete(this.#ownWrites.values().next().value as string);
    }
    this.#cache = { data, signature };
  }

  async #confInstance(): Promise<Conf<StoreData>> {
    if (this.#conf) return this.#conf;
    const { default: ConfClass } = await import('conf');
    this.#conf = new ConfClass<StoreData>({
      projectName: PROJECT_NAME,
      projectSuffix: '',
      cwd: this.#dir,
      configName: CONFIG_NAME,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
    });
    return this.#conf;
  }
}

// ---- helpers on plain data ---------------------------------------------------------------------------------

function own(profiles: Record<string, Profile>, name: string): Profile | undefined {
  return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
}

function defaultOf(data: StoreData): string | undefined {
  const name = data.defaultProfile;
  return name !== undefined && own(data.profiles, name) ? name : undefined;
}

/**
 * A name the store can keep and print: `profiles.__proto__ = ...` would set the object's prototype instead
 * of storing anything (a login would say "stored" and keep nothing), and control characters would reach
 * the terminal in every listing. Exported so a login can refuse the name before it spends a code.
 */
export function checkProfileName(name: string): void {
  if (name === '__proto__') {
    throw new ZchatError('usage', 'The profile name "__proto__" cannot be used.', {
      hint: 'Choose another name (--profile).',
    });
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new ZchatError(
      'usage',
      'A profile name may not contain control characters (line breaks, tabs, escapes).',
      {
        hint: 'Choose another name (--profile).',
      },
    );
  }
}

function requireProfile(data: StoreData, name: string): Profile {
  const profile = own(data.profiles, name);
  if (!profile) {
    throw new ZchatError('no_profile', `No profile named "${name}" is stored.`, {
      hint: 'Run `zchat-auth status` to see the stored profiles, or `zchat-auth login` to add one.',
    });
  }
  return profile;
}

function resolveIn(data: StoreData, name?: string): Profile {
  if (name !== undefined) return requireProfile(data, name);
  const chosen = defaultOf(data);
  if (chosen) return data.profiles[chosen] as Profile;
  const all = Object.values(data.profiles);
  if (all.length === 1) return all[0] as Profile;
  if (all.length === 0) {
    throw new ZchatError('no_profile', 'No profile is stored yet.', {
      hint: 'Run `zchat-auth login` first.',
    });
  }
  throw new ZchatError('no_profile', `${all.length} profiles are stored and none is the default.`, {
    hint: 'Pass `--profile NAME`, or choose a default: `zchat-auth switch` (or s in the dashboard).',
  });
}

/** What to throw when the file system refuses a write: a ZchatError, or the error itself if it is a bug. */
function unwritable(what: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error;
  // No code of its own in errors.ts yet: like a lock that cannot be had, the write is refused, nothing lost.
  return new ZchatError('store_locked', `${what} (${code}); nothing was changed.`, {
    hint: 'Check that the directory is yours and writable, or set ZCHAT_AUTH_CONFIG_DIR to one that is.',
  });
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
