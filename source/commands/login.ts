/**
 * `zchat-auth login`. In a terminal (without --no-tui) it hands over to the Ink waiting panel; otherwise it
 * is the plain view of the same flow events: progress on stderr, the authorize URL on a line of its own, a
 * one-line summary (or JSON) on stdout. It never prompts without a terminal: a missing value is exit 2 naming
 * the flag or variable that supplies it.
 */

import { exitCodeFor, ZchatError } from '../core/errors.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../core/login/defaults.js';
import { fallbackNoteAfterLogin, profilesOnFallback } from '../core/login/fallback-note.js';
import type { LoginPlan, LoginRequest, PlanInput } from '../core/login/plan.js';
import type { FlowKind } from '../core/oauth/types.js';
import { mask } from '../core/redact.js';
import { checkProfileName } from '../core/store/store.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import { normalizeSubdomain } from '../core/zendesk/subdomain.js';
import { flag, secondsValue, stringValue, usage } from './args.js';
import { type Command, type CommandIO, line, printError, printJson } from './command.js';
import { loadUi } from './load-ui.js';
import { checkRedirectUri, missingSentence, parseFlow, parseScopes } from './login-args.js';
import { help } from './login-help.js';
import { type LineReader, lineReader, readPastes } from './login-stdin.js';
import { profileOption } from './shared.js';
import { checkStoreWritable } from './store-check.js';

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
  /** --insecure-storage: the secrets go to the config file even where an OS keyring is usable. */
  insecureStorage?: boolean;
  /** --pkce / --no-pkce; absent: the stored profile decides (on by default). */
  usePkce?: boolean;
  /** --paste-code: --paste, and a bare code (no address, so no state) is accepted. */
  pasteCode: boolean;
  acceptMissingState: boolean;
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
    'paste-code': { type: 'boolean' },
    'accept-missing-state': { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    'no-tui': { type: 'boolean' },
    'client-secret-stdin': { type: 'boolean' },
    'insecure-storage': { type: 'boolean' },
    pkce: { type: 'boolean' },
    'no-pkce': { type: 'boolean' },
  },
  maxPositionals: 0,
  handlesInterrupt: true,
  build({ values }, io) {
    const options: LoginCliOptions = {
      noBrowser: flag(values, 'no-browser'),
      paste: flag(values, 'paste') || flag(values, 'paste-code'),
      pasteCode: flag(values, 'paste-code'),
      acceptMissingState: flag(values, 'accept-missing-state'),
      timeoutMs: secondsValue(values, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
      json: flag(values, 'json'),
      noTui: flag(values, 'no-tui'),
      clientSecretStdin: flag(values, 'client-secret-stdin'),
      ...(flag(values, 'insecure-storage') && { insecureStorage: true }),
    };
    if (flag(values, 'pkce') && flag(values, 'no-pkce')) throw usage('Give --pkce or --no-pkce, not both.');
    if (flag(values, 'no-pkce')) options.usePkce = false;
    else if (flag(values, 'pkce')) options.usePkce = true;
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

/** The one mapping from the command line to the login use case's request. */
export function requestOf(options: LoginCliOptions): LoginRequest {
  const {
    noBrowser,
    paste,
    timeoutMs,
    json: _json,
    noTui: _noTui,
    clientSecretStdin: _stdin,
    pasteCode: _pasteCode,
    acceptMissingState,
    ...given
  } = options;
  return {
    ...given,
    timeoutMs,
    ...(acceptMissingState ? { missingState: 'accept' as const } : {}),
    ...(noBrowser ? { noBrowser: true } : {}),
    ...(paste ? { listen: false } : {}),
  };
}

/** The interactive path: the waiting panel (and the wizard for whatever is missing). */
async function runPanel(options: LoginCliOptions, io: CommandIO): Promise<number> {
  const { runUi } = await loadUi(io.env);
  return runUi({ services: io.services(), start: 'login', login: requestOf(options) });
}

/** The plan, with the secret read from stdin when asked to; what is still missing is a usage error. */
async function planPlain(options: LoginCliOptions, io: CommandIO, lines: LineReader): Promise<LoginPlan> {
  const { planLogin, secretElsewhereError } = await import('../core/login/plan.js');
  const input: PlanInput = { request: requestOf(options), env: io.env, store: io.services().store };
  let planned = planLogin(input);
  const first = planned.draft.missing[0];
  if (first === 'subdomain' || first === 'clientId')
    throw usage(missingSentence(first, planned.draft.values.flow));
  if (options.clientSecretStdin) {
    const secret = (await lines.next())?.trim();
    if (!secret)
      throw usage('--client-secret-stdin was given, but stdin had no client secret on its first line.');
    planned = planLogin({ ...input, request: { ...input.request, clientSecret: secret } });
  }
  if (!planned.ready) {
    const { draft } = planned;
    if (draft.missing[0] === 'clientSecret' && draft.secretElsewhere)
      throw secretElsewhereError(draft.secretElsewhere);
    throw usage(missingSentence(draft.missing[0]!, draft.values.flow));
  }
  return planned.plan;
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
  const plan = await planPlain(options, io, lines);
  const o = plan.options;
  const [{ runLogin }, { clientLookup }, { portForwardHint, sshInfo }, { createNarrator }] =
    await Promise.all([
      import('../core/login/run.js'),
      import('../core/login/lookup-client.js'),
      import('../core/platform/ssh.js'),
      import('./login-narrator.js'),
    ]);
  const secrets = [o.clientSecret, o.password];
  const onFallback = profilesOnFallback(services.store);
  const flow = runLogin(plan, {
    store: services.store,
    tokenClient: await services.tokenClient(o.baseUrl),
    openBrowser: (url) => services.openBrowser(url),
    now: () => services.now(),
    lookupClient: clientLookup(services.store, (baseUrl, token) => services.chatApi(baseUrl, token)),
    env: io.env,
  });

  const say = (text: string) => line(io.stderr, text);
  const narrate = createNarrator({
    paste: plan.pasteOnly,
    implicit: o.flow === 'implicit',
    env: io.env,
    portForwardHint,
    isSsh: sshInfo(io.env).isSsh,
  });
  const unsubscribe = flow.subscribe((event) => {
    for (const text of narrate(event)) say(text);
  });
  const onInterrupt = () => flow.cancel();
  io.signal.addEventListener('abort', onInterrupt, { once: true });

  const stdinEnded = plan.pasteOnly
    ? readPastes(flow, io, lines, secrets, { bareCode: options.pasteCode })
    : Promise.resolve(false);

  try {
    const { token, profile = plan.profile } = await flow.done;
    const stored = services.store.get(profile);
    const summary = {
      profile,
      subdomain: o.subdomain,
      baseUrl: o.baseUrl,
      clientId: o.clientId,
      flow: o.flow,
      grant: token.grant,
      scope: token.scope,
      tokenType: token.tokenType,
      token: mask(token.accessToken),
      hasRefreshToken: Boolean(token.refreshToken),
      obtainedAt: stored?.token?.obtainedAt ?? services.now().toISOString(),
      expiresAt: stored?.token?.expiresAt ?? null,
      secretsIn: stored?.secretsIn ?? 'file',
    };
    // No keyring was usable: say so, once, where the secrets went instead (as gh does).
    const note = fallbackNoteAfterLogin(services.store, profile, onFallback);
    if (note) say(note);
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
    // The flow has already explained the failure (core/login explainFailure), as the panel shows it.
    return exitCodeFor(printError(io, thrown, secrets));
  } finally {
    unsubscribe();
    io.signal.removeEventListener('abort', onInterrupt);
  }
}
