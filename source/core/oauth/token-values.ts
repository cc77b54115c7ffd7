/**
 * What a token reply (a token endpoint's JSON or an implicit redirect's fragment) may carry before anything
 * is stored: a token is a short printable string that goes into an Authorization header and onto the
 * terminal, so control characters, spaces or megabytes in one are a hostile or broken server, refused whole.
 */

/** Longer than any real token or scope list; shorter than anything used to flood a store or a screen. */
export const maxTokenValueLength = 4096;
/** Ten years: longer is a server's mistake (or an overflow), and is read as "no useful expiry". */
export const maxExpiresInSeconds = 10 * 365 * 24 * 3600;

const controls = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const whitespace = /\s/;

/** Why `value` (the field `name` of a reply) cannot be a token, token type or scope; undefined when fine. */
export function tokenValueProblem(
  name: 'access_token' | 'refresh_token' | 'token_type' | 'scope',
  value: string,
): string | undefined {
  if (value.length > maxTokenValueLength)
    return `${name} is ${value.length} characters long (at most ${maxTokenValueLength})`;
  if (controls.test(value)) return `${name} contains control characters`;
  // A scope is a space-separated list; the others are single words.
  if (name !== 'scope' && whitespace.test(value)) return `${name} contains spaces`;
  return undefined;
}

/** `expires_in` in whole seconds within 1 s .. ten years; undefined when absent or not a positive number. */
export function clampExpiresIn(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  return Math.min(Math.max(Math.round(n), 1), maxExpiresInSeconds);
}
