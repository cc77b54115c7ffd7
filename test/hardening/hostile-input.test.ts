/**
 * Hostile input to the built CLI that is not a callback: subdomains, base URLs and profile names that are
 * not what they claim, and store files that are damaged, of the wrong shape, or from a newer version. Each
 * ends in one sentence (exit 2 for a bad flag, 1 for a bad store), echoes nothing secret, and leaves the
 * store exactly as it was (a damaged one is copied aside, never rewritten).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../source/sandbox/types.js';
import {
  ensureBuilt,
  expectNoStack,
  expectSentence,
  findLeaks,
  type Home,
  makeConfidential,
  makeHome,
  pool,
  quietSandbox,
  readStoreText,
  runCli,
  seedProfile,
  storeFile,
} from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
  await makeConfidential(sandbox, sandbox.demo.clientNumericId);
}, 120_000);
afterAll(async () => sandbox.close());

/**
 * `login` that would store without a browser if it got that far (implicit flow, answer pasted). The pasted
 * fragment has no state (the state is this login's secret), so the one state-less answer is accepted.
 */
function pasteLogin(...flags: string[]): string[] {
  return [
    'login',
    '--client-id',
    'some-client',
    '--flow',
    'implicit',
    '--paste',
    '--no-browser',
    '--accept-missing-state',
    ...flags,
  ];
}
const pastedToken = '#access_token=abcdefgh12345678&token_type=Bearer\n';

describe('subdomains that are not one', () => {
  const refused: [string, RegExp][] = [
    ['acme.evil.com', /not a zendesk\.com address/],
    ['acme.zendesk.com.evil.com', /not a zendesk\.com address/],
    ['http://acme.zendesk.com.evil.com/x', /not a zendesk\.com address/],
    ['zendesk.com', /not a zendesk\.com address|letters, digits/],
    ['a.b.zendesk.com', /not a zendesk\.com address|letters, digits/],
    ['evil.com/acme.zendesk.com', /slashes or other URL parts/],
    ['acme/../admin', /slashes or other URL parts/],
    ['acme\\x', /slashes or other URL parts/],
    ['acme?code=SECRETCODE123', /slashes or other URL parts/],
    ['acme#frag', /slashes or other URL parts/],
    ['ac me', /spaces/],
    ['ácme', /ASCII letters, digits and hyphens/],
    ['аcme', /ASCII letters, digits and hyphens/], // Cyrillic а: a homograph
    ['acme\u200b', /ASCII letters, digits and hyphens/],
    ['xn--acme-0ra', /./], // punycode is a label: allowed by the DNS rule, shown below as accepted
    ['ftp://acme.zendesk.com', /Only https:\/\/ addresses/],
    ['javascript:alert(1)', /Only https:\/\/ addresses/],
    ['file:///etc/passwd', /Only https:\/\/ addresses/],
    ['https://user:SECRETPASS@acme.zendesk.com', /user name or password/],
    ['https://acme.zendesk.com:8443', /may not carry a port/],
    ['-acme', /start or end with a hyphen/],
    ['acme-', /start or end with a hyphen/],
    ['a'.repeat(64), /longer than 63 characters/],
    ['', /is empty/],
    ['   ', /is empty/],
  ];
  test('each is refused before anything happens: exit 2, one sentence, not echoed, nothing stored', async () => {
    const home = await makeHome();
    try {
      const results = await pool(
        6,
        refused
          .filter(([value]) => value !== 'xn--acme-0ra')
          .map(([value, sentence]) => async () => {
            const result = await runCli(pasteLogin('--subdomain', value), home.env, pastedToken);
            expect(result.code, `${JSON.stringify(value)}\n${result.stderr}`).toBe(2);
            expect(result.stdout).toBe('');
            expect(result.stderr.trim().split('\n'), value).toHaveLength(1);
            expect(expectSentence(result, value)).toMatch(sentence);
            expect(findLeaks(result.stderr, { code: 'SECRETCODE123', pass: 'SECRETPASS' })).toEqual([]);
            const standard = 'Enter the Zendesk subdomain, e.g. acme for acme.zendesk.com.';
            if (value.trim().length > 3 && !standard.includes(value))
              expect(result.stderr).not.toContain(value);
            return result;
          }),
      );
      expect(results).toHaveLength(refused.length - 1);
      expect(fs.existsSync(storeFile(home))).toBe(false);
    } finally {
      await home.remove();
    }
  });

  test.each([
    ['ACME', 'acme'],
    ['acme.zendesk.com', 'acme'],
    ['https://ACME.zendesk.com/agent/tickets?code=x', 'acme'],
    ['xn--acme-0ra', 'xn--acme-0ra'],
    [' acme\t', 'acme'],
  ])('%j is accepted as %j', async (value, subdomain) => {
    const home = await makeHome();
    try {
      const result = await runCli(pasteLogin('--subdomain', value), home.env, pastedToken);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`subdomain=${subdomain}&`);
      expect(JSON.parse(readStoreText(home)!).profiles[subdomain].subdomain).toBe(subdomain);
    } finally {
      await home.remove();
    }
  });
});

