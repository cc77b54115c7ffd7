/**
 * Property-based tests (fast-check) of the four places hostile input enters: redirect parsing, subdomain
 * normalisation, the store's decoder, and the loopback server's request handler (over real HTTP). Every
 * property says how many runs it makes (numRuns), and the last test checks they add up to 10,000 or more:
 * no crash, no exception of another kind than the documented one, no forgery accepted.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { ZchatError } from '../../source/core/errors.js';
import {
  capturePath,
  type LoopbackServer,
  startLoopbackServer,
} from '../../source/core/oauth/loopback-server.js';
import { parseRedirect, pastedAddress } from '../../source/core/oauth/redirect-parse.js';
import { newState } from '../../source/core/oauth/state.js';
import type { SeenRequest } from '../../source/core/oauth/types.js';
import { readStoreFile } from '../../source/core/store/file.js';
import { checkStoreData } from '../../source/core/store/validate.js';
import { normalizeSubdomain } from '../../source/core/zendesk/subdomain.js';

/** Runs made by the properties in this file, counted as they happen. */
let runs = 0;
function counted<T extends unknown[], R>(predicate: (...args: T) => R): (...args: T) => R {
  return (...args: T) => {
    runs++;
    return predicate(...args);
  };
}

const printable = /^[\x21-\x7e]+$/;

// ---- redirect parsing -----------------------------------------------------------------------------------

/** Strings a person might paste, and strings nobody would: unicode, control characters, URL parts. */
const pasteText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        'http://localhost:8080/',
        'https://evil.example/cb',
        'javascript:',
        '?',
        '#',
        '&',
        '=',
        'code',
        'state',
        'access_token',
        'error',
        'error_description',
        '%',
        '%FF',
        '%00',
        '+',
        ' ',
        '\n',
        '"',
        '<',
        '>',
        'é',
        '\u0000',
        'abc123',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

describe('parseRedirect', () => {
  test('never crashes: a result with printable values, or a one-line usage error (3,000 runs)', () => {
    fc.assert(
      fc.property(
        pasteText,
        counted((input) => {
          let result: ReturnType<typeof parseRedirect>;
          try {
            result = parseRedirect(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ZchatError);
            expect((error as ZchatError).code).toBe('usage');
            expect((error as ZchatError).message).not.toContain('\n');
            // What was pasted may hold a code: it is never repeated back.
            if (input.trim().length >= 8) expect((error as ZchatError).message).not.toContain(input.trim());
            return;
          }
          if (result.kind === 'code') expect(result.code).toMatch(printable);
          if (result.kind === 'token') expect(result.accessToken).toMatch(printable);
          if (result.kind === 'error') expect(result.error.trim()).not.toBe('');
          pastedAddress(input); // never throws either
        }),
      ),
      { numRuns: 3000 },
    );
  });

  test('a real redirect, however it is wrapped, gives back its code and state exactly (1,000 runs)', () => {
    const value = fc.stringMatching(/^[A-Za-z0-9._~-]{4,80}$/);
    const wrap = fc.constantFrom(
      (s: string) => s,
      (s: string) => `  ${s}\n`,
      (s: string) => `"${s}"`,
      (s: string) => `<${s}>`,
      (s: string) => `${s.slice(0, 20)}\n${s.slice(20)}`,
    );
    fc.assert(
      fc.property(
        value,
        value,
        fc.constantFrom('http://localhost:8080/', 'http://127.0.0.1:9/callback', 'https://app.example/cb'),
        fc.boolean(),
        wrap,
        counted((code, state, base, fragment, w) => {
          const url = fragment
            ? `${base}#access_token=${code}&token_type=Bearer&state=${state}`
            : `${base}?code=${code}&state=${state}`;
          const result = parseRedirect(w(url));
          expect(result).toMatchObject(
            fragment ? { kind: 'token', accessToken: code, state } : { kind: 'code', code, state },
          );
          expect(pastedAddress(w(url))).toBe(new URL(base).origin + new URL(base).pathname);
        }),
      ),
      { numRuns: 1000 },
    );
  });
});

// ---- subdomains -------------------------------------------------------------------------------------------

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

