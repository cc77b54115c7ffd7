import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateStoreData } from '../../../source/core/store/schema.js';
import { checkProfileEntry, checkStoreData, schemaVersionOf } from '../../../source/core/store/validate.js';

const when = '2025-01-01T00:00:00.000Z';
const profile = {
  name: 'demo',
  subdomain: 'demo',
  clientId: 'c',
  redirectUri: 'http://localhost:8080',
  scopes: ['read'],
  flow: 'code',
  createdAt: when,
  updatedAt: when,
};

// Both validators, the zod reference (writes) and the hand-written one (reads), must say the same.
const validators = [
  ['zod schema', validateStoreData],
  ['read-path check', checkStoreData],
] as const;

describe.each(validators)('%s', (_name, validate) => {
  test('accepts a full record, including offsets in dates', () => {
    const full = {
      ...profile,
      baseUrl: 'http://127.0.0.1:4010',
      clientSecret: 's',
      username: 'u',
      token: {
        accessToken: 'a',
        refreshToken: 'r',
        tokenType: 'Bearer',
        scope: 'read',
        grant: 'refresh_token',
        obtainedAt: '2025-01-01T01:00:00+01:00',
        expiresAt: when,
      },
      lastTest: { at: when, ok: true, result: 'valid', status: 200, durationMs: 12 },
    };
    expect(validate({ schemaVersion: 1, defaultProfile: 'demo', profiles: { demo: full } }).ok).toBe(true);
  });

  test('says what is wrong and where, in words, without the values', () => {
    const bad = {
      ...profile,
      baseUrl: 'ftp://secret-host',
      subdomain: '',
      scopes: 'read',
      lastTest: { at: when, ok: 'yes', result: 'valid', status: 200.5 },
    };
    delete (bad as Partial<typeof bad>).clientId;
    const result = validate({ schemaVersion: 1, profiles: { demo: bad } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'profiles.demo.baseUrl: must be an http(s) URL',
        'profiles.demo.subdomain: must not be empty',
        'profiles.demo.clientId: missing (expected string)',
        'profiles.demo.scopes: expected array',
        'profiles.demo.lastTest.ok: expected boolean',
        expect.stringMatching(/^profiles\.demo\.lastTest\.status: /),
      ]),
    );
    expect(result.problems.join(' ')).not.toContain('secret-host');
  });

  test('a profile under another key, a bad version, a non-object', () => {
    const renamed = validate({ schemaVersion: 1, profiles: { other: profile } });
    expect(renamed.ok === false && renamed.problems).toEqual([
      'profiles.other.name: does not match the key it is stored under',
    ]);
    const version = validate({ schemaVersion: 0, profiles: {} });
    expect(version.ok === false && version.problems).toEqual(['schemaVersion: too small (minimum 1)']);
    const list = validate([]);
    expect(list.ok === false && list.problems).toEqual(['(top level): expected object']);
  });
});

