import { IMPLICIT_WARNING } from '../../core/login/defaults.js';
import type { FlowKind, SeenRequest } from '../../core/oauth/types.js';
import { redactParams } from '../../core/redact.js';
import type { FlowView } from '../hooks/use-login-flow.js';
import { footerText, progressLines } from './progress-lines.js';
import { rowsOf } from './rows.js';

export type Tone = 'ok' | 'error' | 'warn' | 'accent';
export type Part = string | { text: string; bold?: boolean; tone?: Tone; dim?: boolean };
export type Line =
  | {
      kind: 'text';
      parts: Part[];
      tone?: Tone;
      dim?: boolean;
      bold?: boolean;
      truncate?: boolean;
      rows: number;
    }
  | { kind: 'url'; url: string; rows: number }
  | { kind: 'spinner'; label: string; rows: number }
  | { kind: 'field'; rows: number }
  | { kind: 'request'; request: SeenRequest; rows: number };
export interface Block {
  id: string;
  marginTop: number;
  lines: Line[];
}
export type Pasting = false | 'address' | 'code';
export type Note = { kind: 'ok' | 'error' | 'info'; text: string } | undefined;

export interface PanelInput {
  view: FlowView;
  kind: FlowKind;
  pasting: Pasting;
  draft: string;
  note: Note;
  columns: number;
  /** Rows the panel may use; undefined when the terminal height is unknown. */
  maxRows: number | undefined;
  sandbox: boolean;
  temporaryStore: boolean;
  leaveLabel: string;
  timeoutMs: number;
  /** The secrets went to the file for want of a keyring, said the first time for a profile. */
  fallbackNote?: string | undefined;
  /** The port-forward command to show over SSH, or undefined when not over SSH. */
  sshForward: string | undefined;
}

export interface PanelLines {
  title: string;
  countdown: boolean;
  blocks: Block[];
  footer: Line;
  footerMargin: number;
  /** Rows the header, blocks and footer take, margins included: what the frame shows. */
  rows: number;
}

const SHOWN_REQUESTS = 6;

export const plain = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

/**
 * Every line the waiting panel shows, each with the rows it takes at this width, and what fits the height:
 * the same list is measured and rendered, so the two cannot disagree. The URL is never cut (it is copied
 * from the screen) and the keys always show.
 */