describe('normalizeSubdomain', () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...'aZ09-._/\\ :@?#%é\u0430\u200b\t\n'.split('')), maxLength: 70 }),
    fc
      .tuple(
        fc.constantFrom('', 'https://', 'http://', 'ftp://', 'javascript:', '//', 'HTTPS://'),
        fc.stringMatching(/^[a-z0-9-]{0,70}$/),
        fc.constantFrom(
          '',
          '.zendesk.com',
          '.zendesk.com.evil.com',
          '.evil.com',
          '.zendesk.com:443',
          '@evil.com',
        ),
        fc.constantFrom('', '/', '/agent?code=SECRET', '#x', ' ', '\u0000'),
      )
      .map((parts) => parts.join('')),
  );

  test('returns a DNS label or refuses in a sentence that never echoes the input (3,000 runs)', () => {
    fc.assert(
      fc.property(
        hostile,
        counted((input) => {
          let label: string;
          try {
            label = normalizeSubdomain(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ZchatError);
            expect((error as ZchatError).code).toBe('invalid_subdomain');
            const value = input.trim().toLowerCase();
            if (
              value.length > 3 &&
              !'enter the zendesk subdomain, e.g. acme for acme.zendesk.com.'.includes(value)
            ) {
              expect((error as ZchatError).message.toLowerCase()).not.toContain(value);
            }
            return;
          }
          expect(label).toMatch(dnsLabel);
          // What it builds is always the Zendesk host it claims: nothing else can ride along.
          expect(new URL(`https://${label}.zendesk.com/oauth2/chat/token`).hostname).toBe(
            `${label}.zendesk.com`,
          );
          // Only input that names that label is accepted.
          expect(input.toLowerCase()).toContain(label);
        }),
      ),
      { numRuns: 3000 },
    );
  });

  test('a label in any accepted spelling normalises to itself (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/),
        fc.constantFrom(
          (l: string) => l,
          (l: string) => l.toUpperCase(),
          (l: string) => ` ${l} `,
          (l: string) => `${l}.zendesk.com`,
          (l: string) => `https://${l}.zendesk.com`,
          (l: string) => `https://${l.toUpperCase()}.ZENDESK.COM/agent/x?y=1`,
        ),
        counted((label, spell) => {
          expect(normalizeSubdomain(spell(label))).toBe(label);
        }),
      ),
      { numRuns: 1000 },
    );
  });
});

// ---- the store's decoder -------------------------------------------------------------------------------------

const SECRET = 'hat_SECRETVALUE_0123456789';
const instant = fc.constantFrom('2025-06-01T08:00:00.000Z', '2025-06-01T08:00:00+02:00', 'yesterday', '', 0);
const anyValue = fc.oneof(fc.constant(SECRET), fc.anything({ maxDepth: 2 }), instant);
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: anyValue, weight: 1 });
const token = fc.record(
  {
    accessToken: maybe(fc.constant(SECRET)),
    refreshToken: maybe(fc.constant(`${SECRET}_r`)),
    tokenType: maybe(fc.constant('Bearer')),
    scope: maybe(fc.constant('read write')),
    grant: maybe(fc.constantFrom('authorization_code', 'implicit', 'refresh_token')),
    obtainedAt: maybe(instant),
    expiresAt: maybe(instant),
    revokedAt: maybe(instant),
  },
  { requiredKeys: [] },
);
const profileFor = (key: string) =>
  fc.record(
    {
      name: maybe(fc.constant(key)),
      subdomain: maybe(fc.constant('acme')),
      baseUrl: maybe(
        fc.constantFrom('https://acme.zendesk.com', 'http://127.0.0.1:1', 'javascript:x', SECRET),
      ),
      clientId: maybe(fc.constant('client')),
      clientSecret: maybe(fc.constant(SECRET)),
      redirectUri: maybe(fc.constant('http://localhost:8080')),
      scopes: maybe(fc.array(fc.constantFrom('read', 'write', '', SECRET), { maxLength: 3 })),
      flow: maybe(fc.constantFrom('code', 'implicit', 'client-credentials', 'password', 'device')),
      token: maybe(token),
      createdAt: maybe(instant),
      updatedAt: maybe(instant),
    },
    { requiredKeys: [] },
  );
