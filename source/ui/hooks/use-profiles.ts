import { useCallback, useEffect, useState } from 'react';
import { toZchatError } from '../../core/errors.js';
import type { ProfileView, TokenStore } from '../../core/store/types.js';

export interface ProfilesState {
  profiles: ProfileView[];
  /** The store could not be read (corrupt, newer schema): a sentence. */
  error?: string;
  reload(): void;
}

function read(store: TokenStore): { profiles: ProfileView[]; error?: string } {
  try {
    return { profiles: store.list() };
  } catch (error) {
    return { profiles: [], error: toZchatError(error).sentence };
  }
}

/** Nothing to draw again: the same views (the store keeps the view of every record a write left alone). */
function same(
  a: { profiles: ProfileView[]; error?: string },
  b: { profiles: ProfileView[]; error?: string },
) {
  return (
    a.error === b.error &&
    a.profiles.length === b.profiles.length &&
    a.profiles.every((view, i) => view === b.profiles[i])
  );
}

/** The stored profiles (masked), re-read after our own writes (reload) and when another process writes. */
export function useProfiles(store: TokenStore): ProfilesState {
  const [state, setState] = useState(() => read(store));
  const reload = useCallback(() => {
    const next = read(store);
    setState((prev) => (same(prev, next) ? prev : next));
  }, [store]);
  useEffect(() => store.watch(reload), [store, reload]);
  return { ...state, reload };
}
