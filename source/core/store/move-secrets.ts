/**
 * Moving profiles' secrets between the config file and the OS keyring (`zchat-auth migrate-secrets`).
 * Each profile moves in one locked write of the store, in the order that loses nothing if the process
 * dies at any point (secrets.ts): the new place is written first, then the file is switched to it, then
 * the old place is emptied.
 */
import { ZchatError } from '../errors.js';
import type { KeyringCheck } from './keyring.js';
import type { Profile, SecretsIn, TokenStore } from './types.js';

export interface MoveResult {
  moved: string[];
  /** Already there: nothing was written for them. */
  already: string[];
}

export async function moveSecrets(
  store: TokenStore,
  to: SecretsIn,
  options: { profile?: string; probe: () => Promise<KeyringCheck> },
): Promise<MoveResult> {
  const views = store.list();
  const names =
    options.profile === undefined ? views.map((p) => p.name) : [store.resolve(options.profile).name];
  if (to === 'keyring') {
    const check = await options.probe();
    if (!check.usable) {
      throw new ZchatError('keyring', `No OS keyring is usable here (${check.reason}); nothing was moved.`, {
        hint: 'Run this where a keyring runs (a desktop session, or gnome-keyring on Linux); `zchat-auth doctor` checks it.',
      });
    }
  }
  // Entries a killed earlier move left behind (written but never named, or no longer named but not yet
  // deleted) go first, even when every profile has already moved.
  await store.cleanKeyring?.();
  const result: MoveResult = { moved: [], already: [] };
  for (const name of names) {
    let moved = false;
    await store.update(name, (profile) => {
      if ((profile.secretsIn ?? 'file') === to) return profile;
      moved = true;
      return placed(profile, to);
    });
    (moved ? result.moved : result.already).push(name);
  }
  return result;
}

/** The profile with its secrets bound for `to`: the file on purpose, or the keyring. */
function placed(profile: Profile, to: SecretsIn): Profile {
  const { insecureStorage: _chosen, keyringUnusable: _why, ...rest } = profile;
  // Moving to the file is choosing it: later logins keep the secrets there too.
  return to === 'file'
    ? { ...rest, secretsIn: 'file', insecureStorage: true }
    : { ...rest, secretsIn: 'keyring' };
}
