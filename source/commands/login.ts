/**
 * `zchat-auth login`. In a terminal (without --no-tui) it hands over to the Ink waiting panel; otherwise it
 * is the plain view of the same flow events: progress on stderr, the authorize URL on a line of its own, a
 * one-line summary (or JSON) on stdout. It never prompts without a terminal: a missing value is exit 2 naming
 * the flag or variable that supplies it.
 */
import { createInterface } from 'node:readline';
import { exitCodeFor, ZchatError } from '../core/errors.js';
import type { FlowEvent, FlowKind } from '../core/oauth/types.js';
import { mask } from '../core/redact.js';
import { checkProfileName } from '../core/store/store.js';
import type { Profile } from '../core/store/types.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import { normalizeSubdomain } from '../core/zendesk/subdomain.js';
import { flag, secondsValue, stringValue, usage } from './args.js';
import { type Command, type CommandIO, line, printError, printJson } from './command.js';
import { loadUi } from './load-ui.js';
import { lookupClient } from './lookup-client.js';
import { DEFAULT_REDIRECT_URI, profileOption } from './shared.js';
import { checkStoreWritable } from './store-check.js';

export const flows: readonly FlowKind[] = ['code', 'implicit', 'client-credentials', 'password'];
const knownScopes = ['read', 'write', 'chat'];
export const DEFAULT_TIMEOUT_SECONDS = 300;

export interface LoginCliOptions {
  profile?: string;
  subdomain?: string;
  clientId?: string;
  flow?: FlowKind;
  scopes?: string[];
  username?: string;
  redirectUri?: string;
  /** --base-url, else ZCHAT_AUTH_BASE_URL. */
  baseUrl?: string;
  noBrowser: boolean;
  paste: boolean;
  timeoutMs: number;
  json: boolean;
  noTui: boolean;
  clientSecretStdin: boolean;
}

const help = `Usage: zchat-auth login [options]

Logs in to Zendesk Chat with OAuth and stores the token in a profile. In a terminal it shows the live
waiting panel (and asks for what is missing); with --no-tui, without a terminal or on TERM=dumb, it runs
plain: the authorize URL goes to stderr on a line of its own, a browser opens when one can, and once the
token is stored a one-line summary (profile, grant, scopes, masked token) goes to stdout. Without a
terminal it never prompts: a missing value is exit 2, naming the flag or variable to set.

Options
  --profile P              profile to store the token in (default: the subdomain)
  --subdomain S            your Zendesk subdomain: acme for acme.zendesk.com
  --client-id ID           the OAuth client (Zendesk Chat > Account > API & SDKs)
  --flow F                 code (default), implicit, client-credentials or password
  --scope "read write"     space separated: read, write, chat (default "read write")
  --username U             the Chat-only user, for the password flow
  --redirect-uri URI       registered on the client (default http://localhost:8080)
  --base-url URL           replaces https://{subdomain}.zendesk.com (sandbox, test servers); stored in
                           the profile
  --no-browser             do not open a browser; print the URL only
  --paste                  read the redirected URL (or the code) from stdin instead of listening
  --timeout SECONDS        how long to wait for the browser (default 300)
  --json                   print the summary as JSON
  --no-tui                 plain output even in a terminal
  --client-secret-stdin    read the client secret from the first line of stdin

Secrets are never flags (they would show in \`ps\` and the shell history): the client secret comes from
ZENDESK_CHAT_CLIENT_SECRET, --client-secret-stdin or the prompt; the password from ZENDESK_CHAT_PASSWORD.
Settings not given are taken from the stored profile, so \`zchat-auth login --profile acme\` logs in again.

Over SSH no browser is opened: forward the port (the exact \`ssh -L\` line is printed) or use --paste.
Ctrl+C stops the login, frees the port, stores nothing and exits 130.

Examples
  ZENDESK_CHAT_CLIENT_SECRET=... zchat-auth login --subdomain acme --client-id zchat_client_1
  zchat-auth login --subdomain acme --client-id ID --flow implicit --no-browser
  zchat-auth login --profile acme --paste < redirected-url.txt
  printf '%s\\n' "$SECRET" | zchat-auth login --subdomain acme --client-id ID --flow client-credentials --client-secret-stdin
`;

