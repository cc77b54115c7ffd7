/**
 * `zchat-auth logout [--revoke] [--yes]`: remove a stored profile, as `gh auth logout` does: it names the
 * server token the profile holds (matched by value), asks first in a terminal, and with --revoke revokes
 * that token at the server before removing the profile.
 */
import { toZchatError, ZchatError } from '../core/errors.js';
import { findHeldToken, type HeldToken, revokeServerToken } from '../core/server-token.js';
import type { Profile, TokenStore } from '../core/store/types.js';
import { flag } from './args.js';
import { askLine, isYes } from './ask-line.js';
import { type Command, type CommandIO, line } from './command.js';
import { baseUrlOf, withProfile } from './shared.js';

export interface LogoutOptions {
  profile?: string;
  revoke: boolean;
  yes: boolean;
}

const help = `Usage: zchat-auth logout [--profile P] [--revoke] [--yes]

Removes a stored profile (its token, refresh token and client secret) from this machine. First it looks up
which server token the profile holds (by value, so only when certain) and names it. Without --revoke that
token stays valid on the server until it expires.

In a terminal it asks before removing anything; without one (scripts) it goes ahead.

Options
  --profile P   the profile (default: the default profile, else the only one)
  --revoke      revoke the profile's token at the server first (DELETE /api/v2/chat/oauth/tokens/ID)
  --yes, -y     do not ask

Examples
  zchat-auth logout --profile acme --revoke
  zchat-auth logout --yes
`;

/** The profile's token with its secrets, or why it cannot be read (a keyring that cannot be reached). */
async function readSecrets(
  store: TokenStore,
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ profile?: Profile; problem?: string }> {
  const view = store.list().find((p) => p.name === name);
  if (view?.secretsIn === 'keyring') {
    const { probeKeyring } = await import('../core/store/keyring.js');
    const check = await probeKeyring({ env });
    if (!check.usable) return { problem: `the OS keyring cannot be reached: ${check.reason}` };
  }
  try {
    const profile = store.get(name);
    return profile ? { profile } : {};
  } catch (error) {
    return { problem: toZchatError(error).message.replace(/\.$/, '') };
  }
}

type Lookup = HeldToken | { state: 'no-token' } | { state: 'unreadable'; reason: string };

function describe(lookup: Lookup): string {
  switch (lookup.state) {
    case 'listed': {
      const t = lookup.token;
      return `Its token is server token #${t.id} (client ${t.client_identifier ?? '?'}, scopes ${t.scopes}${t.create_date ? `, created ${t.create_date}` : ''}).`;
    }
    case 'rejected':
      return 'The server already refuses its token (revoked or expired): there is nothing to revoke.';
    case 'not-listed':
      return 'The server lists no token with its value, so no server token is known to revoke.';
    case 'unknown':
      return `Its server token is not known: the token list could not be fetched (${lookup.reason.replace(/\.$/, '')}).`;
    case 'no-token':
      return 'It holds no token.';
    case 'unreadable':
      return `Its server token is not known: its token cannot be read (${lookup.reason}).`;
  }
}

async function lookUp(io: CommandIO, name: string): Promise<Lookup> {
  const services = io.services();
  const { profile, problem } = await readSecrets(services.store, name, io.env);
  if (problem !== undefined) return { state: 'unreadable', reason: problem };
  const accessToken = profile?.token?.accessToken;
  if (!profile || !accessToken) return { state: 'no-token' };
  try {
    return await findHeldToken(await services.chatApi(baseUrlOf(profile), accessToken), accessToken);
  } catch (error) {
    return { state: 'unknown', reason: toZchatError(error).sentence };
  }
}

/** --revoke: revokes the listed token, saying so, or that it was revoked already. */
async function revoke(io: CommandIO, name: string, lookup: Lookup): Promise<void> {
  if (lookup.state === 'listed') {
    const services = io.services();
    const profile = services.store.get(name);
    const accessToken = profile?.token?.accessToken;
    if (!profile || !accessToken) throw new ZchatError('no_token', `The token of "${name}" is gone.`);
    const api = await services.chatApi(baseUrlOf(profile), accessToken);
    const id = lookup.token.id;
    const outcome = await revokeServerToken(api, id);
    line(
      io.stdout,
      outcome === 'revoked'
        ? `Revoked server token #${id}: it stops working everywhere.`
        : `Server token #${id} was already revoked.`,
    );
    return;
  }
}

/**
 * Why --revoke cannot be done, before anything is asked or removed: the token may still work and cannot be
 * revoked from here, and removing the profile would strand it. Nothing to revoke (no token, or one the
 * server already refuses) is no obstacle.
 */
function revokeBlocker(lookup: Lookup): ZchatError | undefined {
  if (lookup.state === 'listed' || lookup.state === 'rejected' || lookup.state === 'no-token')
    return undefined;
  return new ZchatError('no_token', `Nothing was removed: ${describe(lookup)}`, {
    hint:
      lookup.state === 'unreadable'
        ? 'Reach the keyring (unlock it, or log in to the desktop session) and run it again, or log out without --revoke.'
        : 'Find it with `zchat-auth tokens` and revoke it with `zchat-auth tokens revoke ID`, or log out without --revoke.',
  });
}

export const command: Command<LogoutOptions> = {
  help,
  options: { revoke: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  maxPositionals: 0,
  build({ values }) {
    return { ...withProfile(values), revoke: flag(values, 'revoke'), yes: flag(values, 'yes') };
  },
  async run(options, io) {
    const { store } = io.services();
    // By name only: a locked or unreachable keyring must not stop a logout.
    const name = store.resolveName(options.profile);
    const lookup = await lookUp(io, name);
    line(io.stderr, `Profile "${name}": ${describe(lookup)}`);
    const blocked = options.revoke ? revokeBlocker(lookup) : undefined;
    if (blocked) throw blocked;
    if (io.interactive && !options.yes) {
      const what =
        options.revoke && lookup.state === 'listed'
          ? `Revoke server token #${lookup.token.id} and remove profile "${name}" from this machine?`
          : `Remove profile "${name}" from this machine?`;
      if (!isYes(await askLine(io, `${what} [y/N] `))) {
        line(io.stderr, 'Nothing was removed.');
        return 1;
      }
    }
    if (options.revoke) await revoke(io, name, lookup);
    const removal = await store.removeProfile(name);
    if (!removal.removed) throw new ZchatError('no_profile', `No profile is named "${name}".`);
    line(io.stdout, `Removed profile "${name}" from this machine.`);
    if (removal.keyringLeft.length > 0) {
      const { removeEntryCommand } = await import('../core/store/keyring.js');
      const why = removal.keyringProblem ? `it cannot be reached: ${removal.keyringProblem}` : 'it refused';
      line(
        io.stderr,
        `Its secrets stay in the OS keyring (${why}): remove them once it is reachable with ${removal.keyringLeft.map((a) => `\`${removeEntryCommand(a)}\``).join(' and ')}.`,
      );
    }
    if (!options.revoke && lookup.state === 'listed') {
      line(
        io.stderr,
        `Server token #${lookup.token.id} stays valid until it expires: \`zchat-auth logout --revoke\` would have revoked it; now \`zchat-auth tokens revoke ${lookup.token.id}\` from another profile of the account does.`,
      );
    }
    return 0;
  },
};
