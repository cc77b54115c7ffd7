/** `zchat-auth clients [--json]` and `zchat-auth clients confidential ID`. */
import type { OAuthClient } from '../core/zendesk/types.js';
import { flag } from './args.js';
import { type Command, line, printJson } from './command.js';
import { apiFor, listOrAction, table, withProfile } from './shared.js';

export type ClientsOptions =
  | { action: 'list'; profile?: string; json: boolean }
  | { action: 'confidential'; profile?: string; json: boolean; id: number };

const help = `Usage: zchat-auth clients [--profile P] [--json]
       zchat-auth clients confidential ID [--profile P] [--json]

Lists your OAuth clients: those the agent whose token is used created (Zendesk shows each agent only its
own; needs a token of an administrator). Or makes one confidential: the
client-credentials and password grants need a confidential client, and the Zendesk UI has no switch for it.
Re-saving the client in the Zendesk UI quietly turns it back to public.

Options
  --profile P   whose token to use (default: the default profile, else the only one)
  --json        JSON for scripts (client secrets are never printed)

Examples
  zchat-auth clients
  zchat-auth clients confidential 1042
`;

/** The client as printed: never its secret, even when the API sends one. */
function publicView(client: OAuthClient): Omit<OAuthClient, 'client_secret'> {
  const { client_secret: _secret, ...rest } = client;
  return rest;
}

export const command: Command<ClientsOptions> = {
  help,
  options: { json: { type: 'boolean' } },
  maxPositionals: 2,
  build({ values, positionals }) {
    return {
      ...withProfile(values),
      json: flag(values, 'json'),
      ...listOrAction(positionals, 'clients', 'confidential', 'client'),
    };
  },
  async run(options, io) {
    const { api } = await apiFor(io.services(), options.profile);
    if (options.action === 'confidential') {
      const client = await api.updateClient(options.id, { client_type: 'confidential' });
      if (options.json) printJson(io.stdout, publicView(client));
      else
        line(
          io.stdout,
          `Client ${client.id} ("${client.name}", ${client.client_identifier}) is now ${client.client_type}.`,
        );
      line(
        io.stderr,
        'Note: re-saving this client in the Zendesk UI (Chat > Account > API & SDKs) turns it back to public; run this command again if that happens.',
      );
      return 0;
    }
    const clients = await api.listClients();
    if (options.json) {
      printJson(io.stdout, clients.map(publicView));
      return 0;
    }
    if (clients.length === 0) {
      line(io.stdout, 'You have no OAuth clients (Zendesk lists only those your agent created).');
      return 0;
    }
    const rows = [['ID', 'NAME', 'CLIENT ID', 'TYPE', 'SCOPES', 'REDIRECT URIS']];
    for (const c of clients) {
      rows.push([
        String(c.id),
        c.name,
        c.client_identifier,
        c.client_type,
        c.scopes,
        c.redirect_uris.join(' '),
      ]);
    }
    line(io.stdout, table(rows));
    return 0;
  },
};
