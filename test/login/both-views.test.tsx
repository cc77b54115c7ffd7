/**
 * One login, two views: the same flags, environment and stored profiles go through the plain `login`
 * command (in process, with injected I/O) and through the Ink app as `login` in a terminal starts it, against
 * the sandbox over loopback. Both must build the same authorize URL, store the same profile and say the same
 * sentence when the login fails.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { parse } from '../../source/commands/args.js';
import type { CommandIO } from '../../source/commands/command.js';
import { command, requestOf } from '../../source/commands/login.js';
import type { Profile } from '../../source/core/store/types.js';
import { App } from '../../source/ui/app.js';
import {
  adminToken,
  consent,
  flat,
  keys,
  makeWorld,
  press,
  render,
  screenTestHooks,
  type World,
  waitFor,
} from '../ui/helpers.js';

let w: World;
screenTestHooks({ world: () => w });

type Browser = 'allow' | 'leave';

interface Case {
  name: string;
  /** Profiles stored before the login (the world's client on the world's sandbox unless they say else). */
  stored: (w: World) => Partial<Profile>[];
  args: (w: World) => string[];
  env?: (w: World) => NodeJS.ProcessEnv;
  /** What the test does with the authorize URL, for browser flows. */
  browser?: Browser;
  /** The authorize URL must start with this (the server the login goes to). */
  authorizeOn?: (w: World) => string;
  /** Whether the authorize URL carries code_challenge (S256). */
  challenge?: boolean;
  /** The failure sentence must contain this. */
  fails?: (w: World) => string;
  /** The profile that must be stored, and what it must say. */
  stores?: (w: World) => { name: string; expect: Partial<Profile> };
}

const flagsFor = (w: World) => [
  '--subdomain',
  w.sandbox.demo.subdomain,
  '--client-id',
  w.client.clientId,
  '--redirect-uri',
  w.client.redirectUri,
];

const cases: Case[] = [
  {
    // The divergence: the panel went to https://other.zendesk.com, --no-tui to the stored test server.
    name: 'a stored profile on a test server and another --subdomain: the stored base URL is not carried over',
    stored: () => [{ name: 'acme', subdomain: 'acme' }],
    args: () => ['--profile', 'acme', '--subdomain', 'other'],
    env: (w) => ({ ZENDESK_CHAT_CLIENT_SECRET: w.client.clientSecret }),
    browser: 'leave',
    authorizeOn: () => 'https://other.zendesk.com/oauth2/chat/authorizations/new?',
  },
  {
    name: 'a stored profile alone: logs in again with its settings, on its server',
    // Not the default scopes, so carrying them over shows (a Chat client allows read and write only).
    stored: () => [{ name: 'demo', scopes: ['read'] }],
    args: () => ['--profile', 'demo'],
    browser: 'allow',
    authorizeOn: (w) => `${w.sandbox.url}/oauth2/chat/authorizations/new?`,
    stores: (w) => ({
      name: 'demo',
      expect: {
        baseUrl: w.sandbox.url,
        scopes: ['read'],
        clientSecret: w.client.clientSecret,
      },
    }),
  },
  {
    // The plain view stored the --base-url as typed, the panel normalised it.
    name: '--base-url with a trailing slash: stored normalised by both',
    stored: () => [],
    args: (w) => [...flagsFor(w), '--base-url', `${w.sandbox.url}/`],
    env: (w) => ({ ZENDESK_CHAT_CLIENT_SECRET: w.client.clientSecret }),
    browser: 'allow',
    authorizeOn: (w) => `${w.sandbox.url}/oauth2/chat/authorizations/new?`,
    stores: (w) => ({
      name: w.sandbox.demo.subdomain,
      expect: {
        baseUrl: w.sandbox.url,
        subdomain: w.sandbox.demo.subdomain,
        scopes: ['read', 'write'],
        flow: 'code',
        redirectUri: w.client.redirectUri,
      },
    }),
  },
  {
    // The plain view sent the scopes in the order typed, the panel in its own order.
    name: '--scope in any order: the same scope parameter and the same stored scopes',
    stored: () => [],
    args: (w) => [...flagsFor(w), '--base-url', w.sandbox.url, '--scope', 'write read'],
    env: (w) => ({ ZENDESK_CHAT_CLIENT_SECRET: w.client.clientSecret }),
    browser: 'allow',
    authorizeOn: (w) => `${w.sandbox.url}/oauth2/chat/authorizations/new?`,
    stores: (w) => ({ name: w.sandbox.demo.subdomain, expect: { scopes: ['read', 'write'] } }),
  },
  {
    // The secret stored for the other server is not sent to this one: here it is given anew.
    name: 'ZCHAT_AUTH_BASE_URL wins over a stored base URL',
    stored: () => [{ name: 'demo', baseUrl: 'http://127.0.0.1:9/elsewhere' }],
    args: () => ['--profile', 'demo'],
    env: (w) => ({ ZCHAT_AUTH_BASE_URL: w.sandbox.url, ZENDESK_CHAT_CLIENT_SECRET: w.client.clientSecret }),
    browser: 'allow',
    authorizeOn: (w) => `${w.sandbox.url}/oauth2/chat/authorizations/new?`,
    stores: (w) => ({ name: 'demo', expect: { baseUrl: w.sandbox.url } }),
  },
  {
    name: 'PKCE by default: the authorize URL carries an S256 challenge (the sandbox checks the verifier)',
    stored: () => [{ name: 'demo' }],
    args: () => ['--profile', 'demo'],
    browser: 'allow',
    challenge: true,
    stores: () => ({ name: 'demo', expect: { flow: 'code' } }),
  },
  {
    name: '--no-pkce: no challenge, and the profile remembers it',
    stored: () => [{ name: 'demo' }],
    args: () => ['--profile', 'demo', '--no-pkce'],
    browser: 'allow',
    challenge: false,
    stores: () => ({ name: 'demo', expect: { pkce: false } }),
  },
  {
    name: 'a profile stored with PKCE off logs in again without it',
    stored: () => [{ name: 'demo', pkce: false }],
    args: () => ['--profile', 'demo'],
    browser: 'allow',
    challenge: false,
    stores: () => ({ name: 'demo', expect: { pkce: false } }),
  },
  {
    // The diagnosis existed only in the plain output; a stored admin token lets either view look the client up.
    name: 'client credentials on a public client: the exact command that switches it',
    stored: (w) => [{ name: 'admin', token: adminToken(w.sandbox) }],
    args: (w) => [
      ...flagsFor(w),
      '--flow',
      'client-credentials',
      '--profile',
      'cc',
      '--base-url',
      w.sandbox.url,
    ],
    env: (w) => ({ ZENDESK_CHAT_CLIENT_SECRET: w.client.clientSecret }),
    fails: (w) =>
      `The client-credentials flow needs a confidential client, and client ${w.client.clientId} is public. Switch it with \`zchat-auth clients confidential ${w.client.id}\`, then log in again.`,
  },
];

