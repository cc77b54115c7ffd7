/**
 * The token store: profiles, their tokens and last tests, in one JSON file (conf's format and place).
 *
 * Reads go straight to the file with node:fs (no lock, no conf: `zchat-auth token` must start fast) and are
 * cached by file signature, so every read sees other processes' writes. Every read-modify-write takes the
 * cross-process lock, re-reads the file inside it, and has conf replace it whole (a temporary file renamed
 * over it, 0600), with conf's format written by serialize.ts, which restringifies only the records it replaced.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Conf from 'conf';
import { ZchatError } from '../errors.js';
import { CheckedRead, keysOf, type ProfileKeys } from './checked-read.js';
import { draftProfiles } from './draft.js';
import { currentSignature, ensurePrivateDir, newerError, readStoreFile } from './file.js';
import { type Keyring, probeKeyring, systemKeyring } from './keyring.js';
import { withLock } from './lock.js';
import { assertOwnPlace } from './ownership.js';
import { CONFIG_FILE, CONFIG_NAME, PROJECT_NAME, resolveConfigDir } from './paths.js';
import { accountsOf, SecretsBook, schemaVersionFor } from './secrets.js';
import { newRecordTexts, rememberRecords, serializeStore } from './serialize.js';
import type {
  LastTest,
  Profile,
  ProfileView,
  Removal,
  StoreData,
  StoredProfile,
  StoredToken,
  TokenStore,
} from './types.js';
import { SCHEMA_VERSION } from './types.js';
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
  /** The OS keyring (default: the real one, loaded on first use). Tests wrap it to count or break calls. */
  keyring?: Keyring;
}

type SaveInput = Omit<Profile, 'createdAt' | 'updatedAt'> & Partial<Pick<Profile, 'createdAt'>>;
type Placement = Pick<Profile, 'secretsIn' | 'keyringUnusable'>;

export function openStore(options: OpenStoreOptions = {}): TokenStore {
  return new FileTokenStore(options);
}

