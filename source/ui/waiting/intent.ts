/**
 * What a key means on the waiting panel, as a pure function of the key and what the panel shows: no React,
 * no I/O. The panel carries the intent out.
 */
import type { Key } from 'ink';
import type { FlowKind } from '../../core/oauth/types.js';
import type { FlowPhase } from '../hooks/use-login-flow.js';
import type { Pasting } from './panel-lines.js';

export type WaitingIntent =
  | { type: 'none' }
  | { type: 'leave-paste' }
  | { type: 'continue' }
  | { type: 'retry' }
  | { type: 'quit'; code: number }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'answer-missing-state'; take: boolean }
  | { type: 'open-browser' }
  | { type: 'copy-url' }
  | { type: 'paste'; mode: Exclude<Pasting, false> }
  | { type: 'approve' };

export interface WaitingKeyState {
  phase: FlowPhase;
  kind: FlowKind;
  pasting: Pasting;
  hasUrl: boolean;
  missingState: boolean;
  sandbox: boolean;
}

const none: WaitingIntent = { type: 'none' };

export function waitingIntent(input: string, key: Key, s: WaitingKeyState): WaitingIntent {
  if (key.ctrl || (key.meta && !key.escape)) return none; // the root owns Ctrl+C; a chord is not its letter
  if (s.pasting) return key.escape ? { type: 'leave-paste' } : none; // the paste input has the other keys
  const over = s.phase === 'done' || s.phase === 'failed' || s.phase === 'timed-out';
  if (over) {
    if (key.return) return s.phase === 'done' ? { type: 'continue' } : { type: 'retry' };
    if (input === 'q') return { type: 'quit', code: s.phase === 'done' ? 0 : 1 };
    return key.escape ? { type: 'back' } : none;
  }
  if (key.escape) return { type: 'cancel' };
  const browserFlow = s.kind === 'code' || s.kind === 'implicit';
  const waiting = s.phase === 'starting' || s.phase === 'waiting';
  if (!browserFlow || !s.hasUrl || !waiting) return none;
  // y/n answer the question while it is asked (y copies the URL otherwise).
  if (s.missingState)
    return input === 'y' || input === 'n' ? { type: 'answer-missing-state', take: input === 'y' } : none;
  if (input === 'o') return { type: 'open-browser' };
  if (input === 'y') return { type: 'copy-url' };
  if (input === 'p') return { type: 'paste', mode: 'address' };
  if (input === 'c' && s.kind === 'code') return { type: 'paste', mode: 'code' };
  if (input === 'a' && s.sandbox) return { type: 'approve' };
  return none;
}
