/** `zchat-auth test`: GET /api/v2/chat/chats with the token, record the result, exit 0 valid / 1 rejected. */
import { type Command, line } from './command.js';
import { describeTest, requireToken, testWithReason, withProfile } from './shared.js';

export interface TestOptions {
  profile?: string;
}

const help = `Usage: zchat-auth test [--profile P]

Calls GET /api/v2/chat/chats with the stored token, records the result in the store (status shows it),
and says what happened: valid, expired or revoked (401), missing scope (403), rate-limited, server error or
network. Exit 0 when the token is valid, 1 otherwise.

Options
  --profile P   the profile (default: the default profile, else the only one)

Example
  zchat-auth test --profile acme && echo "token works"
`;

export const command: Command<TestOptions> = {
  help,
  options: {},
  maxPositionals: 0,
  build({ values }) {
    return withProfile(values);
  },
  async run(options, io) {
    const services = io.services();
    const profile = services.store.resolve(options.profile);
    requireToken(profile);
    const { test, reason } = await testWithReason(services, profile.name);
    if (test.ok) {
      line(io.stdout, describeTest(profile, test));
      return 0;
    }
    line(io.stderr, `zchat-auth: ${describeTest(profile, test, reason)}`);
    return 1;
  },
};
