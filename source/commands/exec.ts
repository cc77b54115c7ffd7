/**
 * `zchat-auth exec [--profile P] -- COMMAND ARGS...`: runs a command with the profile's token in its
 * environment (never in an argument list, where `ps` would show it), after checking the token as
 * `token --check` does: the tutorial's GET /chats, a refresh on a 401 when a refresh token is stored.
 * The command's exit code and the signal that ended it pass through.
 */
import type { ChildProcess, spawn } from 'node:child_process';
import { apiRootOf, callApi } from '../core/api-call.js';
import { ZchatError } from '../core/errors.js';
import { builtin } from '../core/platform/builtin.js';
import type { LastTest } from '../core/store/types.js';
import { errorFromAnswer } from '../core/zendesk/http-errors.js';
import { classifyTestError } from '../core/zendesk/test-token.js';
import { isTerminal } from '../is-terminal.js';
import { usage } from './args.js';
import type { Command, CommandIO } from './command.js';
import { describeTest, makers, withProfile } from './shared.js';

export interface ExecOptions {
  profile?: string;
  argv: string[];
}

const help = `Usage: zchat-auth exec [--profile P] -- COMMAND [ARGS...]

Runs COMMAND with the profile's token in its environment, after testing the token (and refreshing it on a
401 when a refresh token is stored), as \`zchat-auth token --check\` does:

  ZENDESK_CHAT_TOKEN       the access token
  ZENDESK_CHAT_API         the API root, e.g. https://acme.zendesk.com/api/v2/chat
  ZENDESK_CHAT_SUBDOMAIN   the subdomain

The token is in no argument list (\`ps\` shows arguments to every user). The exit code is COMMAND's; a
COMMAND ended by a signal ends zchat-auth by the same signal. Exit 1 when the token does not work (COMMAND
is then not run), 127 when COMMAND is not found.

Examples
  zchat-auth exec -- sh -c 'curl -sH "Authorization: Bearer $ZENDESK_CHAT_TOKEN" "$ZENDESK_CHAT_API/chats"'
  zchat-auth exec --profile acme -- python3 export_chats.py
`;

export interface ExecDeps {
  spawn: typeof spawn;
  /** Ends this process by `signal`, as the child was ended (tests record it instead). */
  raise(signal: NodeJS.Signals): void;
}

/** node:child_process loads after the token check: it is not needed before the first request. */
async function realDeps(): Promise<ExecDeps> {
  const { spawn } = builtin('node:child_process');
  return {
    spawn,
    raise(signal) {
      process.kill(process.pid, signal);
    },
  };
}

export const command: Command<ExecOptions> = {
  help,
  options: {},
  maxPositionals: Number.MAX_SAFE_INTEGER,
  build({ values, positionals }) {
    if (positionals.length === 0 || positionals[0] === '') {
      throw usage(
        'Which command? e.g. `zchat-auth exec -- env`.',
        'Put -- before the command and its arguments.',
      );
    }
    return { ...withProfile(values), argv: positionals };
  },
  run: (options, io) => runExec(options, io),
};

/** The token check (GET /chats as the profile, refresh on 401); the access token to hand on. */
async function checkedToken(options: ExecOptions, io: CommandIO) {
  const services = io.services();
  const profile = services.store.resolve(options.profile);
  const url = new URL(`${apiRootOf(profile)}/chats`);
  const {
    response,
    accessToken,
    profile: current,
  } = await callApi({
    store: services.store,
    profile: profile.name,
    method: 'GET',
    url,
    env: io.env,
    makeTokenClient: makers(services).makeTokenClient,
    wait: async (seconds) => {
      io.stderr.write(`zchat-auth: rate-limited (429) while testing the token; retrying in ${seconds} s.\n`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    },
  });
  if (response.status >= 200 && response.status < 300) return { profile: current, accessToken };
  let body: unknown = response.body.toString('utf8');
  try {
    body = JSON.parse(body as string);
  } catch {}
  const reason = errorFromAnswer(
    { status: response.status, headers: response.headers, body },
    { host: url.host, timeoutMs: 30_000, endpoint: 'api', secrets: [accessToken] },
  );
  const test: LastTest = {
    at: new Date().toISOString(),
    ok: false,
    result: classifyTestError(reason),
    status: response.status,
  };
  throw new ZchatError(reason.code, describeTest(current, test, reason), { status: response.status });
}

export async function runExec(options: ExecOptions, io: CommandIO, given?: ExecDeps): Promise<number> {
  const { profile, accessToken } = await checkedToken(options, io);
  const deps = given ?? (await realDeps());
  const [file, ...args] = options.argv as [string, ...string[]];
  const env = {
    ...io.env,
    ZENDESK_CHAT_TOKEN: accessToken,
    ZENDESK_CHAT_API: apiRootOf(profile),
    ZENDESK_CHAT_SUBDOMAIN: profile.subdomain,
  };
  let child: ChildProcess;
  try {
    child = deps.spawn(file, args, { stdio: 'inherit', env });
  } catch (error) {
    return notStarted(io, file, error);
  }
  // Ctrl+C in a terminal reaches the whole foreground group, the child included: this process only keeps
  // living until the child decides. Signals sent to this process alone are passed on.
  // A look at fd 0, not io.stdin: making process.stdin here would set fd 0 non-blocking under the child's feet.
  const fromTerminal = isTerminal(0);
  const forwarded: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];
  const handlers = forwarded.map((signal) => {
    const handler = () => {
      if (signal === 'SIGINT' && fromTerminal) return;
      child.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>(
    (resolve) => {
      child.once('error', (error) => resolve(error));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  for (const [signal, handler] of handlers) process.off(signal, handler);
  if (outcome instanceof Error) return notStarted(io, file, outcome);
  if (outcome.signal) {
    deps.raise(outcome.signal);
    const { constants } = builtin('node:os');
    return 128 + (constants.signals[outcome.signal] ?? 0);
  }
  return outcome.code ?? 1;
}

/** As a shell says it: 127 for a command that is not there, 126 for one that cannot be run. */
function notStarted(io: CommandIO, file: string, error: unknown): number {
  const code = (error as NodeJS.ErrnoException).code;
  const shown = file.length > 60 ? `${file.slice(0, 60)}…` : file;
  if (code === 'ENOENT') {
    io.stderr.write(`zchat-auth: command not found: ${shown}\n`);
    return 127;
  }
  io.stderr.write(`zchat-auth: could not run ${shown} (${code ?? 'error'}).\n`);
  return 126;
}
