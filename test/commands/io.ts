/** A CommandIO for running commands in the test process: captured output, a chosen env and stdin. */
import { Readable } from 'node:stream';
import type { CommandIO } from '../../source/commands/command.js';
import type { TokenStore } from '../../source/core/store/types.js';
import { createServices } from '../../source/create-services.js';
import { testRetryDelayMs } from '../retry-delay.js';

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
