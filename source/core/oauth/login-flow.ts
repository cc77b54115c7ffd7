import { isZchatError, toZchatError, ZchatError } from '../errors.js';
import type { TokenClient } from '../zendesk/token-client.js';
import { buildAuthorizeUrl } from './authorize-url.js';
import {
  isLoopbackRedirect,
  type LoopbackOptions,
  type LoopbackServer,
  startLoopbackServer,
} from './loopback-server.js';
import { pkceRefusal } from './pkce-refusal.js';
import { parseRedirect, pastedAddress } from './redirect-parse.js';
import { newPkce, newState, sameSecret } from './state.js';
import type {
  FlowEvent,
  FlowKind,
  GrantType,
  MissingState,
  PreflightCheck,
  RedirectResult,
  TokenResponse,
} from './types.js';

export interface LoginOptions {
  flow: FlowKind;
  subdomain: string;
  baseUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  redirectUri: string;
  scopes: string[];
  username?: string;
  password?: string;
  /** How long to wait for the browser (or a paste) before giving up. */
  timeoutMs: number;
  /** PKCE (S256) on the code flow; default true. False only for a server that rejects it (--no-pkce). */
  usePkce?: boolean;
  /** A redirect without `state`: see MissingState. Default 'refuse'. */
  missingState?: MissingState;
  /** Default true; false = paste only, no loopback server. A redirect URI not on this computer is paste only too. */
  listen?: boolean;
  /**
   * The redirect URI's port is taken: 'fail' (default) ends the login with the error naming the holder;
   * 'paste' says so (a 'port-busy' event) and waits for a pasted address instead (the panel's `p`).
   */
  portBusy?: 'fail' | 'paste';
}

export interface LoginServices {
  tokenClient: TokenClient;
  openBrowser?: (url: string) => Promise<{ opened: boolean; reason?: string }>;
  /** Stores the token; returns the profile name. */
  persist?: (token: TokenResponse) => Promise<string>;
  /** Turns a failure into the sentence every view shows (e.g. why a client was refused). */
  explain?: (error: ZchatError) => Promise<ZchatError>;
  /** Checks to make once the authorize URL is out (browser flows); each says its result, or nothing when unknown. */
  preflight?: (redirectUri: string) => Promise<PreflightCheck | undefined>[];
}

export interface LoginFlow {
  /** Replays past events first, then live ones. Returns the unsubscribe function. */
  subscribe(listener: (e: FlowEvent) => void): () => void;
  readonly events: readonly FlowEvent[];
  readonly authorizeUrl: string | undefined;
  /** The redirect URI as sent (with the real port when the loopback server picked one). */
  readonly redirectUri: string;
  /**
   * Resolves once the pasted answer is taken (or, without a state, asked about); rejects with ZchatError
   * (state_mismatch, state_missing, usage...) and keeps waiting. A bare code (no address, so no state) is
   * taken only with `bareCode`: the person chose to paste one.
   */
  paste(input: string, how?: { bareCode?: boolean }): Promise<void>;
  /** The answer to a 'state-missing' event: take that redirect (true) or drop it and keep waiting. */
  confirmMissingState(accept: boolean): void;
  /** Opens the browser again (the `o` key). */
  openBrowser(): Promise<void>;
  /** Closes the server, frees the port, emits 'cancelled'. */
  cancel(): void;
  readonly done: Promise<{ token: TokenResponse; profile?: string }>;
}

type Answer = { result: RedirectResult; source: 'loopback' | 'paste' };
type Outcome =
  | { kind: 'ok'; token: TokenResponse; profile?: string }
  | { kind: 'failed'; error: ZchatError }
  | { kind: 'timed-out' }
  | { kind: 'cancelled' };

/** How long the browser's page waits for the exchange and the store before saying the terminal is at it. */
export const PAGE_HOLD_MS = 30_000;

/** A redirect without the state, refused (plain view without --accept-missing-state). */
export function missingStateError(kind: RedirectResult['kind']): ZchatError {
  const what = kind === 'code' ? 'the code' : kind === 'token' ? 'the token' : 'its answer';
  return new ZchatError(
    'state_missing',
    `Zendesk returned ${what} without the state it was sent, so it was not used: if you just pressed Allow for this login, run it again with --accept-missing-state (it accepts one such redirect).`,
  );
}

