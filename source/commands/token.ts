/**
 * `zchat-auth token [--check]`: the access token and nothing else, for `$(zchat-auth token)`. Without
 * --check it only reads the store (no got, no Ink, nothing the other commands share: start-up time matters
 * for scripts).
 */
import { ZchatError } from '../core/errors.js';
import { flag } from './args.js';
import { type Command, line } from './command.js';
import { requireToken, withProfile } from './profile-args.js';

export interface TokenOptions {
  profile?: string;
  check: boolean;
}

const help = `Usage: zchat-auth token [--profile P] [--check]

Prints the stored access token and nothing else, for scripts. Exit 1 (and a message on stderr) when there
is none.

Options
  --profile P   the profile (default: the default profile, else the only one)
  --check       test the token first (GET /api/v2/chat/chats); on a 401 with a refresh token stored,
                refresh it and print the new one, so a script never holds a dead token

Examples
  export TOKEN=$(zchat-auth token)
  curl -H "Authorization: Bearer $(zchat-auth token --check)" https://acme.zendesk.com/api/v2/chat/chats
`;

export const command: Command<TokenOptions> = {
  help,
  options: { check: { type: 'boolean' } },
  maxPositionals: 0,
  build({ values }) {
    return { ...withProfile(values), check: flag(values, 'check') };
  },
  async run(options, io) {
    const services = io.services();
    const profile = services.store.resolve(options.profile);
    const token = requireToken(profile);
    if (!options.check) {
      line(io.stdout, token.accessToken);
      return 0;
    }
    // What --check needs (the test's wording, the API's URLs) loads only for --check: each is a file read.
    const [{ describeTest, makers, testWithReason }, { REFRESH_TOKEN_SPENT }] = await Promise.all([
      import('./shared.js'),
      import('../core/refresh-wording.js'),
    ]);
    const { test, reason } = await testWithReason(services, profile.name);
    if (test.ok) {
      line(io.stdout, token.accessToken);
      return 0;
    }
    // A token zchat-auth revoked took its refresh token with it: refreshing would only spend a request.
    if (test.result === 'expired-or-revoked' && token.refreshToken && !token.revokedAt) {
      const { refreshProfile } = await import('../core/profile-actions.js');
      const refreshed = await refreshProfile(services.store, profile.name, makers(services).makeTokenClient);
      // stdout stays the token alone; the spent refresh token is said where a person (not the script) reads.
      if (refreshed.refreshTokenSpent) line(io.stderr, `zchat-auth: refreshed. ${REFRESH_TOKEN_SPENT}.`);
      line(io.stdout, refreshed.token.accessToken);
      return 0;
    }
    throw new ZchatError(
      test.result === 'network' ? 'network' : 'unauthorized',
      describeTest(profile, test, reason),
    );
  },
};
