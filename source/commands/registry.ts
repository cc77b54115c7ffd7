/**
 * The command table. Tiny on purpose: cli.ts imports it statically, and each command module (with whatever
 * it pulls in) is loaded only when that command runs.
 */
import type { OptionSpec } from './args.js';
import type { Command } from './command.js';

// biome-ignore lint/suspicious/noExplicitAny: each command has its own options struct; the table only dispatches.
type AnyCommand = Command<any>;
type Loader = () => Promise<{ command: AnyCommand }>;

export const commands: Record<string, Loader> = {
  login: () => import('./login.js'),
  token: () => import('./token.js'),
  status: () => import('./status.js'),
  test: () => import('./test.js'),
  refresh: () => import('./refresh.js'),
  clients: () => import('./clients.js'),
  tokens: () => import('./tokens.js'),
  logout: () => import('./logout.js'),
  switch: () => import('./switch.js'),
  doctor: () => import('./doctor.js'),
  'migrate-secrets': () => import('./migrate-secrets.js'),
  sandbox: () => import('./sandbox.js'),
  api: () => import('./api.js'),
  exec: () => import('./exec.js'),
  completion: () => import('./completion.js'),
  __complete: () => import('./complete.js'),
};

/** In the table but not in help or completion: plumbing for the completion scripts. */
export const hiddenCommands = ['__complete'];

/** The options `zchat-auth` takes without a command (besides the global ones). */
export const topLevelOptions: OptionSpec = {
  version: { type: 'boolean', short: 'v' },
  sandbox: { type: 'boolean' },
};

export function isCommand(name: string): boolean {
  return Object.hasOwn(commands, name);
}
