/**
 * One version of the store file as read, with its records checked when first used: `zchat-auth token`
 * checks the one record it prints, not all 10,000. A record that fails its check throws the same
 * store_corrupt (or store_newer) a whole check of the file would have, naming it and keeping a copy aside.
 */
import { damagedRecord, type FileRead, readStoreFile } from './file.js';
import type { StoreData, StoredProfile } from './types.js';
import { checkProfileEntry } from './validate.js';

export class CheckedRead {
  readonly data: StoreData;
  readonly signature: string | undefined;
  readonly #file: string;
  readonly #checked = new Set<string>();
  #allChecked: boolean;

  constructor(file: string, read: FileRead, allChecked: boolean) {
    this.#file = file;
    this.data = read.data;
    this.signature = read.signature;
    this.#allChecked = allChecked;
  }

  /** The file now, unless it is still the version `current` holds (then undefined). */
  static read(file: string, current: CheckedRead | undefined): CheckedRead | undefined {
    const fresh = readStoreFile(file, { unlessSignature: current?.signature, topOnly: true });
    return fresh && new CheckedRead(file, fresh, false);
  }

  /** The record under `key`, checked; undefined when there is none. */
  profile(key: string): StoredProfile | undefined {
    const profiles = this.data.profiles;
    if (!Object.hasOwn(profiles, key)) return undefined;
    const value = profiles[key];
    if (!this.#allChecked && !this.#checked.has(key)) {
      const problems = checkProfileEntry(key, value);
      if (problems.length > 0) throw damagedRecord(this.#file, this.data, problems);
      this.#checked.add(key);
    }
    return value;
  }

  /** Every record checked (once per version read): for listings and before a write. */
  all(): StoreData {
    if (this.#allChecked) return this.data;
    const problems: string[] = [];
    for (const [key, value] of Object.entries(this.data.profiles)) {
      if (!this.#checked.has(key)) problems.push(...checkProfileEntry(key, value));
    }
    if (problems.length > 0) throw damagedRecord(this.#file, this.data, problems);
    this.#allChecked = true;
    this.#checked.clear();
    return this.data;
  }
}
