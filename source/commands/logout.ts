/** `zchat-auth logout`: delete a stored profile (its token stays valid on the server). */
import { ZchatError } from '../core/errors.js';
import { type Command, line } from './command.js';
import { withProfile } from './shared.js';

export interface LogoutOptions {
  profile?: string;
}

const help = `Usage: zchat-auth logout [--profile P]

Deletes a stored profile with its token and client secret from this machine. The token itself stays valid
on the server until it expires: revoke it with \`zchat-auth tokens revoke ID\` first if it must stop working.

Options
  --profile P   the profile (default: the default profile, else the only one)

Example
  zchat-auth logout --profile acme
`;

export const command: Command<LogoutOptions> = {
  help,
  options: {},
  maxPositionals: 0,
  build({ values }) {
    return withProfile(values);
  },
  async run(options, io) {
    const { store } = io.services();
    const profile = store.resolve(options.profile);
    if (!(await store.remove(profile.name))) {
      throw new ZchatError('no_profile', `No profile is named "${profile.name}".`);
    }
    line(io.stdout, `Removed profile "${profile.name}" from this machine.`);
    line(
      io.stderr,
      'Its token stays valid on the server until it expires; `zchat-auth tokens revoke ID` (from another profile) revokes it.',
    );
    return 0;
  },
};