function parseFlow(raw: string | undefined): FlowKind | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, FlowKind> = {
    'authorization-code': 'code',
    token: 'implicit',
    'client-credential': 'client-credentials',
  };
  const flow = (flows as readonly string[]).includes(value) ? (value as FlowKind) : aliases[value];
  if (!flow) throw usage(`--flow must be one of ${flows.join(', ')}.`);
  return flow;
}

export function parseScopes(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const scopes = [...new Set(raw.split(/[\s,+]+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !knownScopes.includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw usage('--scope takes read, write and chat, space separated (e.g. --scope "read write").');
  }
  return scopes;
}

function checkRedirectUri(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ZchatError('invalid_redirect_uri', 'The --redirect-uri is not a valid absolute URL.', {
      hint: `Use the one registered on the OAuth client, e.g. ${DEFAULT_REDIRECT_URI}.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ZchatError('invalid_redirect_uri', 'The --redirect-uri must be an http(s) URL.', {
      hint: `Use the one registered on the OAuth client, e.g. ${DEFAULT_REDIRECT_URI}.`,
    });
  }
  return raw;
}

export const command: Command<LoginCliOptions> = {
  help,
  options: {
    subdomain: { type: 'string' },
    'client-id': { type: 'string' },
    flow: { type: 'string' },
    scope: { type: 'string' },
    username: { type: 'string' },
    'redirect-uri': { type: 'string' },
    'base-url': { type: 'string' },
    'no-browser': { type: 'boolean' },
    paste: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    'no-tui': { type: 'boolean' },
    'client-secret-stdin': { type: 'boolean' },
  },
  maxPositionals: 0,
  handlesInterrupt: true,
  build({ values }, io) {
    const options: LoginCliOptions = {
      noBrowser: flag(values, 'no-browser'),
      paste: flag(values, 'paste'),
      timeoutMs: secondsValue(values, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
      json: flag(values, 'json'),
      noTui: flag(values, 'no-tui'),
      clientSecretStdin: flag(values, 'client-secret-stdin'),
    };
    const profile = profileOption(values);
    if (profile !== undefined) {
      if (!profile.trim()) throw usage('--profile needs a name.');
      // The store's own rule, now: refused after the browser round trip, the code would be spent for nothing.
      checkProfileName(profile);
      options.profile = profile;
    }
    const subdomain = stringValue(values, 'subdomain');
    if (subdomain !== undefined) options.subdomain = normalizeSubdomain(subdomain);
    const clientId = stringValue(values, 'client-id')?.trim();
    if (clientId !== undefined) {
      if (!clientId) throw usage('--client-id needs a value.');
      options.clientId = clientId;
    }
    const flow = parseFlow(stringValue(values, 'flow'));
    if (flow) options.flow = flow;
    const scopes = parseScopes(stringValue(values, 'scope'));
    if (scopes) options.scopes = scopes;
    const username = stringValue(values, 'username')?.trim();
    if (username) options.username = username;
    const redirectUri = checkRedirectUri(stringValue(values, 'redirect-uri'));
    if (redirectUri) options.redirectUri = redirectUri;
    const baseUrl = stringValue(values, 'base-url') ?? (io.env.ZCHAT_AUTH_BASE_URL || undefined);
    if (baseUrl !== undefined) {
      // Checked now (exit 2) rather than after a port was opened; the subdomain does not matter for this.
      resolveBaseUrl('x', baseUrl);
      options.baseUrl = baseUrl;
    }
    return options;
  },
  async run(options, io) {
    // Before any port, URL or prompt: a token that cannot be stored is not worth the browser round trip.
    checkStoreWritable(io.services().store);
    // Ink owns stdin in the panel, so reading a secret or a paste from stdin means the plain view.
    const plain =
      !io.interactive || options.noTui || options.json || options.paste || options.clientSecretStdin;
    if (!plain) return runPanel(options, io);
    return runPlain(options, io);
  },
};

/** The interactive path: the waiting panel (and the wizard for whatever is missing). */
async function runPanel(options: LoginCliOptions, io: CommandIO): Promise<number> {
  const { runUi } = await loadUi();
  const secret = io.env.ZENDESK_CHAT_CLIENT_SECRET;
  const password = io.env.ZENDESK_CHAT_PASSWORD;
  // The profile name defaults to the subdomain (design.md), as in the plain path.
  const profile = options.profile ?? options.subdomain;
  const login = {
    ...(profile ? { profile } : {}),
    ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.flow ? { flow: options.flow } : {}),
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.username ? { username: options.username } : {}),
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(secret ? { clientSecret: secret } : {}),
    ...(password ? { password } : {}),
    ...(options.noBrowser ? { noBrowser: true } : {}),
    timeoutMs: options.timeoutMs,
  };
  return runUi({ services: io.services(), start: 'login', login });
}

interface Resolved {
  profile: string;
  subdomain: string;
  baseUrlOverride?: string;
  baseUrl: string;
  flow: FlowKind;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  redirectUri: string;
  username?: string;
  password?: string;
}

/** Flags first, then the stored profile's settings, then defaults; what is still missing is a usage error. */
async function resolve(options: LoginCliOptions, io: CommandIO, lines: LineReader): Promise<Resolved> {
  const { store } = io.services();
  const baseName = options.profile ?? options.subdomain ?? store.defaultProfile();
  const existing: Profile | undefined = baseName ? store.get(baseName) : undefined;

  const subdomain = options.subdomain ?? existing?.subdomain;
  if (!subdomain) {
    throw usage('The subdomain is missing: pass --subdomain (acme for acme.zendesk.com).');
  }
  const clientId = options.clientId ?? existing?.clientId;
  if (!clientId) {
    throw usage('The client ID is missing: pass --client-id (from Zendesk Chat > Account > API & SDKs).');
  }
  const flow = options.flow ?? existing?.flow ?? 'code';
  const baseUrlOverride = options.baseUrl ?? existing?.baseUrl;
  const resolved: Resolved = {
    profile: options.profile ?? existing?.name ?? subdomain,
    subdomain,
    baseUrl: resolveBaseUrl(subdomain, baseUrlOverride),
    flow,
    clientId,
    scopes: options.scopes ?? existing?.scopes ?? ['read', 'write'],
    redirectUri: options.redirectUri ?? existing?.redirectUri ?? DEFAULT_REDIRECT_URI,
  };
  if (baseUrlOverride) resolved.baseUrlOverride = baseUrlOverride;

  let secret = io.env.ZENDESK_CHAT_CLIENT_SECRET || undefined;
  if (options.clientSecretStdin) {
    const first = await lines.next();
    if (!first?.trim())
      throw usage('--client-secret-stdin was given, but stdin had no client secret on its first line.');
    secret = first.trim();
  }
  // A secret stored with the profile belongs to its client only.
  secret ??= existing?.clientId === clientId ? existing.clientSecret : undefined;
  if (secret) resolved.clientSecret = secret;
  if (!secret && flow !== 'implicit') {
    throw usage(
      `The ${flow} flow needs the client secret: set ZENDESK_CHAT_CLIENT_SECRET or pipe it in with --client-secret-stdin (it is never a flag).`,
    );
  }
  if (flow === 'password') {
    const username = options.username ?? existing?.username;
    if (!username) throw usage('The password flow needs the Chat user: pass --username.');
    const password = io.env.ZENDESK_CHAT_PASSWORD;
    if (!password) {
      throw usage('The password flow needs the password: set ZENDESK_CHAT_PASSWORD (it is never a flag).');
    }
    resolved.username = username;
    resolved.password = password;
  }
  return resolved;
}

/** stdin, one line at a time, opened only when a secret or a paste is read from it. */
interface LineReader {
  next(): Promise<string | undefined>;
  close(): void;
}

function lineReader(io: CommandIO): LineReader {
  let iterator: AsyncIterator<string> | undefined;
  let rl: ReturnType<typeof createInterface> | undefined;
  return {
    async next() {
      if (!iterator) {
        rl = createInterface({ input: io.stdin, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
        iterator = rl[Symbol.asyncIterator]();
      }
      const step = await iterator.next();
      return step.done ? undefined : step.value;
    },
    close() {
      if (!rl) return;
      rl.close();
      // Stop reading, or a still-open pipe would keep the process alive after the login.
      io.stdin.pause();
      (io.stdin as { unref?: () => void }).unref?.();
    },
  };
}

async function runPlain(options: LoginCliOptions, io: CommandIO): Promise<number> {
  const lines = lineReader(io);
  try {
    return await loginPlain(options, io, lines);
  } finally {
    lines.close();
  }
}

async function loginPlain(options: LoginCliOptions, io: CommandIO, lines: LineReader): Promise<number> {
  const services = io.services();
  const r = await resolve(options, io, lines);
  const [{ startLogin }, { isLoopbackRedirect }, { tokenToStored }, { portForwardHint, sshInfo }] =
    await Promise.all([
      import('../core/oauth/login-flow.js'),
      import('../core/oauth/loopback-server.js'),
      import('../core/profile-actions.js'),
      import('../core/platform/ssh.js'),
    ]);
  const browserFlow = r.flow === 'code' || r.flow === 'implicit';
  // A redirect URI that is not on this computer can only come back as a paste.
  const paste = browserFlow && (options.paste || !isLoopbackRedirect(r.redirectUri));
  const secrets = [r.clientSecret, r.password];

  const flow = startLogin(
    {
      flow: r.flow,
      subdomain: r.subdomain,
      baseUrl: r.baseUrl,
      clientId: r.clientId,
      redirectUri: r.redirectUri,
      scopes: r.scopes,
      timeoutMs: options.timeoutMs,
      listen: !paste,
      ...(r.clientSecret ? { clientSecret: r.clientSecret } : {}),
      ...(r.username ? { username: r.username } : {}),
      ...(r.password ? { password: r.password } : {}),
    },
    {
      tokenClient: await services.tokenClient(r.baseUrl),
      ...(options.noBrowser ? {} : { openBrowser: (url: string) => services.openBrowser(url) }),
      persist: async (token) => {
        await services.store.save({
          name: r.profile,
          subdomain: r.subdomain,
          ...(r.baseUrlOverride ? { baseUrl: r.baseUrlOverride } : {}),
          clientId: r.clientId,
          ...(r.clientSecret ? { clientSecret: r.clientSecret } : {}),
          redirectUri: flow.redirectUri,
          scopes: r.scopes,
          flow: r.flow,
          ...(r.username ? { username: r.username } : {}),
          token: tokenToStored(token, services.now()),
        });
        return r.profile;
      },
    },
  );

  const say = (text: string) => line(io.stderr, text);
  const narrate = createNarrator({ paste, env: io.env, portForwardHint, isSsh: sshInfo(io.env).isSsh });
  const unsubscribe = flow.subscribe((event) => {
    for (const text of narrate(event)) say(text);
  });
  const onInterrupt = () => flow.cancel();
  io.signal.addEventListener('abort', onInterrupt, { once: true });

  const stdinEnded = paste ? readPastes(flow, io, lines, secrets) : Promise.resolve(false);

  try {
    const { token, profile } = await flow.done;
    const stored = services.store.get(profile ?? r.profile);
    const summary = {
      profile: profile ?? r.profile,
      subdomain: r.subdomain,
      baseUrl: r.baseUrl,
      clientId: r.clientId,
      flow: r.flow,
      grant: token.grant,
      scope: token.scope,
      tokenType: token.tokenType,
      token: mask(token.accessToken),
      hasRefreshToken: Boolean(token.refreshToken),
      obtainedAt: stored?.token?.obtainedAt ?? services.now().toISOString(),
      expiresAt: stored?.token?.expiresAt ?? null,
    };
    if (options.json) {
      printJson(io.stdout, summary);
    } else {
      const refresh = summary.hasRefreshToken ? ', refresh token stored' : '';
      line(
        io.stdout,
        `Logged in: profile "${summary.profile}", grant ${summary.grant}, scopes ${summary.scope}, token ${summary.token}${refresh}.`,
      );
    }
    return 0;
  } catch (thrown) {
    if (thrown instanceof ZchatError && thrown.code === 'cancelled') {
      if (!io.signal.aborted && (await stdinEnded)) {
        printError(
          io,
          new ZchatError('usage', 'stdin ended before a redirected address was pasted; nothing was stored.'),
        );
        return 1;
      }
      say('Cancelled: the port is closed and nothing was stored.');
      return 130;
    }
    const error = await explain(thrown, r, io);
    return exitCodeFor(printError(io, error, secrets));
  } finally {
    unsubscribe();
    io.signal.removeEventListener('abort', onInterrupt);
  }
}

/**
 * Pasted lines (stdin) until one is taken; a wrong one is reported and the login keeps waiting. Resolves
 * true when stdin ended first (the login is then cancelled: nothing more can come).
 */
async function readPastes(
  flow: { paste(input: string): Promise<void>; cancel(): void; done: Promise<unknown> },
  io: CommandIO,
  lines: LineReader,
  secrets: (string | undefined)[],
): Promise<boolean> {
  let settled = false;
  flow.done.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    const input = await lines.next();
    if (settled) return false;
    if (input === undefined) {
      flow.cancel();
      return true;
    }
    if (!input.trim()) continue;
    try {
      await flow.paste(input.trim());
      return false;
    } catch (error) {
      printError(io, error, [...secrets, input.trim()]);
    }
  }
}

interface NarrateContext {
  paste: boolean;
  env: NodeJS.ProcessEnv;
  isSsh: boolean;
  portForwardHint: (port: number, env: NodeJS.ProcessEnv) => string;
}

/**
 * The plain view of the flow events: lines for stderr. Events carry no secret in their text (the token
 * event is not narrated), so nothing here can leak one.
 */
export function createNarrator(c: NarrateContext): (event: FlowEvent) => string[] {
  let port: number | undefined;
  return (event) => {
    switch (event.type) {
      case 'listening':
        port = event.port;
        return [`Listening for the redirect on ${event.addresses.map((a) => `http://${a}`).join(' and ')}.`];
      case 'authorize-url':
        return [
          c.paste
            ? 'Open this URL in a browser, press Allow, then paste here the full address the browser ends on (it may look like a broken page):'
            : 'Open this URL in a browser to log in:',
          event.url,
        ];
      case 'browser': {
        if (event.opened) return ['Opened it in your browser.'];
        const out = [`Not opening a browser: ${event.reason ?? 'not possible here'}.`];
        if (c.isSsh && port !== undefined) {
          out.push(
            `To use the browser on your own computer, forward the port from there: ${c.portForwardHint(port, c.env)}`,
            'Or run `zchat-auth login --paste` and paste the address the browser ends on.',
          );
        }
        return out;
      }
      case 'request-ignored': {
        const r = event.request;
        return [
          `Ignored a request: ${r.method} ${r.path} (${r.reason ?? `answered ${r.status}`}); still waiting.`,
        ];
      }
      case 'callback':
        return [
          event.result === 'code'
            ? 'Received the authorization code.'
            : event.result === 'token'
              ? 'Received the access token.'
              : 'Received an error from Zendesk.',
        ];
      case 'exchanging':
        return [`Requesting the token (${event.grant} grant)...`];
      case 'stored':
        return [`Stored the token in profile "${event.profile}".`];
      default:
        // request-accepted and token say nothing new; failed, timed-out and cancelled end in the
        // sentence the command prints from the rejected `done`.
        return [];
    }
  };
}

/** Adds what only the CLI knows to a failure: for a public client, the exact command that switches it. */
async function explain(thrown: unknown, r: Resolved, io: CommandIO): Promise<unknown> {
  if (!(thrown instanceof ZchatError)) return thrown;
  if (thrown.code === 'access_denied') {
    return new ZchatError('access_denied', `Access was denied: ${thrown.message.replace(/^You/, 'you')}`, {
      hint: thrown.hint ?? 'Run the login again and press Allow.',
    });
  }
  const needsConfidential = r.flow === 'client-credentials' || r.flow === 'password';
  if (thrown.code === 'invalid_client' && needsConfidential) {
    const client = await lookupClient(io.services(), r.baseUrl, r.clientId);
    const grant = r.flow === 'password' ? 'password' : 'client-credentials';
    if (client?.client_type === 'public') {
      return new ZchatError(
        'invalid_client',
        `The ${grant} flow needs a confidential client, and client ${r.clientId} is public.`,
        { hint: `Switch it with \`zchat-auth clients confidential ${client.id}\`, then log in again.` },
      );
    }
    if (client) {
      return new ZchatError('invalid_client', `Zendesk refused client ${r.clientId} (invalid_client).`, {
        hint: 'The client is confidential, so the client secret is probably wrong: check ZENDESK_CHAT_CLIENT_SECRET.',
      });
    }
    return new ZchatError(
      'invalid_client',
      `Zendesk refused client ${r.clientId} (invalid_client): the ${grant} flow needs a confidential client (and its secret).`,
      {
        hint: 'If the client is public, switch it with `zchat-auth clients confidential ID` (the ID is in `zchat-auth clients`), then log in again.',
      },
    );
  }
  return thrown;
}