class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #dir: string;
  readonly #options: OpenStoreOptions;
  readonly #now: () => Date;
  #cache: CheckedRead | undefined;
  /** The file's bytes of each record read or written, so a write stringifies only what it replaced. */
  readonly #texts = newRecordTexts();
  /**
   * Memory for the next write's bytes, made and touched by prepareWrites: at 1,000 profiles, copying the
   * file's 0.6 MB into fresh memory took 0.35-0.45 ms (0.03-0.08 ms into touched memory), and several ms
   * when other processes kept the cores busy. conf writes what serialize returns at once, synchronously,
   * and keeps nothing of it, so one buffer serves every write.
   */
  #scratch: Buffer | undefined;
  /** conf, the writer: made inside the first write's lock, once the private directory exists; never by a read. */
  #conf: Conf<StoreData> | undefined;
  /** list()'s views of the version read last: a dashboard start lists the store three times. */
  #views: { read: CheckedRead; views: ProfileView[]; byKey: Map<string, ProfileView> } | undefined;
  /** The records this process's own writes changed in place since the version listed last (see #mutate). */
  #changedSinceListed: { listed: CheckedRead; changed: Set<string> } | undefined;
  /**
   * The watch() callbacks. The file watcher skips a version this process wrote, and when this process
   * writes right after another one did, the other's version is never seen on disk: the write found it
   * under the lock instead (#readForWrite), and tells them.
   */
  readonly #watchers = new Set<() => void>();
  /** Signatures of the files this instance wrote, so watch() reports only other writers. */
  readonly #ownWrites = new Set<string>();
  /** Keyring entries read, by account: an account's value never changes (see secrets.ts). */
  readonly #secretCache = new Map<string, object>();
  #keyring: Keyring | undefined;

  constructor(options: OpenStoreOptions) {
    this.#options = options;
    this.#dir = resolveConfigDir(options.dir, options.env ?? process.env);
    this.path = path.join(this.#dir, CONFIG_FILE);
    this.#now = options.now ?? (() => new Date());
  }

  // ---- reads: no lock -------------------------------------------------------------------------------

  /** `every`: the caller uses every record (a listing), so the file is parsed whole, not split first. */
  #read(every = false): CheckedRead {
    // Checked on every read, not once: the place can change under a long-running dashboard.
    assertOwnPlace(this.#dir, this.path);
    const fresh = CheckedRead.read(this.path, this.#cache, !every);
    if (fresh) this.#cache = fresh;
    return this.#cache as CheckedRead;
  }

  list(): ProfileView[] {
    const read = this.#read(true);
    // The same version of the file gives the same (frozen) views: sorting and masking 10,000 records is
    // done once per version, not once per caller. A new version (another process wrote) keeps the check and
    // the view of every record it did not change: an open dashboard lists each version, and a write
    // usually changes one record; the screens then redraw only the rows whose view is new.
    if (this.#views?.read !== read) {
      const before = this.#views;
      const data = read.all(before?.read);
      const unchanged = before ? read.takeUnchanged(before.read) : undefined;
      const chosen = defaultOf(keysOf(data));
      const byKey = new Map<string, ProfileView>();
      const profiles = data.profiles;
      // By key, which all() checked is each record's name: sorting the keys themselves, with no pair per
      // record and no destructuring in the comparator, is what makes a cold sort of 1,000 cheap.
      const keys = Object.keys(profiles).sort(byCodeUnits);
      const views: ProfileView[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const record = profiles[key] as StoredProfile;
        const isDefault = key === chosen;
        const old = before?.byKey.get(key);
        const view =
          old && old.isDefault === isDefault && unchanged?.has(key)
            ? old
            : deepFreeze(toView(record, isDefault));
        byKey.set(key, view);
        views[i] = view;
      }
      this.#views = { read, views, byKey };
    }
    return this.#views.views.slice();
  }

  get(name: string): Profile | undefined {
    return this.#withSecrets((read) => read.profile(name));
  }

  resolve(name?: string): Profile {
    return this.#withSecrets((read) => read.profile(resolveKeyIn(read.keys(), name))) as Profile;
  }

  /**
   * The profile `pick` chooses, with its secrets. Reads take no lock, so another process may switch the
   * profile to a new keyring entry and delete the one this read was about to fetch: then the file names
   * another entry, and that one is read instead.
   */
  #withSecrets(pick: (read: CheckedRead) => StoredProfile | undefined): Profile | undefined {
    for (let attempt = 1; ; attempt++) {
      const stored = pick(this.#read());
      if (!stored) return undefined;
      try {
        return structuredClone(this.#book().full(stored));
      } catch (error) {
        const now = pick(this.#read());
        if (attempt >= 5 || now?.keyringAccount === undefined || now.keyringAccount === stored.keyringAccount)
          throw error;
      }
    }
  }

  defaultProfile(): string | undefined {
    return defaultOf(this.#read().keys());
  }

  // ---- writes: locked read-modify-write --------------------------------------------------------------

  async save(input: SaveInput): Promise<Profile> {
    checkProfileName(input.name);
    const placed = await this.#placeSecrets(input);
    const saveAs = (placement: Placement) =>
      this.#mutate((data, _held, book) => {
        const now = this.#now().toISOString();
        const existing = own(data.profiles, input.name);
        const { keyringUnusable: _old, ...rest } = input;
        const profile: Profile = {
          ...rest,
          ...placement,
          // A profile setting: a later login without the flag keeps it.
          ...((input.insecureStorage ?? existing?.insecureStorage) && { insecureStorage: true }),
          createdAt: existing?.createdAt ?? input.createdAt ?? now,
          updatedAt: now,
        };
        data.profiles[profile.name] = book.store(profile, existing);
        if (!defaultOf(keysOf(data))) data.defaultProfile = profile.name;
        return { data, result: structuredClone(profile) };
      });
    try {
      return await saveAs(placed);
    } catch (error) {
      // The keyring refused the write (a dismissed unlock prompt): what a login just got is not lost, it
      // goes to the file, and the profile says why.
      if (placed.secretsIn !== 'keyring' || !(error instanceof ZchatError) || error.code !== 'keyring')
        throw error;
      return saveAs({ secretsIn: 'file', keyringUnusable: error.message.replace(/\.$/, '') });
    }
  }

  /** Where a login's secrets go: the keyring when one is usable, unless the file is asked for. */
  async #placeSecrets(input: SaveInput): Promise<Placement> {
    const env = this.#options.env ?? process.env;
    const chosen = input.insecureStorage ?? this.#read().profile(input.name)?.insecureStorage;
    if (chosen || env.ZCHAT_AUTH_INSECURE_STORAGE === '1') return { secretsIn: 'file' };
    const check = await probeKeyring({
      env,
      ...(this.#options.keyring && { keyring: this.#options.keyring }),
    });
    return check.usable ? { secretsIn: 'keyring' } : { secretsIn: 'file', keyringUnusable: check.reason };
  }

  async update(name: string, change: (profile: Profile) => Profile): Promise<Profile> {
    return this.#mutate((data, _held, book) => {
      const stored = requireProfile(data, name);
      const current = book.full(stored);
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
      data.profiles[next.name] = book.store(next, stored);
      return { data, result: structuredClone(next) };
    });
  }

  async remove(name: string): Promise<boolean> {
    return (await this.removeProfile(name)).removed;
  }

  resolveName(name?: string): string {
    return resolveKeyIn(this.#read().keys(), name);
  }

  async removeProfile(name: string): Promise<Removal> {
    // A keyring that cannot be reached is found out first, with the probe that never hangs: the binding's
    // own calls cannot be interrupted. The file is changed either way; the entry is named for the user.
    let keyringProblem: string | undefined;
    if (this.#read().profile(name)?.secretsIn === 'keyring') {
      const check = await probeKeyring({
        env: this.#options.env ?? process.env,
        ...(this.#options.keyring && { keyring: this.#options.keyring }),
      });
      if (!check.usable) keyringProblem = check.reason;
    }
    let keyringLeft: string[] = [];
    const removed = await this.#mutate(
      (data) => {
        if (!own(data.profiles, name)) return { result: false };
        delete data.profiles[name];
        if (data.defaultProfile === name) {
          const [only, ...more] = Object.keys(data.profiles);
          if (only !== undefined && more.length === 0) data.defaultProfile = only;
          else delete data.defaultProfile;
        }
        return { data, result: true };
      },
      {
        keyringUnreachable: keyringProblem !== undefined,
        onSwept: (left) => {
          keyringLeft = left;
        },
      },
    );
    return { removed, keyringLeft, ...(keyringProblem !== undefined && { keyringProblem }) };
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
    return this.#mutate<{ token: StoredToken; rotatedElsewhere: boolean }>(async (data, assertHeld, book) => {
      const stored = requireProfile(data, name);
      const profile = book.full(stored);
      const current = profile.token;
      // Another process refreshed since our caller looked: its token is ours too, and the refresh token we
      // would spend is already spent.
      if (current && seenAccessToken !== undefined && current.accessToken !== seenAccessToken) {
        return { result: { token: structuredClone(current), rotatedElsewhere: true } };
      }
      const token = await spend(structuredClone(profile));
      assertHeld();
      const { lastTest: _stale, ...rest } = profile; // the last test was of the old token
      const next: Profile = { ...rest, token: { ...token }, updatedAt: this.#now().toISOString() };
      data.profiles[name] = book.store(next, stored);
      return { data, result: { token: structuredClone(token), rotatedElsewhere: false } };
    });
  }

  watch(onChange: () => void): () => void {
    // The directory must exist to be watched; creating it (0700) is what the first write would do anyway.
    // If it cannot be made, the poller alone still sees the file appear.
    try {
      ensurePrivateDir(this.#dir);
    } catch {}
    const stop = watchFile(this.path, onChange, { isOwn: (signature) => this.#isOwn(signature) });
    this.#watchers.add(onChange);
    return () => {
      this.#watchers.delete(onChange);
      stop();
    };
  }

  /** Whether the OS keyring answers here (probed once per process, see keyring.ts). */
  async #keyringAnswers(): Promise<boolean> {
    const check = await probeKeyring({
      env: this.#options.env ?? process.env,
      ...(this.#options.keyring && { keyring: this.#options.keyring }),
    });
    return check.usable;
  }

  async cleanKeyring(): Promise<void> {
    // A write that changes nothing but the record of pending entries: #mutate deletes the orphans.
    await this.#mutate((data) =>
      data.keyringPending?.length ? { data, result: undefined } : { result: undefined },
    );
  }

  async prepareWrites(): Promise<void> {
    await Promise.all([import('proper-lockfile'), import('./schema.js'), import('conf')]);
    // Nothing stored yet (a first login): no records to prepare; the warm-up is made all the same.
    if (fs.existsSync(this.path)) await this.#prepareRecords();
    await warmWritePath();
  }

  /**
   * Checks every record of the file as it is now, and keeps each one's bytes: a write that finds the file
   * unchanged under its lock then has only the new record to check and to stringify.
   */
  async #prepareRecords(): Promise<void> {
    try {
      // The file exists, so its private directory does: conf can be made now (it reads the file once when
      // made), off the write's path.
      await this.#confInstance();
      const data = this.#read(true).all();
      const size = rememberRecords(data, this.#texts);
      // Room for the record a login adds (under 1 KiB) many times over.
      this.#scratch = Buffer.allocUnsafeSlow(size + 64 * 1024).fill(0);
      // zod sets up each schema on its first parse (a few ms): do it now, on a record already stored.
      const { validateStoreData } = await import('./schema.js');
      const name = defaultOf(keysOf(data)) ?? Object.keys(data.profiles)[0];
      const sample = name === undefined ? {} : { [name]: data.profiles[name] };
      validateStoreData({ ...data, profiles: sample });
    } catch {
      // The write will say what is wrong, when there is something to write.
    }
  }

  // ---- internals ----------------------------------------------------------------------------------------

  #book(): SecretsBook {
    return new SecretsBook(
      () => {
        this.#keyring ??= this.#options.keyring ?? systemKeyring();
        return this.#keyring;
      },
      this.#secretCache as Map<string, never>,
    );
  }

  #isOwn(signature: string | undefined): boolean {
    return signature !== undefined && this.#ownWrites.has(signature);
  }

  /**
   * The one write path. `change` gets the file as it is on disk now (read inside the lock) and returns the
   * new data to write, or no data to write nothing. `change` may add, replace or delete records and set
   * top-level fields, never edit a record in place: the records it leaves alone were checked when read, so
   * only those it replaced are checked (with zod) before the whole file is written. Profiles pass through
   * `book` to reach their secrets and to put them back; keyring entries are written before the file that
   * names them and deleted after the file stops naming them.
   */
  async #mutate<T>(
    change: (
      data: StoreData,
      assertHeld: () => void,
      book: SecretsBook,
    ) => Promise<{ data?: StoreData; result: T }> | { data?: StoreData; result: T },
    sweep: { keyringUnreachable?: boolean; onSwept?: (left: string[]) => void } = {},
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
        // Again inside the lock, right before the write: the file must still be ours, and no link.
        assertOwnPlace(this.#dir, this.path);
        const before = this.#readForWrite().all();
        const book = this.#book();
        // The profiles are edited in a draft, not a copy (draft.ts), and applied right before the write.
        const draft = draftProfiles(before.profiles);
        const { data, result } = await change({ ...before, profiles: draft.profiles }, assertHeld, book);
        if (!data) return result;
        const ownDraft = data.profiles === draft.profiles;
        const after = ownDraft ? draft.values() : Object.values(data.profiles);
        data.schemaVersion = schemaVersionFor(after);
        // zod, the reference schema, guards what is written; it loads here, never on reads.
        const { validateStoreData } = await import('./schema.js');
        const replaced = ownDraft ? draft.replaced() : replacedRecords(before, data);
        const checked = validateStoreData({ ...data, profiles: replaced });
        if (!checked.ok) {
          throw new ZchatError('usage', `The profile cannot be stored: ${checked.problems.join('; ')}.`);
        }
        // Keyring entries are written before the file names them and deleted after it stops naming them;
        // the file records each in between (keyringPending), so a process killed there leaves no entry
        // unknown: the next locked write deletes the recorded ones no profile names.
        const named = accountsOf(after);
        const namedBefore = accountsOf(Object.values(before.profiles));
        const recorded = before.keyringPending ?? [];
        const adding = book.adding();
        // Loaded before the writes below, each of which must be one synchronous step.
        const conf = await this.#confInstance();
        if (adding.length > 0) {
          assertHeld();
          assertOwnPlace(this.#dir, this.path);
          this.#write(conf, { ...before, keyringPending: union(recorded, adding) });
        }
        book.flush();
        // Recorded entries no profile names: left by a killed process. Deleted only where the keyring is
        // known to answer (its calls cannot be interrupted), else they stay recorded for a later write.
        const orphans = recorded.filter((a) => !named.has(a) && !namedBefore.has(a));
        const left =
          orphans.length > 0 && !sweep.keyringUnreachable && (await this.#keyringAnswers())
            ? book.deleteAll(orphans)
            : orphans;
        const gone = [...namedBefore].filter((account) => !named.has(account));
        const pending = union(left, gone);
        if (pending.length > 0) data.keyringPending = pending;
        else delete data.keyringPending;
        assertHeld();
        assertOwnPlace(this.#dir, this.path);
        // Applied and written in one synchronous step: no read in this process sees the change before
        // the file has it, nor after a failed write.
        const undo = ownDraft ? draft.apply() : undefined;
        try {
          this.#write(conf, ownDraft ? { ...data, profiles: before.profiles } : data);
        } catch (error) {
          undo?.();
          throw error;
        }
        // The version listed last shares the records just edited in place: the listing is told which
        // records changed, as it cannot see it by comparing them.
        const listed = this.#views?.read;
        if (ownDraft && listed && listed.data.profiles === before.profiles) {
          // Writes since that listing add up: each changed some records of the same object.
          const changed = draft.changed();
          if (this.#changedSinceListed?.listed === listed) {
            for (const key of this.#changedSinceListed.changed) changed.add(key);
          }
          this.#changedSinceListed = { listed, changed };
          this.#cache?.carryFrom(listed, changed);
        }
        // Not inside `onSwept?.(...)`: an optional call skips its arguments, and the deletes with them.
        const stayed = sweep.keyringUnreachable ? gone : book.deleteAll(gone);
        sweep.onSwept?.(stayed);
        return result;
      },
      lockOptions,
    );
  }

  /** Inside the lock: the file as it is now, re-read unless it is still the version this process holds. */
  #readForWrite(): CheckedRead {
    const fresh = readStoreFile(this.path, {
      unlessSignature: this.#cache?.signature,
      forWrite: true,
      topOnly: true,
    });
    if (fresh) this.#cache = new CheckedRead(this.path, fresh, false);
    if (fresh?.signature !== undefined && !this.#isOwn(fresh.signature) && this.#watchers.size > 0) {
      // After this write's turn, not inside it: a watcher re-reads the store.
      const watchers = [...this.#watchers];
      setImmediate(() => {
        for (const onChange of watchers) onChange();
      });
    }
    const read = this.#cache as CheckedRead;
    // Read without forWrite earlier: a newer file may be read, never rewritten.
    if (read.data.schemaVersion > SCHEMA_VERSION) throw newerError(this.path, read.data.schemaVersion);
    return read;
  }

  #write(conf: Conf<StoreData>, data: StoreData): void {
    try {
      conf.store = withoutConfCarryOver(data);
    } catch (error) {
      // Written to a temporary file and renamed: a failure leaves the old file whole.
      throw unwritable(`Could not write the token store ${this.path}`, error);
    }
    const signature = currentSignature(this.path);
    if (signature) {
      this.#ownWrites.add(signature);
      if (this.#ownWrites.size > 32) this.#ownWrites.delete(this.#ownWrites.values().next().value as string);
    }
    this.#cache = new CheckedRead(this.path, { data, signature }, true);
  }

  async #confInstance(): Promise<Conf<StoreData>> {
    if (this.#conf) return this.#conf;
    const { default: ConfClass } = await import('conf');
    this.#conf ??= new ConfClass<StoreData>({
      projectName: PROJECT_NAME,
      projectSuffix: '',
      cwd: this.#dir,
      configName: CONFIG_NAME,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      // conf's format, stringifying only the records that changed (serialize.ts): at 1,000 profiles a whole
      // JSON.stringify was most of a write. conf hands what this returns to its atomic writer as it is, and
      // that writes bytes as they are: the bytes, not a string made of them to be encoded back (at 1,000
      // profiles, 0.6 MB decoded and encoded again per write). Typed as conf's string.
      serialize: (value) => serializeStore(value, this.#texts, this.#scratch) as unknown as string,
      // conf reads the file back when opened only to carry over its own `__internal__` key, which this
      // store never writes (and #write keeps it from reading again before each write); the store reads the
      // file itself (file.ts). Parsing every profile for that was a third of a write's time at 1,000
      // profiles, so only a file that has the key is parsed; for the others conf sees no data of its own.
      deserialize: (text: string) => (text.includes('"__internal__"') ? JSON.parse(text) : {}),
    });
    return this.#conf;
  }
}

/**
 * One save, as a login makes it, through a store of its own in a private temporary directory, then removed:
 * a fresh process's first write runs code never run before (the store's write path, conf's setter, its
 * atomic writer), and compiling it cost a login 3-4 ms of its redirect → stored at 1,000 profiles. Nothing
 * of the real store is read, locked or written; secrets go to that file only (never a keyring), and the
 * profile holds none of the user's.
 */
async function warmWritePath(): Promise<void> {
  let dir: string | undefined;
  // A login that ends while the warm-up runs (the token came first, or the user gave up) removes it too.
  const removeAtExit = () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeAtExit);
  try {
    // The real path: the store refuses a place reached through a link (macOS's /var is one).
    dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'zchat-auth-warm-up-'));
    const store = new FileTokenStore({ dir, env: { ZCHAT_AUTH_INSECURE_STORAGE: '1' } });
    await store.save({
      name: 'warm-up',
      subdomain: 'warm-up',
      baseUrl: 'https://warm-up.zendesk.com',
      clientId: 'warm-up',
      redirectUri: 'http://127.0.0.1:8080',
      scopes: ['read'],
      flow: 'code',
      token: {
        accessToken: 'warm-up-0123456789abcdef',
        tokenType: 'Bearer',
        scope: 'read',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
      },
    });
  } catch {
    // Only a warm-up: the real write says what is wrong, if anything is.
  } finally {
    process.off('exit', removeAtExit);
    removeAtExit();
  }
}

