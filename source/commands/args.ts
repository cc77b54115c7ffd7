/**
 * Argument parsing on `node:util` parseArgs, in non-strict mode with tokens so that every usage error is our
 * own sentence: Node's messages quote the raw argument, which could be a secret typed in the wrong place.
 */
import { parseArgs } from 'node:util';
import { ZchatError } from '../core/errors.js';

/** `multiple`: the option may repeat (`-f a=1 -f b=2`); its value is then the list, in order. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

/** Flags that would put a secret in `ps` and shell history: refused everywhere, with the way to do it. */
const secretFlags: Record<string, string> = {
  'client-secret':
    'A client secret is never taken as a flag (it would show in `ps` and the shell history): set ZENDESK_CHAT_CLIENT_SECRET, pipe it in with --client-secret-stdin, or let the prompt ask for it.',
  password:
    'A password is never taken as a flag (it would show in `ps` and the shell history): set ZENDESK_CHAT_PASSWORD, or let the prompt ask for it.',
  secret:
    'A client secret is never taken as a flag (it would show in `ps` and the shell history): set ZENDESK_CHAT_CLIENT_SECRET, pipe it in with --client-secret-stdin, or let the prompt ask for it.',
};

export function usage(message: string, hint?: string): ZchatError {
  return new ZchatError('usage', message, hint ? { hint } : {});
}

export const globalOptions: OptionSpec = {
  profile: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function parse(args: string[], options: OptionSpec, maxPositionals: number): Parsed {
  const spec = { ...globalOptions, ...options };
  const { tokens } = parseArgs({ args, options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Values = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const name = token.name;
    const refusal = secretFlags[name];
    if (refusal) throw usage(refusal);
    const known = spec[name];
    // Only the option's name is quoted back, never what followed `=`.
    const shown = token.rawName.startsWith('--') ? `--${name}` : token.rawName;
    if (!known) throw usage(`Unknown option ${shown}.`, 'Run the command with --help for its options.');
    if (known.type === 'boolean') {
      if (token.inlineValue) throw usage(`${shown} takes no value.`);
      values[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
      throw usage(`${shown} needs a value.`);
    }
    if (known.multiple) {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[name] = value;
    }
  }
  if (positionals.length > maxPositionals) {
    throw usage(
      `Unexpected argument "${clip(positionals[maxPositionals] ?? '')}".`,
      'Run the command with --help.',
    );
  }
  return { values, positionals };
}

/** Short enough that a pasted secret would not be echoed whole. */
function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 12)}…` : text;
}

export function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable option, in the order given. */
export function listValue(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A positive decimal number of seconds, e.g. `--timeout 90` or `--timeout 0.5`. */
export function secondsValue(values: Values, name: string, fallback: number): number {
  const raw = stringValue(values, name);
  if (raw === undefined) return fallback;
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !Number.isFinite(seconds) || seconds <= 0) {
    throw usage(`--${name} takes a number of seconds greater than 0, not "${clip(raw)}".`);
  }
  return seconds;
}

export function integerValue(raw: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw usage(`${what} must be a whole number, not "${clip(raw)}".`);
  const value = Number(raw);
  if (value < min || value > max) throw usage(`${what} must be between ${min} and ${max}.`);
  return value;
}
