/**
 * A GET's first attempt goes over node:http(s) (http.ts, firstGet) and got takes over for its retries;
 * with ZCHAT_AUTH_DEBUG's log (or a proxy) got makes every attempt. Each hostile or failing answer below is
 * sent to both, over real loopback HTTP: what the caller gets, what reached the server and what the
 * exchange log shows must be the same.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZchatError } from '../../../source/core/errors.js';
import { createHttpClient } from '../../../source/core/zendesk/http.js';
import type { HttpExchange } from '../../../source/core/zendesk/types.js';
import { type Listener, startListener } from './helpers.js';

const token = 'hat_s3cret-bearer-value-0042';

/** What one attempt answers; `attempt` counts from 0. */
type Answer = (res: ServerResponse, attempt: number) => void;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ((res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }) satisfies Answer;

/** Each attempt in turn; the last one repeats. */
const inTurn =
  (...answers: Answer[]): Answer =>
  (res, attempt) =>
    (answers[Math.min(attempt, answers.length - 1)] as Answer)(res, attempt);

const reset: Answer = (res) => res.socket?.destroy();
const silent: Answer = () => undefined;

let listener: Listener;
let answer: Answer = json(200, {});
let attempt = 0;
beforeAll(async () => {
  listener = await startListener((_req, res) => answer(res, attempt++));
});
afterAll(() => listener.close());

interface Outcome {
  attempts: number;
  answer?: { status: number; body: unknown };
  error?: { code: string; status?: number; message: string };
  exchanges: { status?: number }[];
}

const code = 'c0de-single-use-77';

async function get(
  viaGot: boolean,
  answers: Answer,
  o: { maxBodyBytes?: number; post?: boolean } = {},
): Promise<Outcome> {
  answer = answers;
  attempt = 0;
  const before = listener.requests.length;
  const exchanges: HttpExchange[] = [];
  const client = createHttpClient({
    baseUrl: listener.url,
    retryDelayMs: 20,
    maxRetryAfterMs: 5_000,
    timeoutMs: 300,
    ...(o.post ? { endpoint: 'token' as const, retries: 0 } : {}),
    onExchange: (e) => exchanges.push(e),
    ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}),
    // The debug log sends every attempt through got (its hooks write it); unset, the first is node:http's.
    ...(viaGot ? { debug: () => undefined } : {}),
  });
  const outcome: Omit<Outcome, 'attempts' | 'exchanges'> = {};
  try {
    const response = await client.send(
      o.post
        ? {
            method: 'POST',
            path: '/oauth2/chat/token',
            form: { grant_type: 'authorization_code', code, client_id: 'zchat_cli', scope: 'read write' },
            secrets: [code],
            grant: 'authorization_code',
          }
        : {
            method: 'GET',
            path: '/api/v2/chat/oauth/clients',
            headers: { Authorization: `Bearer ${token}` },
            secrets: [token],
          },
    );
    outcome.answer = { status: response.status, body: response.body };
  } catch (error) {
    expect(error).toBeInstanceOf(ZchatError);
    const e = error as ZchatError;
    outcome.error = {
      code: e.code,
      message: e.message,
      ...(e.status === undefined ? {} : { status: e.status }),
    };
    expect(JSON.stringify(e)).not.toContain(token);
    expect(e.message).not.toContain(token);
    expect(JSON.stringify(e)).not.toContain(code);
  }
  return {
    ...outcome,
    attempts: listener.requests.length - before,
    exchanges: exchanges.map((e) => (e.status === undefined ? {} : { status: e.status })),
  };
}

