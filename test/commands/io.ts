/** A CommandIO for running commands in the test process: captured output, a chosen env and stdin. */
import { Readable } from 'node:stream';
import { parse } from '../../source/commands/args.js';
import type { Command, CommandIO } from '../../source/commands/command.js';
import { exitCodeFor, toZchatError } from '../../source/core/errors.js';
import type { Profile, TokenStore } from '../../source/core/store/types.js';
import { createServices } from '../../source/create-services.js';
import type { Sandbox } from '../../source/sandbox/types.js';
import { sampleProfile } from '../core/store/helpers.js';
import { testRetryDelayMs } from '../retry-delay.js';
import { codeToken } from '../sandbox/helpers.js';

export interface TestIO extends CommandIO {
  out(): string;
  err(): string;
}

export function testIO(
  store: TokenStore,
  options: { env?: NodeJS.ProcessEnv; stdin?: string; tty?: boolean; errTty?: boolean } = {},
): TestIO {
  let out = '';
  let err = '';
  const env = options.env ?? {};
  const services = createServices(env, { store, retryDelayMs: testRetryDelayMs });
  const controller = new AbortController();
  return {
    stdout: { write: (t: string) => (out += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (err += t), isTTY: options.errTty ?? options.tty ?? false },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env,
    interactive: false,
    services: () => services,
    signal: controller.signal,
    out: () => out,
    err: () => err,
  };
}

/**
 * Runs a command line as cli.ts does: parse, build, run (or `run` given the built options, for a command
 * with injected parts); a thrown error becomes its one line on stderr and its exit code.
 */
export async function runCommand<O>(
  command: Command<O>,
  args: string[],
  io: TestIO,
  run: (options: O) => Promise<number> = (options) => command.run(options, io),
): Promise<number> {
  try {
    return await run(command.build(parse(args, command.options, command.maxPositionals), io));
  } catch (error) {
    const zerror = toZchatError(error);
    io.stderr.write(`zchat-auth: ${zerror.sentence}\n`);
    return exitCodeFor(zerror);
  }
}

/**
 * Saves profile "demo" for the sandbox's demo client with a fresh code-flow token (fields of `token` replace
 * its own); returns the token pair.
 */
export async function saveLoggedIn(
  store: TokenStore,
  sb: Sandbox,
  profile: Partial<Profile> = {},
  token: Partial<NonNullable<Profile['token']>> = {},
): Promise<{ access: string; refresh: string }> {
  const pair = await codeToken(sb);
  await store.save(
    sampleProfile('demo', {
      subdomain: 'demo',
      baseUrl: sb.url,
      clientId: sb.demo.clientId,
      clientSecret: sb.demo.clientSecret,
      token: {
        accessToken: pair.access_token,
        refreshToken: pair.refresh_token,
        tokenType: 'Bearer',
        scope: 'read write',
        grant: 'authorization_code',
        obtainedAt: new Date().toISOString(),
        ...token,
      },
      ...profile,
    }),
  );
  return { access: pair.access_token, refresh: pair.refresh_token };
}
