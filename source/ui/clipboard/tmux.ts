/**
 * Whether tmux passes an OSC 52 copy on to the terminal's clipboard: with `set-clipboard` on (or external)
 * it forwards the bare sequence itself; with `allow-passthrough` on it lets the wrapped one through. Asked
 * of the tmux on PATH; when it cannot be asked (no tmux, an old one, a socket we cannot reach) the answer
 * is "unknown", never a guess.
 */
import { execFile } from 'node:child_process';
import { childEnv } from '../../core/platform/child-env.js';

export type TmuxClipboard = 'passes' | 'blocked' | 'unknown';

/** `tmux show -gv OPTION`, or undefined when tmux cannot say. */
function showOption(option: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(
        'tmux',
        ['show', '-gv', option],
        { env: childEnv(env), timeout: timeoutMs, maxBuffer: 4096 },
        (error, stdout) => resolve(error ? undefined : String(stdout).trim()),
      );
    } catch {
      resolve(undefined);
    }
  });
}

export async function tmuxClipboard(env: NodeJS.ProcessEnv, timeoutMs = 1000): Promise<TmuxClipboard> {
  const [setClipboard, passthrough] = await Promise.all([
    showOption('set-clipboard', env, timeoutMs),
    showOption('allow-passthrough', env, timeoutMs),
  ]);
  if (setClipboard === 'on' || setClipboard === 'external') return 'passes';
  if (passthrough === 'on' || passthrough === 'all') return 'passes';
  // Both asked and answered "off": tmux keeps the copy to itself.
  if (setClipboard === 'off' && passthrough === 'off') return 'blocked';
  return 'unknown';
}

/** The copy message's tmux part: undefined when the copy passes. */
export function tmuxNote(state: TmuxClipboard): string | undefined {
  if (state === 'blocked') {
    return "It may not reach the clipboard: tmux's set-clipboard and allow-passthrough are off. Enable it with `set -g set-clipboard on` in ~/.tmux.conf.";
  }
  if (state === 'unknown') {
    return 'It may not reach the clipboard: tmux could not say whether it passes copies on. If it does not, add `set -g set-clipboard on` to ~/.tmux.conf.';
  }
  return undefined;
}