const big = 'x'.repeat(64 * 1024);
/** What an answer over a 64 KiB cap comes to, however it arrives: one attempt, refused with its status. */
const tooLarge: Partial<Outcome> = {
  attempts: 1,
  error: {
    code: 'bad_response',
    status: 200,
    message: expect.stringContaining('of more than 65536 bytes (status 200), far more than'),
  },
};
/** A body over the cap, in four writes: the cap holds while the body streams in. */
const streamedTooLarge: Answer = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  for (let i = 0; i < 4; i++) res.write(big);
  res.end();
};
const cases: [string, Answer, Partial<Outcome>, { maxBodyBytes?: number }?][] = [
  [
    '200 with JSON',
    json(200, { clients: [{ id: 1 }] }),
    { attempts: 1, answer: { status: 200, body: { clients: [{ id: 1 }] } } },
  ],
  ['200, empty', json(200, ''), { attempts: 1, answer: { status: 200, body: '' } }],
  [
    '200 with JSON whose characters arrive split between packets',
    (res) => {
      const bytes = Buffer.from(JSON.stringify({ name: 'Café 日本 👍' }));
      res.writeHead(200, { 'content-type': 'application/json' });
      // Cut inside 'é', inside '日' and inside '👍': each part is sent on its own.
      const cuts = [
        0,
        bytes.indexOf(0xc3) + 1,
        bytes.indexOf(0xe6) + 2,
        bytes.indexOf(0xf0) + 3,
        bytes.length,
      ];
      const send = (i: number) => {
        if (i === cuts.length - 1) return void res.end();
        res.write(bytes.subarray(cuts[i], cuts[i + 1]));
        setTimeout(() => send(i + 1), 15);
      };
      send(0);
    },
    { attempts: 1, answer: { status: 200, body: { name: 'Café 日本 👍' } } },
  ],
  [
    '200 with gzip-encoded JSON',
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ clients: [] })));
    },
    { attempts: 1, answer: { status: 200, body: { clients: [] } } },
  ],
  [
    '200 that is not JSON',
    json(200, '{"clients": ['),
    { attempts: 1, error: { code: 'bad_response', status: 200, message: expect.any(String) } },
  ],
  [
    'a redirect (not followed)',
    (res) => res.writeHead(302, { location: 'https://evil.example/steal' }).end(),
    { attempts: 1, error: { code: 'bad_response', status: 302, message: expect.any(String) } },
  ],
  [
    '401 that echoes the token',
    json(401, { error: 'invalid_token', error_description: `Token ${token} is revoked` }),
    {
      attempts: 1,
      error: {
        code: 'unauthorized',
        status: 401,
        message: 'The token is expired or revoked, or is not a Zendesk Chat token.',
      },
    },
  ],
  [
    '503, 503, 200',
    inTurn(json(503, ''), json(503, ''), json(200, [])),
    { attempts: 3, answer: { status: 200, body: [] } },
  ],
  [
    '503 every time',
    json(503, ''),
    { attempts: 3, error: { code: 'server_error', status: 503, message: expect.any(String) } },
  ],
  ['a reset, then 200', inTurn(reset, json(200, [])), { attempts: 2, answer: { status: 200, body: [] } }],
  [
    '429 asking for 1 s, then 200',
    inTurn(json(429, '', { 'retry-after': '1' }), json(200, [])),
    { attempts: 2, answer: { status: 200, body: [] } },
  ],
  [
    '429 asking for longer than the cap',
    json(429, '', { 'retry-after': '120' }),
    {
      attempts: 1,
      error: {
        code: 'rate_limited',
        status: 429,
        message: 'Zendesk is limiting the request rate; try again in 120 seconds.',
      },
    },
  ],
  ['no answer', silent, { attempts: 3, error: { code: 'timeout', message: expect.any(String) } }],
  [
    'a body larger than the cap, said in advance',
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(32 * big.length) });
      for (let i = 0; i < 32; i++) res.write(big);
      res.end();
    },
    tooLarge,
    { maxBodyBytes: 65_536 },
  ],
  ['a body larger than the cap, streamed', streamedTooLarge, tooLarge, { maxBodyBytes: 65_536 }],
];

/**
 * The one difference: got cuts an answer larger than the cap off before it tells its status (a length said
 * in advance is seen only with the body), node:http once it has the status (the sentence and the exchange
 * then say "status 200" too).
 */
function withoutStatus(outcome: Outcome): Outcome {
  const { status: _status, ...error } = outcome.error ?? { code: '', message: '' };
  return {
    ...outcome,
    error: { ...error, message: error.message.replace(' (status 200)', '') },
    exchanges: outcome.exchanges.map(() => ({})),
  };
}