describe('the read-path check and the zod schema agree', () => {
  // Mostly valid values with, now and then, one field wrong (a near miss or plain junk): that is what tells
  // one rule from another. All-junk files would only ever test the first check.
  const junk = [undefined, null, '', 0, -1, 1.5, true, [], {}, 'x', ['x'], { a: 1 }];
  const field = (valid: fc.Arbitrary<unknown>, ...nearMisses: unknown[]) =>
    fc.oneof(
      { arbitrary: valid, weight: 40 },
      { arbitrary: fc.constantFrom(...nearMisses, ...junk), weight: 1 },
    );
  const instant = fc.oneof(
    fc
      .tuple(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.constantFrom('Z', '+01:00', '-05:30', '+23:59'),
        fc.constantFrom('', '.1', '.123', '.123456789'),
      )
      .map(([d, zone, fraction]) => `${d.toISOString().slice(0, 19)}${fraction}${zone}`),
    fc.constantFrom('2024-02-29T00:00:00Z', '2000-02-29T12:00:00Z'),
  );
  const badInstants = [
    '2023-02-29T00:00:00Z',
    '1900-02-29T12:00:00Z',
    '2024-02-30T00:00:00Z',
    '2024-01-01T00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00.Z',
    '2024-01-01T00:00:00+0100',
    '2024-01-01t00:00:00Z',
    '2024-01-01T00:00:00z',
    '2024-01-01T00:00:00+24:00',
    '2024-01-01T00:00:00',
    '2024-01-01',
  ];
  const text = fc.string({ minLength: 1 });
  const token = fc.record(
    {
      accessToken: field(text),
      accessTokenMasked: field(fc.string()),
      accessTokenSha256: field(fc.string()),
      hasRefreshToken: field(fc.boolean()),
      refreshToken: field(text),
      tokenType: field(fc.string()),
      scope: field(fc.string()),
      grant: field(
        fc.constantFrom('authorization_code', 'implicit', 'client_credentials', 'password', 'refresh_token'),
        'pkce',
      ),
      obtainedAt: field(instant, ...badInstants),
      expiresAt: field(instant, ...badInstants),
      revokedAt: field(instant, ...badInstants),
    },
    // The access token is optional in the schema (kept in the keyring) but required by the profile-level
    // rule otherwise: mostly present, so that rule is reached both ways.
    { requiredKeys: ['tokenType', 'scope', 'grant', 'obtainedAt'] },
  );
  const lastTest = fc.record(
    {
      at: field(instant, ...badInstants),
      ok: field(fc.boolean()),
      result: field(
        fc.constantFrom(
          'valid',
          'expired-or-revoked',
          'missing-scope',
          'network',
          'server-error',
          'rate-limited',
        ),
        'Valid',
      ),
      status: field(fc.integer(), 200.5, 2 ** 60, -(2 ** 53)),
      durationMs: field(
        fc.oneof(fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })),
        -0.5,
        -1,
      ),
    },
    { requiredKeys: ['at', 'ok', 'result'] },
  );
  const names = fc.constantFrom('a', 'b', 'demo');
  const profileFor = (key: string) =>
    fc.record(
      {
        name: fc.oneof({ arbitrary: fc.constant(key), weight: 40 }, { arbitrary: names, weight: 1 }),
        subdomain: field(text),
        baseUrl: field(
          fc.constantFrom('http://127.0.0.1:1', 'https://a.zendesk.com', 'https://x/y'),
          'ftp://x',
          'http://',
          'http://a b',
          'https://x/ ',
          'HTTP://x',
        ),
        clientId: field(text),
        clientSecret: field(fc.string()),
        redirectUri: field(fc.string()),
        scopes: field(fc.array(text, { maxLength: 3 }), [''], ['read', 1]),
        flow: field(fc.constantFrom('code', 'implicit', 'client-credentials', 'password'), 'pkce'),
        username: field(fc.string()),
        pkce: field(fc.boolean(), 'false', 0),
        secretsIn: field(fc.constantFrom('keyring', 'file'), 'Keyring', 'os'),
        insecureStorage: field(fc.boolean()),
        keyringUnusable: field(fc.string()),
        keyringAccount: field(text),
        hasClientSecret: field(fc.boolean()),
        token: field(token),
        lastTest: field(lastTest),
        createdAt: field(instant, ...badInstants),
        updatedAt: field(instant, ...badInstants),
        extra: fc.jsonValue(),
      },
      {
        requiredKeys: [
          'name',
          'subdomain',
          'clientId',
          'redirectUri',
          'scopes',
          'flow',
          'createdAt',
          'updatedAt',
        ],
      },
    );
  const store = fc.record(
    {
      schemaVersion: field(fc.integer({ min: 1, max: 3 }), 0, -1, 1.5),
      defaultProfile: field(fc.string()),
      profiles: field(
        fc
          .uniqueArray(names, { minLength: 1, maxLength: 3 })
          .chain((keys) => fc.tuple(...keys.map((k) => profileFor(k).map((p) => [k, p] as const))))
          .map((entries) => Object.fromEntries(entries)),
      ),
      extra: fc.jsonValue(),
    },
    { requiredKeys: ['schemaVersion', 'profiles'] },
  );

  test('on thousands of generated files, valid and not', () => {
    let valid = 0;
    fc.assert(
      fc.property(store, (data) => {
        const json = JSON.parse(JSON.stringify(data));
        const reference = validateStoreData(json).ok;
        if (reference) valid++;
        expect(checkStoreData(json).ok).toBe(reference);
      }),
      { numRuns: 4000 },
    );
    // The generator must reach both verdicts often, or the agreement means little.
    expect(valid).toBeGreaterThan(800);
    expect(valid).toBeLessThan(3200);
  }, 60_000); // CPU only (no waiting): on a loaded 2-core machine with coverage it has taken 20 s

  test('one record at a time (as reads check them), on the same generated files', () => {
    fc.assert(
      fc.property(store, (data) => {
        const json = JSON.parse(JSON.stringify(data));
        if (typeof json.profiles !== 'object' || json.profiles === null || Array.isArray(json.profiles))
          return;
        for (const [key, value] of Object.entries(json.profiles)) {
          const reference = validateStoreData({ schemaVersion: 1, profiles: { [key]: value } }).ok;
          expect(checkProfileEntry(key, value).length === 0).toBe(reference);
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000); // CPU only, as the one above

  test('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(checkStoreData(value).ok).toBe(validateStoreData(value).ok);
      }),
      { numRuns: 500 },
    );
  });
});

test('schemaVersionOf trusts nothing else', () => {
  expect(schemaVersionOf({ schemaVersion: 3 })).toBe(3);
  expect(schemaVersionOf({ schemaVersion: '3' })).toBeUndefined();
  expect(schemaVersionOf(null)).toBeUndefined();
  expect(schemaVersionOf('x')).toBeUndefined();
});
