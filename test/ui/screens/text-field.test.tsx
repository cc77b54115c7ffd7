/** The wizard's fields take readline's keys, through the real key path (one key per write, as typed). */
import { describe, expect, test } from 'vitest';
import { App } from '../../../source/ui/app.js';
import { keys, makeWorld, press, render, screenTestHooks, type World, waitFor } from '../helpers.js';

let w: World;

screenTestHooks({ world: () => w });

const ctrl = (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96);
const alt = (letter: string) => `\x1b${letter}`;

async function wizard() {
  w = await makeWorld();
  const r = render(<App services={w.services} start="wizard" sandbox={w.sandbox} onExit={() => {}} />);
  await waitFor(() => expect(r.lastFrame()).toContain('step 1 of 7'));
  return r;
}

describe('text fields edit as readline does', () => {
  test('Ctrl+A, Ctrl+E, Ctrl+W, Ctrl+U, Ctrl+K, Alt+B, Alt+F in the subdomain field', async () => {
    const { lastFrame, stdin } = await wizard();
    await press(stdin, 'cme zendesk');
    await waitFor(() => expect(lastFrame()).toContain('cme zendesk'));
    await press(stdin, ctrl('w')); // the word before the cursor
    await waitFor(() => expect(lastFrame()).not.toContain('zendesk'));
    expect(lastFrame()).toMatch(/› Subdomain +cme\s*\n/);
    await press(stdin, ctrl('a'), 'a', ctrl('e'), 'x');
    await waitFor(() => expect(lastFrame()).toContain('acme x'));
    await press(stdin, alt('b'), ctrl('k')); // back a word, kill to the end
    await waitFor(() => expect(lastFrame()).not.toContain('acme x'));
    await press(stdin, keys.backspace, alt('b'), alt('f'), '-eu');
    await waitFor(() => expect(lastFrame()).toContain('acme-eu'));
    await press(stdin, ctrl('u'));
    await waitFor(() => expect(lastFrame()).toContain('acme (for acme.zendesk.com)')); // the placeholder again
    await press(stdin, 'demo', keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('step 2 of 7'));
  });

  test('Ctrl+U clears the masked secret; a paste in one read is typed whole', async () => {
    const { lastFrame, stdin } = await wizard();
    await press(stdin, 'demo', keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('step 2 of 7'));
    await press(stdin, keys.enter, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('Enter the client ID'));
    await press(stdin, w.client.clientId, keys.enter);
    await waitFor(() => expect(lastFrame()).toContain('step 4 of 7'));
    await press(stdin, 'wrong-secret');
    await waitFor(() => expect(lastFrame()).toContain('*'.repeat(12)));
    await press(stdin, ctrl('u'));
    await waitFor(() => expect(lastFrame()).not.toContain('*'.repeat(12)));
    expect(lastFrame()).not.toContain('*');
    // The secret and enter in one read (a paste with its newline): typed whole, then submitted.
    await press(stdin, `${w.client.clientSecret}\r`);
    await waitFor(() => expect(lastFrame()).toContain('step 5 of 7'));
    expect(lastFrame()).toContain('✓ Client secret •••••••• (typed)');
  });
});
