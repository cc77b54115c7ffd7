/**
 * ZCHAT_AUTH_DEBUG=1: every HTTP exchange and every request the loopback server sees, on stderr, in the
 * spirit of GH_DEBUG=api. Parameter names, status codes, header names and JSON keys stay; the values of
 * codes, tokens, secrets and passwords are masked (`ab…9f3c`), so a log can be pasted into an issue.
 */
import { mask, redactParams } from './redact.js';

export type DebugLog = (line: string) => void;

/** The debug writer when ZCHAT_AUTH_DEBUG is set (anything but empty or 0), else undefined. */
export function debugLog(
  env: Record<string, string | undefined> = process.env,
  write: (text: string) => void = (text) => process.stderr.write(text),
): DebugLog | undefined {
  const flag = env.ZCHAT_AUTH_DEBUG;
  if (!flag || flag === '0' || flag.toLowerCase() === 'false') return undefined;
  return (line) => write(`${line}\n`);
}

const secretKeys = new Set([
  'access_token',
  'refresh_token',
  'client_secret',
  'password',
  'code',
  'code_verifier',
  'token',
  'id_token',
]);
const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** `Bearer ab…9f3c`, `Basic …`: the scheme stays, the credential is masked. */
function maskHeader(name: string, value: string): string {
  if (!secretHeaders.has(name.toLowerCase())) return value;
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ${mask(value.slice(space + 1))}` : mask(value);
}

/** JSON with every secret-named value masked at any depth; keys and other values kept. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        secretKeys.has(k.toLowerCase()) && typeof v === 'string' ? mask(v) : maskJson(v),
      ]),
    );
  }
  return value;
}

/** A body as text, secrets masked: JSON by key, forms and query strings by parameter, the rest cut short. */
export function maskBody(body: unknown): string {
  if (body === undefined || body === '') return '';
  if (typeof body !== 'string') return cut(JSON.stringify(maskJson(body)), 4000);
  const trimmed = body.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return cut(JSON.stringify(maskJson(JSON.parse(trimmed))), 4000);
    } catch {
      // not JSON after all
    }
  }
  return cut(redactParams(trimmed.replace(/\s+/g, ' ')), 300);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}… (${text.length - max + 1} more characters)` : text;
}

export function maskUrl(url: string): string {
  return redactParams(url);
}

export function headerLines(prefix: string, headers: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      out.push(`${prefix} ${name}: ${maskHeader(name, String(value))}`);
    }
  }
  return out;
}
