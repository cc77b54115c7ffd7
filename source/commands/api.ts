/**
 * `zchat-auth api PATH`: a Chat API call as the stored profile, made for scripts and for looking around
 * (GitHub CLI's `gh api` is the model). The request logic is in core/api-call.ts; this file turns flags
 * into a request and prints the answer.
 */
import fs from 'node:fs';
import {
  type ApiExchange,
  addQuery,
  callApi,
  type FieldValue,
  fieldsToBody,
  nextPageUrl,
  resolveApiUrl,
} from '../core/api-call.js';
import { ZchatError } from '../core/errors.js';
import { mask, redact } from '../core/redact.js';
import type { RawResponse } from '../core/zendesk/raw-http.js';
import { flag, listValue, stringValue, usage } from './args.js';
import type { Command, CommandIO, Output } from './command.js';
import { safeText, serverText } from './json-output.js';
import { baseUrlOf, makers, withProfile } from './shared.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export type Field = { key: string; raw: string; typed: boolean };

export interface ApiOptions {
  profile?: string;
  path: string;
  method?: Method;
  fields: Field[];
  headers: Record<string, string>;
  input?: string;
  include: boolean;
  silent: boolean;
  paginate: boolean;
  slurp: boolean;
}

const help = `Usage: zchat-auth api PATH [options]

Calls the Zendesk Chat API as the profile and prints the answer: JSON, pretty and coloured on a terminal,
compact in a pipe. The token goes only to the profile's own origin.

PATH is relative to the API root (https://SUBDOMAIN.zendesk.com/api/v2/chat): \`chats\`, \`account\`; or a path
as the docs write it (\`/api/v2/chat/chats\`); or a full URL on the profile's origin.

Options
  -X, --method M      the HTTP method (default GET; POST when fields or --input are given, unless
                      --paginate)
  -f, --raw-field K=V a string field (repeatable)
  -F, --field K=V     a typed field: true, false, null and numbers as such, @FILE a file's content (@- stdin)
                      Fields form a JSON body (a[b]=1 nests, a[]=1 lists), or the query for GET.
  -H, --header 'N: V' an extra request header (repeatable)
      --input FILE    the request body from FILE (- for stdin); fields then go to the query
  -i, --include       print the status line and the headers before the body
      --silent        print no body
      --paginate      follow next_url to the last page, printing each page (GET only)
      --slurp         with --paginate: print one JSON array of all the pages
  --profile P         the profile (default: the default profile, else the only one)

A 401 with a refresh token stored refreshes it once and retries; a 429 waits out Retry-After (up to 60 s)
and retries. Exit 0 for a 2xx answer, 1 otherwise (the body then goes to stderr), 2 for a usage error.
ZCHAT_AUTH_DEBUG=1 shows the exchanges on stderr, the token masked.

Examples
  zchat-auth api chats -f limit=10
  zchat-auth api --paginate --slurp chats | jq '[.[].chats[]] | length'
  zchat-auth api departments -f name=Billing -F enabled=true
  zchat-auth api -X PUT oauth/clients/42 -f client_type=confidential
`;

function parseField(text: string, typed: boolean): Field {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw usage(
      `A field must look like key=value, not "${text.slice(0, 24)}".`,
      `Use ${typed ? '-F' : '-f'} name=value.`,
    );
  }
  return { key: text.slice(0, at), raw: text.slice(at + 1), typed };
}

