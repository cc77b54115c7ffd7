/**
 * Bounded at receipt: a server that streams without end (chunked, a lying Content-Length of gigabytes, or
 * gzip that inflates a thousandfold) gets at most 1 MiB read from it, for the token endpoint and the API
 * alike; the command ends in a sentence, memory stays flat, nothing is stored.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createChatApi } from '../../source/core/zendesk/chat-api.js';
import { createTokenClient } from '../../source/core/zendesk/token-client.js';
import {
  ensureBuilt,
  expectSentence,
  makeHome,
  quietSandbox,
  readStoreText,
  runCli,
  seedProfile,
} from './helpers.js';

type Flood = 'chunked' | 'huge-length' | 'gzip';
const floods: Flood[] = ['chunked', 'huge-length', 'gzip'];

/** Bytes each server managed to hand to the socket (what the client let through before it hung up). */
const sent = new Map<Flood, number>();
const urls = new Map<Flood, string>();
const servers: http.Server[] = [];

function flood(kind: Flood, res: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, '{"a":1}'.padEnd(64, ' '));
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
  if (kind === 'huge-length') headers['Content-Length'] = String(10 * 1024 ** 3);
  if (kind === 'gzip') headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, headers);
  const sink = kind === 'gzip' ? createGzip() : undefined;
  if (sink) sink.pipe(res);
  const out = sink ?? res;
  let total = 0;
  let stopped = false;
  res.on('close', () => {
    stopped = true;
  });
  // Up to 2 GiB (of JSON-ish text; inflated, for gzip), as fast as the client takes it.
  const pump = () => {
    while (!stopped && total < 2 * 1024 ** 3) {
      total += chunk.length;
      sent.set(kind, total);
      if (!out.write(chunk)) {
        out.once('drain', pump);
        return;
      }
    }
    out.end();
  };
  pump();
}

let sandbox: Awaited<ReturnType<typeof quietSandbox>>;
beforeAll(async () => {
  ensureBuilt();
  sandbox = await quietSandbox();
  for (const kind of floods) {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => flood(kind, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.set(kind, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
}, 120_000);
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await sandbox.close();
});

const limit = 1024 * 1024;

describe.each(floods)('a server flooding %s', (kind) => {
  test('the token endpoint: a sentence, at most about 1 MiB read, memory flat', async () => {
    sent.set(kind, 0);
    const before = process.memoryUsage().heapUsed;
    const client = createTokenClient({ baseUrl: urls.get(kind)!, env: {} });
    const error = await client
      .password({ username: 'a@b.example', password: 'pw-123456', clientId: 'c', scope: 'read' })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/sent an answer of more than 1 MiB.*so it was dropped unread\./);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(48 * 1024 * 1024);
    // The socket buffers a few MiB at most; gigabytes were on offer (compressed, for gzip: even less).
    expect(sent.get(kind)).toBeLessThan(kind === 'gzip' ? 512 * limit : 32 * limit);
  });

  test('the API (a GET, which is otherwise retried): one sentence, no retry', async () => {
    const api = createChatApi({
      baseUrl: urls.get(kind)!,
      accessToken: 'tok-123456',
      env: {},
      retryDelayMs: 1,
    });
    await expect(api.listClients()).rejects.toThrow(/sent an answer of more than 1 MiB/);
  });
});

test('the built CLI: clients and refresh against a flood end in a sentence; the store keeps its token', async () => {
  const home = await makeHome();
  try {
    const { granted } = await seedProfile(home.store, sandbox, { baseUrl: urls.get('chunked')! });
    for (const args of [['clients'], ['refresh'], ['test']]) {
      const result = await runCli(args, home.env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(expectSentence(result, args.join(' '))).toMatch(/more than 1 MiB/);
    }
    expect(readStoreText(home)).toContain(granted.accessToken);
  } finally {
    await home.remove();
  }
}, 60_000);
