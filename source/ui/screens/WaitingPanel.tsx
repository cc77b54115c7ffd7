import { useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { toZchatError, type ZchatError } from '../../core/errors.js';
import { fallbackNoteAfterLogin, profilesOnFallback } from '../../core/login/fallback-note.js';
import type { LoginFlow } from '../../core/oauth/login-flow.js';
import type { FlowKind } from '../../core/oauth/types.js';
import { portForwardHint, sshInfo } from '../../core/platform/ssh.js';
import { approveInSandbox } from '../../sandbox/approve.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Services } from '../../services.js';
import { copyText } from '../clipboard/copy.js';
import { supportsHyperlinks } from '../components/LongUrl.js';
import { useKeys, WAIT_FOR_FRAME } from '../hooks/use-keys.js';
import { useLoginFlow } from '../hooks/use-login-flow.js';
import { usableRows, useTerminalSize } from '../hooks/use-terminal-size.js';
import { waitingIntent } from '../waiting/intent.js';
import { PanelView } from '../waiting/PanelView.js';
import { type Note, type Pasting, panelLines } from '../waiting/panel-lines.js';

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
  /** enter after a failure: back to the wizard (at the field the failure points at, if any). */
  onRetry(failure?: ZchatError): void;
  /** esc once the login is over. */
  onBack(): void;
  onQuit(code: number): void;
}

export { howToUseLine } from '../waiting/panel-lines.js';

export function WaitingPanel(props: WaitingPanelProps) {
  const { flow, services, sandbox } = props;
  const { write } = useStdout();
  const view = useLoginFlow(flow);
  // 'address': the redirected URL (its state is checked); 'code': a bare code, chosen as such.
  const [pasting, setPasting] = useState<Pasting>(false);
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

  // The keyring note is said once per profile (as plain `login` does): which already had it, before this login.
  const [onFallback] = useState(() => profilesOnFallback(services.store));
  const stored = view.phase === 'done' ? view.stored : undefined;
  const fallbackNote = useMemo(
    () => (stored ? fallbackNoteAfterLogin(services.store, stored, onFallback) : undefined),
    [stored, services.store, onFallback],
  );

  const ssh = sshInfo(services.env);
  const url = view.authorizeUrl;

  useKeys((input, key) => {
    const intent = waitingIntent(input, key, {
      phase: view.phase,
      kind: props.kind,
      pasting,
      hasUrl: Boolean(url),
      missingState: Boolean(view.missingState),
      sandbox: Boolean(sandbox),
    });
    switch (intent.type) {
      case 'leave-paste':
        setPasting(false);
        setDraft('');
        return;
      case 'continue':
        return props.onContinue(view.stored);
      case 'retry':
        return props.onRetry(view.error);
      case 'quit':
        return props.onQuit(intent.code);
      case 'back':
        return props.onBack();
      case 'cancel':
        flow.cancel();
        return props.onCancel();
      case 'answer-missing-state':
        setNote(undefined);
        flow.confirmMissingState(intent.take);
        if (!intent.take) show({ kind: 'info', text: 'Dropped that redirect; still waiting.' });
        return;
      case 'open-browser':
        show({ kind: 'info', text: 'Opening the browser…' });
        void flow.openBrowser().then(() => show(undefined));
        return;
      case 'copy-url':
        if (url) {
          void copyText(url, { env: services.env, write, isSsh: ssh.isSsh }).then((r) =>
            show({ kind: 'ok', text: `Authorize URL: ${r.message}` }),
          );
        }
        return;
      case 'paste':
        setNote(undefined);
        setDraft('');
        setPasting(intent.mode);
        return WAIT_FOR_FRAME; // what comes with p in one read is for the paste field
      case 'approve':
        if (sandbox && url) {
          show({ kind: 'info', text: 'Approving in the sandbox…' });
          // On success the flow's own events tell the rest; the sandbox's answer is the note either way.
          void approveInSandbox(sandbox, url).then((r) =>
            show({ kind: r.ok ? 'ok' : 'error', text: r.message }),
          );
        }
        return;
      case 'none':
        return;
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
  const lines = panelLines({
    view,
    kind: props.kind,
    pasting,
    draft,
    note,
    columns: size.columns,
    maxRows: usableRows(size),
    sandbox: Boolean(sandbox),
    temporaryStore: props.temporaryStore ?? false,
    leaveLabel: props.leaveLabel,
    timeoutMs: props.timeoutMs,
    fallbackNote,
    sshForward: ssh.isSsh && view.listening ? portForwardHint(view.listening.port, services.env) : undefined,
  });
  const deadline = Math.min((view.waitingSince ?? startedAt) + props.timeoutMs, Date.now() + props.timeoutMs);
  return (
    <PanelView
      lines={lines}
      hyperlink={supportsHyperlinks(services.env)}
      sandbox={Boolean(sandbox)}
      deadline={deadline}
      onDraft={setDraft}
      onSubmit={submitPaste}
    />
  );
}
