/**
 * The file's shape, in zod: the reference. Every write is checked with it (loaded lazily, with conf); reads use
 * the hand-written twin in validate.ts, which a property test holds to the same verdicts. zod/mini rather than
 * zod: the same checks for less loading. Objects are loose so a field written by a newer minor release
 * survives our rewrites.
 */
import * as z from 'zod/mini';
import type { LastTest, StoreData, StoredProfile, StoredTokenRecord } from './types.js';
import { secretsProblems, type Validation } from './validate.js';

const text = z.string().check(z.minLength(1));
const instant = z.iso.datetime({ offset: true });

// accessToken is absent when the secrets are in the keyring; the profile-level check below requires it
// otherwise (the same rule as validate.ts's secretsProblems).
const storedToken = z.looseObject({
  accessToken: z.optional(text),
  accessTokenMasked: z.optional(z.string()),
  accessTokenSha256: z.optional(z.string()),
  hasRefreshToken: z.optional(z.boolean()),
  refreshToken: z.optional(text),
  tokenType: z.string(),
  scope: z.string(),
  grant: z.enum(['authorization_code', 'implicit', 'client_credentials', 'password', 'refresh_token']),
  obtainedAt: instant,
  expiresAt: z.optional(instant),
});

const lastTest = z.looseObject({
  at: instant,
  ok: z.boolean(),
  result: z.enum(['valid', 'expired-or-revoked', 'missing-scope', 'network', 'server-error', 'rate-limited']),
  status: z.optional(z.int()),
  durationMs: z.optional(z.number().check(z.gte(0))),
});

const profile = z.looseObject({
  name: text,
  subdomain: text,
  baseUrl: z.optional(z.string().check(z.regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'))),
  clientId: text,
  clientSecret: z.optional(z.string()),
  // Empty for the flows that never redirect (client credentials, password).
  redirectUri: z.string(),
  scopes: z.array(text),
  flow: z.enum(['code', 'implicit', 'client-credentials', 'password']),
  username: z.optional(z.string()),
  pkce: z.optional(z.boolean()),
  token: z.optional(storedToken),
  lastTest: z.optional(lastTest),
  createdAt: instant,
  updatedAt: instant,
  secretsIn: z.optional(z.enum(['keyring', 'file'])),
  insecureStorage: z.optional(z.boolean()),
  keyringUnusable: z.optional(z.string()),
  keyringAccount: z.optional(text),
  hasClientSecret: z.optional(z.boolean()),
});

export const storeDataSchema = z
  .looseObject({
    schemaVersion: z.int().check(z.gte(1)),
    defaultProfile: z.optional(z.string()),
    profiles: z.record(z.string(), profile),
  })
  .check(
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

// The schema and the shared types must not drift apart: these fail to compile if they do.
type Output = z.infer<typeof storeDataSchema>;
const _data: (o: Output) => StoreData = (o) => o;
const _profile: (o: Output['profiles'][string]) => StoredProfile = (o) => o;
const _token: (o: NonNullable<Output['profiles'][string]['token']>) => StoredTokenRecord = (o) => o;
const _test: (o: NonNullable<Output['profiles'][string]['lastTest']>) => LastTest = (o) => o;
void [_data, _profile, _token, _test];

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
