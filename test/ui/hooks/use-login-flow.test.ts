import { describe, expect, test } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import type { FlowEvent, SeenRequest } from '../../../source/core/oauth/types.js';
import { type FlowView, initialFlowView, reduceFlow } from '../../../source/ui/hooks/use-login-flow.js';

const req = (verdict: SeenRequest['verdict']): SeenRequest => ({
  method: 'GET',
  path: '/',
  status: 200,
  verdict,
  at: 1,
});
const fold = (events: FlowEvent[], from: FlowView = initialFlowView) =>
  events.reduce((v, e) => reduceFlow(v, e, 1000), from);

describe('reduceFlow', () => {
  test('a code login from listening to stored', () => {
    const v = fold([
      {
        type: 'listening',
        addresses: ['http://127.0.0.1:8080'],
        port: 8080,
        redirectUri: 'http://localhost:8080',
      },
      { type: 'authorize-url', url: 'http://x/authorize' },
      { type: 'browser', opened: false, reason: 'no display' },
      { type: 'request-ignored', request: req('ignored') },
      { type: 'request-accepted', request: req('accepted') },
      { type: 'callback', source: 'loopback', result: 'code' },
    ]);
    expect(v.phase).toBe('waiting');
    expect(v.waitingSince).toBe(1000);
    expect(v.browser).toEqual({ opened: false, reason: 'no display' });
    expect(v.requests.map((r) => r.verdict)).toEqual(['ignored', 'accepted']);
    const done = fold(
      [
        { type: 'exchanging', grant: 'authorization_code' },
        {
          type: 'token',
          token: { accessToken: 'a', tokenType: 'Bearer', scope: 'read', grant: 'authorization_code' },
        },
        { type: 'stored', profile: 'demo' },
      ],
      v,
    );
    expect(done.phase).toBe('done');
    expect(done.stored).toBe('demo');
  });

  test('failures and the end states stay put', () => {
    const error = new ZchatError('invalid_grant', 'The code was spent.');
    const failed = fold([
      { type: 'exchanging', grant: 'password' },
      { type: 'failed', error },
    ]);
    expect(failed.phase).toBe('failed');
    expect(failed.error).toBe(error);
    expect(fold([{ type: 'listening', addresses: [], port: 1, redirectUri: 'r' }], failed).phase).toBe(
      'failed',
    );
    expect(fold([{ type: 'timed-out', afterMs: 5 }]).phase).toBe('timed-out');
    expect(fold([{ type: 'cancelled' }, { type: 'exchanging', grant: 'password' }]).phase).toBe('cancelled');
  });
});
