/**
 * The accepted redirect's page is held until the login ends, then says how it ended: "Signed in", or the
 * failure's one-line reason, escaped whatever it holds; past the bound, that the terminal is still at it.
 * Real loopback HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from '../../../source/core/oauth/loopback-server.js';
import { hit } from './http-helper.js';

const state = 'S7ate_abcdefghijklmnopqrstuvwxyz0123456789';
const open: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(holdMs = 5000): Promise<LoopbackServer> {
  const server = await startLoopbackServer({
    redirectUri: 'http://localhost:0',
    state,
    mode: 'code',
    holdMs,
  });
  open.push(server);
  return server;
}

const redirect = `/?code=abc&state=${state}`;

describe('the held page', () => {
  it('is not answered before the login ends; "Signed in" once it ended well', async () => {
    const server = await start();
    let answered = false;
    const page = hit(server.port, redirect).then((r) => {
      answered = true;
      return r;
    });
    await server.result;
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    await server.finish({ ok: true });
    const { status, body } = await page;
    expect(status).toBe(200);
    expect(body).toContain('<h1 id="title">Signed in</h1>');
  });

  const hostile: [string, string, string][] = [
    ['markup', '<script>alert(1)</script> refused.', '&lt;script&gt;alert(1)&lt;/script&gt; refused.'],
    ['an attribute breakout', '" onmouseover="x', '&quot; onmouseover=&quot;x'],
    ['an entity', 'a &amp; b', 'a &amp;amp; b'],
    ['a quote', "it's refused", 'it&#39;s refused'],
  ];
  it.each(hostile)('a failure: "Login failed" with the reason escaped (%s)', async (_name, reason, shown) => {
    const server = await start();
    const page = hit(server.port, redirect);
    await server.result;
    await server.finish({ ok: false, reason });
    const { body } = await page;
    expect(body).toContain('<h1 id="title">Login failed</h1>');
    expect(body).toContain(`${shown} Return to the terminal to try again.`);
    expect(body).not.toContain(reason);
    expect(body).not.toContain('Signed in');
  });

  it('past the bound: says the terminal is still finishing, never "Signed in"', async () => {
    const server = await start(150);
    const { body } = await hit(server.port, redirect);
    expect(body).toContain('Still finishing');
    expect(body).not.toContain('Signed in');
  });

  it('a reload while held is "already done", at once', async () => {
    const server = await start();
    const first = hit(server.port, redirect);
    await server.result;
    const reload = await hit(server.port, redirect);
    expect(reload.body).toContain('Already done');
    await server.finish({ ok: true });
    expect((await first).body).toContain('Signed in');
  });
});
