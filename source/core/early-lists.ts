/**
 * The account's clients and server tokens, asked for by the dashboard's command as soon as the store is
 * read, before the screens have loaded: the server answers while Ink and React load, and the screens read
 * the answers once their first frame is drawn. Asked for after that frame, the lists came ~130 ms after it
 * with 1,000 clients on a 2-core machine, most of it loading the HTTP client and waiting for the answer.
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
    take(report) {
      if (taken) return undefined;
      taken = true;
      clientsLog.listen(report.clients);
      tokensLog.listen(report.tokens);
      return { clients: clients.then((read) => read()), tokens: tokens.then((read) => read()) };
    },
  };
}
