/**
 * The profiles a write's `change` edits, without copying them: copying the record of 1,000 profiles (a
 * dictionary-mode object from JSON.parse) cost a fresh `login` 5-13 ms of its redirect → stored, most of it
 * building and then collecting hidden classes. The draft reads through to the stored profiles and keeps its
 * own edits aside; the store applies them in place only right before the file is written (and undoes them
 * if the write fails), in one synchronous step, so no read in this process ever sees a change that did not
 * reach the file.
 */
import type { StoredProfile } from './types.js';

type Profiles = Record<string, StoredProfile>;

export interface ProfilesDraft {
  /** What `change` gets as `data.profiles`: reads, writes and deletes, as on a plain object. */
  readonly profiles: Profiles;
  /** The records set (added or replaced by another object), by key. */
  replaced(): Record<string, StoredProfile>;
  /** Every record as it will be (in no particular order). */
  values(): StoredProfile[];
  /** The keys set or deleted. */
  changed(): Set<string>;
  /** Applies the edits to the stored profiles; returns the function that undoes them. */
  apply(): () => void;
}

const DELETED = Symbol('deleted');

export function draftProfiles(base: Profiles): ProfilesDraft {
  // Edits in the order made; a key set after a delete moves to the end, as on a plain object.
  const edits = new Map<string, StoredProfile | typeof DELETED>();
  const has = (key: string) => {
    const edit = edits.get(key);
    return edit === undefined ? Object.hasOwn(base, key) : edit !== DELETED;
  };
  const get = (key: string) => {
    const edit = edits.get(key);
    if (edit === DELETED) return undefined;
    return edit ?? (Object.hasOwn(base, key) ? base[key] : undefined);
  };
  // Keys deleted then set again: a plain object would have moved them to the end.
  const moved = new Set<string>();
  // In the order of a plain object edited the same way (index-like keys first): built by editing one, which
  // costs what the copy did, but only a change that lists the keys asks (removing the default profile).
  const keys = (): string[] => {
    const copy = { ...base };
    for (const [key, edit] of edits) {
      if (edit === DELETED || moved.has(key)) delete copy[key];
      if (edit !== DELETED) copy[key] = edit;
    }
    return Object.keys(copy);
  };

  const profiles = new Proxy({} as Profiles, {
    get: (_target, key) => (typeof key === 'string' ? get(key) : undefined),
    has: (_target, key) => typeof key === 'string' && has(key),
    set(_target, key, value) {
      if (typeof key !== 'string') return false;
      if (edits.get(key) === DELETED && Object.hasOwn(base, key)) moved.add(key);
      // Re-setting keeps a key's place: delete it from the map first only when it was deleted.
      if (edits.get(key) === DELETED) edits.delete(key);
      edits.set(key, value as StoredProfile);
      return true;
    },
    deleteProperty(_target, key) {
      if (typeof key !== 'string') return true;
      if (has(key) || edits.has(key)) {
        edits.delete(key);
        moved.delete(key);
        edits.set(key, DELETED);
      }
      return true;
    },
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' && has(key)
        ? { value: get(key), writable: true, enumerable: true, configurable: true }
        : undefined,
    defineProperty: () => false,
  });

  return {
    profiles,
    replaced() {
      const out: Record<string, StoredProfile> = {};
      for (const [key, edit] of edits) {
        if (edit === DELETED) continue;
        if (!Object.hasOwn(base, key) || base[key] !== edit) out[key] = edit;
      }
      return out;
    },
    changed: () => new Set(edits.keys()),
    values() {
      if (edits.size === 0) return Object.values(base);
      const out: StoredProfile[] = [];
      const stored = Object.keys(base);
      for (let i = 0; i < stored.length; i++) {
        const key = stored[i] as string;
        if (!edits.has(key)) out.push(base[key] as StoredProfile);
      }
      for (const edit of edits.values()) if (edit !== DELETED) out.push(edit);
      return out;
    },
    apply() {
      const undo: (() => void)[] = [];
      const restoreOrder = [...edits.keys()].some((key) => moved.has(key) || edits.get(key) === DELETED);
      const original = restoreOrder ? Object.entries(base) : undefined;
      for (const [key, edit] of edits) {
        const had = Object.hasOwn(base, key);
        const old = base[key];
        if (edit === DELETED) {
          delete base[key];
        } else {
          if (moved.has(key)) delete base[key];
          base[key] = edit;
        }
        if (!original) {
          undo.push(() => {
            if (had) base[key] = old as StoredProfile;
            else delete base[key];
          });
        }
      }
      return () => {
        if (original) {
          // Deletes change the order: put every key back as it was.
          for (const key of Object.keys(base)) delete base[key];
          for (const [key, value] of original) base[key] = value;
          return;
        }
        for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
      };
    },
  };
}