describe('base URLs, redirect URIs and profile names', () => {
  test('a base URL or redirect URI that is not http(s) is refused before any port opens: exit 2', async () => {
    const home = await makeHome();
    try {
      const cases: [string[], RegExp][] = [
        [['--base-url', 'javascript:alert(1)'], /base URL|http/i],
        [['--base-url', 'file:///etc/passwd'], /base URL|http/i],
        [['--base-url', 'http://'], /base URL|http/i],
        [['--base-url', 'not a url'], /base URL|http/i],
        [['--redirect-uri', 'javascript:alert(1)'], /redirect-uri must be an http\(s\) URL/],
        [['--redirect-uri', 'localhost:8080'], /redirect-uri/],
        [['--redirect-uri', '//evil.example/cb'], /redirect-uri is not a valid absolute URL/],
      ];
      for (const [flags, sentence] of cases) {
        const result = await runCli(pasteLogin('--subdomain', 'acme', ...flags), home.env, pastedToken);
        expect(result.code, `${flags.join(' ')}\n${result.stderr}`).toBe(2);
        expect(expectSentence(result, flags.join(' '))).toMatch(sentence);
        expect(result.stderr).not.toMatch(/Listening|Open this URL/);
      }
      expect(fs.existsSync(storeFile(home))).toBe(false);
    } finally {
      await home.remove();
    }
  });

  test('names the store cannot keep or print are refused: nothing is reported stored that is not', async () => {
    const home = await makeHome();
    try {
      for (const name of ['__proto__', 'two\nlines', 'bell\u0007', 'esc\u001b[31m']) {
        const result = await runCli(
          pasteLogin('--subdomain', 'acme', '--profile', name),
          home.env,
          pastedToken,
        );
        expect(result.code, JSON.stringify(name)).not.toBe(0);
        expect(result.stdout, JSON.stringify(name)).toBe('');
        expect(result.stderr).not.toMatch(/Stored the token/);
        expectNoStack(result.stderr);
        expect(result.stderr).not.toMatch(/[\u0007\u001b]/);
      }
      expect(readStoreText(home)).toBeUndefined();
      for (const name of ['constructor', 'toString', '../../etc/passwd', '名前']) {
        const result = await runCli(
          pasteLogin('--subdomain', 'acme', '--profile', name),
          home.env,
          pastedToken,
        );
        expect(result.code, `${name}\n${result.stderr}`).toBe(0);
        expect((await runCli(['token', '--profile', name], home.env)).stdout).toBe('abcdefgh12345678\n');
      }
      expect(fs.readdirSync(home.store)).toEqual(['config.json']);
      expect(fs.existsSync(path.join(home.home, 'etc'))).toBe(false);
    } finally {
      await home.remove();
    }
  });
});

describe('[CLI] a profile name the store refuses', () => {
  test('is refused before the login starts: no authorize URL, no port, no code or token spent (exit 2)', async () => {
    const home = await makeHome();
    try {
      for (const name of ['__proto__', 'two\nlines']) {
        const result = await runCli(
          pasteLogin('--subdomain', 'acme', '--profile', name),
          home.env,
          pastedToken,
        );
        expect(result.code, JSON.stringify(name)).toBe(2);
        // Today the name is only refused when the token is stored: after the browser round trip, with the
        // code (or here the token) already spent.
        expect(result.stderr, JSON.stringify(name)).not.toMatch(/Open this URL|Received the access token/);
        expect(result.stderr.trim().split('\n'), JSON.stringify(name)).toHaveLength(1);
      }
    } finally {
      await home.remove();
    }
  });
});

