// A login prepares the store's write path (conf, the lock, zod, a check of the stored records) when it
// starts, while the browser is out: the redirect → stored path is then one locked write of one record.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { planLogin, runLogin } from '../../../source/core/login/index.js';
import { openStore } from '../../../source/core/store/store.js';
import type { TokenStore } from '../../../source/core/store/types.js';
import { createChatApi } from '../../../source/core/zendesk/chat-api.js';
import { createTokenClient } from '../../../source/core/zendesk/token-client.js';
import { startSandbox } from '../../../source/sandbox/server.js';
import type { Sandbox } from '../../../source/sandbox/types.js';
import { removeDir, sampleProfile, tempDir } from '../store/helpers.js';

let sandbox: Sandbox;
let root: string;
beforeEach(async () => {
  sandbox = await startSandbox({ quiet: true });
  const admin = createChatApi({ baseUrl: sandbox.url, accessToken: sandbox.demo.adminToken });
  await admin.updateClient(sandbox.demo.clientNumericId, { client_type: 'confidential' });
  root = tempDir();
});
afterEach(async () => {
  await sandbox.close();
  removeDir(root);
});

test('the write path is prepared when the flow starts, before the token arrives', async () => {
  const real = openStore({ dir: path.join(root, 'store') });
  await real.save(sampleProfile('other'));
  const calls: string[] = [];
  const store: TokenStore = Object.create(real);
  store.prepareWrites = async () => {
    calls.push('prepareWrites');
    await real.prepareWrites?.();
  };
  store.save = async (profile) => {
    calls.push('save');
    return real.save(profile);
  };
  const planned = planLogin({
    request: {
      profile: 'demo',
      subdomain: sandbox.demo.subdomain,
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
      baseUrl: sandbox.url,
      flow: 'client-credentials',
      scopes: ['read'],
    },
    env: {},
    store,
  });
  if (!planned.ready) throw new Error(`plan not ready: ${planned.draft.missing.join(', ')}`);
  const flow = runLogin(planned.plan, {
    store,
    tokenClient: createTokenClient({ baseUrl: sandbox.url }),
    openBrowser: async () => ({ opened: false }),
    now: () => new Date(),
  });
  expect(calls).toEqual(['prepareWrites']);
  await flow.done;
  expect(calls).toEqual(['prepareWrites', 'save']);
  expect(fs.existsSync(real.path)).toBe(true);
  expect(real.get('demo')?.token?.grant).toBe('client_credentials');
});
