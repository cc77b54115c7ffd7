/**
 * The read-path check of the store file: the same rules as the zod schema in schema.ts, written out by hand
 * because loading and first-running zod costs several times what the rest of `zchat-auth token` does. The
 * zod schema stays the reference: writes are checked with it, and a property test keeps the two verdicts
 * equal. Problems name the record and field, never a value (a value may be a secret).
 */
import { FLOWS, GRANT_TYPES } from '../oauth/types.js';
import { SECRETS_IN, type StoreData, TEST_RESULTS } from './types.js';

export type Validation = { ok: true; data: StoreData } | { ok: false; problems: string[] };

type Path = (string | number)[];
type Check = (value: unknown, path: Path, out: string[]) => void;

// zod's z.iso.datetime({ offset: true }): calendar-checked date, seconds required, Z or ±hh:mm.
const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const INSTANT = new RegExp(
  `^${DATE}T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$`,
);
const HTTP_URL = /^https?:\/\/\S+$/;

function where(path: Path): string {
  return path.length > 0 ? path.map(String).join('.') : '(top level)';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeProblem(value: unknown, expected: string, path: Path, out: string[]): void {
  out.push(
    `${where(path)}: ${value === undefined ? `missing (expected ${expected})` : `expected ${expected}`}`,
  );
}

const string: Check = (v, p, out) => {
  if (typeof v !== 'string') typeProblem(v, 'string', p, out);
};
const text: Check = (v, p, out) => {
  if (typeof v !== 'string') typeProblem(v, 'string', p, out);
  else if (v.length === 0) out.push(`${where(p)}: must not be empty`);
};
const instant: Check = (v, p, out) => {
  if (typeof v !== 'string') typeProblem(v, 'string', p, out);
  else if (!INSTANT.test(v)) out.push(`${where(p)}: expected an ISO 8601 date-time`);
};
const boolean: Check = (v, p, out) => {
  if (typeof v !== 'boolean') typeProblem(v, 'boolean', p, out);
};
const int =
  (minimum?: number): Check =>
  (v, p, out) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) typeProblem(v, 'int', p, out);
    else if (minimum !== undefined && v < minimum) out.push(`${where(p)}: too small (minimum ${minimum})`);
  };
