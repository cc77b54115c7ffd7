/**
 * The API's clients and tokens checked at the network boundary, leniently: a record with a numeric `id` is
 * kept whatever else is wrong with it, and each field that is missing or of the wrong type becomes "not
 * known" instead of a crash further on (a name that is a number, scopes that are an object).
 *
 * Written out by hand rather than with zod: the dashboard lists the clients as soon as they arrive, and
 * loading zod for it took longer than the two requests themselves (most of the time between the first
 * frame and the filled clients pane). A test holds these to the zod schemas they replace, for any JSON.
 */
import type { OAuthClient, OAuthTokenInfo } from './types.js';

type Field = (value: unknown) => unknown;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const text: Field = (value) => (typeof value === 'string' ? value : undefined);
const nullableText: Field = (value) => (typeof value === 'string' || value === null ? value : undefined);
const nullableNumber: Field = (value) => (isNumber(value) || value === null ? value : undefined);
const optionalNumber: Field = (value) => (isNumber(value) ? value : undefined);

/** `redirect_uris` comes as a list or as one string (several URIs separated by whitespace). */
const redirectUris: Field = (value) =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.length > 0)
    : typeof value === 'string'
      ? value.split(/\s+/).filter(Boolean)
      : [];

/** Scopes as one space-separated string; a list is joined, anything else is "none known". */
const scopes: Field = (value) =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string').join(' ')
      : '';

/** A name sent as a number is still the name; anything else is not known. */
const name: Field = (value) => (typeof value === 'string' ? value : isNumber(value) ? String(value) : '');

const client: Record<string, Field> = {
  name,
  company: nullableText,
  redirect_uris: redirectUris,
  client_identifier: (value) => (typeof value === 'string' ? value : ''),
  client_secret: nullableText,
  client_type: (value) => (value === 'public' || value === 'confidential' ? value : 'public'),
  scopes,
  agent_id: nullableNumber,
  create_date: text,
  update_date: text,
};

const token: Record<string, Field> = {
  client_identifier: text,
  client_id: optionalNumber,
  scopes,
  create_date: text,
  expire_date: nullableText,
  agent_id: nullableNumber,
};

/**
 * The record with a numeric `id`, each known field read by its rule and every other field kept as sent;
 * fields that come out unknown are left out (so `--json` shows no nulls made up). Undefined without an id.
 * Built in place, key by key (a list of 1,000 clients is read between the dashboard's first frame and its
 * filled lists).
 */
function parseRecord(
  raw: unknown,
  fields: Record<string, Field>,
  known: readonly (readonly [string, Field])[],
): Record<string, unknown> | undefined {
  if (!isRecord(raw) || !isNumber(raw.id)) return undefined;
  const record: Record<string, unknown> = { id: raw.id };
  for (const [key, read] of known) {
    const value = read(Object.hasOwn(raw, key) ? raw[key] : undefined);
    if (value !== undefined) record[key] = value;
  }
  for (const key of Object.keys(raw)) {
    if (key === 'id' || key === '__proto__' || Object.hasOwn(fields, key)) continue;
    const value = raw[key];
    if (value !== undefined) record[key] = value;
  }
  return record;
}

const clientFields = Object.entries(client);
const tokenFields = Object.entries(token);

/** One client as the API sent it, or undefined when it has no numeric id (nothing to act on). */
export function parseClient(raw: unknown): OAuthClient | undefined {
  return parseRecord(raw, client, clientFields) as OAuthClient | undefined;
}

export function parseTokenInfo(raw: unknown): OAuthTokenInfo | undefined {
  return parseRecord(raw, token, tokenFields) as OAuthTokenInfo | undefined;
}
