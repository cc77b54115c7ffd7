import { Box, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { toZchatError } from '../../core/errors.js';
import { IMPLICIT_WARNING } from '../../core/login/defaults.js';
import type { LoginFlow } from '../../core/oauth/login-flow.js';
import type { FlowKind, SeenRequest } from '../../core/oauth/types.js';
import { portForwardHint, sshInfo } from '../../core/platform/ssh.js';
import { mask, redactParams } from '../../core/redact.js';
import { approveInSandbox } from '../../sandbox/approve.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Services } from '../../services.js';
import { copyText } from '../clipboard/copy.js';
import { Countdown } from '../components/Countdown.js';
import { LongUrl, supportsHyperlinks } from '../components/LongUrl.js';
import { Spinner } from '../components/Spinner.js';
import { TextField } from '../components/TextField.js';
import { formatClock } from '../format.js';
import { useKeys, WAIT_FOR_FRAME } from '../hooks/use-keys.js';
import { useLoginFlow } from '../hooks/use-login-flow.js';
import { usableRows, useTerminalSize } from '../hooks/use-terminal-size.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface WaitingPanelProps {
  flow: LoginFlow;
  kind: FlowKind;
  timeoutMs: number;
  services: Services;
  sandbox?: Sandbox;
  /** The store is the sandbox's throwaway one: no other shell sees it, and it is deleted on exit. */
  temporaryStore?: boolean;
  /** What esc does once the login is over or cancelled, for the footer ("back to the dashboard", "quit"). */
  leaveLabel: string;
  /** enter after success. */
  onContinue(profile: string | undefined): void;
  /** esc: the flow is cancelled first. */
  onCancel(): void;
  /** enter after a failure: back to the wizard. */
  onRetry(): void;
  /** esc once the login is over. */
  onBack(): void;
  onQuit(code: number): void;
}

type Note = { kind: 'ok' | 'error' | 'info'; text: string } | undefined;

const SHOWN_REQUESTS = 6;

/** How to use the stored token: from scripts, unless the store is the sandbox's throwaway one. */
export function howToUseLine(profile: string, temporaryStore = false): string {
  return temporaryStore
    ? "Kept in the sandbox's throwaway store until you quit (set ZCHAT_AUTH_CONFIG_DIR to keep it)."
    : `Use it in scripts: $(zchat-auth token --profile ${profile})`;
}

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** Time, verdict and status first: a long path is what gets cut, never the verdict. */
function RequestLine({ r }: { r: SeenRequest }) {
  const theme = useTheme();
  const color = r.verdict === 'accepted' ? theme.ok : r.verdict === 'rejected' ? theme.error : undefined;
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{clock(r.at)} </Text>
      <Text color={color} dimColor={r.verdict === 'ignored'}>
        {r.verdict.padEnd(8)}
      </Text>{' '}
      {r.status} {r.method} {r.path}
      {r.reason ? <Text dimColor> ({r.reason})</Text> : null}
    </Text>
  );
}

/** Lines a text takes in `width` columns, wrapped at spaces as Ink does (a word longer than a line is cut). */
export function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let col = 0;
  for (const word of text.split(' ')) {
    const w = [...word].length;
    const needed = col === 0 ? w : col + 1 + w;
    if (needed <= width) {
      col = needed;
      continue;
    }
    if (col > 0) lines++;
    lines += Math.max(Math.ceil(w / width) - 1, 0);
    col = w % width || (w === 0 ? 0 : width);
  }
  return lines;
}

const grantWords: Record<string, string> = {
  authorization_code: 'Exchanging the code for a token (authorization_code)',
  client_credentials: 'Asking for a token (client_credentials)',
  password: 'Asking for a token (password)',
  implicit: 'Reading the token',
  refresh_token: 'Refreshing',
};

