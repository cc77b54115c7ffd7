/** Which screen the app shows and why, as one pure reducer (the App only renders it and runs effects). */
import type { ZchatError } from '../core/errors.js';
import { failedField } from '../core/login/failed-field.js';
import { type FieldName, fieldsFor, type LoginValues } from '../core/login/fields.js';
import type { LoginDraft, LoginPlan } from '../core/login/plan.js';
import type { LoginFlow } from '../core/oauth/login-flow.js';
import type { Activity } from './hooks/use-dashboard-state.js';

/** A field the server refused, and why (the error's first sentence). */
export interface FailedField {
  field: FieldName;
  reason: string;
}

export type StartScreen = 'dashboard' | 'wizard' | 'login';

/** Where a login was started from: esc and failures go back there. */
export type Origin = 'dashboard' | 'start';

export type Screen =
  | { name: 'dashboard'; profile?: string; notice?: Activity }
  | {
      name: 'wizard';
      origin: Origin;
      draft: LoginDraft;
      error?: string;
      /** The field the last attempt failed on (the server refused its value): the wizard opens there. */
      failed?: FailedField;
    }
  | { name: 'starting'; origin: Origin; draft: LoginDraft; values: LoginValues }
  | {
      name: 'waiting';
      /** Which login this is: a new one gets a fresh panel. */
      attempt: number;
      origin: Origin;
      draft: LoginDraft;
      values: LoginValues;
      flow: LoginFlow;
      plan: LoginPlan;
    };

export interface AppState {
  screen: Screen;
  attempts: number;
  /** The wizard's step in words, for a terminal too small to show it. */
  wizardStep: string;
  /** Set once: the app is leaving with this code (and this line to print after the screen is gone). */
  exit?: { code: number; farewell?: string };
}

export type AppAction =
  | { type: 'dashboard'; profile?: string; notice?: Activity }
  | { type: 'wizard'; origin: Origin; draft: LoginDraft }
  | { type: 'submit'; values: LoginValues }
  | { type: 'started'; flow: LoginFlow; plan: LoginPlan }
  | { type: 'not-started'; error: string }
  /** From the panel: back to the wizard over the same values (retry, cancel, back). */
  | { type: 'edit'; error?: string; failure?: ZchatError }
  | { type: 'step'; step: string }
  | { type: 'exit'; code: number; farewell?: string };

/** A draft that treats every field as given: the wizard opens on its summary (retry, edit). */
export function reviewDraft(draft: LoginDraft, values: LoginValues): LoginDraft {
  return { ...draft, values, given: fieldsFor(values.flow), missing: [] };
}

/**
 * The first screen: the dashboard when asked and there is something to show; for `login`, the waiting
 * panel at once when the plan is complete (`ready`), else the wizard on what is missing.
 */
export function initialAppState(
  start: StartScreen,
  o: { storeEmpty: boolean; draft: LoginDraft; ready: boolean; profile?: string },
): AppState {
  const base = { attempts: 0, wizardStep: 'subdomain' };
  if (start === 'dashboard' && !o.storeEmpty) {
    return { ...base, screen: { name: 'dashboard', ...(o.profile ? { profile: o.profile } : {}) } };
  }
  if (start === 'login' && o.ready) {
    return { ...base, screen: { name: 'starting', origin: 'start', draft: o.draft, values: o.draft.values } };
  }
  return { ...base, screen: { name: 'wizard', origin: 'start', draft: o.draft } };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  if (state.exit) return state; // leaving: nothing changes the screen any more
  const { screen } = state;
  switch (action.type) {
    case 'dashboard':
      return {
        ...state,
        screen: {
          name: 'dashboard',
          ...(action.profile ? { profile: action.profile } : {}),
          ...(action.notice ? { notice: action.notice } : {}),
        },
      };
    case 'wizard':
      return { ...state, screen: { name: 'wizard', origin: action.origin, draft: action.draft } };
    case 'submit':
      if (screen.name !== 'wizard') return state;
      return {
        ...state,
        screen: { name: 'starting', origin: screen.origin, draft: screen.draft, values: action.values },
      };
    case 'started': {
      if (screen.name !== 'starting') return state;
      const attempt = state.attempts + 1;
      const { origin, draft, values } = screen;
      return {
        ...state,
        attempts: attempt,
        screen: { name: 'waiting', attempt, origin, draft, values, flow: action.flow, plan: action.plan },
      };
    }
    case 'not-started':
    case 'edit': {
      if (screen.name !== 'starting' && screen.name !== 'waiting') return state;
      const error = action.type === 'not-started' ? action.error : action.error;
      const failure = action.type === 'edit' ? action.failure : undefined;
      const field = failure ? failedField(failure, screen.values.flow) : undefined;
      return {
        ...state,
        screen: {
          name: 'wizard',
          origin: screen.origin,
          draft: reviewDraft(screen.draft, screen.values),
          ...(error ? { error } : {}),
          ...(failure && field ? { failed: { field, reason: failure.message } } : {}),
        },
      };
    }
    case 'step':
      return action.step === state.wizardStep ? state : { ...state, wizardStep: action.step };
    case 'exit':
      return {
        ...state,
        exit: { code: action.code, ...(action.farewell ? { farewell: action.farewell } : {}) },
      };
  }
}
