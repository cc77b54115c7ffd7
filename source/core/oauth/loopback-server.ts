import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { debugLog } from '../debug.js';
import { ZchatError } from '../errors.js';
import { holderPhrase, type PortHolder, portHolder } from '../platform/port-holder.js';
import { redactParams } from '../redact.js';
import { loopbackHosts, loopbackTarget } from './loopback-target.js';
import { captureScript, pageCsp, renderPage } from './pages.js';
import { fromParams } from './redirect-parse.js';
import { sameSecret } from './state.js';
import type { MissingState, RedirectResult, RequestVerdict, SeenRequest } from './types.js';

export { isLoopbackRedirect, type LoopbackTarget, loopbackTarget } from './loopback-target.js';

/** Where the implicit-flow capture page posts the fragment (same origin as the redirect URI). */
export const capturePath = '/__zchat_auth/capture';
/** Largest capture body accepted; a fragment with a token and state is well under 1 KiB. */
export const maxCaptureBytes = 16 * 1024;
// Past this we stop draining and drop the connection.
const hardBodyLimit = 1024 * 1024;

export interface LoopbackOptions {
  redirectUri: string;
  state: string;
  mode: 'code' | 'implicit';
  onRequest?: (r: SeenRequest) => void;
  /**
   * A redirect without `state` (some servers may not echo it): 'refuse' (default) refuses it; 'ask' hands it
   * to onStateless without settling, for the terminal to confirm; 'accept' takes the first one.
   */
  missingState?: MissingState;
  /** Called with a state-less answer in 'ask' and 'refuse' modes (the flow confirms or explains it). */
  onStateless?: (r: RedirectResult) => void;
  /** A request (headers and body) slower than this is cut off. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * The answer to the accepted redirect waits up to this long for the login's end (finish()), so the page
   * says how it ended; past it, the page says the terminal is still at it. Absent: answered at once.
   */
  holdMs?: number;
}

/** How the login ended, for the page the browser is still waiting on. */
export type LoginEnd = { ok: true } | { ok: false; reason: string };

export interface LoopbackServer {
  /** `host:port` of each listening socket: `127.0.0.1:8080`, and `[::1]:8080` when IPv6 loopback exists. */
  addresses: string[];
  port: number;
  /** The redirect URI with the real port (differs from the input only when it asked for port 0). */
  redirectUri: string;
  /** The first valid answer (code, token or OAuth error). Rejects with ZchatError('cancelled') on close(). */
  result: Promise<RedirectResult>;
  /** The answer came another way (a paste): from now on a valid hit gets the "already done" page. */
  markDone(): void;
  /** The terminal said no to the state-less answer it was asked about: another may be asked about. */
  declinedStateless(): void;
  /**
   * The login ended: the browser's held answer (the accepted redirect or capture) now says how, and this
   * resolves once it is written (or after a short bound). Call before close().
   */
  finish(end: LoginEnd): Promise<void>;
  close(): Promise<void>;
}