function parseHeader(text: string): [string, string] {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/.exec(text);
  if (!match || /[\r\n\0]/.test(match[2]!)) {
    throw usage(`A header must look like 'Name: value', not "${text.slice(0, 24)}".`);
  }
  const name = match[1]!;
  if (/^(authorization|host)$/i.test(name)) {
    throw usage(
      `zchat-auth api sets the ${name} header itself (the profile's token, its own origin).`,
      'Use curl with `zchat-auth token` for other credentials.',
    );
  }
  return [name, match[2]!.trim()];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** A file (or stdin for `-`) for --input and -F key=@file; a read failure is one clear line. */
async function readSource(name: string, io: CommandIO, what: string): Promise<Buffer> {
  if (name === '-') return readAll(io.stdin);
  try {
    return fs.readFileSync(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw usage(`Could not read ${what} "${name.slice(0, 60)}" (${code}).`);
  }
}

/** -F's types: true, false, null, JSON numbers; @file for a file's text; anything else a string. */
async function fieldValue(field: Field, io: CommandIO): Promise<FieldValue> {
  const raw = field.raw;
  if (!field.typed) return raw;
  if (raw.startsWith('@')) return (await readSource(raw.slice(1), io, 'the field file')).toString('utf8');
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
  }
  return raw;
}

export const command: Command<ApiOptions> = {
  help,
  options: {
    method: { type: 'string', short: 'X' },
    'raw-field': { type: 'string', short: 'f', multiple: true },
    field: { type: 'string', short: 'F', multiple: true },
    header: { type: 'string', short: 'H', multiple: true },
    input: { type: 'string' },
    include: { type: 'boolean', short: 'i' },
    silent: { type: 'boolean' },
    paginate: { type: 'boolean' },
    slurp: { type: 'boolean' },
  },
  maxPositionals: 1,
  build({ values, positionals }) {
    const path = positionals[0];
    if (path === undefined)
      throw usage('Which path? e.g. `zchat-auth api chats`.', 'See `zchat-auth api --help`.');
    const methodText = stringValue(values, 'method');
    let method: Method | undefined;
    if (methodText !== undefined) {
      method = methodText.toUpperCase() as Method;
      if (!methods.includes(method)) {
        throw usage(`Unknown method "${methodText.slice(0, 12)}".`, `Use one of ${methods.join(', ')}.`);
      }
    }
    // String fields first, then typed ones (each kind in the order given).
    const fields = [
      ...listValue(values, 'raw-field').map((f) => parseField(f, false)),
      ...listValue(values, 'field').map((f) => parseField(f, true)),
    ];
    const headers: Record<string, string> = {};
    for (const h of listValue(values, 'header')) {
      const [name, value] = parseHeader(h);
      headers[name] = value;
    }
    const paginate = flag(values, 'paginate');
    const slurp = flag(values, 'slurp');
    const include = flag(values, 'include');
    if (slurp && !paginate) throw usage('--slurp needs --paginate.');
    if (slurp && include)
      throw usage('--slurp and --include do not mix: headers have no place in the array.');
    const input = stringValue(values, 'input');
    const options: ApiOptions = {
      ...withProfile(values),
      path,
      fields,
      headers,
      include,
      silent: flag(values, 'silent'),
      paginate,
      slurp,
      ...(method ? { method } : {}),
      ...(input === undefined ? {} : { input }),
    };
    if (paginate && effectiveMethod(options) !== 'GET')
      throw usage('--paginate follows pages of a GET only.');
    return options;
  },
  run: runApi,
};

/** As `gh api`: GET, or POST once there are fields or a body; --paginate only makes sense of a GET. */
function effectiveMethod(o: ApiOptions): Method {
  if (o.method) return o.method;
  if (o.paginate) return 'GET';
  return o.fields.length > 0 || o.input !== undefined ? 'POST' : 'GET';
}

export async function runApi(o: ApiOptions, io: CommandIO): Promise<number> {
  const services = io.services();
  const store = services.store;
  const profile = store.resolve(o.profile);
  const baseUrl = baseUrlOf(profile);
  const origin = new URL(baseUrl).origin;
  const method = effectiveMethod(o);
  let url = resolveApiUrl(baseUrl, o.path);

  const typed: [string, FieldValue][] = [];
  for (const field of o.fields) typed.push([field.key, await fieldValue(field, io)]);
  let body: Buffer | undefined;
  const headers = { ...o.headers };
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (o.input !== undefined) {
    body = await readSource(o.input, io, 'the input file');
    url = addQuery(url, typed);
  } else if (method === 'GET' || method === 'HEAD' || method === 'DELETE') {
    url = addQuery(url, typed);
  } else if (typed.length > 0) {
    body = Buffer.from(JSON.stringify(fieldsToBody(typed)));
  }
  if (body && !hasContentType) headers['Content-Type'] = 'application/json';

  const debug = io.env.ZCHAT_AUTH_DEBUG === '1' || io.env.ZCHAT_AUTH_DEBUG === 'true';
  const pages: string[] = [];
  let next: URL | undefined = url;
  let seen = 0;
  while (next) {
    const { response, accessToken } = await callApi({
      store,
      ...(o.profile ? { profile: o.profile } : {}),
      method,
      url: next,
      headers,
      ...(body ? { body } : {}),
      env: io.env,
      makeTokenClient: makers(services).makeTokenClient,
      wait: (seconds) => countdown(io, seconds),
      onRefresh: (elsewhere) =>
        io.stderr.write(
          `zchat-auth: the token was rejected (401); ${elsewhere ? 'another process had refreshed it' : 'refreshed it'} and retried.\n`,
        ),
      ...(debug ? { onExchange: (e: ApiExchange) => printExchange(io.stderr, e) } : {}),
    });
    const secrets = [
      accessToken,
      profile.token?.accessToken,
      profile.token?.refreshToken,
      profile.clientSecret,
    ];
    const text = response.body.toString('utf8');
    // The token list carries every token's values in full (other logins', other tools'): shown masked,
    // like the profile's own, so `api oauth/tokens` never prints one.
    if (next.pathname.includes('/oauth/tokens')) secrets.push(...listedTokenValues(text));
    const ok = response.status >= 200 && response.status < 300;
    if (!ok) {
      if (o.include) printHead(io.stderr, response, secrets);
      if (!o.silent) serverText(io.stderr, redact(text, secrets), io.env);
      throw new ZchatError(
        response.status === 401 ? 'unauthorized' : response.status === 429 ? 'rate_limited' : 'bad_response',
        `${method} ${next.pathname} answered ${response.status}${response.statusText ? ` ${safeText(response.statusText)}` : ''}.`,
        response.status === 401
          ? { hint: `Run \`zchat-auth login${o.profile ? ` --profile ${o.profile}` : ''}\` for a new token.` }
          : {},
      );
    }
    if (o.include) printHead(io.stdout, response, secrets);
    const shown = redact(text, secrets);
    if (o.slurp) {
      if (text.trim() === '')
        throw new ZchatError('bad_response', 'A page came back empty; nothing to slurp.');
      pages.push(shown);
    } else if (!o.silent) {
      serverText(io.stdout, shown, io.env);
    }
    if (!o.paginate) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      break;
    }
    next = nextPageUrl(parsed, origin);
    if (++seen >= 10_000) throw new ZchatError('bad_response', 'Stopped after 10,000 pages.');
  }
  if (o.slurp && !o.silent) serverText(io.stdout, `[${pages.join(',')}]`, io.env);
  return 0;
}

