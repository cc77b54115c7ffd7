/**
 * One version of the store file as read, with its records checked when first used: `zchat-auth token`
 * checks the one record it prints, not all 10,000. A record that fails its check throws the same
 * store_corrupt (or store_newer) a whole check of the file would have, naming it and keeping a copy aside.
 */
import { damagedRecord, type FileRead, parseStoreBytes, readStoreFile } from './file.js';
import type { StoreData, StoredProfile } from './types.js';
import { checkProfileEntry } from './validate.js';

/** The keys whose record a version carries over from the one before (see takeUnchanged). */
export interface UnchangedKeys {
  has(key: string): boolean;
}

/** What choosing a profile by name needs of a version: its default and its keys, no record parsed. */
export interface ProfileKeys {
  readonly defaultProfile?: string | undefined;
  has(key: string): boolean;
  keys(): string[];
}

/** The keys of data already parsed (a key holding nothing, `null`, counts as no profile, as it always did). */
export function keysOf(data: StoreData): ProfileKeys {
  const profiles = data.profiles;
  return {
    defaultProfile: data.defaultProfile,
    has: (key) => Object.hasOwn(profiles, key) && Boolean(profiles[key]),
    keys: () => Object.keys(profiles),
  };
}

/** A version read with its records left as texts (a `splitRecords` read), each parsed when first used. */
interface Unparsed {
  records: Map<string, string>;
  parsed: Map<string, unknown>;
  bytes: Buffer;
}

export class CheckedRead {
  readonly signature: string | undefined;
  readonly #file: string;
  #data: StoreData;
  #unparsed: Unparsed | undefined;
  readonly #checked = new Set<string>();
  #allChecked: boolean;
  /** The keys whose record all(from) found equal to the one `from` held. */
  #carried: { from: CheckedRead; keys: UnchangedKeys } | undefined;

  constructor(file: string, read: FileRead, allChecked: boolean) {
    this.#file = file;
    this.#data = read.data;
    this.signature = read.signature;
    this.#allChecked = allChecked;
    if (read.records && read.bytes)
      this.#unparsed = { records: read.records, parsed: new Map(), bytes: read.bytes };
  }

  /**
   * The file now, unless it is still the version `current` holds (then undefined). `split`: leave the
   * records as texts, each parsed when used (for a caller that uses a few of them).
   */
  static read(file: string, current: CheckedRead | undefined, split: boolean): CheckedRead | undefined {
    const fresh = readStoreFile(file, {
      unlessSignature: current?.signature,
      topOnly: true,
      splitRecords: split,
    });
    return fresh && new CheckedRead(file, fresh, false);
  }

  /** The whole version, every record parsed (not checked: see all()). */
  get data(): StoreData {
    const unparsed = this.#unparsed;
    if (unparsed) {
      // One parse of the file (faster than one per record); a bad file throws as a whole read would.
      this.#data = parseStoreBytes(this.#file, unparsed.bytes);
      this.#unparsed = undefined;
    }
    return this.#data;
  }

  /** The default and the keys, without parsing a record. */
  keys(): ProfileKeys {
    const unparsed = this.#unparsed;
    if (!unparsed) return keysOf(this.#data);
    return {
      defaultProfile: this.#data.defaultProfile,
      has: (key) => unparsed.records.has(key),
      keys: () => [...unparsed.records.keys()],
    };
  }

  /** The record under `key`, checked; undefined when there is none. */
  profile(key: string): StoredProfile | undefined {
    const value = this.#unparsed ? this.#parsedRecord(key) : this.#record(key);
    if (value === undefined) return undefined;
    if (!this.#allChecked && !this.#checked.has(key)) {
      const problems = checkProfileEntry(key, value);
      if (problems.length > 0) throw damagedRecord(this.#file, this.#data, problems);
      this.#checked.add(key);
    }
    return value as StoredProfile;
  }

  #record(key: string): unknown {
    const profiles = this.data.profiles;
    return Object.hasOwn(profiles, key) ? profiles[key] : undefined;
  }

  /** One record of a split read, parsed from its text; a text that does not parse: the whole file decides. */
  #parsedRecord(key: string): unknown {
    const unparsed = this.#unparsed as Unparsed;
    const text = unparsed.records.get(key);
    if (text === undefined) return undefined;
    let value = unparsed.parsed.get(key);
    if (value === undefined) {
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        return this.#record(key);
      }
      unparsed.parsed.set(key, value);
    }
    return value;
  }

  /**
   * Every record checked (once per version read): for listings and before a write. Given `previous`, an
   * earlier version of the file, a record equal to the one it held under the same key is carried over (see
   * takeUnchanged) and, if checked there, not checked again: another process's write usually changes one
   * record of thousands, and an open dashboard lists every version.
   */
  all(previous?: CheckedRead): StoreData {
    if (previous && previous !== this && this.#carried?.from !== previous) this.#carry(previous);
    if (this.#allChecked) return this.data;
    const problems: string[] = [];
    const profiles = this.data.profiles;
    // Keys, not entries: no pair per record (a listing of 1,000 records runs this once, cold).
    for (const key of Object.keys(profiles)) {
      if (this.#checked.has(key)) continue;
      const found = checkProfileEntry(key, profiles[key]);
      if (found.length > 0) problems.push(...found);
    }
    if (problems.length > 0) throw damagedRecord(this.#file, this.data, problems);
    this.#allChecked = true;
    this.#checked.clear();
    return this.data;
  }

  /**
   * After all(previous): the keys whose record is the same as in `previous`. Handed over once and then
   * forgotten, so a version never holds on to the one before it (a dashboard open for a day reads many).
   */
  takeUnchanged(previous: CheckedRead): UnchangedKeys {
    const carried = this.#carried;
    this.#carried = undefined;
    return carried?.from === previous ? carried.keys : new Set();
  }

  /**
   * This version was made by this process's own write from `previous`, in place (store.ts edits the records
   * object it read, see draft.ts): the two share their records, so only the write knows which changed.
   */
  carryFrom(previous: CheckedRead, changed: ReadonlySet<string>): void {
    this.#carried = { from: previous, keys: { has: (key) => !changed.has(key) } };
  }

  #carry(previous: CheckedRead): void {
    const keys = new Set<string>();
    const before = previous.data.profiles;
    const trusted = previous.#allChecked;
    const profiles = this.data.profiles;
    for (const [key, value] of Object.entries(profiles)) {
      if (!Object.hasOwn(before, key) || !samePlainData(before[key], value)) continue;
      // The equal record read before in place of the copy just parsed: the listing keeps its view of a
      // record carried over, and that view shares the earlier record's strings. An open dashboard held
      // every record twice after another process's write (its views, and this version's copies): 0.7 MB
      // at 1,000 profiles. The earlier version is done with once carried from (takeUnchanged forgets it).
      profiles[key] = before[key] as StoredProfile;
      keys.add(key);
      if (!this.#allChecked && (trusted || previous.#checked.has(key))) this.#checked.add(key);
    }
    this.#carried = { from: previous, keys };
  }
}

/** Deep equality of JSON data (what JSON.parse gives: objects, arrays, strings, numbers, booleans, null). */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // for-in, not Object.keys: no array per object (thousands of records are compared on each version read).
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !samePlainData(x[key], y[key])) return false;
    count++;
  }
  for (const _ in y) count--;
  return count === 0;
}