const nonNegative: Check = (v, p, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) typeProblem(v, 'number', p, out);
  else if (v < 0) out.push(`${where(p)}: too small (minimum 0)`);
};
const oneOf =
  (values: readonly string[]): Check =>
  (v, p, out) => {
    if (typeof v !== 'string' || !values.includes(v)) {
      out.push(`${where(p)}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    }
  };
const httpUrl: Check = (v, p, out) => {
  if (typeof v !== 'string') typeProblem(v, 'string', p, out);
  else if (!HTTP_URL.test(v)) out.push(`${where(p)}: must be an http(s) URL`);
};
const optional =
  (check: Check): Check =>
  (v, p, out) => {
    if (v !== undefined) check(v, p, out);
  };
const arrayOf =
  (check: Check): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return typeProblem(v, 'array', p, out);
    for (let i = 0; i < v.length; i++) check(v[i], [...p, i], out);
  };
/** Like z.looseObject: the listed fields are checked, others pass. */
const object =
  (shape: Record<string, Check>): Check =>
  (v, p, out) => {
    if (!isRecord(v)) return typeProblem(v, 'object', p, out);
    for (const [key, check] of Object.entries(shape)) check(v[key], [...p, key], out);
  };

const storedToken = object({
  accessToken: optional(text),
  accessTokenMasked: optional(string),
  accessTokenSha256: optional(string),
  hasRefreshToken: optional(boolean),
  refreshToken: optional(text),
  tokenType: string,
  scope: string,
  grant: oneOf(GRANT_TYPES),
  obtainedAt: instant,
  expiresAt: optional(instant),
  revokedAt: optional(instant),
});

const lastTest = object({
  at: instant,
  ok: boolean,
  result: oneOf(TEST_RESULTS),
  status: optional(int()),
  durationMs: optional(nonNegative),
});

const profile = object({
  name: text,
  subdomain: text,
  baseUrl: optional(httpUrl),
  clientId: text,
  clientSecret: optional(string),
  redirectUri: string,
  scopes: arrayOf(text),
  flow: oneOf(FLOWS),
  username: optional(string),
  pkce: optional(boolean),
  token: optional(storedToken),
  lastTest: optional(lastTest),
  createdAt: instant,
  updatedAt: instant,
  secretsIn: optional(oneOf(SECRETS_IN)),
  insecureStorage: optional(boolean),
  keyringUnusable: optional(string),
  keyringAccount: optional(text),
  hasClientSecret: optional(boolean),
});

// The same rules as `profile`, as one boolean expression: no paths, no problem list. Every record of a
// listing goes through it (10,000 in `status`); only a record it refuses is checked again by `profile`,
// for the problems to report. A test holds the two to the same verdict.
const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
const isInstant = (v: unknown) => typeof v === 'string' && INSTANT.test(v);
const isOneOf = (values: readonly string[], v: unknown) => typeof v === 'string' && values.includes(v);

// Written out field by field, with few calls: it runs cold (once per record, before V8 has compiled it),
// where each call of a small helper cost about as much as the test it made.
function isGoodToken(t: unknown): boolean {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return false;
  const { accessToken, accessTokenMasked, accessTokenSha256, hasRefreshToken, refreshToken } = t as Record<
    string,
    unknown
  >;
  const { tokenType, scope, grant, obtainedAt, expiresAt, revokedAt } = t as Record<string, unknown>;
  return (
    (accessToken === undefined || (typeof accessToken === 'string' && accessToken.length > 0)) &&
    (accessTokenMasked === undefined || typeof accessTokenMasked === 'string') &&
    (accessTokenSha256 === undefined || typeof accessTokenSha256 === 'string') &&
    (hasRefreshToken === undefined || typeof hasRefreshToken === 'boolean') &&
    (refreshToken === undefined || (typeof refreshToken === 'string' && refreshToken.length > 0)) &&
    typeof tokenType === 'string' &&
    typeof scope === 'string' &&
    typeof grant === 'string' &&
    GRANT_TYPES.includes(grant as never) &&
    typeof obtainedAt === 'string' &&
    INSTANT.test(obtainedAt) &&
    (expiresAt === undefined || isInstant(expiresAt)) &&
    (revokedAt === undefined || isInstant(revokedAt))
  );
}

function isGoodLastTest(t: unknown): boolean {
  if (!isRecord(t)) return false;
  const { status, durationMs } = t;
  return (
    isInstant(t.at) &&
    typeof t.ok === 'boolean' &&
    isOneOf(TEST_RESULTS, t.result) &&
    (status === undefined || (typeof status === 'number' && Number.isSafeInteger(status))) &&
    (durationMs === undefined ||
      (typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0))
  );
}

export function isGoodProfile(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { scopes, name, subdomain, baseUrl, clientId, clientSecret, redirectUri, flow, username, pkce } =
    v as Record<string, unknown>;
  const { token, lastTest, createdAt, updatedAt, secretsIn, insecureStorage, keyringUnusable } = v as Record<
    string,
    unknown
  >;
  const { keyringAccount, hasClientSecret } = v as Record<string, unknown>;
  if (!Array.isArray(scopes)) return false;
  for (let i = 0; i < scopes.length; i++) {
    const scope: unknown = scopes[i];
    if (typeof scope !== 'string' || scope.length === 0) return false;
  }
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    typeof subdomain === 'string' &&
    subdomain.length > 0 &&
    (baseUrl === undefined || (typeof baseUrl === 'string' && HTTP_URL.test(baseUrl))) &&
    typeof clientId === 'string' &&
    clientId.length > 0 &&
    (clientSecret === undefined || typeof clientSecret === 'string') &&
    typeof redirectUri === 'string' &&
    typeof flow === 'string' &&
    FLOWS.includes(flow as never) &&
    (username === undefined || typeof username === 'string') &&
    (pkce === undefined || typeof pkce === 'boolean') &&
    (token === undefined || isGoodToken(token)) &&
    (lastTest === undefined || isGoodLastTest(lastTest)) &&
    typeof createdAt === 'string' &&
    INSTANT.test(createdAt) &&
    typeof updatedAt === 'string' &&
    INSTANT.test(updatedAt) &&
    (secretsIn === undefined || isOneOf(SECRETS_IN, secretsIn)) &&
    (insecureStorage === undefined || typeof insecureStorage === 'boolean') &&
    (keyringUnusable === undefined || typeof keyringUnusable === 'string') &&
    (keyringAccount === undefined || isText(keyringAccount)) &&
    (hasClientSecret === undefined || typeof hasClientSecret === 'boolean')
  );
}

const root = object({
  schemaVersion: int(1),
  defaultProfile: optional(string),
  keyringPending: optional(arrayOf(text)),
  profiles: (v, p, out) => {
    if (!isRecord(v)) return typeProblem(v, 'record', p, out);
    for (const [key, value] of Object.entries(v)) {
      if (!isGoodProfile(value)) profile(value, [...p, key], out);
    }
  },
});

// The same top level with the records left for checkProfileEntry, one by one as they are used.
const top = object({
  schemaVersion: int(1),
  defaultProfile: optional(string),
  keyringPending: optional(arrayOf(text)),
  profiles: (v, p, out) => {
    if (!isRecord(v)) typeProblem(v, 'record', p, out);
  },
});

/** Checks parsed JSON against the store's rules (see schema.ts for the same rules in zod). */
export function checkStoreData(value: unknown): Validation {
  const problems: string[] = [];
  root(value, [], problems);
  if (problems.length === 0) {
    const profiles = (value as StoreData).profiles;
    for (const [key, entry] of Object.entries(profiles)) {
      if (entry.name !== key)
        problems.push(`profiles.${key}.name: does not match the key it is stored under`);
      for (const problem of secretsProblems(entry)) {
        problems.push(`profiles.${key}.${problem.field}: ${problem.message}`);
      }
    }
  }
  return problems.length === 0 ? { ok: true, data: value as StoreData } : { ok: false, problems };
}

interface Secrets {
  secretsIn?: string | undefined;
  keyringAccount?: string | undefined;
  token?: { accessToken?: string | undefined } | undefined;
}

/** secretsProblems finds none. */
function secretsFit(profile: Secrets): boolean {
  if (profile.secretsIn === 'keyring') return profile.keyringAccount !== undefined;
  return !(profile.token && profile.token.accessToken === undefined);
}

/**
 * The rule across fields that both checks share: secrets in the keyring need the entry's account; secrets
 * in the file need the access token there.
 */
export function secretsProblems(profile: Secrets): { field: string; message: string }[] {
  if (profile.secretsIn === 'keyring') {
    return profile.keyringAccount === undefined
      ? [{ field: 'keyringAccount', message: 'missing (the secrets are in the keyring)' }]
      : [];
  }
  if (profile.token && profile.token.accessToken === undefined) {
    return [{ field: 'token', message: 'the access token is missing' }];
  }
  return [];
}

/** Reads `schemaVersion` without trusting the rest of the file. */
export function schemaVersionOf(value: unknown): number | undefined {
  if (!isRecord(value)) return undefined;
  const version = value.schemaVersion;
  return typeof version === 'number' ? version : undefined;
}

/**
 * The top level only (version, default, that `profiles` is a record): what a read needs before it hands
 * out one profile. Each record is then checked with checkProfileEntry when it is first used, so printing one
 * token of 10,000 checks one record. The verdict over all records is checkStoreData's.
 */
export function checkStoreTop(value: unknown): Validation {
  const problems: string[] = [];
  top(value, [], problems);
  return problems.length === 0 ? { ok: true, data: value as StoreData } : { ok: false, problems };
}

/** One record under its key: the problems checkStoreData would report for it (none: it is good). */
export function checkProfileEntry(key: string, value: unknown): string[] {
  // A good record, as nearly all are, costs no problem list and no loop over none (a listing of 1,000
  // records runs this cold, once each); any other gets the full report below.
  if (isGoodProfile(value) && (value as { name: unknown }).name === key && secretsFit(value as Secrets)) {
    return [];
  }
  const problems: string[] = [];
  if (!isGoodProfile(value)) profile(value, ['profiles', key], problems);
  if (problems.length === 0 && (value as { name: unknown }).name !== key) {
    problems.push(`profiles.${key}.name: does not match the key it is stored under`);
  }
  if (problems.length === 0) {
    for (const problem of secretsProblems(value as StoreData['profiles'][string])) {
      problems.push(`profiles.${key}.${problem.field}: ${problem.message}`);
    }
  }
  return problems;
}
