import { ZchatError } from '../errors.js';
import { clampExpiresIn, tokenValueProblem } from './token-values.js';
import type { RedirectResult } from './types.js';

const maxInput = 16 * 1024;
// Codes and tokens are URL-safe strings; anything with spaces or punctuation beyond these is not one.
const bareCodePattern = /^[\w.~+/-]{4,2048}$/;
const valuePattern = /^[\x21-\x7e]+$/;
const pairs: Record<string, string> = {
  '"': '"',
  "'": "'",
  '`': '`',
  '<': '>',
  '“': '”',
  '‘': '’',
  '(': ')',
};

/**
 * Reads what the user pasted (or what the loopback server received): a full redirect URL with a query or
 * a fragment, a bare `code=...&state=...` / `access_token=...` string, or a bare code.
 * Throws a one-line ZchatError('usage') for anything else.
 */
export function parseRedirect(input: string): RedirectResult {
  const text = unwrap(input);
  if (!text || text.length > maxInput) throw junk();
  const cut = text.search(/[?#]/);
  const eq = text.indexOf('=');
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || (cut >= 0 && (eq < 0 || cut < eq));
  if (looksLikeUrl) {
    let url: URL;
    try {
      url = new URL(text, 'http://localhost');
    } catch {
      throw junk();
    }
    const found =
      fromParams(new URLSearchParams(url.hash.slice(1))) ??
      fromParams(new URLSearchParams(url.search.slice(1)));
    if (!found) {
      throw new ZchatError(
        'usage',
        'That address carries no code, token or error: copy the whole address bar after pressing Allow.',
      );
    }
    return found;
  }
  if (eq >= 0) {
    const found = fromParams(new URLSearchParams(text));
    if (!found) throw junk();
    return found;
  }
  if (bareCodePattern.test(text)) return { kind: 'code', code: text, bare: true };
  throw junk();
}

/**
 * Where a pasted address points: `origin + path` (`http://localhost:8080/`) when the input is an absolute
 * URL, the scheme alone (`javascript:`) for a URL that is not http(s), undefined for a bare query, fragment
 * or code. A scheme-less `localhost:8080/?code=...` (as some address bars copy it) counts as http.
 */
export function pastedAddress(input: string): string | undefined {
  const text = unwrap(input);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return undefined;
  const bareLoopback = /^(localhost|127\.0\.0\.1)(:\d+)?([/?#]|$)/i.test(text);
  let url: URL;
  try {
    url = new URL(bareLoopback ? `http://${text}` : text);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? `${url.origin}${url.pathname}`
    : url.protocol;
}

/** Parse query or fragment parameters; undefined when they carry no OAuth answer. */
export function fromParams(params: URLSearchParams): RedirectResult | undefined {
  const get = (key: string): string | undefined => {
    const value = params.get(key)?.trim();
    return value ? value : undefined;
  };
  const state = get('state');
  const withState = <T extends object>(r: T): T & { state?: string } => (state ? { ...r, state } : r);
  const error = get('error');
  if (error) {
    const description = get('error_description');
    return withState({ kind: 'error' as const, error, ...(description ? { description } : {}) });
  }
  const accessToken = get('access_token');
  // The token belongs in the fragment, but a server may put it in the query: both are read.
  if (accessToken) {
    const scope = get('scope');
    const tokenType = get('token_type');
    // The fragment is as untrusted as a server's JSON: the same checks, before anything is stored.
    const problem =
      tokenValueProblem('access_token', accessToken) ??
      (tokenType === undefined ? undefined : tokenValueProblem('token_type', tokenType)) ??
      (scope === undefined ? undefined : tokenValueProblem('scope', scope));
    if (problem) {
      throw new ZchatError('usage', `The redirect's ${problem}, so nothing was stored.`, {
        hint: 'Log in again; if it happens again, the authorization server is not a real Zendesk.',
      });
    }
    if (!valuePattern.test(accessToken)) throw junk();
    const expiresIn = clampExpiresIn(get('expires_in'));
    return withState({
      kind: 'token' as const,
      accessToken,
      tokenType: tokenType ?? 'Bearer',
      ...(scope ? { scope } : {}),
      ...(expiresIn === undefined ? {} : { expiresIn }),
    });
  }
  const code = get('code');
  if (code) {
    if (!valuePattern.test(code)) throw junk();
    return withState({ kind: 'code' as const, code });
  }
  return undefined;
}

/** Trim whitespace, line breaks from terminal wrapping, and surrounding quotes or angle brackets. */
function unwrap(input: string): string {
  let text = input.trim();
  for (;;) {
    const close = pairs[text[0] ?? ''];
    if (close && text.length >= 2 && text.endsWith(close)) {
      text = text.slice(1, -1).trim();
    } else {
      break;
    }
  }
  return text.replace(/[\r\n]+/g, '');
}

function junk(): ZchatError {
  return new ZchatError(
    'usage',
    'That is not a redirect address or a code: paste the whole address from the browser (it starts with http://localhost), or just the code.',
  );
}
