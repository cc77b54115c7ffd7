import { describe, expect, test } from 'vitest';
import { App, type UiLogin } from '../../../source/ui/app.js';
import { flat, keys, makeWorld, press, render, screenTestHooks, type World, waitFor } from '../helpers.js';

let w: World;
let exits: number[];

screenTestHooks({ world: () => w });

function start(startScreen: 'dashboard' | 'wizard' | 'login', login?: UiLogin) {
  exits = [];
  return render(
    <App
      services={w.services}
      start={startScreen}
      {...(login ? { login } : {})}
      sandbox={w.sandbox}
      onExit={(code) => exits.push(code)}
    />,
  );
}

const backspaces = (n: number) => Array.from({ length: n }, () => keys.backspace);

describe('wizard', () => {
  test('first run: every field in turn, validated as typed, secret masked; the login then stores it all', async () => {
    w = await makeWorld();
    // This test picks chat too: a client from before Chat held clients to read and write allows it.
    w.sandbox.setClientScopes(w.client.clientId, ['read', 'write', 'chat']);
    const { lastFrame, stdin } = start('dashboard');
    await waitFor(() => expect(lastFrame()).toContain('zchat-auth · new login (step 1 of 7)'));
    expect(lastFrame()).toContain('Account › API & SDKs › Add API Client');
    expect(lastFrame()).toContain('shown only once');
    expect(lastFrame()).toContain('Register this redirect URL on the client, exactly: http://localhost:8080');

    await press(stdin, 'ac me');
    await waitFor(() => expect(lastFrame()).toContain('The subdomain may not contain spaces.'));
    await press(stdin, keys.enter);
    expect(lastFrame()).toContain('step 1 of 7'); // refused: stays
    await press(stdin, ...backspaces(5), 'https://DEMO.zendesk.com');
    await waitFor(() => expect(lastFrame()).toContain('Will use “demo”.'));
    await press(stdin, keys.enter);

    await waitFor(() => expect(lastFrame()).toContain('› ● Authorization code'));
    expect(lastFrame()).toContain('step 2 of 7');
    await press(stdin, keys.down, keys.up, keys.enter); // stays on the authorization code flow
    await waitFor(() => expect(lastFrame()).toContain('step 3 of 7'));

    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Enter the client ID'));
    await press(stdin, w.client.clientId, keys.enter);

    await waitFor(() => expect(lastFrame()).toContain('step 4 of 7'));
    expect(lastFrame()).toContain('The code is exchanged with the client secret');
    await press(stdin, w.client.clientSecret);
    await waitFor(() => expect(lastFrame()).toContain('*'.repeat(w.client.clientSecret.length)));
    expect(lastFrame()).not.toContain(w.client.clientSecret);
    await press(stdin, keys.enter);

    await waitFor(() => expect(lastFrame()).toContain('step 5 of 7'));
    expect(lastFrame()).toContain('[x] read');
    expect(lastFrame()).toContain('[ ] chat');
    await press(stdin, keys.space); // untick read
    await waitFor(() => expect(lastFrame()).toContain('[ ] read'));
    await press(stdin, keys.space, keys.down, keys.down, keys.space);
    await waitFor(() => expect(lastFrame()).toContain('[x] chat'));
    await press(stdin, keys.enter);

    await waitFor(() => expect(lastFrame()).toContain('step 6 of 7'));
    await press(stdin, ...backspaces(25), 'http://example.com/cb');
    await waitFor(() => expect(lastFrame()).toContain('Zendesk takes http:// only for localhost'));
    await press(stdin, ...backspaces(25), w.client.redirectUri);
    await waitFor(() =>
      expect(lastFrame()).toContain(
        `Register this redirect URL on the client, exactly: ${w.client.redirectUri}`,
      ),
    );
    await press(stdin, keys.enter);

    await waitFor(() => expect(lastFrame()).toContain('step 7 of 7'));
    await press(stdin, keys.enter); // profile name defaults to the subdomain
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    const summary = lastFrame() ?? '';
    expect(summary).toContain('✓ Subdomain     https://DEMO.zendesk.com');
    expect(summary).toContain('✓ Client secret •••••••• (typed)');
    expect(summary).toContain('✓ Scopes        read write chat');
    expect(summary).toContain('✓ Profile name  demo');
    expect(summary).toContain(`Server: ${w.sandbox.url} (sandbox)`);
    expect(summary).not.toContain(w.client.clientSecret);

    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Listening on'));
    await press(stdin, 'a');
    await waitFor(() => expect(lastFrame()).toContain('✓ Stored as profile demo'));
    const stored = w.store.get('demo')!;
    expect(stored).toMatchObject({
      subdomain: 'demo',
      baseUrl: w.sandbox.url,
      clientId: w.client.clientId,
      clientSecret: w.client.clientSecret,
      redirectUri: w.client.redirectUri,
      scopes: ['read', 'write', 'chat'],
      flow: 'code',
    });
  });

  test('esc goes back a step; on the first step it leaves (exit 130 when there is nowhere to go back to)', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start('wizard');
    await waitFor(() => expect(lastFrame()).toContain('step 1 of 7'));
    await press(stdin, 'demo', keys.enter, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('step 3 of 7'));
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('step 2 of 7'));
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('step 1 of 7'));
    expect(lastFrame()).toContain('esc quit');
    expect(exits).toEqual([]);
    await press(stdin, keys.esc);
    await waitFor(() => expect(exits).toEqual([130]));
  });

  test('prefilled from the last profile: straight to the summary; a row can be picked and edited', async () => {
    w = await makeWorld();
    await w.saveProfile({ name: 'demo' });
    const { lastFrame, stdin } = start('wizard', { profile: 'demo' });
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    expect(lastFrame()).toContain(`✓ Client ID     ${w.client.clientId}`);
    expect(lastFrame()).toContain('✓ Client secret •••••••• (stored, kept)');
    expect(lastFrame()).toContain(`✓ Redirect URL  ${w.client.redirectUri}`);
    expect(lastFrame()).toContain('✓ Profile name  demo');
    // ↓ ×4 picks the client secret; enter edits it; enter again keeps the stored one.
    await press(stdin, keys.down, keys.down, keys.down, keys.down);
    await waitFor(() => expect(lastFrame()).toContain('› Client secret'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('enter keeps the stored secret'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('step 7 of 7'));
  });

  test('the summary names the server the plan will use; choosing implicit warns about the browser history', async () => {
    w = await makeWorld();
    // A stored test server wins over the session's sandbox for its own subdomain.
    await w.saveProfile({ name: 'demo', baseUrl: 'http://127.0.0.1:9/test-server' });
    const { lastFrame, stdin } = start('wizard', { profile: 'demo' });
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    expect(lastFrame()).toContain('Server: http://127.0.0.1:9/test-server');
    expect(lastFrame()).not.toContain("browser's history");

    await press(stdin, keys.down, keys.down);
    await waitFor(() => expect(lastFrame()).toContain('› Flow'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('› ● Authorization code'));
    await press(stdin, keys.down);
    await waitFor(() => expect(lastFrame()).toContain('› ○ Implicit'));
    expect(lastFrame()).toContain("Implicit browser sign-in; the token stays in the browser's history");
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    expect(flat(lastFrame())).toContain(
      flat(
        "The implicit flow leaves the access token in the browser's history (it is in the redirected address): prefer the code flow.",
      ),
    );
  });

  test('login: flags fill what they can; the wizard asks only for what is missing', async () => {
    w = await makeWorld();
    const { lastFrame, stdin } = start('login', {
      subdomain: 'demo',
      clientId: w.client.clientId,
      flow: 'password',
      scopes: ['read', 'write'],
      profile: 'agent',
    });
    // Password flow: the secret, username and password are missing; the rest came as flags.
    await waitFor(() => expect(lastFrame()).toContain('step 4 of 8'));
    expect(lastFrame()).toContain('› Client secret');
    expect(lastFrame()).toContain('This flow needs the client secret of a confidential client.');
    expect(lastFrame()).toContain('✓ Subdomain     demo');
    await press(stdin, 'x'.repeat(8), keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('› Username'));
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Enter the Chat-only agent’s email address.'));
    await press(stdin, w.sandbox.demo.username, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('› Password'));
    await press(stdin, w.sandbox.demo.password);
    expect(lastFrame()).not.toContain(w.sandbox.demo.password);
    await press(stdin, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    expect(lastFrame()).toContain('✓ Password      ••••••••');
  });

  test('from the dashboard: n opens the wizard on the selected profile; one esc goes back', async () => {
    w = await makeWorld();
    await w.saveProfile({ name: 'demo' });
    const { lastFrame, stdin } = start('dashboard');
    await waitFor(() => expect(lastFrame()).toContain('Tokens 1 stored'));
    await press(stdin, 'n');
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    expect(lastFrame()).toContain('esc back to the dashboard');
    await press(stdin, keys.esc);
    await waitFor(() => expect(lastFrame()).toContain('Tokens 1 stored'));
    expect(exits).toEqual([]);
  });

  test('from the dashboard, after an edit: esc asks first; n stays, y goes back and nothing is stored', async () => {
    w = await makeWorld();
    await w.saveProfile({ name: 'demo' });
    const before = w.store.get('demo');
    const { lastFrame, stdin } = start('dashboard');
    await waitFor(() => expect(lastFrame()).toContain('Tokens 1 stored'));
    await press(stdin, 'n');
    await waitFor(() => expect(lastFrame()).toContain('(summary)'));
    await press(stdin, keys.down, keys.enter); // edit the subdomain
    await waitFor(() => expect(lastFrame()).toContain('› Subdomain'));
    await press(stdin, 'x');
    await waitFor(() => expect(lastFrame()).toContain('demox'));
    await press(stdin, keys.esc);
    await waitFor(() =>
      expect(lastFrame()).toContain(
        'Discard what you changed and go back to the dashboard? y yes · n or esc no',
      ),
    );
    await press(stdin, 'n');
    await waitFor(() => expect(lastFrame()).not.toContain('Discard'));
    expect(lastFrame()).toContain('demox'); // still there, and n was not typed into it
    expect(lastFrame()).not.toContain('demoxn');
    await press(stdin, keys.esc, 'y');
    await waitFor(() => expect(lastFrame()).toContain('Tokens 1 stored'));
    expect(w.store.get('demo')).toEqual(before);
    expect(exits).toEqual([]);
  });
});
