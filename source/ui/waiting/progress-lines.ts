/** The waiting panel's progress lines (redirect, exchange, token, store, failure) and its key line (pure). */
import { mask } from '../../core/redact.js';
import { formatClock } from '../format.js';
import type { Line, PanelInput, Part } from './panel-lines.js';
import { rowsOf } from './rows.js';

/** How to use the stored token: from scripts, unless the store is the sandbox's throwaway one. */
export function howToUseLine(profile: string, temporaryStore = false): string {
  return temporaryStore
    ? "Kept in the sandbox's throwaway store until you quit (set ZCHAT_AUTH_CONFIG_DIR to keep it)."
    : `Use it in scripts: $(zchat-auth token --profile ${profile})`;
}

const grantWords: Record<string, string> = {
  authorization_code: 'Exchanging the code for a token (authorization_code)',
  client_credentials: 'Asking for a token (client_credentials)',
  password: 'Asking for a token (password)',
  implicit: 'Reading the token',
  refresh_token: 'Refreshing',
};

export function footerText(i: PanelInput, browserFlow: boolean, waiting: boolean, over: boolean): string {
  const { view } = i;
  if (i.pasting) return 'enter send · esc back';
  if (view.phase === 'done') return 'enter dashboard · q quit';
  if (over) return `enter try again · esc ${i.leaveLabel} · q quit`;
  if (browserFlow && view.authorizeUrl && view.missingState && waiting)
    return 'y yes, take it · n no, keep waiting · esc cancel';
  if (browserFlow && view.authorizeUrl)
    return `o open browser · y copy URL · p paste${i.kind === 'code' ? ' · c paste a bare code' : ''}${i.sandbox ? ' · a approve (sandbox)' : ''} · esc cancel`;
  return 'esc cancel';
}

export function progressLines(i: PanelInput, text: (parts: Part[], o?: Partial<Line>) => Line): Line[] {
  const { view } = i;
  const token = view.token;
  const lines: Line[] = [];
  if (view.callback) {
    const what =
      view.callback.result === 'code'
        ? 'an authorization code'
        : view.callback.result === 'token'
          ? 'an access token'
          : 'an error';
    const from = view.callback.source === 'paste' ? 'pasted' : 'loopback';
    lines.push(
      text([`✓ Redirect received (${from}): ${what}`], {
        tone: view.callback.result === 'error' ? 'error' : 'ok',
      }),
    );
  }
  if (view.exchanging && !token && view.phase === 'exchanging') {
    const label = `${grantWords[view.exchanging] ?? 'Exchanging'}…`;
    lines.push({ kind: 'spinner', label, rows: rowsOf(`⠋ ${label}`, i.columns) });
  } else if (view.exchanging) {
    const failed = view.phase === 'failed' && !token;
    lines.push(
      text([`${failed ? '✗' : '✓'} ${grantWords[view.exchanging] ?? 'Exchange'}`], {
        tone: failed ? 'error' : 'ok',
      }),
    );
  }
  if (token) {
    const refresh = token.refreshToken ? ' · with a refresh token' : '';
    lines.push(
      text(
        [
          `✓ Token received: ${mask(token.accessToken)} · ${token.tokenType} · scope ${token.scope}${refresh}`,
        ],
        { tone: 'ok' },
      ),
    );
  }
  if (view.stored) lines.push(text([`✓ Stored as profile ${view.stored}`], { tone: 'ok' }));
  if (view.stored && i.fallbackNote) lines.push(text([i.fallbackNote], { tone: 'warn' }));
  if (view.phase === 'failed' && view.error)
    lines.push(text([`✗ ${view.error.sentence}`], { tone: 'error' }));
  if (view.phase === 'timed-out') {
    const after = formatClock(view.timedOutAfterMs ?? i.timeoutMs);
    lines.push(
      text(
        [
          `✗ No answer came within ${after}. Over SSH, forward the port or paste the redirected URL (p) next time.`,
        ],
        {
          tone: 'error',
        },
      ),
    );
  }
  if (view.phase === 'done' && view.stored) {
    lines.push(
      i.temporaryStore
        ? text([howToUseLine(view.stored, true)])
        : text(['Use it in scripts: ', { text: `$(zchat-auth token --profile ${view.stored})`, bold: true }]),
    );
  }
  return lines;
}