const storeData = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .dictionary(fc.constantFrom('demo', 'acme', 'constructor', '__proto__', 'a b'), fc.constant(0), {
        maxKeys: 3,
      })
      .chain((keys) =>
        fc.record(
          {
            schemaVersion: maybe(fc.constantFrom(1, 2, 0)),
            defaultProfile: maybe(fc.constantFrom('demo', 'nope')),
            profiles: maybe(
              fc
                .tuple(...Object.keys(keys).map((k) => profileFor(k).map((p) => [k, p] as const)))
                .map((entries) => {
                  const out: Record<string, unknown> = {};
                  for (const [k, p] of entries)
                    Object.defineProperty(out, k, {
                      value: p,
                      enumerable: true,
                      configurable: true,
                      writable: true,
                    });
                  return out;
                }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

describe('the store decoder', () => {
  test('checkStoreData: ok with a consistent store, or problems that name fields and never quote values (2,000 runs)', () => {
    fc.assert(
      fc.property(
        storeData,
        counted((value) => {
          const verdict = checkStoreData(value);
          if (verdict.ok) {
            for (const [key, profile] of Object.entries(verdict.data.profiles)) {
              expect(profile.name).toBe(key);
              expect(Array.isArray(profile.scopes)).toBe(true);
              if (profile.token) expect(typeof profile.token.accessToken).toBe('string');
            }
          } else {
            expect(verdict.problems.length).toBeGreaterThan(0);
            for (const problem of verdict.problems) expect(problem).not.toContain(SECRET);
          }
        }),
      ),
      { numRuns: 2000 },
    );
  });

  test('readStoreFile on any bytes: a store, or store_corrupt / store_newer; the file is never changed (400 runs)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zchat-prop-store-'));
    const file = path.join(dir, 'config.json');
    try {
      fc.assert(
        fc.property(
          fc.oneof(
            storeData.map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')),
            storeData.chain((v) => {
              const text = JSON.stringify(v) ?? '';
              return fc.nat({ max: text.length }).map((cut) => Buffer.from(text.slice(0, cut)));
            }),
            fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          ),
          counted((bytes) => {
            fs.writeFileSync(file, bytes);
            try {
              const read = readStoreFile(file, { forWrite: true });
              expect(read?.data.profiles).toBeDefined();
            } catch (error) {
              expect(error).toBeInstanceOf(ZchatError);
              expect(['store_corrupt', 'store_newer']).toContain((error as ZchatError).code);
              expect((error as ZchatError).sentence).not.toContain(SECRET);
            }
            expect(fs.readFileSync(file).equals(bytes)).toBe(true);
            for (const name of fs.readdirSync(dir))
              if (name !== 'config.json') fs.rmSync(path.join(dir, name));
          }),
        ),
        { numRuns: 400 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- the loopback request handler, over real HTTP --------------------------------------------------------------

interface Sent {
  method: string;
  path: string;
  host: string | undefined;
  query: [string, string][];
}

function send(port: number, agent: http.Agent, r: Sent): Promise<number> {
  const search = new URLSearchParams(r.query).toString();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (r.host !== undefined) headers.Host = r.host;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: r.method,
        path: `${r.path}${search ? `?${search}` : ''}`,
        headers,
        agent,
        setHost: r.host !== undefined,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(r.method === 'POST' || r.method === 'PUT' ? 'x' : undefined);
  });
}

describe('the loopback request handler', () => {
  let server: LoopbackServer | undefined;
  afterAll(async () => server?.close());

  test('accepts exactly the one request that has the path, a loopback Host, GET and the state; nothing else (1,500 runs)', async () => {
    const state = newState();
    const seen: SeenRequest[] = [];
    server = await startLoopbackServer({
      redirectUri: 'http://localhost:0/callback',
      state,
      mode: 'code',
      onRequest: (r) => seen.push(r),
    });
    const port = server.port;
    let settledBy: Sent | undefined;
    const tally = { genuine: 0, forgedWithState: 0 };
    void server.result.then(
      () => undefined,
      () => undefined,
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const goodHosts = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`];
    const request = fc.record({
      method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
      path: fc.oneof(
        { weight: 6, arbitrary: fc.constant('/callback') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '/',
            '/callback/',
            '/CALLBACK',
            '/callback/x',
            capturePath,
            '/favicon.ico',
            '//callback',
            '/%63allback',
          ),
        },
        { weight: 1, arbitrary: fc.webPath() },
      ),
      host: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...goodHosts) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            undefined,
            `evil.example:${port}`,
            'localhost',
            `localhost:${port + 1}`,
            `127.0.0.2:${port}`,
            `localhost.:${port}`,
            `localhost:${port}@evil`,
          ),
        },
      ),
      query: fc.array(
        fc.tuple(
          fc.constantFrom('code', 'code', 'state', 'state', 'error', 'access_token', 'x'),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(state) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(`${state}x`, state.slice(1), state.toUpperCase(), '', ' '),
            },
            { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
            { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/) },
          ),
        ),
        { maxLength: 5 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        request,
        counted(async (r: Sent) => {
          const before = seen.length;
          const status = await send(port, agent, r);
          const verdict = seen[before];
          // Node itself answers 400 to what is not HTTP (no Host, a bad request target) before the handler
          // sees it; everything else is reported.
          if (verdict === undefined) expect(status).toBe(400);
          const params = new URLSearchParams(r.query);
          const genuine =
            r.host !== undefined &&
            goodHosts.map((h) => h.toLowerCase()).includes(r.host.toLowerCase()) &&
            r.path === '/callback' &&
            (r.method === 'GET' || r.method === 'HEAD') &&
            params.get('state') === state;
          if (genuine) tally.genuine++;
          else if (params.get('state') === state) tally.forgedWithState++;
          if (verdict?.verdict === 'accepted') {
            expect(genuine, `accepted a forgery: ${JSON.stringify(r)}`).toBe(true);
            expect(settledBy).toBeUndefined();
            settledBy = r;
          }
          if (!genuine) expect(status).toBeGreaterThanOrEqual(400);
          expect([200, 400, 404, 405]).toContain(status);
        }),
      ),
      { numRuns: 1500 },
    );
    agent.destroy();
    // The runs did try both: genuine answers, and forgeries that carried the real state.
    expect(tally.genuine).toBeGreaterThan(10);
    expect(tally.forgedWithState).toBeGreaterThan(50);
    // The server settled with exactly the first genuine answer that carried a code or an error.
    if (settledBy) {
      const result = await server.result;
      const params = new URLSearchParams(settledBy.query);
      if (result.kind === 'code') expect(result.code).toBe(params.get('code')?.trim());
      if (result.kind === 'error') expect(result.error).toBe(params.get('error')?.trim());
    }
  }, 60_000);
});

test('the properties above made 10,000 runs or more', () => {
  expect(runs).toBeGreaterThanOrEqual(10_000);
});
