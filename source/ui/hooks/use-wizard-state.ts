/** The wizard as a pure reducer: which step is shown, what was typed, where enter and esc go. */
import { useReducer } from 'react';
import {
  type CheckContext,
  checkField,
  type FieldName,
  fieldsFor,
  type WizardValues,
} from '../wizard-fields.js';

export type WizardStep = FieldName | 'review';

export interface WizardState {
  values: WizardValues;
  step: WizardStep;
  /** Fields the user has seen or that came filled in (flags, last profile): enter skips over them. */
  confirmed: FieldName[];
  /** Enter was pressed on an invalid value: the reason is shown louder. */
  attempted: boolean;
  /** Review screen: 0 is "Start login", 1.. the fields, to jump back and edit one. */
  reviewIndex: number;
  ctx: CheckContext;
}

export type WizardAction =
  | { type: 'set'; field: FieldName; value: WizardValues[FieldName] }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'goto'; field: FieldName }
  | { type: 'review-move'; delta: number };

export function initWizard(
  values: WizardValues,
  given: readonly FieldName[],
  ctx: CheckContext,
): WizardState {
  const state: WizardState = {
    values,
    step: 'review',
    confirmed: [...given],
    attempted: false,
    reviewIndex: 0,
    ctx,
  };
  return { ...state, step: firstOpen(state, -1) };
}

export function isValid(state: WizardState, field: FieldName): boolean {
  return checkField(field, state.values, state.ctx).ok;
}

/** The first field after position `from` that is unconfirmed or invalid, else the review. */
function firstOpen(state: WizardState, from: number): WizardStep {
  const order = fieldsFor(state.values.flow);
  for (let i = from + 1; i < order.length; i++) {
    const field = order[i]!;
    if (!state.confirmed.includes(field) || !isValid(state, field)) return field;
  }
  // Earlier fields may have become invalid (e.g. the flow changed what a secret must be).
  for (const field of order) if (!isValid(state, field)) return field;
  return 'review';
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'set': {
      const before = state.values[action.field];
      const same =
        before === action.value ||
        (Array.isArray(before) && Array.isArray(action.value) && before.join(' ') === action.value.join(' '));
      // The same value again (an input reporting what it already said) changes nothing, not even a render.
      if (same) return state;
      return { ...state, values: { ...state.values, [action.field]: action.value }, attempted: false };
    }
    case 'next': {
      if (state.step === 'review') return state;
      if (!isValid(state, state.step)) return { ...state, attempted: true };
      const confirmed = state.confirmed.includes(state.step)
        ? state.confirmed
        : [...state.confirmed, state.step];
      const next = { ...state, confirmed, attempted: false };
      const order = fieldsFor(state.values.flow);
      return { ...next, step: firstOpen(next, order.indexOf(state.step)), reviewIndex: 0 };
    }
    case 'back': {
      const order = fieldsFor(state.values.flow);
      if (state.step === 'review') return { ...state, step: order[order.length - 1]!, attempted: false };
      const at = order.indexOf(state.step);
      // On the first field there is nowhere to go back to: the screen decides (leave the wizard).
      if (at <= 0) return state;
      return { ...state, step: order[at - 1]!, attempted: false };
    }
    case 'goto':
      return { ...state, step: action.field, attempted: false };
    case 'review-move': {
      const count = fieldsFor(state.values.flow).length + 1;
      const reviewIndex = (state.reviewIndex + action.delta + count) % count;
      return { ...state, reviewIndex };
    }
  }
}

export function isFirstStep(state: WizardState): boolean {
  return state.step !== 'review' && fieldsFor(state.values.flow).indexOf(state.step) === 0;
}

export function useWizardState(init: () => WizardState) {
  return useReducer(wizardReducer, undefined, init);
}
