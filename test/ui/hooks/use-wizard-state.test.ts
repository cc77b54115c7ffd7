import { describe, expect, test } from 'vitest';
import {
  initWizard,
  isFirstStep,
  type WizardState,
  wizardReducer,
} from '../../../source/ui/hooks/use-wizard-state.js';
import {
  checkField,
  checkRedirectUri,
  fieldsFor,
  type WizardValues,
} from '../../../source/ui/wizard-fields.js';

const empty: WizardValues = {
  subdomain: '',
  flow: 'code',
  clientId: '',
  clientSecret: '',
  username: '',
  password: '',
  scopes: ['read', 'write'],
  redirectUri: 'http://localhost:8080',
  profile: '',
};
const ctx = { existingProfiles: ['acme'] };
const run = (s: WizardState, ...actions: Parameters<typeof wizardReducer>[1][]) =>
  actions.reduce(wizardReducer, s);

describe('wizard reducer', () => {
  test('first run walks every field in order, then the summary', () => {
    let s = initWizard(empty, [], ctx);
    expect(s.step).toBe('subdomain');
    expect(isFirstStep(s)).toBe(true);
    s = run(s, { type: 'next' });
    expect([s.step, s.attempted]).toEqual(['subdomain', true]);
    s = run(s, { type: 'set', field: 'subdomain', value: 'acme' }, { type: 'next' });
    expect(s.step).toBe('flow');
    s = run(s, { type: 'next' });
    expect(s.step).toBe('clientId');
    s = run(s, { type: 'set', field: 'clientId', value: 'abc' }, { type: 'next' }, { type: 'next' });
    expect([s.step, s.attempted]).toEqual(['clientSecret', true]);
    s = run(s, { type: 'set', field: 'clientSecret', value: 'x' }, { type: 'next' }, { type: 'next' });
    expect(s.step).toBe('redirectUri');
    s = run(s, { type: 'next' }, { type: 'next' });
    expect(s.step).toBe('review');
  });

  test('esc goes back one step; the first step stays (the screen leaves)', () => {
    let s = initWizard(
      { ...empty, subdomain: 'acme', clientId: 'abc', clientSecret: 'x' },
      fieldsFor('code'),
      ctx,
    );
    expect(s.step).toBe('review');
    s = run(s, { type: 'back' });
    expect(s.step).toBe('profile');
    s = run(
      s,
      { type: 'back' },
      { type: 'back' },
      { type: 'back' },
      { type: 'back' },
      { type: 'back' },
      { type: 'back' },
    );
    expect(s.step).toBe('subdomain');
    expect(run(s, { type: 'back' }).step).toBe('subdomain');
  });

  test('given fields are skipped; a flow change asks what it now needs', () => {
    let s = initWizard({ ...empty, subdomain: 'acme', clientId: 'abc' }, ['subdomain', 'clientId'], ctx);
    expect(s.step).toBe('flow');
    s = run(s, { type: 'set', field: 'flow', value: 'client-credentials' }, { type: 'next' });
    expect(s.step).toBe('clientSecret');
    s = run(s, { type: 'next' });
    expect(s.attempted).toBe(true);
    s = run(s, { type: 'set', field: 'clientSecret', value: 's3cret' }, { type: 'next' });
    expect(s.step).toBe('scopes');
  });

  test('summary rows: move wraps, goto edits one field', () => {
    let s = initWizard(
      { ...empty, subdomain: 'acme', clientId: 'abc', clientSecret: 'x' },
      fieldsFor('code'),
      ctx,
    );
    s = run(s, { type: 'review-move', delta: -1 });
    expect(s.reviewIndex).toBe(fieldsFor('code').length);
    s = run(s, { type: 'review-move', delta: 1 }, { type: 'goto', field: 'clientId' });
    expect(s.step).toBe('clientId');
    s = run(s, { type: 'next' });
    expect(s.step).toBe('review');
  });
});

describe('field checks', () => {
  const v = { ...empty, subdomain: 'acme', clientId: 'abc' };
  test('subdomain: normalised or refused with the reason', () => {
    expect(checkField('subdomain', { ...v, subdomain: 'https://Acme.zendesk.com/x' }, ctx)).toEqual({
      ok: true,
      note: 'Will use “acme”.',
    });
    const bad = checkField('subdomain', { ...v, subdomain: 'ac me' }, ctx);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/spaces/);
  });

  test('client secret: needed for the exchange and the direct grants, kept when stored', () => {
    expect(checkField('clientSecret', v, ctx)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/exchanged/),
    });
    expect(checkField('clientSecret', { ...v, flow: 'implicit' }, ctx).ok).toBe(true);
    expect(checkField('clientSecret', { ...v, flow: 'password' }, ctx).ok).toBe(false);
    expect(
      checkField('clientSecret', { ...v, flow: 'password' }, { ...ctx, storedSecretClientId: 'abc' }),
    ).toEqual({
      ok: true,
      note: 'The stored secret is kept.',
    });
    expect(
      checkField('clientSecret', { ...v, flow: 'password' }, { ...ctx, storedSecretClientId: 'other' }).ok,
    ).toBe(false);
  });

  test('redirect URL rules', () => {
    expect(checkRedirectUri('http://localhost:8080').ok).toBe(true);
    expect(checkRedirectUri('http://127.0.0.1:9/cb').ok).toBe(true);
    expect(checkRedirectUri('https://example.com/cb')).toMatchObject({
      ok: true,
      note: expect.stringMatching(/paste/),
    });
    expect(checkRedirectUri('http://example.com/cb')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/localhost/),
    });
    expect(checkRedirectUri('localhost:8080').ok).toBe(false);
    expect(checkRedirectUri('http://localhost:8080/#x').ok).toBe(false);
    expect(checkRedirectUri('').ok).toBe(false);
  });

  test('scopes, profile name, username, password, client ID', () => {
    expect(checkField('scopes', { ...v, scopes: [] }, ctx).ok).toBe(false);
    // read write is the default and needs no word; chat is never suggested, and when picked, explained.
    expect(checkField('scopes', v, ctx)).toEqual({ ok: true });
    expect(checkField('scopes', { ...v, scopes: ['read', 'write', 'chat'] }, ctx)).toMatchObject({
      ok: true,
      note: expect.stringMatching(/Conversations API; a Chat client allows read and write only/),
    });
    expect(checkField('profile', v, ctx)).toEqual({ ok: true, note: 'Replaces the stored profile “acme”.' });
    expect(checkField('profile', { ...v, profile: 'bad name' }, ctx).ok).toBe(false);
    expect(checkField('username', v, ctx).ok).toBe(false);
    expect(checkField('password', v, ctx).ok).toBe(false);
    expect(checkField('clientId', { ...v, clientId: 'a b' }, ctx).ok).toBe(false);
    expect(checkField('clientId', { ...v, clientId: ' ' }, ctx).ok).toBe(false);
  });
});

test('setting a field to the value it has changes nothing (no render, no update loop)', () => {
  const s = initWizard({ ...empty, subdomain: 'acme' }, [], ctx);
  expect(wizardReducer(s, { type: 'set', field: 'subdomain', value: 'acme' })).toBe(s);
  expect(wizardReducer(s, { type: 'set', field: 'scopes', value: ['read', 'write'] })).toBe(s);
  expect(wizardReducer(s, { type: 'set', field: 'subdomain', value: 'acme2' })).not.toBe(s);
});