describe('a GET: node:http first, then got, answers as got alone does', () => {
  it.each(cases)('%s', async (_name, answers, expected, o) => {
    const started = performance.now();
    const direct = await get(false, answers, o);
    const directMs = performance.now() - started;
    const viaGot = await get(true, answers, o);
    expect(direct).toMatchObject(expected);
    expect(_name.includes('larger than the cap') ? withoutStatus(direct) : direct).toEqual(viaGot);
    // One exchange per call, retries included, with the last status seen.
    expect(direct.exchanges).toHaveLength(1);
    if (direct.answer) expect(direct.exchanges[0]?.status).toBe(direct.answer.status);
    if (_name.startsWith('429 asking for 1 s')) expect(directMs).toBeGreaterThanOrEqual(990);
  });

  it('sends the headers got sends', async () => {
    await get(true, json(200, {}));
    const byGot = listener.requests.at(-1)!.headers;
    await get(false, json(200, {}));
    const direct = listener.requests.at(-1)!.headers;
    const { host: _h1, ...gotHeaders } = byGot;
    const { host: _h2, ...directHeaders } = direct;
    expect(directHeaders).toEqual(gotHeaders);
    expect(direct).toMatchObject({
      'user-agent': 'zendesk-chat-auth',
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'accept-encoding': 'gzip, deflate, br',
    });
  });

  // A Buffer of 128 KiB or more is mapped for itself and, once freed, makes glibc keep more freed memory
  // for good (its trim threshold follows the largest such block freed): each list of 1,000 clients or
  // server tokens was one such Buffer (330-350 KB). Decoded as it arrives instead: 1 MB less resident for
  // an idle dashboard at 1,000 (its C heap 4.9-5.3 MB instead of 5.6-6.2; `npm run bench`, memory).
  it('reads a large answer without gathering it into one Buffer of its size', async () => {
    const clients = Array.from({ length: 1000 }, (_, i) => ({
      id: i,
      name: `Client ${i}`,
      secret: 'y'.repeat(300),
    }));
    const sizes: number[] = [];
    const concat = Buffer.concat;
    Buffer.concat = ((list: readonly Uint8Array[], length?: number) => {
      const joined = concat.call(Buffer, list, length);
      sizes.push(joined.length);
      return joined;
    }) as typeof Buffer.concat;
    try {
      const outcome = await get(false, json(200, { clients }), { maxBodyBytes: 8 * 1024 * 1024 });
      expect(outcome.answer).toEqual({ status: 200, body: { clients } });
    } finally {
      Buffer.concat = concat;
    }
    expect(JSON.stringify({ clients }).length).toBeGreaterThan(300_000);
    expect(sizes.filter((size) => size >= 128 * 1024)).toEqual([]);
  });

  // A few KiB of gzip can unpack to gigabytes: the cap holds for what it unpacks to.
  it('stops a gzip answer that unpacks to more than the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    const outcome = await get(
      false,
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(bomb);
      },
      { maxBodyBytes: 1024 * 1024 },
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(outcome).toMatchObject({ attempts: 1, error: { code: 'bad_response', status: 200 } });
    expect(outcome.error?.message).toContain('more than 1 MiB');
  });
  // The dashboard's lists are asked for while its screens load and read after its first frame.
  it.each([false, true])(
    'readAfter (through got: %s): the answer waits for it, unread and unreported; the duration is the wire time',
    async (viaGot) => {
      answer = json(200, { clients: [{ id: 7 }] });
      const before = listener.requests.length;
      const exchanges: HttpExchange[] = [];
      const client = createHttpClient({
        baseUrl: listener.url,
        timeoutMs: 100,
        onExchange: (e) => exchanges.push(e),
        ...(viaGot ? { debug: () => undefined } : {}),
      });
      let open = () => {};
      const readAfter = new Promise<void>((resolve) => {
        open = resolve;
      });
      let settled = false;
      const sent = client
        .send({ method: 'GET', path: '/api/v2/chat/oauth/clients', readAfter })
        .finally(() => {
          settled = true;
        });
      // Answered, and held past the request's timeout: no timeout, nothing handed on or reported.
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(listener.requests.length).toBe(before + 1);
      expect({ settled, exchanges: exchanges.length }).toEqual({ settled: false, exchanges: 0 });
      open();
      expect((await sent).body).toEqual({ clients: [{ id: 7 }] });
      expect(exchanges).toHaveLength(1);
      expect(exchanges[0]).toMatchObject({ status: 200 });
      expect(exchanges[0]!.durationMs).toBeLessThan(200);
    },
  );
  // The dashboard's command waits for its two list requests to be written before the screens draw their
  // first frame in one synchronous stretch (account-prefetch.ts).
  it('onSent: called once the request is written, before its answer comes', async () => {
    let answered = false;
    answer = (res) =>
      setTimeout(() => {
        answered = true;
        json(200, {})(res);
      }, 100);
    const before = listener.requests.length;
    const client = createHttpClient({ baseUrl: listener.url, timeoutMs: 2000 });
    let sentCalls = 0;
    const written = new Promise<void>((resolve) => {
      void client.send({
        method: 'GET',
        path: '/api/v2/chat/oauth/clients',
        onSent: () => {
          sentCalls++;
          resolve();
        },
      });
    });
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('not called'), 2000));
    expect(await Promise.race([written.then(() => 'called'), late])).toBe('called');
    expect(answered).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listener.requests.length).toBe(before + 1);
    expect(sentCalls).toBe(1);
  });
});

/**
 * A token POST (any write) goes over node:http once, never through got unless a proxy or the debug log is
 * set, and never again: a code is single-use. Each answer is sent to both paths; they must agree, and
 * reach the server with the same request.
 */