// ---- store files ----------------------------------------------------------------------------------------------

type StoreCase = [string, (valid: string) => string];
const damaged: StoreCase[] = [
  ['truncated', (valid) => valid.slice(0, Math.floor(valid.length / 2))],
  ['empty', () => ''],
  ['not JSON', () => 'zchat-auth was here\n'],
  ['a JSON array', () => '[]'],
  ['JSON null', () => 'null'],
  ['binary garbage', () => '\u0000\u00ff\u00fe{'],
  [
    'wrong types',
    (valid) => {
      const data = JSON.parse(valid);
      data.profiles.demo.scopes = 'read write';
      data.profiles.demo.token.obtainedAt = 12345;
      return JSON.stringify(data);
    },
  ],
  [
    'a profile under the wrong key',
    (valid) => {
      const data = JSON.parse(valid);
      data.profiles.other = data.profiles.demo;
      delete data.profiles.demo;
      return JSON.stringify(data);
    },
  ],
  ['schemaVersion a string', (valid) => valid.replace('"schemaVersion":1', '"schemaVersion":"1"')],
];
const newer: StoreCase = [
  'from a newer version',
  (valid) => valid.replace('"schemaVersion":1', '"schemaVersion":7'),
];
const newerUnknown: StoreCase = [
  'from a newer version, with a flow this one does not know',
  (valid) =>
    valid.replace('"schemaVersion":1', '"schemaVersion":7').replace('"flow":"code"', '"flow":"device"'),
];

const storeCommands: string[][] = [
  ['token'],
  ['token', '--check'],
  ['status'],
  ['status', '--json'],
  ['test'],
  ['refresh'],
  ['clients'],
  ['tokens'],
  ['logout'],
  [
    'login',
    '--flow',
    'client-credentials',
    '--subdomain',
    'demo',
    '--client-id',
    'CLIENT',
    '--base-url',
    'URL',
  ],
];

interface StoreRun {
  what: string;
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  bytesBefore: Buffer;
  bytesAfter: Buffer;
  copies: { name: string; bytes: Buffer; mode: number }[];
  secrets: Record<string, string | undefined>;
}

async function runOnStore([what, damage]: StoreCase, args: string[]): Promise<StoreRun> {
  const home: Home = await makeHome();
  try {
    const { granted } = await seedProfile(home.store, sandbox);
    const valid = JSON.stringify(JSON.parse(readStoreText(home)!));
    fs.writeFileSync(storeFile(home), damage(valid), { mode: 0o600 });
    const bytesBefore = fs.readFileSync(storeFile(home));
    const argv = args.map((a) => (a === 'CLIENT' ? sandbox.demo.clientId : a === 'URL' ? sandbox.url : a));
    const result = await runCli(argv, { ...home.env, ZENDESK_CHAT_CLIENT_SECRET: sandbox.demo.clientSecret });
    const copies = fs
      .readdirSync(home.store)
      .filter((name) => name !== 'config.json')
      .map((name) => {
        const file = path.join(home.store, name);
        return { name, bytes: fs.readFileSync(file), mode: fs.statSync(file).mode & 0o777 };
      });
    return {
      what,
      args,
      code: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      bytesBefore,
      bytesAfter: fs.readFileSync(storeFile(home)),
      copies,
      secrets: {
        accessToken: granted.accessToken,
        refreshToken: granted.refreshToken,
        clientSecret: sandbox.demo.clientSecret,
        code: granted.code,
      },
    };
  } finally {
    await home.remove();
  }
}

