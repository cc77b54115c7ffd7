/**
 * The environment a program we start (a browser, a clipboard helper) gets: ours, less what is secret. A
 * browser opener or xclip has no use for the client secret or the password, and a proxy URL's user name
 * and password are ours to use, not every child's to log or pass on.
 */
import type { Env } from './ssh.js';

const secretVariables = new Set(['ZENDESK_CHAT_CLIENT_SECRET', 'ZENDESK_CHAT_PASSWORD']);

/** `http://user:pass@proxy:3128` → `http://proxy:3128`; a value that is no URL with credentials is dropped. */
function withoutCredentials(value: string): string | undefined {
  if (!value.includes('@')) return value;
  try {
    const url = new URL(value.includes('://') ? value : `http://${value}`);
    if (!url.username && !url.password) return value;
    url.username = '';
    url.password = '';
    return value.includes('://') ? url.href.replace(/\/$/, '') : url.host;
  } catch {
    // Something with an @ that is no URL may still hold a password: leave it out.
    return undefined;
  }
}

export function childEnv(env: Env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || secretVariables.has(name.toUpperCase())) continue;
    if (/_proxy$/i.test(name)) {
      const clean = withoutCredentials(value);
      if (clean !== undefined) out[name] = clean;
      continue;
    }
    out[name] = value;
  }
  return out;
}
