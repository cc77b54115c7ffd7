/**
 * The dashboard's own state as a pure reducer: focus, selection, filters, overlays and the activity line.
 * Data (profiles, clients, server tokens) is passed in; this only says what the user is looking at.
 */
import { useReducer } from 'react';
import type { LayoutMode } from '../layout.js';

export type Pane = 'tokens' | 'clients' | 'details';
export type ListPane = 'tokens' | 'clients';

export type ConfirmAction =
  | { type: 'confidential'; clientId: number; name: string }
  | { type: 'revoke'; tokenId: number; label: string; profile?: string }
  | { type: 'delete'; profile: string };

export type Activity =
  | { kind: 'busy'; text: string }
  | { kind: 'ok' | 'error' | 'info' | 'warn'; text: string }
  | undefined;

export interface DashboardState {
  focus: Pane;
  /** The list pane last focused, so details and keys know which selection they are about. */
  lastList: ListPane;
  selected: Record<ListPane, number>;
  filter: Record<ListPane, string>;
  /** Typing into the filter of `lastList`. */
  filtering: boolean;
  /** enter: the details pane takes the lists' place. */
  expanded: boolean;
  reveal: boolean;
  help: boolean;
  /** The first help row shown (the help scrolls when it is longer than the screen). */
  helpScroll: number;
  confirm?: ConfirmAction | undefined;
  activity: Activity;
}

export type DashboardAction =
  | { type: 'move'; delta: number; count: number }
  | { type: 'move-to'; index: number; count: number }
  | { type: 'select'; pane: ListPane; index: number }
  | { type: 'tab'; mode: LayoutMode }
  | { type: 'toggle-details' }
  | { type: 'close' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-end'; keep: boolean }
  | { type: 'toggle-reveal' }
  | { type: 'hide-secret' }
  | { type: 'toggle-help' }
  | { type: 'help-scroll'; delta: number; max: number }
  | { type: 'ask'; confirm: ConfirmAction }
  | { type: 'answer' }
  | { type: 'activity'; activity: Activity };

export function initialDashboard(overrides: Partial<DashboardState> = {}): DashboardState {
  return {
    focus: 'tokens',
    lastList: 'tokens',
    selected: { tokens: 0, clients: 0 },
    filter: { tokens: '', clients: '' },
    filtering: false,
    expanded: false,
    reveal: false,
    help: false,
    helpScroll: 0,
    activity: undefined,
    ...overrides,
  };
}

function clampIndex(index: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(Math.max(index, 0), count - 1);
}

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'move': {
      const pane = state.lastList;
      const index = clampIndex(state.selected[pane] + action.delta, action.count);
      if (index === state.selected[pane]) return state;
      // Moving away hides a revealed token: a secret is shown only for what the user asked about.
      return { ...state, selected: { ...state.selected, [pane]: index }, reveal: false };
    }
    case 'move-to': {
      const pane = state.lastList;
      const index = clampIndex(action.index, action.count);
      if (index === state.selected[pane]) return state;
      return { ...state, selected: { ...state.selected, [pane]: index }, reveal: false };
    }
    case 'select':
      return { ...state, selected: { ...state.selected, [action.pane]: Math.max(action.index, 0) } };
    case 'tab': {
      // Side by side and stacked: tokens ⇄ clients. One pane: tokens → clients → details.
      const cycle: Pane[] =
        action.mode === 'single' ? ['tokens', 'clients', 'details'] : ['tokens', 'clients'];
      const from = state.expanded ? 'details' : state.focus;
      const at = cycle.indexOf(from);
      const focus = cycle[(at + 1) % cycle.length]!;
      const lastList = focus === 'details' ? state.lastList : focus;
      return { ...state, focus, lastList, expanded: false, reveal: false };
    }
    case 'toggle-details': {
      if (state.expanded || state.focus === 'details') {
        return { ...state, expanded: false, focus: state.lastList };
      }
      return { ...state, expanded: true, focus: 'details' };
    }
    case 'close': {
      // esc peels one layer: help, confirmation, filter, expanded details, revealed secret.
      if (state.help) return { ...state, help: false };
      if (state.confirm)
        return { ...state, confirm: undefined, activity: { kind: 'info', text: 'Cancelled.' } };
      if (state.filtering || state.filter[state.lastList]) {
        return { ...state, filtering: false, filter: { ...state.filter, [state.lastList]: '' } };
      }
      if (state.expanded || state.focus === 'details')
        return { ...state, expanded: false, focus: state.lastList };
      if (state.reveal) return { ...state, reveal: false };
      return state;
    }
    case 'filter-start':
      return { ...state, filtering: true, expanded: false, focus: state.lastList };
    case 'filter-type':
      return {
        ...state,
        filter: { ...state.filter, [state.lastList]: state.filter[state.lastList] + action.text },
        selected: { ...state.selected, [state.lastList]: 0 },
      };
    case 'filter-backspace':
      return {
        ...state,
        filter: { ...state.filter, [state.lastList]: state.filter[state.lastList].slice(0, -1) },
        selected: { ...state.selected, [state.lastList]: 0 },
      };
    case 'filter-end':
      return action.keep
        ? { ...state, filtering: false }
        : { ...state, filtering: false, filter: { ...state.filter, [state.lastList]: '' } };
    case 'toggle-reveal':
      return { ...state, reveal: !state.reveal };
    case 'hide-secret':
      return state.reveal ? { ...state, reveal: false } : state;
    case 'toggle-help':
      return { ...state, help: !state.help, helpScroll: 0 };
    case 'help-scroll': {
      const helpScroll = clampIndex(state.helpScroll + action.delta, action.max + 1);
      return helpScroll === state.helpScroll ? state : { ...state, helpScroll };
    }
    case 'ask':
      return { ...state, confirm: action.confirm, help: false, activity: undefined };
    case 'answer':
      return { ...state, confirm: undefined };
    case 'activity':
      return { ...state, activity: action.activity };
  }
}

/** `init` is called once, when the screen mounts (it may look through every profile: not on each key). */
export function useDashboardState(init?: () => Partial<DashboardState>) {
  return useReducer(dashboardReducer, init, (make) => initialDashboard(make?.()));
}
