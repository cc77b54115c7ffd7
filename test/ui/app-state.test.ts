/** The app's screens as a pure reducer: which screen follows which, and that leaving is final. */
import { describe, expect, test } from 'vitest';
import { DEFAULT_REDIRECT_URI } from '../../source/core/login/defaults.js';
import type { LoginDraft, LoginPlan } from '../../source/core/login/plan.js';
import type { LoginFlow } from '../../source/core/oauth/login-flow.js';
import { appReducer, initialAppState } from '../../source/ui/app-state.js';

const draft: LoginDraft = {
  values: {
    subdomain: 'acme',
    flow: 'code',
    clientId: 'c',
    clientSecret: '',
    username: '',
    password: '',
    scopes: ['read', 'write'],
    redirectUri: DEFAULT_REDIRECT_URI,
    profile: '',
  },
  given: ['subdomain'],
  missing: ['clientSecret'],
  existingProfiles: [],
};
const flow = { cancel() {} } as LoginFlow;
const plan = { profile: 'acme' } as LoginPlan;

describe('appReducer', () => {
  test('login with a complete plan starts at once; else the wizard; the dashboard only with profiles', () => {
    expect(initialAppState('login', { storeEmpty: true, draft, ready: true }).screen.name).toBe('starting');
    expect(initialAppState('login', { storeEmpty: true, draft, ready: false }).screen.name).toBe('wizard');
    expect(initialAppState('dashboard', { storeEmpty: true, draft, ready: true }).screen.name).toBe('wizard');
    expect(initialAppState('dashboard', { storeEmpty: false, draft, ready: false }).screen.name).toBe(
      'dashboard',
    );
  });

  test('submit → starting → waiting (a new attempt each time) → back to the wizard on its summary', () => {
    let s = initialAppState('wizard', { storeEmpty: true, draft, ready: false });
    s = appReducer(s, { type: 'submit', values: { ...draft.values, clientSecret: 'x' } });
    expect(s.screen.name).toBe('starting');
    s = appReducer(s, { type: 'started', flow, plan });
    expect(s.screen).toMatchObject({ name: 'waiting', attempt: 1 });
    s = appReducer(s, { type: 'edit', error: 'Login cancelled.' });
    expect(s.screen).toMatchObject({ name: 'wizard', error: 'Login cancelled.' });
    if (s.screen.name !== 'wizard') throw new Error('not the wizard');
    expect(s.screen.draft.given).toEqual([
      'subdomain',
      'flow',
      'clientId',
      'clientSecret',
      'scopes',
      'redirectUri',
      'profile',
    ]);
    expect(s.screen.draft.values.clientSecret).toBe('x');
    s = appReducer(appReducer(s, { type: 'submit', values: draft.values }), { type: 'started', flow, plan });
    expect(s.screen).toMatchObject({ name: 'waiting', attempt: 2 });
  });

  test('a flow that starts after the screen moved on is not shown; nothing changes after exit', () => {
    const wizard = initialAppState('wizard', { storeEmpty: true, draft, ready: false });
    expect(appReducer(wizard, { type: 'started', flow, plan })).toBe(wizard);
    const leaving = appReducer(wizard, { type: 'exit', code: 130 });
    expect(leaving.exit).toEqual({ code: 130 });
    expect(appReducer(leaving, { type: 'exit', code: 0 })).toBe(leaving);
    expect(appReducer(leaving, { type: 'dashboard' })).toBe(leaving);
  });
});
