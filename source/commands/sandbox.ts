/** `zchat-auth sandbox [--port N] [switches]`: the Zendesk Chat emulator in the foreground, until Ctrl+C. */
import type { SandboxOptions as EmulatorOptions } from '../sandbox/types.js';
import { flag, integerValue, stringValue, usage, type Values } from './args.js';
import { type Command, line } from './command.js';

export interface SandboxOptions {
  port: number;
  /** More clients on the account (--clients N). */
  clients: number;
  /** How the emulator answers where Zendesk's documents leave it open. */
  switches: SandboxSwitches;
}

export type SandboxSwitches = Pick<
  EmulatorOptions,
  'echoState' | 'refreshTokens' | 'implicitIn' | 'datesWithZ' | 'redirectUrisAs' | 'chatOnlyAccount'
>;

const help = `Usage: zchat-auth sandbox [--port N] [--clients N] [switches]

Runs the built-in Zendesk Chat emulator on 127.0.0.1 in the foreground and prints its URL, the demo
subdomain, client, secret and a ready login line (these are the emulator's own throwaway values). Each
request is logged as method, path and status. Ctrl+C stops it (exit 130); SIGTERM stops it with exit 0.

By default it acts as Zendesk's documents say: client and token lists per agent, client scopes read and
write only, the password grant refused (not a Chat-only account), 200 API calls a minute per account.
The switches choose an answer where the documents leave one open; the first value is the default.

Options
  --port N                              the port to listen on (default: a free one)
  --clients N                           N more clients on the account (Client 0001...), to page through
                                        a large account in the dashboard (default 0, at most 10000)
  --state echoed|omitted                whether the redirect carries back the state it was sent
  --refresh-tokens rotate|single-use|reusable
                                        a new refresh token in each refresh reply; none (the one sent is
                                        spent); or the same one again
  --implicit-in fragment|query          where the implicit flow's token rides on the redirect
  --dates z|no-zone                     dates end in Z, or carry no zone
  --redirect-uris list|string           a client's redirect_uris as a list, or one space-separated string
  --chat-only-account                   a Chat-only account: the password grant works

Example
  zchat-auth sandbox --port 4010 --refresh-tokens single-use --state omitted
`;

function choice<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const raw = stringValue(values, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw usage(`--${name} takes one of ${allowed.join(', ')}.`);
  }
  return raw as T;
}

/** The switches from parsed flags; only those given are set, so the emulator's defaults stay in one place. */
export function sandboxSwitches(values: Values): SandboxSwitches {
  const out: SandboxSwitches = {};
  const state = choice(values, 'state', ['echoed', 'omitted'] as const);
  if (state) out.echoState = state === 'echoed';
  const refresh = choice(values, 'refresh-tokens', ['rotate', 'single-use', 'reusable'] as const);
  if (refresh) out.refreshTokens = refresh;
  const implicit = choice(values, 'implicit-in', ['fragment', 'query'] as const);
  if (implicit) out.implicitIn = implicit;
  const dates = choice(values, 'dates', ['z', 'no-zone'] as const);
  if (dates) out.datesWithZ = dates === 'z';
  const uris = choice(values, 'redirect-uris', ['list', 'string'] as const);
  if (uris) out.redirectUrisAs = uris;
  if (flag(values, 'chat-only-account')) out.chatOnlyAccount = true;
  return out;
}

export const sandboxSwitchOptions = {
  state: { type: 'string' },
  'refresh-tokens': { type: 'string' },
  'implicit-in': { type: 'string' },
  dates: { type: 'string' },
  'redirect-uris': { type: 'string' },
  'chat-only-account': { type: 'boolean' },
} as const;

export const command: Command<SandboxOptions> = {
  help,
  options: { port: { type: 'string' }, clients: { type: 'string' }, ...sandboxSwitchOptions },
  maxPositionals: 0,
  handlesInterrupt: true,
  build({ values }) {
    const raw = stringValue(values, 'port');
    const clients = stringValue(values, 'clients');
    return {
      port: raw === undefined ? 0 : integerValue(raw, '--port', 0, 65535),
      clients: clients === undefined ? 0 : integerValue(clients, '--clients', 0, 10_000),
      switches: sandboxSwitches(values),
    };
  },
  async run(options, io) {
    const [{ startSandbox }, { sandboxBanner }] = await Promise.all([
      import('../sandbox/server.js'),
      import('../sandbox/banner.js'),
    ]);
    const sandbox = await startSandbox({ port: options.port, clients: options.clients, ...options.switches });
    // Listening for the stop signals before the banner says "running", so a supervisor can stop it at once.
    let onTerm = () => {};
    const stopped = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => {
      io.signal.addEventListener('abort', () => resolve('SIGINT'), { once: true });
      onTerm = () => resolve('SIGTERM');
      process.once('SIGTERM', onTerm);
    });
    line(io.stdout, sandboxBanner(sandbox));
    line(io.stdout);
    line(io.stdout, 'Press Ctrl+C to stop.');
    const signal = await stopped;
    // Run in process (the tests), the command must not leave its handler behind.
    process.off('SIGTERM', onTerm);
    await sandbox.close();
    line(io.stderr, 'Sandbox stopped.');
    return signal === 'SIGINT' ? 130 : 0;
  },
};
