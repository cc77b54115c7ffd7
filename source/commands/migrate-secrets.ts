/** `zchat-auth migrate-secrets --to keyring|file`: moves stored secrets between the OS keyring and the file. */
import { ZchatError } from '../core/errors.js';
import type { SecretsIn } from '../core/store/types.js';
import { flag, stringValue, usage } from './args.js';
import { type Command, line, printJson } from './command.js';
import { withProfile } from './shared.js';

export interface MigrateSecretsOptions {
  profile?: string;
  to: SecretsIn;
  json: boolean;
}

const help = `Usage: zchat-auth migrate-secrets --to keyring|file [--profile P] [--json]

Moves the stored secrets (access token, refresh token, client secret) of every profile, or of one, to the
OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) or to the config file
(mode 0600). Each profile moves under the store's lock; the new place is written before the old one is
emptied, so an interrupted move loses nothing and can simply be run again. Moving to the file is choosing
it: later logins of that profile keep their secrets there too (as login --insecure-storage).

Options
  --to keyring|file   where the secrets go
  --profile P         only this profile
  --json              {"to", "moved": [names], "already": [names]}

Examples
  zchat-auth migrate-secrets --to keyring
  zchat-auth migrate-secrets --to file --profile acme
`;

export const command: Command<MigrateSecretsOptions> = {
  help,
  options: { to: { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 0,
  build({ values }) {
    const to = stringValue(values, 'to');
    if (to !== 'keyring' && to !== 'file') {
      throw usage('Say where the secrets go: --to keyring or --to file.');
    }
    return { ...withProfile(values), to, json: flag(values, 'json') };
  },
  async run(options, io) {
    const { store } = io.services();
    const [{ moveSecrets }, { probeKeyring }] = await Promise.all([
      import('../core/store/move-secrets.js'),
      import('../core/store/keyring.js'),
    ]);
    if (store.list().length === 0) {
      throw new ZchatError('no_profile', 'No profile is stored, so there are no secrets to move.', {
        hint: 'Run `zchat-auth login` first.',
      });
    }
    const result = await moveSecrets(store, options.to, {
      ...(options.profile !== undefined && { profile: options.profile }),
      probe: () => probeKeyring({ env: io.env }),
    });
    if (options.json) {
      printJson(io.stdout, { to: options.to, ...result });
      return 0;
    }
    const where = options.to === 'keyring' ? 'the OS keyring' : `the config file (${store.path})`;
    const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
    if (result.moved.length > 0) line(io.stdout, `Moved the secrets of ${list(result.moved)} to ${where}.`);
    if (result.already.length > 0) line(io.stdout, `Already in ${where}: ${list(result.already)}.`);
    return 0;
  },
};