export function panelLines(i: PanelInput): PanelLines {
  const { view, columns: cols } = i;
  const text = (parts: Part[], o: Partial<Line> = {}): Line =>
    ({
      kind: 'text',
      parts,
      ...o,
      rows: 'truncate' in o && o.truncate ? 1 : rowsOf(plain(parts), cols),
    }) as Line;
  const roomy = !i.maxRows || i.maxRows >= 30;
  const gap = roomy ? 1 : 0;
  const browserFlow = i.kind === 'code' || i.kind === 'implicit';
  const waiting = view.phase === 'starting' || view.phase === 'waiting';
  const over = view.phase === 'done' || view.phase === 'failed' || view.phase === 'timed-out';
  const url = view.authorizeUrl;
  const footer = text([footerText(i, browserFlow, waiting, over)], { dim: true });

  let budget = i.maxRows ?? Number.POSITIVE_INFINITY;
  const blocks: Block[] = [];
  const rowsOfBlock = (b: Block) => b.marginTop + b.lines.reduce((n, l) => n + l.rows, 0);
  /** Keeps the block if it fits what is left. */
  const take = (b: Block): boolean => {
    const n = rowsOfBlock(b);
    if (n > budget) return false;
    budget -= n;
    return true;
  };
  budget -= 1 + footer.rows + gap; // header and keys

  // Decided in order of importance, shown in reading order.
  const chosen = new Map<string, Block>();
  const consider = (b: Block | undefined) => {
    if (b && take(b)) chosen.set(b.id, b);
  };
  if (url && !over) {
    const whole: Block = {
      id: 'url',
      marginTop: gap,
      lines: [
        text(['Open this URL, sign in and press Allow:']),
        { kind: 'url', url, rows: rowsOf(url, cols) },
      ],
    };
    if (take(whole)) chosen.set('url', whole);
    else {
      // Always shown: the height check has nothing smaller to fall back to.
      const small: Block = {
        id: 'url',
        marginTop: 0,
        lines: [
          text([
            'The terminal is too small for the whole authorize URL: press ',
            { text: 'y', bold: true },
            ' to copy it, or enlarge the terminal.',
          ]),
        ],
      };
      budget -= rowsOfBlock(small);
      chosen.set('url', small);
    }
  }
  if (view.missingState && waiting) {
    const m = view.missingState;
    const what = m.result === 'code' ? 'the code' : m.result === 'token' ? 'the token' : 'an answer';
    const where = m.source === 'paste' ? 'pasted' : 'in the browser';
    consider({
      id: 'ask',
      marginTop: gap,
      lines: [
        text(
          [
            `Zendesk returned ${what} without the state it was sent (${where}). Did you just press Allow for this login? y takes it, n drops it and keeps waiting.`,
          ],
          { tone: 'warn' },
        ),
      ],
    });
  }
  if (view.portBusy && url && waiting) {
    consider({
      id: 'port-busy',
      marginTop: gap,
      lines: [
        text(
          [
            `✗ ${view.portBusy} After Allow, copy the address the browser ends on and press `,
            { text: 'p', bold: true },
            ' to paste it here.',
          ],
          { tone: 'error' },
        ),
      ],
    });
  }
  const failedChecks = (view.checks ?? []).filter((c) => !c.ok);
  if (failedChecks.length > 0 && url && waiting) {
    consider({
      id: 'checks-failed',
      marginTop: gap,
      lines: failedChecks.map((c) => text([`✗ ${c.sentence}`], { tone: 'error' })),
    });
  }
  if (i.kind === 'implicit' && url && waiting)
    consider({ id: 'implicit', marginTop: 0, lines: [text([IMPLICIT_WARNING], { tone: 'warn' })] });
  if (i.pasting) {
    const label =
      i.pasting === 'code' ? 'Paste the bare code (it has no state to check):' : 'Paste the redirected URL:';
    const shown = `${'*'.repeat([...i.draft].length)} `;
    consider({
      id: 'paste',
      marginTop: gap,
      lines: [
        text([label], { bold: true }),
        { kind: 'field', rows: rowsOf(shown, cols) },
        text(
          [i.draft ? redactParams(i.draft) : 'It stays masked on screen; enter sends it, esc goes back.'],
          {
            dim: true,
            truncate: true,
          },
        ),
      ],
    });
  }
  if (i.note) {
    const mark = i.note.kind === 'error' ? '✗ ' : i.note.kind === 'ok' ? '✓ ' : '· ';
    const tone = i.note.kind === 'error' ? 'error' : i.note.kind === 'ok' ? 'ok' : undefined;
    consider({ id: 'note', marginTop: 0, lines: [text([mark + i.note.text], tone ? { tone } : {})] });
  }
  const progress = progressLines(i, text);
  if (progress.length > 0 && (over || view.phase === 'exchanging'))
    consider({ id: 'progress', marginTop: over ? 0 : gap, lines: progress });
  if (i.sshForward && view.listening && waiting) {
    consider({
      id: 'ssh',
      marginTop: gap,
      lines: [
        text([
          'Over SSH: on your laptop run ',
          { text: i.sshForward, bold: true },
          ' and open the URL there,',
        ]),
        text([
          'or press ',
          { text: 'p', bold: true },
          " and paste the redirected URL from your laptop's address bar.",
        ]),
      ],
    });
  }
  if (view.browser && !over) {
    const b = view.browser;
    consider({
      id: 'browser',
      marginTop: 0,
      lines: [
        text(
          b.opened
            ? ['Browser: ', { text: 'opened', tone: 'ok' }]
            : [
                `Browser: not opened${b.reason ? ` (${b.reason})` : ''}; copy the URL (y) or open it yourself`,
              ],
        ),
      ],
    });
  }
  if (!over) {
    const listening = view.listening
      ? `Listening on ${view.listening.addresses.join(' and ')} (redirect ${view.listening.redirectUri})`
      : browserFlow && url && !view.portBusy
        ? 'Not listening: the redirect URL is not on this computer. After Allow, copy the address from the browser and press p to paste it.'
        : '';
    if (listening) consider({ id: 'listening', marginTop: 0, lines: [text([listening])] });
  }
  const passed = (view.checks ?? []).filter((c) => c.ok);
  if (passed.length > 0 && url && waiting) {
    consider({
      id: 'checks-ok',
      marginTop: 0,
      lines: [text([`✓ Checked: ${passed.map((c) => c.sentence).join(' ')}`], { tone: 'ok' })],
    });
  }
  if (i.sandbox && url && waiting) {
    consider({
      id: 'sandbox',
      marginTop: 0,
      lines: [
        text([
          'Sandbox: press ',
          { text: 'a', bold: true },
          ' to approve in the emulator (as pressing Allow), or use the URL in a browser.',
        ]),
      ],
    });
  }
  if (progress.length > 0 && !chosen.has('progress'))
    consider({ id: 'progress-waiting', marginTop: over ? 0 : gap, lines: progress });
  // No listener (the port was taken): no requests to list.
  if (browserFlow && url && !view.portBusy) {
    const head: Block = { id: 'requests', marginTop: gap, lines: [] };
    if (budget >= gap + 2) {
      budget -= gap + 1;
      const all = view.requests;
      const shown = Math.min(
        SHOWN_REQUESTS,
        all.length,
        Number.isFinite(budget) ? budget - (all.length ? 0 : 1) : SHOWN_REQUESTS,
      );
      const requests = all.slice(all.length - Math.max(shown, 0));
      const hidden = all.length - requests.length;
      head.lines.push(
        text(
          [
            { text: 'Requests seen ', bold: true },
            { text: `(${all.length})`, dim: true },
            ...(hidden > 0 ? [{ text: ` · ${hidden} earlier not shown`, dim: true }] : []),
          ],
          { truncate: true },
        ),
      );
      if (all.length === 0) head.lines.push(text([{ text: 'none yet', dim: true }], { truncate: true }));
      for (const r of requests) head.lines.push({ kind: 'request', request: r, rows: 1 });
      budget -= head.lines.length - 1;
      chosen.set('requests', head);
    }
  }
  if (browserFlow && !url && view.phase === 'starting') {
    const label = 'Opening the local redirect listener…';
    chosen.set('starting', {
      id: 'starting',
      marginTop: 0,
      lines: [{ kind: 'spinner', label, rows: rowsOf(`⠋ ${label}`, cols) }],
    });
  }
  const order = [
    'ask',
    'port-busy',
    'checks-failed',
    'paste',
    'note',
    'progress',
    'starting',
    'listening',
    'checks-ok',
    'url',
    'implicit',
    'browser',
    'ssh',
    'sandbox',
    'progress-waiting',
    'requests',
  ];
  for (const id of order) {
    const b = chosen.get(id);
    if (b) blocks.push(b);
  }
  const rows = 1 + blocks.reduce((n, b) => n + rowsOfBlock(b), 0) + gap + footer.rows;
  return {
    title: `zchat-auth · ${browserFlow ? 'waiting for Zendesk' : 'getting a token'}`,
    countdown: browserFlow && waiting,
    blocks,
    footer,
    footerMargin: gap,
    rows,
  };
}

export { howToUseLine } from './progress-lines.js';
export { rowsOf } from './rows.js';
