/** The waiting panel's view of a login: the flow's events folded into one state (pure reducer). */
import { useEffect, useReducer } from 'react';
import type { ZchatError } from '../../core/errors.js';
import type {
  FlowEvent,
  GrantType,
  PreflightCheck,
  RedirectResult,
  SeenRequest,
  TokenResponse,
} from '../../core/oauth/types.js';

export type FlowPhase = 'starting' | 'waiting' | 'exchanging' | 'done' | 'failed' | 'timed-out' | 'cancelled';

export interface FlowView {
  phase: FlowPhase;
  listening?: { addresses: string[]; port: number; redirectUri: string };
  authorizeUrl?: string;
  /** The redirect port was taken: the sentence naming it (and its holder); the answer must be pasted. */
  portBusy?: string;
  /** What was checked while the browser is out (server answers, redirect URI listed), in arrival order. */
  checks?: PreflightCheck[];
  browser?: { opened: boolean; reason?: string };
  /** Every request the loopback server saw, with its verdict, oldest first. */
  requests: SeenRequest[];
  callback?: { source: 'loopback' | 'paste'; result: RedirectResult['kind'] };
  /** A redirect came without the state: the panel asks y/n until answered. */
  missingState?: { source: 'loopback' | 'paste'; result: RedirectResult['kind'] };
  exchanging?: GrantType;
  token?: TokenResponse;
  stored?: string;
  error?: ZchatError;
  timedOutAfterMs?: number;
  /** When the flow started waiting (Date.now()), for the countdown. */
  waitingSince?: number;
}

export const initialFlowView: FlowView = { phase: 'starting', requests: [] };

const FINAL: FlowPhase[] = ['done', 'failed', 'timed-out', 'cancelled'];

export function reduceFlow(view: FlowView, event: FlowEvent, now = Date.now()): FlowView {
  // A late event (e.g. a request seen while closing) must not revive a finished flow.
  const final = FINAL.includes(view.phase);
  switch (event.type) {
    case 'listening':
      return {
        ...view,
        listening: { addresses: event.addresses, port: event.port, redirectUri: event.redirectUri },
        phase: final ? view.phase : 'waiting',
        waitingSince: view.waitingSince ?? now,
      };
    case 'check':
      return { ...view, checks: [...(view.checks ?? []), event.check] };
    case 'port-busy':
      return { ...view, portBusy: event.error.message };
    case 'authorize-url':
      return {
        ...view,
        authorizeUrl: event.url,
        phase: final ? view.phase : 'waiting',
        waitingSince: view.waitingSince ?? now,
      };
    case 'browser':
      return {
        ...view,
        browser: event.reason ? { opened: event.opened, reason: event.reason } : { opened: event.opened },
      };
    case 'request-ignored':
    case 'request-accepted':
      return { ...view, requests: [...view.requests, event.request] };
    case 'state-missing':
      return final ? view : { ...view, missingState: { source: event.source, result: event.result } };
    case 'state-missing-answered': {
      const { missingState: _asked, ...rest } = view;
      return rest;
    }
    case 'callback':
      return { ...view, callback: { source: event.source, result: event.result } };
    case 'exchanging':
      return { ...view, exchanging: event.grant, phase: final ? view.phase : 'exchanging' };
    case 'token':
      // Without a persist step the token is the end; with one, 'stored' follows.
      return { ...view, token: event.token };
    case 'stored':
      return { ...view, stored: event.profile, phase: 'done' };
    case 'failed':
      return { ...view, error: event.error, phase: view.phase === 'done' ? view.phase : 'failed' };
    case 'timed-out':
      return { ...view, timedOutAfterMs: event.afterMs, phase: final ? view.phase : 'timed-out' };
    case 'cancelled':
      return { ...view, phase: final ? view.phase : 'cancelled' };
  }
}

/** The part of a LoginFlow this hook needs. `subscribe` replays past events first. */
export interface FlowEvents {
  subscribe(listener: (e: FlowEvent) => void): () => void;
}

export function useLoginFlow(flow: FlowEvents | undefined): FlowView {
  const [view, dispatch] = useReducer(
    (state: FlowView, action: FlowEvent | 'reset') =>
      action === 'reset' ? initialFlowView : reduceFlow(state, action),
    initialFlowView,
  );
  useEffect(() => {
    dispatch('reset');
    if (!flow) return;
    return flow.subscribe((event) => dispatch(event));
  }, [flow]);
  return view;
}
