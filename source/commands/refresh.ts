/** `zchat-auth refresh`: the refresh_token grant under the store's lock; stores the rotated pair. */

import { ZchatError } from '../core/errors.js';
import { mask } from '../core/redact.js';
import { NO_REFRESH_TOKEN, REFRESH_TOKEN_SPENT } from '../core/refresh-wording.js';
import { type Command, line } from './command.js';
import { makers, profileFlag, requireToken, withProfile } from './shared.js';

export interface RefreshOptions {
  profile?: string;
}

const help = `Usage: zchat-auth refresh [--profile P]

Spends the stored refresh token (refresh_token grant) and stores the new access token and the rotated
refresh token. Runs under the store's lock, so two processes never spend the same refresh token: when
another one refreshed first, its newer token is kept and nothing is spent.

Options
  --profile P   the profile (default: the default profile, else the only one)

Example
  zchat-auth refresh --profile acme
`;

export const command: Command<RefreshOptions> = {
  help,
  options: {},
  maxPositionals: 0,
  build({ values }) {
    return withProfile(values);
  },
  async run(options, io) {
    const services = io.services();
    const profile = services.store.resolve(options.profile);
    const token = requireToken(profile);
    // No network call: there is nothing to spend.
    if (!token.refreshToken) {
      throw new ZchatError('no_token', `Profile "${profile.name}" has ${NO_REFRESH_TOKEN}.`, {
        hint: `Run \`zchat-auth login ${profileFlag(profile.name)}\` for a new token.`,
      });
    }
    const { refreshProfile } = await import('../core/profile-actions.js');
    const result = await refreshProfile(services.store, profile.name, makers(services).makeTokenClient);
    const how = result.rotatedElsewhere
      ? 'another process had already refreshed it; kept its token'
      : 'refreshed';
    line(
      io.stdout,
      `Profile "${profile.name}": ${how}. Token ${mask(result.token.accessToken)}${result.token.refreshToken ? ', new refresh token stored.' : `. ${REFRESH_TOKEN_SPENT}.`}`,
    );
    return 0;
  },
};
