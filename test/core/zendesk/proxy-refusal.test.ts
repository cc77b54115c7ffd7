/**
 * A proxy that will not open the tunnel, over real loopback: hpagent's failure reaches the user as the
 * proxy's sentence with its status, through codes (see ProxyConnectError), not by reading error text.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createHttpClient } from '../../../source/core/zendesk/http.js';

let proxy: net.Server;
let port: number;
const statusFor = new Map<string, number>();

beforeAll(async () => {
  // Answers every CONNECT with the status chosen for its target, and never opens a tunnel.
  proxy = net.createServer((socket) => {
    socket.once('data', (head) => {
      const target = /^CONNECT (\S+) /.exec(head.toString('latin1'))?.[1] ?? '';
      const status = statusFor.get(target.split(':')[0]!) ?? 502;
      socket.end(`HTTP/1.1 ${status} No\r\nContent-Length: 0\r\n\r\n`);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  port = (proxy.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

describe('a proxy that refuses the tunnel', () => {
  test.each([
    ['https', 'needs-auth.example', 407, /credentials/],
    ['http', 'blocked.example', 403, /NO_PROXY/],
  ])('%s to %s: status %d named, the hint fits', async (scheme, host, status, hint) => {
    statusFor.set(host, status);
    const variable = scheme === 'https' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    const client = createHttpClient({
      baseUrl: `${scheme}://${host}`,
      retries: 0,
      env: { [variable]: `http://127.0.0.1:${port}` },
    });
    const error = await client.send({ method: 'GET', path: '/api/v2/chat/chats' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZchatError);
    expect((error as ZchatError).message).toBe(
      `The proxy 127.0.0.1:${port} (from ${variable}) would not connect to ${host} (status ${status}).`,
    );
    expect((error as ZchatError).hint).toMatch(hint);
  });
});
