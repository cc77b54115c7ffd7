/**
 * The profile a command acts on, from its arguments, and its token. Apart from shared.ts so that `token`,
 * which needs only these, loads none of what the other commands share (URLs, test wording): every module
 * is a file read at start-up.
 */
import { ZchatError } from '../core/errors.js';
import type { Profile } from '../core/store/types.js';
import { stringValue, type Values } from './args.js';

export function profileOption(values: Values): string | undefined {
  return stringValue(values, 'profile');
}

/** `{ profile }` when --profile was given, else nothing (options structs leave it out). */
export function withProfile(values: Values): { profile?: string } {
  const profile = profileOption(values);
  return profile === undefined ? {} : { profile };
}

/** `--profile P` as a flag, quoted so it can be pasted into a shell. */
export function profileFlag(name: string): string {
  return /^[\w.-]+$/.test(name) ? `--profile ${name}` : `--profile '${name.replace(/'/g, "'\\''")}'`;
}

export function requireToken(profile: Profile): NonNullable<Profile['token']> {
  if (!profile.token) {
    throw new ZchatError('no_token', `No token is stored for profile "${profile.name}".`, {
      hint: `Run \`zchat-auth login ${profileFlag(profile.name)}\`.`,
    });
  }
  return profile.token;
}