// ---- helpers on plain data ---------------------------------------------------------------------------------

function own(profiles: Record<string, StoredProfile>, name: string): StoredProfile | undefined {
  return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
}

function defaultOf(keys: ProfileKeys): string | undefined {
  const name = keys.defaultProfile;
  return name !== undefined && keys.has(name) ? name : undefined;
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

function requireProfile(data: StoreData, name: string): StoredProfile {
  const profile = own(data.profiles, name);
  if (!profile) throw noProfile(name);
  return profile;
}

function noProfile(name: string): ZchatError {
  return new ZchatError('no_profile', `No profile named "${name}" is stored.`, {
    hint: 'Run `zchat-auth status` to see the stored profiles, or `zchat-auth login` to add one.',
  });
}

/**
 * The key of the profile to use (see TokenStore.resolve), from the keys alone: no record is parsed or
 * checked here.
 */
function resolveKeyIn(keys: ProfileKeys, name?: string): string {
  if (name !== undefined) {
    if (!keys.has(name)) throw noProfile(name);
    return name;
  }
  const chosen = defaultOf(keys);
  if (chosen) return chosen;
  const all = keys.keys();
  if (all.length === 1) return all[0] as string;
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

/** The records `after` holds that `before` did not hold as they are (added or replaced): the ones to check. */
function replacedRecords(before: StoreData, after: StoreData): Record<string, StoredProfile> {
  const replaced: Record<string, StoredProfile> = {};
  for (const [key, profile] of Object.entries(after.profiles)) {
    if (!Object.hasOwn(before.profiles, key) || before.profiles[key] !== profile) replaced[key] = profile;
  }
  return replaced;
}

/**
 * What to give conf's `store` setter. Unless the value has an `__internal__` key, conf reads and parses the
 * whole file again before writing, to carry that key over from it. The store's data already carries every
 * top-level key the file had (read under the lock, key and all), so when it has none there is none to carry:
 * a key that is there (`in`) but not enumerable tells conf so, and no serializer writes it.
 */
function withoutConfCarryOver(data: StoreData): StoreData {
  if (Object.hasOwn(data, '__internal__')) return data;
  return Object.defineProperty({ ...data }, '__internal__', { value: undefined, enumerable: false });
}

/** The order of `<` on strings (UTF-16 code units), as the listing always sorted names. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A view handed to several callers must not change under one of them. */
function deepFreeze(view: ProfileView): ProfileView {
  Object.freeze(view.scopes);
  if (view.token) Object.freeze(view.token);
  if (view.lastTest) Object.freeze(view.lastTest);
  return Object.freeze(view);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The accounts of `a`, then those of `b` not in `a`, once each. */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
