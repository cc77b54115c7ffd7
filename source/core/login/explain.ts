/** A failed login, said so that the user knows what to do next; the same sentence in every view. */
import { ZchatError } from '../errors.js';
import type { LoginOptions } from '../oauth/login-flow.js';
import type { ClientLookup } from './lookup-client.js';

/** Refusals explained as a wrong secret: the client was seen, and it is confidential. */
const secretErrors = new WeakSet<ZchatError>();

/** The error points at the client secret (not at the client's type, not at either one). */
export function isSecretError(error: ZchatError): boolean {
  return secretErrors.has(error);
}

/**
 * invalid_client on a grant that needs a confidential client: whether the client is public (and the exact
 * command that switches it) when a stored token can look it up, else both possible causes.
 */
export async function explainFailure(
  error: ZchatError,
  options: Pick<LoginOptions, 'flow' | 'baseUrl' | 'clientId'>,
  lookup?: ClientLookup,
): Promise<ZchatError> {
  const needsConfidential = options.flow === 'client-credentials' || options.flow === 'password';
  if (error.code !== 'invalid_client' || !needsConfidential) return error;
  const client = await lookup?.(options.baseUrl, options.clientId).catch(() => undefined);
  const grant = options.flow;
  if (client?.client_type === 'public') {
    return new ZchatError(
      'invalid_client',
      `The ${grant} flow needs a confidential client, and client ${options.clientId} is public.`,
      { hint: `Switch it with \`zchat-auth clients confidential ${client.id}\`, then log in again.` },
    );
  }
  // A confidential (or unseen) client refused the password grant: most accounts are not Chat-only, and the
  // error already says so.
  if (grant === 'password') return error;
  if (client) {
    const wrongSecret = new ZchatError(
      'invalid_client',
      `Zendesk refused client ${options.clientId} (invalid_client).`,
      {
        hint: 'The client is confidential, so the client secret is probably wrong: check ZENDESK_CHAT_CLIENT_SECRET.',
      },
    );
    secretErrors.add(wrongSecret);
    return wrongSecret;
  }
  return new ZchatError(
    'invalid_client',
    `Zendesk refused client ${options.clientId} (invalid_client): the ${grant} flow needs a confidential client (and its secret).`,
    {
      hint: 'If the client is public, switch it with `zchat-auth clients confidential ID` (the ID is in `zchat-auth clients`), then log in again.',
    },
  );
}