describe('a store file that is damaged', () => {
  let runs: StoreRun[];
  beforeAll(async () => {
    // Every command meets the first kind of damage; the others (the same read path) a reader, a writer
    // and a login, to keep the run short.
    const sample = storeCommands.filter((args) =>
      ['status --json', 'refresh', 'login'].includes(
        args
          .slice(0, 2)
          .join(' ')
          .replace(/ --flow$/, ''),
      ),
    );
    const tasks = damaged.flatMap((c, i) =>
      (i === 0 ? storeCommands : sample).map((args) => () => runOnStore(c, args)),
    );
    runs = await pool(8, tasks);
  }, 60_000);

  test('every command: exit 1, one sentence naming the file and the copy, the file byte for byte as it was', () => {
    expect(runs).toHaveLength(storeCommands.length + (damaged.length - 1) * 3);
    for (const run of runs) {
      const label = `${run.what} × ${run.args.join(' ')}`;
      expect(run.code, `${label}\n${run.stderr}`).toBe(1);
      expect(run.stdout.trim() === '' || run.args.includes('--json'), label).toBe(true);
      const sentence = expectSentence({ ...run, signal: null, ms: 0 }, label);
      expect(sentence, label).toMatch(
        /The token store .*config\.json is damaged: .*A copy was kept at .*config\.json\.corrupt-\S+; the file itself was left as it is\./,
      );
      expect(run.bytesAfter.equals(run.bytesBefore), `${label}: the file is untouched`).toBe(true);
      expect(run.copies, label).toHaveLength(1);
      expect(run.copies[0]!.bytes.equals(run.bytesBefore), `${label}: the copy is exact`).toBe(true);
      expect(run.copies[0]!.mode, label).toBe(0o600);
      expect(findLeaks(run.stdout + run.stderr, run.secrets), label).toEqual([]);
    }
  });

  test('the sentence says what is wrong without quoting the content', () => {
    const first = (what: string) => runs.find((r) => r.what === what)!.stderr;
    expect(first('truncated')).toMatch(/it is not valid JSON \(cut short\?\)/);
    expect(first('empty')).toMatch(/it is empty/);
    expect(first('wrong types')).toMatch(
      /profiles\.demo\.scopes: expected array; profiles\.demo\.token\.obtainedAt: expected string/,
    );
    expect(first('a profile under the wrong key')).toMatch(/profiles\.other\.name: does not match the key/);
    expect(first('not JSON')).not.toContain('zchat-auth was here');
  });
});

describe('a store file from a newer version', () => {
  test('reads still work; every write is refused with a sentence and the file is left as it was', async () => {
    const runs = await pool(
      8,
      storeCommands.map((args) => () => runOnStore(newer, args)),
    );
    const readers = ['token', 'status'];
    for (const run of runs) {
      const label = run.args.join(' ');
      expect(run.bytesAfter.equals(run.bytesBefore), `${label}: untouched`).toBe(true);
      expect(run.copies, label).toEqual([]);
      if (readers.includes(label) || label === 'status --json') {
        expect(run.code, `${label}\n${run.stderr}`).toBe(0);
      } else if (['clients', 'tokens'].includes(label)) {
        expect(run.code, `${label}\n${run.stderr}`).toBe(0); // read the store, call the API, write nothing
      } else {
        expect(run.code, `${label}\n${run.stderr}`).toBe(1);
        expect(expectSentence({ ...run, signal: null, ms: 0 }, label)).toMatch(
          /written by a newer zchat-auth \(schema version 7; this one knows up to 2\), so it will not be changed\. Upgrade zchat-auth/,
        );
      }
      const allowed = label === 'token' ? [run.secrets.accessToken!] : [];
      expect(findLeaks(run.stdout + run.stderr, run.secrets, allowed), label).toEqual([]);
    }
    // Nothing was spent on the server for a write that could not be stored.
    expect(sandbox.stats.tokenRequests.refresh_token ?? 0).toBe(0);
  }, 60_000);

  test('a newer file this version cannot read is refused as newer, not called damaged', async () => {
    const runs = await pool(
      4,
      [['token'], ['status'], ['refresh'], ['logout']].map((args) => () => runOnStore(newerUnknown, args)),
    );
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/written by a newer zchat-auth \(schema version 7/);
      expect(run.stderr).not.toMatch(/damaged/);
      expect(run.bytesAfter.equals(run.bytesBefore)).toBe(true);
      expect(run.copies).toEqual([]);
    }
  });
});