interface Outcome {
  authorizeUrl?: string;
  failure?: string;
  stored?: Profile;
}

/** The authorize URL without what differs on every login (state). */
function sameParts(url: string | undefined): string | undefined {
  if (!url) return url;
  const u = new URL(url);
  u.searchParams.delete('state');
  u.searchParams.delete('code_challenge');
  return u.toString();
}

/** A stored profile without what differs on every login (the token, the times). */
function settingsOf(p: Profile | undefined) {
  if (!p) return p;
  const { token, createdAt: _c, updatedAt: _u, ...rest } = p;
  return { ...rest, grant: token?.grant, scope: token?.scope };
}

async function world(c: Case): Promise<World> {
  const made = await makeWorld();
  Object.assign(made.services.env, c.env?.(made) ?? {});
  return made;
}

async function reset(c: Case): Promise<void> {
  for (const p of w.store.list()) await w.store.remove(p.name);
  for (const p of c.stored(w)) await w.saveProfile(p);
}

/** The browser's part: Allow on the consent page and follow the redirect to the loopback server. */
async function approve(url: string): Promise<void> {
  await fetch(await consent(url));
}

async function viaPlain(c: Case): Promise<Outcome> {
  await reset(c);
  const opened = w.opened.length;
  let stdout = '';
  let stderr = '';
  const abort = new AbortController();
  const io: CommandIO = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: new PassThrough(),
    env: w.services.env,
    interactive: false,
    services: () => w.services,
    signal: abort.signal,
  };
  const args = ['--no-tui', ...c.args(w)];
  const running = command.run(command.build(parse(args, command.options, command.maxPositionals), io), io);
  let authorizeUrl: string | undefined;
  if (c.browser) {
    authorizeUrl = await waitFor(() => w.opened[opened] ?? expect.fail('no authorize URL yet'));
    if (c.browser === 'allow') await approve(authorizeUrl);
    else abort.abort();
  }
  const code = await running;
  const failure = /^zchat-auth: (.*)$/m.exec(stderr)?.[1];
  if (c.stores) expect({ code, stderr }).toMatchObject({ code: 0 });
  const stored = c.stores ? w.store.get(c.stores(w).name) : undefined;
  return {
    ...(authorizeUrl ? { authorizeUrl } : {}),
    ...(failure ? { failure } : {}),
    ...(stored ? { stored } : {}),
  };
}

