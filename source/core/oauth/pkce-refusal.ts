/** A server's refusal that is about PKCE, said with the way out: PKCE is on by default, and not every server takes it. */
import { ZchatError } from '../errors.js';

const aboutPkce = /code[_ ]?(challenge|verifier)|pkce/i;

/**
 * The sentence for an authorize or token error whose code or description mentions the challenge or the
 * verifier; undefined for any other error.
 */
export function pkceRefusal(
  error: string | undefined,
  description: string | undefined,
  status?: number,
): ZchatError | undefined {
  const said = [error, description].filter(Boolean).join(': ');
  if (!aboutPkce.test(said)) return undefined;
  return new ZchatError('oauth_error', `Zendesk refused the PKCE check (${said}).`, {
    hint: 'If this server does not support PKCE, log in again with --no-pkce (the profile remembers it).',
    ...(error ? { serverError: error } : {}),
    ...(status !== undefined ? { status } : {}),
  });
}
