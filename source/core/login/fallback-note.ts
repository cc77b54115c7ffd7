/** Said once per profile, in both views, when a login's secrets went to the file for want of a keyring. */
import type { TokenStore } from '../store/types.js';

/** The note `login` gives when the secrets went to the file for want of a keyring. */
export function fileFallbackNote(reason: string, storePath: string): string {
  return `! No OS keyring is usable here (${reason}): the secrets are stored in ${storePath}, readable only by you. Once a keyring is available, run \`zchat-auth migrate-secrets --to keyring\`.`;
}

/** The profiles whose secrets already went to the file for want of a keyring (read before a login). */
export function profilesOnFallback(store: Pick<TokenStore, 'list'>): Set<string> {
  try {
    return new Set(
      store
        .list()
        .filter((p) => p.keyringUnusable !== undefined)
        .map((p) => p.name),
    );
  } catch {
    return new Set(); // a broken store is explained where it is shown
  }
}

/** The note for `profile` after its login, or undefined when the keyring took the secrets or it was said before. */
export function fallbackNoteAfterLogin(
  store: Pick<TokenStore, 'get' | 'path'>,
  profile: string,
  before: Set<string>,
): string | undefined {
  if (before.has(profile)) return undefined;
  const reason = store.get(profile)?.keyringUnusable;
  return reason === undefined ? undefined : fileFallbackNote(reason, store.path);
}