/** The OAuth error a redirect carried, as a sentence for the user. */
export function redirectError(r: { error: string; description?: string }): ZchatError {
  const pkce = pkceRefusal(r.error, r.description);
  if (pkce) return pkce;
  if (r.error === 'access_denied') {
    return new ZchatError(
      'access_denied',
      'Access was denied: you pressed Deny on the Zendesk page, so no token was issued.',
      {
        hint: 'Run the login again and press Allow.',
        serverError: r.error,
      },
    );
  }
  const detail = r.description ? ` (${r.description})` : '';
  if (r.error === 'invalid_scope') {
    return new ZchatError('invalid_scope', `Zendesk refused the requested scopes${detail}.`, {
      hint: 'Ask only for scopes the OAuth client allows (read, write, chat).',
      serverError: r.error,
    });
  }
  return new ZchatError('oauth_error', `Zendesk refused the authorization: ${r.error}${detail}.`, {
    hint: 'Check the client ID, the redirect URI registered on the client, and the scopes.',
    serverError: r.error,
  });
}

/**
 * One login, as an async state machine that emits typed events. The loopback server (browser flows) is
 * listening before the authorize URL is shown, and is closed whatever way the flow ends.
 */
export function startLogin(options: LoginOptions, services: LoginServices): LoginFlow {
  const events: FlowEvent[] = [];
  const listeners = new Set<(e: FlowEvent) => void>();
  const state = newState();
  const browserFlow = options.flow === 'code' || options.flow === 'implicit';
  const pkce = options.usePkce !== false && options.flow === 'code' ? newPkce() : undefined;
  const scope = options.scopes.join(' ');
  let redirectUri = options.redirectUri;
  let authorizeUrl: string | undefined;
  let server: LoopbackServer | undefined;
  let finished = false;
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  const missingState: MissingState = options.missingState ?? 'refuse';
  // The state-less answer waiting for the person's y/n ('ask').
  let pending: Answer | undefined;

  const emit = (e: FlowEvent): void => {
    events.push(e);
    for (const listener of [...listeners]) {
      try {
        listener(e);
      } catch {
        // A broken view must not break the login.
      }
    }
  };

  let resolveDone!: (v: { token: TokenResponse; profile?: string }) => void;
  let rejectDone!: (e: ZchatError) => void;
  const done = new Promise<{ token: TokenResponse; profile?: string }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {});

  let resolveAnswer!: (a: Answer) => void;
  const answer = new Promise<Answer>((resolve) => {
    resolveAnswer = resolve;
  });
  const take = (a: Answer): void => {
    if (finished || answered) return;
    pending = undefined;
    answered = true;
    clearTimeout(timer);
    server?.markDone();
    resolveAnswer(a);
  };

  /** A redirect that came without the state: asked about, refused with the way out, or (accept) taken. */
  const stateless = (a: Answer): void => {
    if (finished || answered) return;
    if (missingState === 'accept') {
      take(a);
    } else if (missingState === 'refuse') {
      answered = true;
      void end({ kind: 'failed', error: missingStateError(a.result.kind) });
    } else {
      pending = a;
      emit({ type: 'state-missing', source: a.source, result: a.result.kind });
    }
  };

  const end = async (outcome: Outcome): Promise<void> => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    const closing = server;
    server = undefined;
    const explained =
      outcome.kind === 'failed' && services.explain
        ? await services.explain(outcome.error).catch(() => outcome.error)
        : outcome.kind === 'failed'
          ? outcome.error
          : undefined;
    // The browser's page was held for this: "Signed in" only now, or why not.
    await closing?.finish(
      outcome.kind === 'ok'
        ? { ok: true }
        : {
            ok: false,
            reason: explained?.sentence ?? 'The login was cancelled in the terminal before it finished.',
          },
    );
    await closing?.close();
    switch (outcome.kind) {
      case 'ok':
        resolveDone({ token: outcome.token, ...(outcome.profile ? { profile: outcome.profile } : {}) });
        return;
      case 'failed': {
        const error = explained ?? outcome.error;
        emit({ type: 'failed', error });
        rejectDone(error);
        return;
      }
      case 'timed-out':
        emit({ type: 'timed-out', afterMs: options.timeoutMs });
        rejectDone(
          new ZchatError(
            'timed_out',
            `No answer came from the browser within ${Math.round(options.timeoutMs / 1000)} seconds.`,
            {
              hint: 'Run the login again; over SSH, forward the port or paste the redirected address instead.',
            },
          ),
        );
        return;
      case 'cancelled':
        emit({ type: 'cancelled' });
        rejectDone(new ZchatError('cancelled', 'The login was cancelled.'));
        return;
    }
  };

  const openBrowserNow = async (): Promise<void> => {
    if (!authorizeUrl || finished) return;
    if (!services.openBrowser) {
      emit({ type: 'browser', opened: false, reason: '--no-browser' });
      return;
    }
    let opened: { opened: boolean; reason?: string };
    try {
      opened = await services.openBrowser(authorizeUrl);
    } catch {
      opened = { opened: false, reason: 'the browser could not be started' };
    }
    if (finished) return;
    emit({ type: 'browser', opened: opened.opened, ...(opened.reason ? { reason: opened.reason } : {}) });
  };

  const complete = async (token: TokenResponse): Promise<void> => {
    if (finished) return;
    emit({ type: 'token', token });
    let profile: string | undefined;
    if (services.persist) {
      profile = await services.persist(token);
      if (finished) return;
      emit({ type: 'stored', profile });
    }
    await end({ kind: 'ok', token, ...(profile ? { profile } : {}) });
  };

  const directGrant = async (): Promise<TokenResponse> => {
    const { clientId, clientSecret } = options;
    if (options.flow === 'client-credentials') {
      if (!clientSecret) {
        throw new ZchatError('usage', 'The client-credentials flow needs the client secret.', {
          hint: 'Set ZENDESK_CHAT_CLIENT_SECRET or use --client-secret-stdin.',
        });
      }
      emit({ type: 'exchanging', grant: 'client_credentials' });
      return services.tokenClient.clientCredentials({ clientId, clientSecret, scope });
    }
    if (!options.username || !options.password) {
      throw new ZchatError('usage', 'The password flow needs a username and a password.', {
        hint: 'Use --username and set ZENDESK_CHAT_PASSWORD (or answer the prompt).',
      });
    }
    emit({ type: 'exchanging', grant: 'password' });
    return services.tokenClient.password({
      username: options.username,
      password: options.password,
      clientId,
      scope,
      ...(clientSecret ? { clientSecret } : {}),
    });
  };

  /** The loopback server; with portBusy 'paste', a taken port is said and the login waits for a paste. */
  const listenOrPaste = async (o: LoopbackOptions): Promise<LoopbackServer | undefined> => {
    try {
      return await startLoopbackServer(o);
    } catch (error) {
      if (options.portBusy !== 'paste' || !isZchatError(error) || error.code !== 'port_busy') throw error;
      emit({ type: 'port-busy', error });
      return undefined;
    }
  };

  const browserLogin = async (): Promise<TokenResponse | undefined> => {
    try {
      new URL(options.redirectUri);
    } catch {
      throw new ZchatError(
        'invalid_redirect_uri',
        `The redirect URI "${options.redirectUri}" is not a valid URL.`,
        {
          hint: 'Use the one registered on the OAuth client, e.g. http://localhost:8080.',
        },
      );
    }
    // setTimeout fires at once past 2^31-1 ms: clamp, so "a very long time" stays that.
    timer = setTimeout(() => void end({ kind: 'timed-out' }), Math.min(options.timeoutMs, 2 ** 31 - 1));
    if (options.listen !== false && isLoopbackRedirect(options.redirectUri)) {
      const started = await listenOrPaste({
        redirectUri: options.redirectUri,
        state,
        mode: options.flow === 'code' ? 'code' : 'implicit',
        missingState,
        // The browser's page says "Signed in" only once the token is stored (or why not).
        holdMs: PAGE_HOLD_MS,
        onStateless: (result) => stateless({ result, source: 'loopback' }),
        onRequest: (request) => {
          if (!finished) {
            emit({ type: request.verdict === 'accepted' ? 'request-accepted' : 'request-ignored', request });
          }
        },
      });
      if (finished) {
        await started?.close();
        return undefined;
      }
      if (started) {
        server = started;
        redirectUri = started.redirectUri;
        emit({ type: 'listening', addresses: started.addresses, port: started.port, redirectUri });
        started.result.then(
          (result) => take({ result, source: 'loopback' }),
          () => {},
        );
      }
    }
    authorizeUrl = buildAuthorizeUrl({
      baseUrl: options.baseUrl,
      responseType: options.flow === 'code' ? 'code' : 'token',
      clientId: options.clientId,
      scopes: options.scopes,
      subdomain: options.subdomain,
      redirectUri,
      state,
      ...(pkce ? { codeChallenge: pkce.challenge } : {}),
    });
    emit({ type: 'authorize-url', url: authorizeUrl });
    for (const check of services.preflight?.(redirectUri) ?? []) {
      check.then(
        (found) => {
          if (found && !finished) emit({ type: 'check', check: found });
        },
        () => {}, // a check that cannot be made says nothing
      );
    }
    await openBrowserNow();

    const { result, source } = await answer;
    if (finished) return undefined;
    if (result.kind === 'code') {
      // The code leaves for the token endpoint first, and the events' listeners (a terminal's lines, 0.2-0.5
      // ms in a fresh process) run while it is on the wire: they see the same events in the same order.
      const exchange = services.tokenClient.exchangeCode({
        code: result.code,
        clientId: options.clientId,
        // The very string sent in the authorize URL: Zendesk compares them exactly.
        redirectUri,
        scope,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        ...(pkce ? { codeVerifier: pkce.verifier } : {}),
      });
      emit({ type: 'callback', source, result: result.kind });
      emit({ type: 'exchanging', grant: 'authorization_code' satisfies GrantType });
      return exchange;
    }
    emit({ type: 'callback', source, result: result.kind });
    if (result.kind === 'error') throw redirectError(result);
    return {
      accessToken: result.accessToken,
      tokenType: result.tokenType,
      scope: result.scope ?? scope,
      ...(result.expiresIn ? { expiresIn: result.expiresIn } : {}),
      grant: 'implicit',
    };
  };

  void (async () => {
    try {
      const token = browserFlow ? await browserLogin() : await directGrant();
      if (token && !finished) await complete(token);
    } catch (error) {
      await end({ kind: 'failed', error: toZchatError(error) });
    }
  })();

  return {
    subscribe(listener) {
      for (const e of [...events]) {
        try {
          listener(e);
        } catch {
          // ignored, as in emit
        }
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get events() {
      return events;
    },
    get authorizeUrl() {
      return authorizeUrl;
    },
    get redirectUri() {
      return redirectUri;
    },
    async paste(input: string, how?: { bareCode?: boolean }): Promise<void> {
      if (!browserFlow) {
        throw new ZchatError('usage', 'This flow does not use the browser, so there is nothing to paste.');
      }
      if (finished || answered) throw new ZchatError('usage', 'This login already has its answer.');
      if (pending)
        throw new ZchatError(
          'usage',
          'Answer the question about the redirect without a state first (y or n).',
        );
      const result = parseRedirect(input);
      if (result.kind === 'code' && result.bare && !how?.bareCode) {
        throw new ZchatError(
          'usage',
          'That is a bare code, which carries no state to check: paste the whole address the browser ended on, or choose to paste a bare code (--paste-code, or c in the panel).',
        );
      }
      // An address for another redirect URI is another login's (or another app's): its code would be
      // refused by Zendesk at best, and spent for nothing.
      const address = pastedAddress(input);
      if (address !== undefined && address !== pastedAddress(redirectUri)) {
        throw new ZchatError(
          'usage',
          `That address is not the redirect URI of this login (${redirectUri}).`,
          {
            hint: 'Paste the address the browser ended on after you pressed Allow for this login.',
          },
        );
      }
      if (result.state !== undefined && !sameSecret(result.state, state)) {
        throw new ZchatError(
          'state_mismatch',
          'That address belongs to another login (its state does not match).',
          {
            hint: 'Paste the address from the tab this login opened, or press o to open it again.',
          },
        );
      }
      if (options.flow === 'code' && result.kind === 'token') {
        throw new ZchatError(
          'usage',
          'That address carries an access token, but this login uses the authorization code flow.',
        );
      }
      if (options.flow === 'implicit' && result.kind === 'code') {
        throw new ZchatError(
          'usage',
          'That is an authorization code, but this login uses the implicit flow: paste the whole address with #access_token=.',
        );
      }
      // A chosen bare code has no state by nature; an address or fragment without one is the missing-state case.
      if (result.state === undefined && !(result.kind === 'code' && result.bare)) {
        if (missingState === 'refuse') throw missingStateError(result.kind);
        stateless({ result, source: 'paste' });
        return;
      }
      take({ result, source: 'paste' });
    },
    confirmMissingState(accept: boolean): void {
      const asked = pending;
      if (!asked || finished || answered) return;
      pending = undefined;
      emit({ type: 'state-missing-answered', accepted: accept });
      if (accept) take(asked);
      else server?.declinedStateless();
    },
    openBrowser: openBrowserNow,
    cancel() {
      void end({ kind: 'cancelled' });
    },
    done,
  };
}