const posts: [string, Answer, Partial<Outcome>, { maxBodyBytes?: number }?][] = [
  [
    '200 with a token',
    json(200, { access_token: 'tok', token_type: 'Bearer', scope: 'read write' }),
    {
      attempts: 1,
      answer: { status: 200, body: { access_token: 'tok', token_type: 'Bearer', scope: 'read write' } },
    },
  ],
  ['200, empty', json(200, ''), { attempts: 1, answer: { status: 200, body: '' } }],
  [
    '200 with gzip-encoded JSON',
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ access_token: 'tok' })));
    },
    { attempts: 1, answer: { status: 200, body: { access_token: 'tok' } } },
  ],
  [
    '200 that is not JSON',
    json(200, '<html>sign in</html>'),
    { attempts: 1, error: { code: 'html_response', status: 200, message: expect.any(String) } },
  ],
  [
    '400 invalid_grant that echoes the code',
    json(400, { error: 'invalid_grant', error_description: `The code ${code} was used` }),
    { attempts: 1, error: { code: 'invalid_grant', status: 400, message: expect.any(String) } },
  ],
  [
    '400 with an HTML page',
    (res) => res.writeHead(400, { 'content-type': 'text/html' }).end('<html>bad</html>'),
    { attempts: 1, error: { code: expect.any(String), status: 400, message: expect.any(String) } },
  ],
  [
    'a redirect (not followed)',
    (res) => res.writeHead(302, { location: 'https://evil.example/steal' }).end(),
    { attempts: 1, error: { code: 'bad_response', status: 302, message: expect.any(String) } },
  ],
  [
    '503 (not retried)',
    json(503, ''),
    { attempts: 1, error: { code: 'server_error', status: 503, message: expect.any(String) } },
  ],
  [
    '429 asking for 1 s (not retried)',
    json(429, '', { 'retry-after': '1' }),
    { attempts: 1, error: { code: 'rate_limited', status: 429, message: expect.any(String) } },
  ],
  ['a reset (not retried)', reset, { attempts: 1, error: { code: 'network', message: expect.any(String) } }],
  [
    'no answer (not retried)',
    silent,
    { attempts: 1, error: { code: 'timeout', message: expect.any(String) } },
  ],
  ['a body larger than the cap, streamed', streamedTooLarge, tooLarge, { maxBodyBytes: 65_536 }],
];

describe('a token POST: node:http, once, answers as got does', () => {
  it.each(posts)('%s', async (_name, answers, expected, o) => {
    const direct = await get(false, answers, { ...o, post: true });
    const viaGot = await get(true, answers, { ...o, post: true });
    expect(direct).toMatchObject(expected);
    expect(_name.includes('larger than the cap') ? withoutStatus(direct) : direct).toEqual(viaGot);
    expect(direct.exchanges).toHaveLength(1);
  });

  it('reaches the server as got sends it: method, path, headers and form', async () => {
    await get(true, json(200, {}), { post: true });
    const byGot = listener.requests.at(-1)!;
    await get(false, json(200, {}), { post: true });
    const direct = listener.requests.at(-1)!;
    const { host: _h1, ...gotHeaders } = byGot.headers;
    const { host: _h2, ...directHeaders } = direct.headers;
    expect(directHeaders).toEqual(gotHeaders);
    expect({ ...direct, headers: {} }).toEqual({ ...byGot, headers: {} });
    expect(direct).toMatchObject({
      method: 'POST',
      path: '/oauth2/chat/token',
      body: `grant_type=authorization_code&code=${code}&client_id=zchat_cli&scope=read%20write`,
      headers: {
        'user-agent': 'zendesk-chat-auth',
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(direct.body.length),
        'accept-encoding': 'gzip, deflate, br',
      },
    });
  });

  // Every write takes node:http now: a JSON PUT and a bodiless DELETE reach the server as got sends them.
  it.each([
    ['PUT', { json: { redirect_uris: ['http://localhost:8080'] } }],
    ['DELETE', {}],
  ] as const)('a %s reaches the server as got sends it', async (method, extra) => {
    const send = async (viaGot: boolean) => {
      answer = json(200, {});
      const client = createHttpClient({
        baseUrl: listener.url,
        ...(viaGot ? { debug: () => undefined } : {}),
      });
      await client.send({
        method,
        path: '/api/v2/chat/oauth/clients/7',
        headers: { Authorization: `Bearer ${token}` },
        ...extra,
      });
      const { headers, ...rest } = listener.requests.at(-1)!;
      const { host: _host, ...others } = headers;
      return { ...rest, headers: others };
    };
    const byGot = await send(true);
    const direct = await send(false);
    expect(direct).toEqual(byGot);
    expect(direct.method).toBe(method);
  });
});