async function viaPanel(c: Case): Promise<Outcome> {
  await reset(c);
  const opened = w.opened.length;
  const io = { env: w.services.env } as CommandIO;
  const options = command.build(parse(c.args(w), command.options, command.maxPositionals), io);
  const exits: number[] = [];
  const { lastFrame, stdin, unmount } = render(
    <App
      services={w.services}
      start="login"
      login={requestOf(options)}
      onExit={(code) => exits.push(code)}
    />,
  );
  try {
    let authorizeUrl: string | undefined;
    let failure: string | undefined;
    if (c.browser) {
      // Where the panel shows its summary first, a person presses enter on "Start the login".
      await waitFor(() =>
        expect(w.opened.length > opened || /Start the login/.test(lastFrame() ?? '')).toBe(true),
      );
      if (w.opened.length === opened) await press(stdin, keys.enter);
      authorizeUrl = await waitFor(() => w.opened[opened] ?? expect.fail('no authorize URL yet'));
      if (c.browser === 'allow') {
        await approve(authorizeUrl);
        await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile'));
      }
    }
    if (c.fails) {
      const sentence = flat(c.fails(w));
      await waitFor(() => expect(flat(lastFrame())).toContain(`✗${sentence}`));
      failure = c.fails(w);
    }
    await press(stdin, keys.ctrlC);
    await waitFor(() => expect(exits).toEqual([130]));
    const stored = c.stores ? w.store.get(c.stores(w).name) : undefined;
    return {
      ...(authorizeUrl ? { authorizeUrl } : {}),
      ...(failure ? { failure } : {}),
      ...(stored ? { stored } : {}),
    };
  } finally {
    unmount();
  }
}

describe('login: the plain command and the panel decide the same', () => {
  test.each(cases)('$name', async (c) => {
    w = await world(c);
    const plain = await viaPlain(c);
    const panel = await viaPanel(c);

    expect(sameParts(panel.authorizeUrl)).toBe(sameParts(plain.authorizeUrl));
    if (c.authorizeOn) expect(plain.authorizeUrl?.startsWith(c.authorizeOn(w))).toBe(true);
    if (c.challenge !== undefined) {
      for (const url of [plain.authorizeUrl, panel.authorizeUrl]) {
        const params = new URL(url!).searchParams;
        expect(params.get('code_challenge_method')).toBe(c.challenge ? 'S256' : null);
        expect(params.has('code_challenge')).toBe(c.challenge);
      }
    }

    expect(panel.failure).toBe(plain.failure);
    if (c.fails) expect(plain.failure).toBe(c.fails(w));

    expect(settingsOf(panel.stored)).toEqual(settingsOf(plain.stored));
    if (c.stores) expect(plain.stored).toMatchObject(c.stores(w).expect);
  });
});

describe('login: what is missing is asked for, in each view its own way', () => {
  test('no client ID: the plain command names --client-id (exit 2), the panel stops on the Client ID field', async () => {
    w = await makeWorld({ env: { ZENDESK_CHAT_CLIENT_SECRET: 'not-needed-yet' } });
    const args = ['--subdomain', w.sandbox.demo.subdomain, '--profile', 'fresh'];
    let stderr = '';
    const io: CommandIO = {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      stdin: new PassThrough(),
      env: w.services.env,
      interactive: false,
      services: () => w.services,
      signal: new AbortController().signal,
    };
    const options = command.build(parse(['--no-tui', ...args], command.options, command.maxPositionals), io);
    // The entry point prints a usage error as one line and exits 2.
    await expect(command.run(options, io)).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('The client ID is missing: pass --client-id'),
    });
    expect(stderr).toBe('');

    const { lastFrame } = render(
      <App services={w.services} start="login" login={requestOf(options)} onExit={() => {}} />,
    );
    await waitFor(() => expect(lastFrame()).toContain('› Client ID'));
    expect(lastFrame()).toContain('step 3 of 7');
    expect(lastFrame()).toContain('✓ Subdomain     demo');
    expect(w.opened).toEqual([]);
    expect(w.store.list()).toEqual([]);
  });

  test('a stored secret goes only to the server it was stored for: plain refuses, the panel asks for it anew', async () => {
    w = await makeWorld();
    await w.saveProfile({ name: 'demo' });
    // The same client on another base URL (a path on the same sandbox host counts as the same origin, so use
    // another origin): localhost instead of 127.0.0.1.
    const other = w.sandbox.url.replace('127.0.0.1', 'localhost');
    const args = ['--profile', 'demo', '--base-url', other];
    let stderr = '';
    const io: CommandIO = {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      stdin: new PassThrough(),
      env: w.services.env,
      interactive: false,
      services: () => w.services,
      signal: new AbortController().signal,
    };
    const options = command.build(parse(['--no-tui', ...args], command.options, command.maxPositionals), io);
    await expect(command.run(options, io)).rejects.toMatchObject({
      code: 'usage',
      message: `The stored client secret was saved for ${w.sandbox.url}, so it is not sent to ${other}: give it anew with ZENDESK_CHAT_CLIENT_SECRET or --client-secret-stdin.`,
    });
    expect(stderr).toBe('');
    expect(w.opened).toEqual([]);
    expect(w.sandbox.stats.tokenRequests).toEqual({});

    const { lastFrame } = render(
      <App services={w.services} start="login" login={requestOf(options)} onExit={() => {}} />,
    );
    await waitFor(() => expect(lastFrame()).toContain('› Client secret'));
    expect(flat(lastFrame())).toContain(
      flat(`The stored secret is for ${w.sandbox.url}, not this server: paste it again.`),
    );
    expect(w.opened).toEqual([]);
    expect(w.sandbox.stats.tokenRequests).toEqual({});
  });
});
