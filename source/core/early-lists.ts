/**
 * The account's clients and server tokens, asked for by the dashboard's command just before the screens
 * draw their first frame: the server answers while that frame is drawn, and the screens read the answers
 * once it is. Asked for after that frame, the lists came 120-170 ms after it with 1,000 clients on a
 * 2-core machine, most of it loading got and waiting for the answer.
 */
import type { Credential } from './account-credential.js';
import type { ChatApi } from './zendesk/chat-api.js';
import type { HttpExchange, OAuthClient, OAuthTokenInfo } from './zendesk/types.js';

export interface AccountLists {
  clients: Promise<OAuthClient[]>;
  tokens: Promise<OAuthTokenInfo[]>;
}

export interface EarlyLists {
  /** The credential they were asked with: the screens take them only for the same one. */
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly via: string;
  /**
   * Resolves (never rejects) once both requests are on their way: their modules loaded, their sockets
   * connecting, and one turn of the event loop taken, in which a connection that is already up (loopback)
   * sends its request. Drawn before that turn, the first frame held the request back until it was done:
   * Node opens the socket on the next tick and writes the request once the connection is up.
   */
  readonly sent: Promise<void>;
  /**
   * The lists, read now, once: undefined when already taken. Their exchanges, made or still running, are
   * reported to `report` (the dashboard's "last exchange"), as for lists asked for then.
   */
  take(report: {
    clients(exchange: HttpExchange): void;
    tokens(exchange: HttpExchange): void;
  }): AccountLists | undefined;
}

/** Holds what is reported before anyone listens, and hands it over when someone does. */
function relay() {
  let held: HttpExchange[] = [];
  let listener: ((exchange: HttpExchange) => void) | undefined;
  return {
    report(exchange: HttpExchange) {
      if (listener) listener(exchange);
      else held.push(exchange);
    },
    listen(to: (exchange: HttpExchange) => void) {
      listener = to;
      for (const exchange of held) to(exchange);
      held = [];
    },
  };
}

/** Sends both GETs now (through `chatApi`, as the screens would); reads their answers when taken. */
export function requestListsEarly(
  chatApi: (baseUrl: string, accessToken: string, onExchange: (e: HttpExchange) => void) => Promise<ChatApi>,
  credential: Pick<Credential, 'baseUrl' | 'accessToken' | 'via'>,
): EarlyLists {
  const { baseUrl, accessToken, via } = credential;
  const clientsLog = relay();
  const tokensLog = relay();
  const clients = chatApi(baseUrl, accessToken, clientsLog.report).then((api) => api.requestClients());
  const tokens = chatApi(baseUrl, accessToken, tokensLog.report).then((api) => api.requestTokens());
  // Nobody may take them (the user quits first): a failure then is nobody's to report.
  clients.catch(() => undefined);
  tokens.catch(() => undefined);
  let taken = false;
  return {
    baseUrl,
    accessToken,
    via,
    sent: Promise.allSettled([clients, tokens]).then(
      () => new Promise<void>((resolve) => setImmediate(resolve)),
    ),
    take(report) {
      if (taken) return undefined;
      taken = true;
      clientsLog.listen(report.clients);
      tokensLog.listen(report.tokens);
      return { clients: clients.then((read) => read()), tokens: tokens.then((read) => read()) };
    },
  };
}
