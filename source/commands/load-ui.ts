/**
 * The one door to the Ink UI (Ink and React load only through it).
 * TEMPORARY: source/ui/run-ui.ts is still being written; until it lands the specifier is computed so the
 * bundle builds, and the call fails with a sentence instead.
 */
import { ZchatError } from '../core/errors.js';
import type { LoginOptions } from '../core/oauth/login-flow.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Services } from '../services.js';

export interface RunUiOptions {
  services: Services;
  start: 'dashboard' | 'wizard' | 'login';
  login?: Partial<LoginOptions & { profile: string }>;
  sandbox?: Sandbox;
}

export async function loadRunUi(): Promise<(o: RunUiOptions) => Promise<number>> {
  const specifier = '../ui/run-ui.js';
  try {
    const mod = (await import(specifier)) as { runUi: (o: RunUiOptions) => Promise<number> };
    return mod.runUi;
  } catch {
    throw new ZchatError('usage', 'The dashboard is not part of this build yet.', {
      hint: 'Use the scripting commands (zchat-auth --help), or `zchat-auth login --no-tui`.',
    });
  }
}
