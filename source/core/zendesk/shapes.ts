/**
 * The API's clients and tokens checked at the network boundary, leniently: a record with a numeric `id` is
 * kept whatever else is wrong with it, and each field that is missing or of the wrong type becomes "not
 * known" instead of a crash further on (a name that is a number, scopes that are an object). Loaded only by
 * the calls that list or change clients and tokens, so `token --check` and `test` never pay for zod.
 */
import * as z from 'zod';
import type { OAuthClient, OAuthTokenInfo } from './types.js';

const text = z.string().optional().catch(undefined);
const nullableText = z.string().nullable().optional().catch(undefined);
const nullableNumber = z.number().nullable().optional().catch(undefined);

/** `redirect_uris` comes as a list or as one string (several URIs separated by whitespace). */
const redirectUris = z
  .unknown()
  .optional()
  .transform((value): string[] =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string' && v.length > 0)
      : typeof value === 'string'
        ? value.split(/\s+/).filter(Boolean)
        : [],
  );

/** Scopes as one space-separated string; a list is joined, anything else is "none known". */
const scopes = z
  .unknown()
  .optional()
  .transform((value): string =>
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string').join(' ')
        : '',
  );

/** A name sent as a number is still the name; anything else is not known. */
const name = z.union([z.string(), z.number().transform(String)]).catch('');

const client = z.looseObject({
  id: z.number(),
  name,
  company: nullableText,
  redirect_uris: redirectUris,
  client_identifier: z.string().catch(''),
  client_secret: nullableText,
  client_type: z.enum(['public', 'confidential']).catch('public'),
  scopes,
  agent_id: nullableNumber,
  create_date: text,
  update_date: text,
});

const token = z.looseObject({
  id: z.number(),
  client_identifier: text,
  client_id: z.number().optional().catch(undefined),
  scopes,
  create_date: text,
  expire_date: nullableText,
  agent_id: nullableNumber,
});

/** Drops keys whose value was not known (zod keeps them as undefined), so `--json` shows no nulls made up. */
function known<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One client as the API sent it, or undefined when it has no numeric id (nothing to act on). */
export function parseClient(raw: unknown): OAuthClient | undefined {
  const parsed = client.safeParse(raw);
  return parsed.success ? known(parsed.data as OAuthClient) : undefined;
}

export function parseTokenInfo(raw: unknown): OAuthTokenInfo | undefined {
  const parsed = token.safeParse(raw);
  return parsed.success ? known(parsed.data as OAuthTokenInfo) : undefined;
}