/** Put the real port into a redirect URI that asked for port 0, leaving every other character alone. */
function withPort(redirectUri: string, port: number): string {
  return redirectUri.replace(/^(http:\/\/[^/?#]*):0(?=[/?#]|$)/i, `$1:${port}`);
}

interface Reply {
  status: number;
  verdict: RequestVerdict;
  reason?: string;
  /** The login had already taken its answer (a second redirect or capture): a code, not the reason text. */
  late?: true | undefined;
  /** The accepted answer: written once the login ends (finish), so the page tells how it ended. */
  hold?: true | undefined;
  json?: { ok: boolean; title: string; message: string; clear: boolean; tone?: 'ok' | 'error' | 'info' };
  page?: { title: string; message: string; tone: 'ok' | 'error' | 'info'; capture?: boolean } | undefined;
}

const messages = {
  done: 'You can close this tab and return to the terminal.',
  wrongState:
    'This answer does not belong to the login waiting in the terminal, so it was ignored. If you started this login, copy this address and paste it in the terminal (press p).',
  denied:
    'You pressed Deny, so no token was issued. You can close this tab and start again from the terminal.',
  already: 'This login already received its answer. You can close this tab and return to the terminal.',
  stillWorking:
    'The terminal is still finishing the login; it says there how it ends. You can close this tab.',
  stateless:
    'Zendesk sent this answer without the state the terminal’s login sent with it, so it was not used. The terminal says how to go on.',
  asking:
    'Zendesk sent this answer without the state the terminal’s login sent with it. The terminal is asking whether you just pressed Allow: answer y or n there.',
  askingAlready:
    'The terminal is already asking about another answer without a state; answer it there first.',
};

/**
 * The one-shot HTTP server on the redirect URI's port that receives the browser's redirect. Listens on
 * 127.0.0.1 and ::1 (when IPv6 loopback exists), answers only its own path, only to a loopback Host
 * header on its port, and only with the right state; the first valid answer wins.
 */
export async function startLoopbackServer(o: LoopbackOptions): Promise<LoopbackServer> {
  const target = loopbackTarget(o.redirectUri);
  const requestTimeoutMs = o.requestTimeoutMs ?? 10_000;
  let port = target.port;
  let settled = false;
  let resolveResult!: (r: RedirectResult) => void;
  let rejectResult!: (e: ZchatError) => void;
  const result = new Promise<RedirectResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  // close() rejects it; a caller that never awaited it must not see an unhandled rejection.
  result.catch(() => {});

  const holdMs = o.holdMs;
  let resolveEnded!: (end: LoginEnd) => void;
  const ended = new Promise<LoginEnd>((resolve) => {
    resolveEnded = resolve;
  });
  const heldWrites = new Set<Promise<void>>();

  // 'ask': one state-less answer at a time waits for the terminal; declined, the next may come.
  let askedStateless = false;
  const settle = (r: RedirectResult): void => {
    settled = true;
    resolveResult(r);
  };

  const debug = debugLog();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const at = Date.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://loopback.invalid');
    } catch {
      url = new URL('http://loopback.invalid/');
    }
    const shownPath = shorten(redactParams(`${url.pathname}${url.search}`));
    const respond = (reply: Reply): void => {
      report(reply);
      if (!reply.hold || holdMs === undefined) {
        write(reply);
        return;
      }
      // Held until the login ends (bounded): "Signed in" only once the token is stored.
      const written = new Promise<void>((resolve) => {
        res.once('close', resolve);
        res.once('finish', resolve);
      });
      heldWrites.add(written);
      void Promise.race([ended, delay(holdMs)]).then((end) => {
        if (!res.writableEnded && !res.destroyed) write(finalReply(reply, end));
      });
    };
    const write = (reply: Reply): void => {
      const nonce = randomBytes(16).toString('base64');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      let body: string;
      if (reply.page) {
        res.setHeader('Content-Security-Policy', pageCsp(nonce, Boolean(reply.page.capture)));
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        body = renderPage({
          ...reply.page,
          nonce,
          ...(reply.page.capture
            ? {
                script: captureScript(capturePath),
                noscript:
                  'JavaScript is off: copy this page’s address from the address bar and paste it in the terminal (press p).',
              }
            : {}),
        });
      } else if (reply.json) {
        res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        body = JSON.stringify(reply.json);
      } else {
        res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        body = `${http.STATUS_CODES[reply.status] ?? 'Error'}\n`;
      }
      res.statusCode = reply.status;
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(method === 'HEAD' ? undefined : body);
    };
    const report = (reply: Reply): void => {
      debug?.(
        `* loopback ${method} ${redactParams(`${url.pathname}${url.search}`)} → ${reply.status} ${reply.verdict}${reply.reason ? ` (${reply.reason})` : ''}`,
      );
      o.onRequest?.({
        method,
        path: shownPath,
        status: reply.status,
        verdict: reply.verdict,
        ...(reply.reason ? { reason: reply.reason } : {}),
        at,
      });
    };

    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHost(host, port)) {
      respond({ status: 400, verdict: 'rejected', reason: host ? 'foreign Host header' : 'no Host header' });
      req.resume();
      return;
    }
    if (url.pathname === capturePath && o.mode === 'implicit') {
      handleCapture(req, res, host, respond);
      return;
    }
    req.resume();
    if (url.pathname !== target.path) {
      const favicon = url.pathname === '/favicon.ico';
      respond({ status: 404, verdict: 'ignored', reason: favicon ? 'favicon' : 'not the redirect path' });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET');
      respond({ status: 405, verdict: 'rejected', reason: 'method not allowed' });
      return;
    }
    const query = url.searchParams;
    if (o.mode === 'implicit' && !query.has('error')) {
      // The token is in the fragment, which only the browser sees: send the page that posts it back.
      respond({
        status: 200,
        verdict: 'accepted',
        reason: 'capture page',
        page: {
          title: 'Finishing the login…',
          message: 'Handing the token to the terminal…',
          tone: 'info',
          capture: true,
        },
      });
      return;
    }
    respond(answerRedirect(query));
  };

  /** Checks shared by the redirect query and the posted fragment. */
  const answerRedirect = (params: URLSearchParams): Reply => {
    const got = params.get('state');
    if (got && !sameSecret(got, o.state)) {
      return {
        status: 400,
        verdict: 'rejected',
        reason: 'wrong state',
        page: { title: 'Not for this login', message: messages.wrongState, tone: 'error' },
      };
    }
    const mode = o.missingState ?? 'refuse';
    const expected = o.mode === 'code' ? 'code' : 'token';
    const parse = (): RedirectResult | undefined => {
      try {
        const found = fromParams(params);
        return found && (found.kind === expected || found.kind === 'error') ? found : undefined;
      } catch {
        return undefined;
      }
    };
    if (!got && mode === 'refuse') {
      // Never taken; a real answer (not junk) ends the waiting login with the sentence naming the way out.
      const found = settled ? undefined : parse();
      // After this reply is written: the refusal ends the flow, which closes the server and its sockets.
      if (found) queueMicrotask(() => o.onStateless?.(found));
      return {
        status: 400,
        verdict: 'rejected',
        reason: 'missing state',
        page: { title: 'No state came back', message: messages.stateless, tone: 'error' },
      };
    }
    if (settled) {
      return {
        status: 200,
        verdict: 'ignored',
        reason: 'already done',
        late: true,
        page: { title: 'Already done', message: messages.already, tone: 'info' },
      };
    }
    const found = parse();
    if (!found) {
      return {
        status: 400,
        verdict: 'rejected',
        reason: `no ${expected === 'code' ? 'code' : 'token'} in the redirect`,
        page: {
          title: 'Nothing to take',
          message: `This address carries no ${expected === 'code' ? 'authorization code' : 'access token'}. Start the login again from the terminal.`,
          tone: 'error',
        },
      };
    }
    if (!got && mode === 'ask') {
      if (askedStateless) {
        return {
          status: 409,
          verdict: 'ignored',
          reason: 'missing state: already asking',
          page: { title: 'Answer in the terminal', message: messages.askingAlready, tone: 'info' },
        };
      }
      askedStateless = true;
      queueMicrotask(() => o.onStateless?.(found));
      return {
        status: 202,
        verdict: 'accepted',
        reason: 'missing state: asking',
        page: { title: 'Confirm in the terminal', message: messages.asking, tone: 'info' },
      };
    }
    settle(found);
    if (found.kind === 'error') {
      const denied = found.error === 'access_denied';
      return {
        status: 200,
        verdict: 'accepted',
        reason: `error: ${found.error}`,
        page: {
          title: denied ? 'Login denied' : 'Zendesk refused the login',
          message: denied
            ? messages.denied
            : `Zendesk answered "${found.error}"${found.description ? `: ${found.description}` : ''}. Return to the terminal for details.`,
          tone: 'error',
        },
      };
    }
    return {
      status: 200,
      verdict: 'accepted',
      reason: found.kind === 'code' ? 'code received' : 'token received',
      hold: true,
      page: {
        title: 'Signed in',
        message: `The terminal is finishing the login. ${messages.done}`,
        tone: 'ok',
      },
    };
  };

  const handleCapture = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    host: string,
    respond: (r: Reply) => void,
  ): void => {
    const refuse = (status: number, reason: string, message: string): void => {
      req.resume();
      respond({
        status,
        verdict: 'rejected',
        reason,
        json: { ok: false, title: 'Not accepted', message, clear: false },
      });
    };
    const refusal = captureRefusal(req, host);
    if (refusal) {
      if (refusal[0] === 413) res.setHeader('Connection', 'close');
      refuse(...refusal);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > hardBodyLimit) {
        req.socket.destroy();
      } else if (size <= maxCaptureBytes) {
        chunks.push(chunk);
      }
    });
    req.on('error', () => {});
    req.on('end', () => {
      if (size > maxCaptureBytes) {
        refuse(413, 'body too large', `The capture body is limited to ${maxCaptureBytes} bytes.`);
        return;
      }
      let posted: unknown;
      try {
        posted = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        posted = undefined;
      }
      const fragment = (posted as { fragment?: unknown } | undefined)?.fragment;
      const state = (posted as { state?: unknown } | undefined)?.state;
      if (typeof fragment === 'string')
        debug?.(`* loopback capture: the page posted #${redactParams(fragment)}`);
      if (typeof fragment !== 'string' || typeof state !== 'string') {
        refuse(400, 'bad capture body', 'Expected {"fragment": "...", "state": "..."}.');
      } else if (state !== '' && !sameSecret(state, o.state)) {
        refuse(400, 'wrong state', messages.wrongState);
      } else {
        answerCapture(fragment, respond);
      }
    });
  };

  const answerCapture = (fragment: string, respond: (r: Reply) => void): void => {
    const reply = answerRedirect(new URLSearchParams(fragment.replace(/^#/, '')));
    const page = reply.page!;
    respond({
      ...reply,
      page: undefined,
      late: undefined,
      ...(reply.hold ? { hold: true as const } : {}),
      status: reply.late ? 409 : reply.status,
      json: {
        ok: reply.verdict === 'accepted' && page.tone === 'ok',
        title: page.title,
        message: page.message,
        tone: page.tone,
        // Wipe the token from the address bar once we have it; keep it when refused, for pasting.
        clear: reply.verdict !== 'rejected',
      },
    });
  };

  const servers: http.Server[] = [];
  const addresses: string[] = [];
  const make = (): http.Server => {
    const server = http.createServer(
      {
        requestTimeout: requestTimeoutMs,
        headersTimeout: requestTimeoutMs,
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
        keepAliveTimeout: 2000,
      },
      handler,
    );
    server.on('error', () => {});
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    return server;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  };

  // Port 0 asks for any free port; it must be free on both addresses, so a clash on ::1 tries again.
  for (let attempt = 0; ; attempt++) {
    const v4 = make();
    try {
      port = await listen(v4, target.port, '127.0.0.1');
    } catch (error) {
      throw listenError(error, target.port, await holderOf(error, target.port));
    }
    servers.push(v4);
    addresses.push(`127.0.0.1:${port}`);
    const v6 = make();
    try {
      await listen(v6, port, '::1');
      servers.push(v6);
      addresses.push(`[::1]:${port}`);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL') break; // no IPv6 loopback
      await closeAll();
      addresses.length = 0;
      if (target.port !== 0 || attempt >= 4)
        throw listenError(error, target.port, await holderOf(error, target.port));
    }
  }

  let closing: Promise<void> | undefined;
  return {
    addresses,
    port,
    redirectUri: withPort(o.redirectUri, port),
    result,
    markDone(): void {
      settled = true;
    },
    declinedStateless(): void {
      askedStateless = false;
    },
    async finish(end: LoginEnd): Promise<void> {
      resolveEnded(end);
      // The page is a few hundred bytes on a loopback socket: this bound is never reached in practice.
      await Promise.race([Promise.all(heldWrites), delay(2000)]);
    },
    close(): Promise<void> {
      resolveEnded({ ok: false, reason: 'The login stopped in the terminal.' });
      closing ??= closeAll().then(() => {
        if (!settled) {
          settled = true;
          rejectResult(new ZchatError('cancelled', 'The login stopped before the browser answered.'));
        }
      });
      return closing;
    },
  };
}

/** The held answer, now that the login ended (or did not end in time: undefined). */
function finalReply(reply: Reply, end: LoginEnd | undefined): Reply {
  const page = !end
    ? { title: 'Still finishing…', message: messages.stillWorking, tone: 'info' as const }
    : end.ok
      ? {
          title: 'Signed in',
          message: `The token is stored. ${messages.done}`,
          tone: 'ok' as const,
        }
      : {
          title: 'Login failed',
          message: `${end.reason} Return to the terminal to try again.`,
          tone: 'error' as const,
        };
  const { hold: _hold, ...rest } = reply;
  if (reply.json) return { ...rest, json: { ...reply.json, ok: page.tone === 'ok', ...page } };
  return { ...rest, page: { ...reply.page, ...page } };
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/** Why a capture post is refused before its body is read: [status, reason, message]; undefined when fine. */
function captureRefusal(req: http.IncomingMessage, host: string): [number, string, string] | undefined {
  const crossSite = 'Posts from other sites are refused.';
  if (req.method !== 'POST') return [405, 'method not allowed', 'Only POST is accepted here.'];
  const origin = req.headers.origin;
  // A browser always sends Origin on a POST; the page's own is http://<the Host it was loaded from>.
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`)
    return [403, 'cross-origin post', crossSite];
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return [403, 'cross-site post', crossSite];
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return [415, 'not JSON', 'The capture endpoint takes application/json.'];
  if (Number(req.headers['content-length'] ?? '0') > maxCaptureBytes) {
    return [413, 'body too large', `The capture body is limited to ${maxCaptureBytes} bytes.`];
  }
  return undefined;
}

/** Anyone can send a path near the 16 kB header limit: what is reported (screen, stderr) stays one short line. */
export const maxShownPath = 200;

function shorten(path: string): string {
  return path.length > maxShownPath ? `${path.slice(0, maxShownPath - 1)}…` : path;
}

function allowedHost(host: string, port: number): boolean {
  const name = host.endsWith(`:${port}`) ? host.slice(0, -`:${port}`.length) : port === 80 ? host : '';
  return loopbackHosts.has(name);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Who holds a busy port, where the OS tells this user (only for EADDRINUSE on a fixed port). */
async function holderOf(error: unknown, port: number): Promise<PortHolder | undefined> {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) return undefined;
  return portHolder(port);
}

function listenError(error: unknown, port: number, holder?: PortHolder): ZchatError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = `Free it (stop ${holder ? `${holder.name}, pid ${holder.pid}` : 'the program using it'}), paste the redirected address instead (--paste, or p in the panel), or choose another redirect URI registered on the OAuth client (--redirect-uri).`;
  if (code === 'EACCES') {
    return new ZchatError('port_busy', `Port ${port} needs administrator rights to listen on.`, { hint });
  }
  if (code === 'EADDRINUSE') {
    return new ZchatError(
      'port_busy',
      `Port ${port} is already in use${holderPhrase(holder)}, so the login cannot wait for the browser there.`,
      { hint },
    );
  }
  return new ZchatError('port_busy', `Could not listen on port ${port} (${code ?? 'unknown error'}).`, {
    hint,
  });
}
