import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';
import { type WaitingKeyState, waitingIntent } from '../../../source/ui/waiting/intent.js';

const plain: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const waiting: WaitingKeyState = {
  phase: 'waiting',
  kind: 'code',
  pasting: false,
  hasUrl: true,
  missingState: false,
  sandbox: true,
};

const table: [string, string, Partial<Key>, Partial<WaitingKeyState>, unknown][] = [
  ['o opens the browser', 'o', {}, {}, { type: 'open-browser' }],
  ['y copies the URL', 'y', {}, {}, { type: 'copy-url' }],
  ['Ctrl+Y is not y', 'y', { ctrl: true }, {}, { type: 'none' }],
  ['p pastes a redirected URL', 'p', {}, {}, { type: 'paste', mode: 'address' }],
  ['c pastes a bare code (code flow)', 'c', {}, {}, { type: 'paste', mode: 'code' }],
  ['c is nothing in the implicit flow', 'c', {}, { kind: 'implicit' }, { type: 'none' }],
  ['a approves in the sandbox', 'a', {}, {}, { type: 'approve' }],
  ['a is nothing without a sandbox', 'a', {}, { sandbox: false }, { type: 'none' }],
  ['esc cancels a wait', '', { escape: true }, {}, { type: 'cancel' }],
  [
    'y takes a state-less redirect',
    'y',
    {},
    { missingState: true },
    { type: 'answer-missing-state', take: true },
  ],
  ['n drops it', 'n', {}, { missingState: true }, { type: 'answer-missing-state', take: false }],
  ['o is nothing while asked', 'o', {}, { missingState: true }, { type: 'none' }],
  ['letters go to the paste field', 'y', {}, { pasting: 'address' }, { type: 'none' }],
  ['esc leaves the paste field', '', { escape: true }, { pasting: 'code' }, { type: 'leave-paste' }],
  ['enter after success: dashboard', '', { return: true }, { phase: 'done' }, { type: 'continue' }],
  ['enter after a failure: retry', '', { return: true }, { phase: 'failed' }, { type: 'retry' }],
  ['q after success quits with 0', 'q', {}, { phase: 'done' }, { type: 'quit', code: 0 }],
  ['q after a time-out quits with 1', 'q', {}, { phase: 'timed-out' }, { type: 'quit', code: 1 }],
  ['esc once over goes back', '', { escape: true }, { phase: 'failed' }, { type: 'back' }],
  ['o is nothing for client credentials', 'o', {}, { kind: 'client-credentials' }, { type: 'none' }],
  ['y is nothing before the URL', 'y', {}, { hasUrl: false, phase: 'starting' }, { type: 'none' }],
];

describe('a key on the waiting panel means', () => {
  test.each(table)('%s', (_name, input, key, state, intent) => {
    expect(waitingIntent(input, { ...plain, ...key }, { ...waiting, ...state })).toEqual(intent);
  });
});