export function WaitingPanel(props: WaitingPanelProps) {
  const { flow, services, sandbox } = props;
  const theme = useTheme();
  const { write } = useStdout();
  const view = useLoginFlow(flow);
  // 'address': the redirected URL (its state is checked); 'code': a bare code, chosen as such.
  const [pasting, setPasting] = useState<false | 'address' | 'code'>(false);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<Note>();
  const [startedAt] = useState(() => Date.now());
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const show = (n: Note) => {
    if (mounted.current) setNote(n);
  };

  const ssh = sshInfo(services.env);
  const browserFlow = props.kind === 'code' || props.kind === 'implicit';
  const waiting = view.phase === 'starting' || view.phase === 'waiting';
  const over = view.phase === 'done' || view.phase === 'failed' || view.phase === 'timed-out';
  const url = view.authorizeUrl;

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return; // the root owns Ctrl+C
    if (key.ctrl || (key.meta && !key.escape)) return; // a chord is not its letter (Ctrl+Y is not y)
    if (pasting) {
      if (key.escape) {
        setPasting(false);
        setDraft('');
      }
      return; // the paste input has the keys
    }
    if (over) {
      if (key.return) {
        if (view.phase === 'done') props.onContinue(view.stored);
        else props.onRetry();
      } else if (input === 'q') props.onQuit(view.phase === 'done' ? 0 : 1);
      else if (key.escape) props.onBack();
      return;
    }
    if (key.escape) {
      flow.cancel();
      props.onCancel();
      return;
    }
    if (!browserFlow || !url || !waiting) return;
    if (view.missingState) {
      // y/n answer the question while it is asked (y copies the URL otherwise).
      if (input === 'y' || input === 'n') {
        setNote(undefined);
        flow.confirmMissingState(input === 'y');
        if (input === 'n') show({ kind: 'info', text: 'Dropped that redirect; still waiting.' });
      }
      return;
    }
    if (input === 'o') {
      show({ kind: 'info', text: 'Opening the browser…' });
      void flow.openBrowser().then(() => show(undefined));
    } else if (input === 'y') {
      void copyText(url, { env: services.env, write, isSsh: ssh.isSsh }).then((r) =>
        show({ kind: 'ok', text: `Authorize URL: ${r.message}` }),
      );
    } else if (input === 'p' || (input === 'c' && props.kind === 'code')) {
      setNote(undefined);
      setDraft('');
      setPasting(input === 'p' ? 'address' : 'code');
      return WAIT_FOR_FRAME; // what comes with p in one read is for the paste field
    } else if (input === 'a' && sandbox) {
      show({ kind: 'info', text: 'Approving in the sandbox…' });
      void approveInSandbox(sandbox, url).then((r) => {
        // On success the flow's own events tell the rest; only a refusal needs a line here.
        if (!r.ok) show({ kind: 'error', text: r.message });
        else show({ kind: 'ok', text: r.message });
      });
    }
  });

  const submitPaste = (value: string) => {
    const bareCode = pasting === 'code';
    setPasting(false);
    setDraft('');
    if (!value.trim()) {
      show({ kind: 'info', text: 'Nothing pasted; still waiting.' });
      return;
    }
    flow.paste(value.trim(), { bareCode }).then(
      () => show(undefined),
      (error: unknown) => show({ kind: 'error', text: `${toZchatError(error).sentence} Still waiting.` }),
    );
  };

  const size = useTerminalSize();
  const maxRows = usableRows(size);
  const roomy = !maxRows || maxRows >= 30;
  const gap = roomy ? 1 : 0;
  const cols = size.columns;
  const linesOf = (text: string) => wrappedLines(text, cols);

  const deadline = Math.min((view.waitingSince ?? startedAt) + props.timeoutMs, Date.now() + props.timeoutMs);
  const token = view.token;

  const footer = pasting
    ? 'enter send · esc back'
    : view.phase === 'done'
      ? 'enter dashboard · q quit'
      : over
        ? `enter try again · esc ${props.leaveLabel} · q quit`
        : browserFlow && url && view.missingState && waiting
          ? 'y yes, take it · n no, keep waiting · esc cancel'
          : browserFlow && url
            ? `o open browser · y copy URL · p paste${props.kind === 'code' ? ' · c paste a bare code' : ''}${sandbox ? ' · a approve (sandbox)' : ''} · esc cancel`
            : 'esc cancel';
  const askText =
    view.missingState && waiting
      ? `Zendesk returned ${view.missingState.result === 'code' ? 'the code' : view.missingState.result === 'token' ? 'the token' : 'an answer'} without the state it was sent (${view.missingState.source === 'paste' ? 'pasted' : 'in the browser'}). Did you just press Allow for this login? y takes it, n drops it and keeps waiting.`
      : '';

  const listeningText = view.listening
    ? `Listening on ${view.listening.addresses.join(' and ')} (redirect ${view.listening.redirectUri})`
    : browserFlow && url
      ? 'Not listening: the redirect URL is not on this computer. After Allow, copy the address from the browser and press p to paste it.'
      : '';
  const browserText = view.browser
    ? view.browser.opened
      ? 'Browser: opened'
      : `Browser: not opened${view.browser.reason ? ` (${view.browser.reason})` : ''}; copy the URL (y) or open it yourself`
    : '';
  const sshLines =
    ssh.isSsh && view.listening && waiting
      ? [
          `Over SSH: on your laptop run ${portForwardHint(view.listening.port, services.env)} and open the URL there,`,
          "or press p and paste the redirected URL from your laptop's address bar.",
        ]
      : [];
  const implicitText = props.kind === 'implicit' && url && waiting ? IMPLICIT_WARNING : '';
  const sandboxText =
    sandbox && url && waiting
      ? 'Sandbox: press a to approve in the emulator (as pressing Allow), or use the URL in a browser.'
      : '';
  const progressLines = [
    view.callback ? 'Redirect received' : '',
    view.exchanging ? 'Exchange' : '',
    token
      ? `Token received: ${mask(token.accessToken)} · ${token.tokenType} · scope ${token.scope} · with a refresh token`
      : '',
    view.stored ? 'Stored as profile' : '',
    view.phase === 'failed' && view.error ? `✗ ${view.error.sentence}` : '',
    view.phase === 'timed-out'
      ? 'No answer came within 0:00. Over SSH, forward the port or paste the redirected URL (p) next time.'
      : '',
    view.phase === 'done' && view.stored ? howToUseLine(view.stored, props.temporaryStore) : '',
  ].filter(Boolean);

  // What must show, then what fits: the URL is never cut (it is copied from the screen), the keys always show.
  let budget = maxRows ?? Number.POSITIVE_INFINITY;
  const take = (lines: number) => {
    if (lines > budget) return false;
    budget -= lines;
    return true;
  };
  take(1 + linesOf(footer) + gap); // header and keys
  // A URL has no spaces: Ink cuts it at the width exactly.
  const urlLines =
    url && !over
      ? linesOf('Open this URL, sign in and press Allow:') + Math.ceil(url.length / cols) + gap
      : 0;
  const urlFits = take(urlLines);
  const fits = {
    ask: Boolean(askText) && take(linesOf(askText) + gap),
    implicit: Boolean(implicitText) && take(linesOf(implicitText)),
    paste: Boolean(pasting) && take(2 + gap),
    note: Boolean(note) && take(linesOf(note?.text ?? '')),
    progress:
      progressLines.length > 0 &&
      (over || view.phase === 'exchanging') &&
      take(progressLines.reduce((n, l) => n + linesOf(l), 0) + gap),
    ssh: sshLines.length > 0 && take(sshLines.reduce((n, l) => n + linesOf(l), 0) + gap),
    browser: Boolean(browserText) && !over && take(linesOf(browserText)),
    listening: Boolean(listeningText) && !over && take(linesOf(listeningText)),
    sandbox: Boolean(sandboxText) && take(linesOf(sandboxText)),
  };
  const progressWaiting =
    !fits.progress && progressLines.length > 0 && take(progressLines.reduce((n, l) => n + linesOf(l), 0));
  const requestsFit = Boolean(browserFlow && url) && take(2 + gap);
  const shownRequests = requestsFit
    ? Math.min(SHOWN_REQUESTS, view.requests.length, Number.isFinite(budget) ? budget : SHOWN_REQUESTS)
    : 0;
  const requests = view.requests.slice(view.requests.length - shownRequests);
  const hidden = view.requests.length - requests.length;

  const progressBlock = (
    <Box flexDirection="column" flexShrink={0} marginTop={over ? 0 : gap}>
      {view.callback ? (
        <Text color={view.callback.result === 'error' ? theme.error : theme.ok}>
          ✓ Redirect received ({view.callback.source === 'paste' ? 'pasted' : 'loopback'}):{' '}
          {view.callback.result === 'code'
            ? 'an authorization code'
            : view.callback.result === 'token'
              ? 'an access token'
              : 'an error'}
        </Text>
      ) : null}
      {view.exchanging && !token && view.phase === 'exchanging' ? (
        <Spinner label={`${grantWords[view.exchanging] ?? 'Exchanging'}…`} />
      ) : view.exchanging ? (
        <Text color={view.phase === 'failed' && !token ? theme.error : theme.ok}>
          {view.phase === 'failed' && !token ? '✗' : '✓'} {grantWords[view.exchanging] ?? 'Exchange'}
        </Text>
      ) : null}
      {token ? (
        <Text color={theme.ok} wrap="wrap">
          ✓ Token received: {mask(token.accessToken)} · {token.tokenType} · scope {token.scope}
          {token.refreshToken ? ' · with a refresh token' : ''}
        </Text>
      ) : null}
      {view.stored ? <Text color={theme.ok}>✓ Stored as profile {view.stored}</Text> : null}
      {view.phase === 'failed' && view.error ? (
        <Text color={theme.error} wrap="wrap">
          ✗ {view.error.sentence}
        </Text>
      ) : null}
      {view.phase === 'timed-out' ? (
        <Text color={theme.error} wrap="wrap">
          ✗ No answer came within {formatClock(view.timedOutAfterMs ?? props.timeoutMs)}. Over SSH, forward
          the port or paste the redirected URL (p) next time.
        </Text>
      ) : null}
      {view.phase === 'done' && view.stored ? (
        props.temporaryStore ? (
          <Text wrap="wrap">{howToUseLine(view.stored, true)}</Text>
        ) : (
          <Text wrap="wrap">
            Use it in scripts: <Text bold>$(zchat-auth token --profile {view.stored})</Text>
          </Text>
        )
      ) : null}
    </Box>
  );

  return (
    <Box flexDirection="column" flexGrow={1}>
      {/* The body gives way (clipped at its end) if the estimate was short; the keys below always show. */}
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        <Box flexShrink={0} height={1}>
          <Box flexGrow={1} flexShrink={1}>
            <Text bold wrap="truncate-end">
              zchat-auth · {browserFlow ? 'waiting for Zendesk' : 'getting a token'}
              {sandbox ? <Text dimColor> (sandbox)</Text> : null}
            </Text>
          </Box>
          {browserFlow && waiting ? (
            <Box flexShrink={0} marginLeft={1}>
              <Countdown deadline={deadline} active={waiting} />
            </Box>
          ) : null}
        </Box>
        {fits.ask ? (
          <Box flexShrink={0} marginTop={gap}>
            <Text color={theme.warn} wrap="wrap">
              {askText}
            </Text>
          </Box>
        ) : null}
        {fits.paste ? (
          <Box flexDirection="column" flexShrink={0} marginTop={gap}>
            <Box>
              <Text bold>
                {pasting === 'code'
                  ? 'Paste the bare code (it has no state to check): '
                  : 'Paste the redirected URL: '}
              </Text>
              <TextField masked onChange={setDraft} onSubmit={submitPaste} />
            </Box>
            {draft ? (
              <Text dimColor wrap="truncate-end">
                {redactParams(draft)}
              </Text>
            ) : (
              <Text dimColor wrap="truncate-end">
                It stays masked on screen; enter sends it, esc goes back.
              </Text>
            )}
          </Box>
        ) : null}
        {fits.note && note ? (
          <Box flexShrink={0}>
            <Text
              color={note.kind === 'error' ? theme.error : note.kind === 'ok' ? theme.ok : undefined}
              wrap="wrap"
            >
              {note.kind === 'error' ? '✗ ' : note.kind === 'ok' ? '✓ ' : '· '}
              {note.text}
            </Text>
          </Box>
        ) : null}
        {fits.progress ? progressBlock : null}
        {browserFlow && !url && view.phase === 'starting' ? (
          <Box flexShrink={0}>
            <Spinner label="Opening the local redirect listener…" />
          </Box>
        ) : null}
        {fits.listening ? (
          <Box flexShrink={0}>
            <Text wrap="wrap">{listeningText}</Text>
          </Box>
        ) : null}
        {url && !over ? (
          urlFits ? (
            <Box flexDirection="column" flexShrink={0} marginTop={gap}>
              <Text>Open this URL, sign in and press Allow:</Text>
              <LongUrl url={url} color={theme.accent} hyperlink={supportsHyperlinks(services.env)} />
            </Box>
          ) : (
            <Box flexShrink={0}>
              <Text wrap="wrap">
                The terminal is too small for the whole authorize URL: press <Text bold>y</Text> to copy it,
                or enlarge the terminal.
              </Text>
            </Box>
          )
        ) : null}
        {fits.implicit ? (
          <Box flexShrink={0}>
            <Text color={theme.warn} wrap="wrap">
              {implicitText}
            </Text>
          </Box>
        ) : null}
        {fits.browser ? (
          <Box flexShrink={0}>
            <Text wrap="wrap">
              Browser:{' '}
              {view.browser?.opened ? (
                <Text color={theme.ok}>opened</Text>
              ) : (
                browserText.slice('Browser: '.length)
              )}
            </Text>
          </Box>
        ) : null}
        {fits.ssh ? (
          <Box flexDirection="column" flexShrink={0} marginTop={gap}>
            <Text wrap="wrap">
              Over SSH: on your laptop run{' '}
              <Text bold>{view.listening ? portForwardHint(view.listening.port, services.env) : ''}</Text> and
              open the URL there,
            </Text>
            <Text wrap="wrap">
              or press <Text bold>p</Text> and paste the redirected URL from your laptop's address bar.
            </Text>
          </Box>
        ) : null}
        {fits.sandbox ? (
          <Box flexShrink={0}>
            <Text wrap="wrap">
              Sandbox: press <Text bold>a</Text> to approve in the emulator (as pressing Allow), or use the
              URL in a browser.
            </Text>
          </Box>
        ) : null}
        {progressWaiting ? progressBlock : null}
        {requestsFit ? (
          <Box flexDirection="column" flexShrink={0} marginTop={gap}>
            <Text bold>
              Requests seen <Text dimColor>({view.requests.length})</Text>
              {hidden > 0 ? <Text dimColor> · {hidden} earlier not shown</Text> : null}
            </Text>
            {view.requests.length === 0 ? <Text dimColor>none yet</Text> : null}
            {requests.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log
              <RequestLine key={hidden + i} r={r} />
            ))}
          </Box>
        ) : null}
      </Box>
      <Box flexShrink={0} marginTop={gap}>
        <Text dimColor wrap="wrap">
          {footer}
        </Text>
      </Box>
    </Box>
  );
}
