/**
 * The file's shape, in zod: the reference. Every write is checked with it (loaded lazily, with conf); reads use
 * the hand-written twin in validate.ts, which a property test holds to the same verdicts. zod/mini rather than
 * zod: the same checks for less loading. Objects are loose so a field written by a newer minor release
 * survives our rewrites.
 */
import * as z from 'zod/mini';
import { FLOWS, GRANT_TYPES } from '../oauth/types.js';
import { SECRETS_IN, TEST_RESULTS } from './types.js';
import { secretsProblems, type Validation } from './validate.js';

const text = z.string().check(z.minLength(1));
const instant = z.iso.datetime({ offset: true });

// The shapes are the one definition of the stored records as the file holds them: store/types.ts derives
// its types from them. accessToken is absent when the secrets are in the keyring; the profile-level check
// below requires it otherwise (the same rule as validate.ts's secretsProblems).
export const storedTokenShape = {
  accessToken: z.optional(text),
  accessTokenMasked: z.optional(z.string()),
  /** SHA-256 of the access token (hex): links it to the server's token list without reading the keyring. */
  accessTokenSha256: z.optional(z.string()),
  hasRefreshToken: z.optional(z.boolean()),
  refreshToken: z.optional(text),
  tokenType: z.string(),
  scope: z.string(),
  grant: z.enum(GRANT_TYPES),
  /** ISO 8601. */
  obtainedAt: instant,
  /** ISO 8601, only when the server said expires_in. */
  expiresAt: z.optional(instant),
  /** ISO 8601: when zchat-auth revoked this very token at the server (its refresh token died with it). */
  revokedAt: z.optional(instant),
};
const storedToken = z.looseObject(storedTokenShape);

export const lastTestShape = {
  /** ISO 8601. */
  at: instant,
  ok: z.boolean(),
  result: z.enum(TEST_RESULTS),
  status: z.optional(z.int()),
  durationMs: z.optional(z.number().check(z.gte(0))),
};
const lastTest = z.looseObject(lastTestShape);

export const profileShape = {
  name: text,
  subdomain: text,
  /** Replaces https://{subdomain}.zendesk.com (sandbox, test servers). */
  baseUrl: z.optional(z.string().check(z.regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'))),
  clientId: text,
  clientSecret: z.optional(z.string()),
  // Empty for the flows that never redirect (client credentials, password).
  redirectUri: z.string(),
  scopes: z.array(text),
  flow: z.enum(FLOWS),
  username: z.optional(z.string()),
  /** false: the code flow runs without PKCE (--no-pkce, for a server that rejects it). Absent: PKCE on. */
  pkce: z.optional(z.boolean()),
  token: z.optional(storedToken),
  lastTest: z.optional(lastTest),
  createdAt: instant,
  updatedAt: instant,
  /** Where the secrets are; absent (stores from before the keyring) means the file. */
  secretsIn: z.optional(z.enum(SECRETS_IN)),
  /** The profile setting `--insecure-storage` records: keep the secrets in the file even with a keyring. */
  insecureStorage: z.optional(z.boolean()),
  /** Why the secrets went to the file although the keyring was wanted (none was usable), for `status`. */
  keyringUnusable: z.optional(z.string()),
  /** The keyring entry holding this version of the secrets (service `zchat-auth`). */
  keyringAccount: z.optional(text),
  hasClientSecret: z.optional(z.boolean()),
};
const profile = z.looseObject(profileShape);

export const storeDataShape = {
  schemaVersion: z.int().check(z.gte(1)),
  defaultProfile: z.optional(z.string()),
  profiles: z.record(z.string(), profile),
  keyringPending: z.optional(z.array(text)),
};

export const storeDataSchema = z.looseObject(storeDataShape).check(
  z.superRefine((data, ctx) => {
    for (const [key, value] of Object.entries(data.profiles)) {
      if (value.name !== key) {
        ctx.issues.push({
          code: 'custom',
          input: key,
          path: ['profiles', key, 'name'],
          message: 'does not match the key it is stored under',
        });
      }
      for (const problem of secretsProblems(value)) {
        ctx.issues.push({
          code: 'custom',
          input: key,
          path: ['profiles', key, problem.field],
          message: problem.message,
        });
      }
    }
  }),
);

/** Checks parsed JSON against the schema. Problems name the record and field, never a value. */
export function validateStoreData(value: unknown): Validation {
  // reportInput only tells a missing field from a wrong one; the input is never printed.
  const result = storeDataSchema.safeParse(value, { reportInput: true, jitless: true });
  if (result.success) return { ok: true, data: result.data };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `${where}: ${describe(issue)}`;
  });
  return { ok: false, problems };
}

// zod/mini ships no message locale (it would cost start-up time); say it in a few words ourselves, from the
// issue's kind only, so a value (maybe a secret) never reaches the message.
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'regex') return issue.message;
      return issue.format === 'datetime' ? 'expected an ISO 8601 date-time' : `expected ${issue.format}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `too small (minimum ${issue.minimum})`;
    case 'custom':
      return issue.message;
    default:
      return 'invalid';
  }
}
