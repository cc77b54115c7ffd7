import { Box } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import type { FlowView } from '../../../source/ui/hooks/use-login-flow.js';
import { KeyRouter } from '../../../source/ui/key-router.js';
import { PanelView } from '../../../source/ui/waiting/PanelView.js';
import { type PanelInput, panelLines } from '../../../source/ui/waiting/panel-lines.js';
import { tick } from '../helpers.js';
import { renderSized } from '../sized-render.js';

// A PKCE authorize URL as long as the real ones: it wraps over several rows at every width here.
const url =
  'http://127.0.0.1:4010/oauth2/authorizations/new?response_type=code&client_id=zchat_cli_demo_client&redirect_uri=http%3A%2F%2F127.0.0.1%3A8976%2Fcallback&scope=read%20write&state=Qx3v9YtA0bLkR2mZpW7sNcJd&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&subdomain=acme';

const waiting: FlowView = {
  phase: 'waiting',
  listening: {
    addresses: ['127.0.0.1:8976', '[::1]:8976'],
    port: 8976,
    redirectUri: 'http://127.0.0.1:8976/callback',
  },
  authorizeUrl: url,
  browser: { opened: false, reason: 'no display' },
  requests: [
    { method: 'GET', path: '/favicon.ico', status: 404, verdict: 'ignored', reason: 'favicon', at: 0 },
    {
      method: 'GET',
      path: '/callback?state=***',
      status: 400,
      verdict: 'rejected',
      reason: 'wrong state',
      at: 0,
    },
  ],
  waitingSince: Date.now(),
};
const success: FlowView = {
  ...waiting,
  phase: 'done',
  callback: { source: 'loopback', result: 'code' },
  exchanging: 'authorization_code',
  token: {
    grant: 'authorization_code',
    accessToken: 'abcdefghijklmnopqrstuvwxyz0123456789',
    tokenType: 'Bearer',
    scope: 'read write',
    refreshToken: 'r1',
  },
  stored: 'work',
};
const failure: FlowView = {
  ...waiting,
  phase: 'failed',
  callback: { source: 'paste', result: 'code' },
  exchanging: 'authorization_code',
  error: new ZchatError('invalid_grant', 'Zendesk refused the code: it was already used or has expired.', {
    hint: 'Run the login again and press Allow once.',
  }),
};

const states: [string, Partial<PanelInput>][] = [
  [
    'waiting (over SSH, sandbox)',
    { view: waiting, sshForward: 'ssh -N -L 8976:127.0.0.1:8976 you@this-host' },
  ],
  [
    'pasting',
    { view: waiting, pasting: 'address', draft: 'http://127.0.0.1:8976/callback?code=abc123&state=Qx3v' },
  ],
  ['state-missing question', { view: { ...waiting, missingState: { source: 'loopback', result: 'code' } } }],
  ['success', { view: success }],
  ['failure', { view: failure }],
];
const sizes: [number, number][] = [
  [40, 12],
  [59, 14],
  [80, 24],
  [100, 16],
  [100, 40],
];

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

describe('the waiting panel shows exactly the rows it measured', () => {
  for (const [columns, rows] of sizes) {
    for (const [name, input] of states) {
      test(`${columns}×${rows}, ${name}`, async () => {
        const lines = panelLines({
          view: waiting,
          kind: 'code',
          pasting: false,
          draft: '',
          note: undefined,
          columns,
          maxRows: rows - 1,
          sandbox: true,
          temporaryStore: false,
          leaveLabel: 'quit',
          timeoutMs: 120_000,
          sshForward: undefined,
          ...input,
        });
        // No height given: the panel takes the rows its lines take, and no more.
        const r = renderSized(
          <KeyRouter>
            <Box width={columns} flexDirection="column">
              <PanelView lines={lines} hyperlink={false} sandbox deadline={Date.now() + 60_000} />
            </Box>
          </KeyRouter>,
          columns,
          rows,
        );
        unmount = r.unmount;
        await tick();
        const frame = r.lastFrame() ?? '';
        expect(frame.split('\n'), frame).toHaveLength(lines.rows);
        expect(lines.rows).toBeLessThanOrEqual(rows - 1);
      });
    }
  }
});
