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

/** The stored profiles (masked), re-read after our own writes (reload) and when another process writes. */
export function useProfiles(store: TokenStore): ProfilesState {
  const [state, setState] = useState(() => read(store));
  const reload = useCallback(() => setState(read(store)), [store]);
  useEffect(() => store.watch(reload), [store, reload]);
  return { ...state, reload };
}
