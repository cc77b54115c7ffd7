/** `zchat-auth tokens [--json]` and `zchat-auth tokens revoke ID`: your agent's OAuth tokens on the server. */
import { markRevoked } from '../core/server-token.js';
import { accountKey, profilesByToken } from '../core/token-links.js';
import type { OAuthTokenInfo } from '../core/zendesk/types.js';
import { flag } from './args.js';
import { type Command, line, printJson } from './command.js';
import { apiFor, listOrAction, table, withProfile } from './shared.js';

export type TokensOptions =
  | { action: 'list'; profile?: string; json: boolean }
  | { action: 'revoke'; profile?: string; json: boolean; id: number };

const help = `Usage: zchat-auth tokens [--profile P] [--json]
       zchat-auth tokens revoke ID [--profile P]

Lists your OAuth tokens on the server: those of the agent whose token is used (Zendesk shows each agent
only its own). ID, client, scopes, created, expires, and PROFILE: the stored profile holding that very
token (matched by value, so only when certain; empty otherwise). Never the token values, though Zendesk
sends them. Or revokes one by ID. Needs a token of an administrator.

Options
  --profile P   whose token to use (default: the default profile, else the only one)
  --json        JSON for scripts

Examples
  zchat-auth tokens
  zchat-auth tokens revoke 81
`;

/**
 * The listing as printed: the API client already dropped the values; their hash is ours, not printed.
 * `profile` is the stored profile holding the token, null when none is known for certain.
 */
function forJson(
  info: OAuthTokenInfo,
  profile: string | undefined,
): Omit<OAuthTokenInfo, 'access_token_sha256'> & { profile: string | null } {
  const { access_token_sha256: _hash, ...rest } = info;
  return { ...rest, profile: profile ?? null };
}

export const command: Command<TokensOptions> = {
  help,
  options: { json: { type: 'boolean' } },
  maxPositionals: 2,
  build({ values, positionals }) {
    return {
      ...withProfile(values),
      json: flag(values, 'json'),
      ...listOrAction(positionals, 'tokens', 'revoke', 'token'),
    };
  },
  async run(options, io) {
    const services = io.services();
    const { api, profile } = await apiFor(services, options.profile);
    if (options.action === 'revoke') {
      // Which stored profile holds it (if any, by value) is found first: the list is gone with the token.
      const holder = await api
        .listTokens()
        .then((tokens) => ({
          tokens,
          name: profilesByToken(services.store.list(), accountKey(profile), tokens).get(options.id),
        }))
        .catch(() => undefined);
      await api.revokeToken(options.id);
      const hash = holder?.tokens.find((t) => t.id === options.id)?.access_token_sha256;
      // Best effort: the token is revoked either way, and a store that cannot be written now must not say
      // otherwise.
      if (holder?.name && hash) {
        await markRevoked(services.store, holder.name, hash, services.now()).catch(() => false);
      }
      if (options.json)
        printJson(io.stdout, { id: options.id, revoked: true, profile: holder?.name ?? null });
      else {
        line(
          io.stdout,
          holder?.name
            ? `Token ${options.id} is revoked; it was profile "${holder.name}"'s, which now needs a new login.`
            : `Token ${options.id} is revoked.`,
        );
      }
      return 0;
    }
    const tokens = await api.listTokens();
    const holders = profilesByToken(services.store.list(), accountKey(profile), tokens);
    if (options.json) {
      printJson(
        io.stdout,
        tokens.map((t) => forJson(t, holders.get(t.id))),
      );
      return 0;
    }
    if (tokens.length === 0) {
      line(io.stdout, 'You have no OAuth tokens on the server (Zendesk lists only your agent’s).');
      return 0;
    }
    const rows = [['ID', 'CLIENT', 'SCOPES', 'CREATED', 'EXPIRES', 'PROFILE']];
    for (const t of tokens) {
      rows.push([
        String(t.id),
        t.client_identifier ?? String(t.client_id ?? ''),
        t.scopes,
        t.create_date ?? '',
        t.expire_date ?? '',
        holders.get(t.id) ?? '',
      ]);
    }
    line(io.stdout, table(rows));
    return 0;
  },
};