/** `HTTP/1.1 200 OK` and the headers, as curl -i shows them; the token masked wherever it shows up. */
function printHead(out: Output, response: RawResponse, secrets: (string | undefined)[]): void {
  let head = `HTTP/${response.httpVersion} ${response.status} ${response.statusText}\n`;
  for (const [name, value] of response.rawHeaders) {
    const shown = /^(authorization|proxy-authorization)$/i.test(name) ? maskAuthorization(value) : value;
    head += `${name}: ${redact(shown, secrets)}\n`;
  }
  out.write(`${safeText(head)}\n`);
}

function maskAuthorization(value: string): string {
  const [scheme, ...rest] = value.split(' ');
  return rest.length > 0 ? `${scheme} ${mask(rest.join(' '))}` : mask(value);
}

/** ZCHAT_AUTH_DEBUG: one block per exchange on stderr, the token masked. */
function printExchange(err: Output, e: ApiExchange): void {
  const lines = [`* ${e.method} ${e.url}`];
  for (const [name, value] of Object.entries(e.requestHeaders)) {
    lines.push(`> ${name}: ${/^authorization$/i.test(name) ? maskAuthorization(value) : value}`);
  }
  if (e.requestBytes > 0) lines.push(`> (${e.requestBytes} bytes of body)`);
  if (e.response) {
    lines.push(`< HTTP/${e.response.httpVersion} ${e.response.status} ${e.response.statusText}`);
    for (const [name, value] of e.response.rawHeaders) lines.push(`< ${name}: ${value}`);
    lines.push(`< (${e.response.body.length} bytes in ${Math.round(e.durationMs)} ms)`);
  } else if (e.error) {
    lines.push(`! ${e.error.message}`);
  }
  // A server may echo the token back (in a header, in a URL): masked wherever it shows up.
  const token = e.requestHeaders.Authorization?.replace(/^Bearer /, '');
  err.write(`${safeText(redact(lines.join('\n'), [token]))}\n`);
}

/** Waits out a 429: a live countdown on a terminal, one line otherwise. */
async function countdown(io: CommandIO, seconds: number): Promise<void> {
  const tty = io.stderr.isTTY === true;
  const say = (left: number) => `zchat-auth: rate-limited (429); retrying in ${left} s`;
  if (!tty) io.stderr.write(`${say(seconds)}.\n`);
  let left = seconds;
  while (left > 0) {
    if (tty) io.stderr.write(`\r${say(left)}…\u001b[K`);
    const step = Math.min(1, left);
    await new Promise((resolve) => setTimeout(resolve, step * 1000));
    left = Math.round((left - step) * 1000) / 1000;
  }
  if (tty) io.stderr.write('\r\u001b[K');
}

/** The `access_token` and `refresh_token` values anywhere in a JSON answer (none when it is not JSON). */
export function listedTokenValues(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const values: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if ((key === 'access_token' || key === 'refresh_token') && typeof inner === 'string' && inner) {
          values.push(inner);
        } else walk(inner);
      }
    }
  };
  walk(parsed);
  return values;
}
