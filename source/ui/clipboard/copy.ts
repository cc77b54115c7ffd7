import { spawn } from 'node:child_process';
import { childEnv } from '../../core/platform/child-env.js';
import { detectMultiplexer, osc52, osc52Sequence } from './osc52.js';
import { tmuxClipboard, tmuxNote } from './tmux.js';

export interface CopyOptions {
  env: NodeJS.ProcessEnv;
  /** Writes raw bytes to the terminal (Ink's `useStdout().write`, so the frame is redrawn after). */
  write: (data: string) => void;
  /** Over SSH a local clipboard would be the server's, not the user's: only OSC 52 then. */
  isSsh: boolean;
  platform?: NodeJS.Platform;
  /** How long a clipboard program may take. */
  timeoutMs?: number;
}

export interface CopyResult {
  /** What carried the text: always 'osc52', plus the local program when one took it. */
  via: string[];
  /** A sentence for the result line, e.g. "Copied via OSC 52 (terminal clipboard)." */
  message: string;
}

interface ClipboardProgram {
  command: string;
  args: string[];
}

/** Local clipboard programs worth trying here, best first. */
export function localClipboardPrograms(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): ClipboardProgram[] {
  if (platform === 'darwin') return [{ command: 'pbcopy', args: [] }];
  if (platform === 'win32') return [{ command: 'clip.exe', args: [] }];
  const list: ClipboardProgram[] = [];
  if (env.WAYLAND_DISPLAY) list.push({ command: 'wl-copy', args: [] });
  if (env.DISPLAY) {
    list.push({ command: 'xclip', args: ['-selection', 'clipboard'] });
    list.push({ command: 'xsel', args: ['--clipboard', '--input'] });
  }
  if (env.WSL_DISTRO_NAME) list.push({ command: 'clip.exe', args: [] });
  return list;
}

/** Feeds `text` to a program's stdin; true when it exits 0. Never throws (a missing program is normal). */
export function pipeTo(program: ClipboardProgram, text: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ok);
    };
    let child: ReturnType<typeof spawn>;
    try {
      // stdout/stderr ignored: xclip keeps its end open while it serves the selection.
      // The clipboard program never sees the client secret, the password or a proxy's credentials.
      child = spawn(program.command, program.args, {
        env: childEnv(env),
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      child.kill();
      done(false);
    }, timeoutMs);
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
    child.stdin?.on('error', () => done(false));
    child.stdin?.end(text);
  });
}

/**
 * Copies through OSC 52 always (the terminal may support it, we cannot ask), and through a local clipboard
 * program too when not on SSH. Says which were used, and inside tmux whether tmux lets OSC 52 through.
 */
export async function copyText(text: string, o: CopyOptions): Promise<CopyResult> {
  o.write(osc52Sequence(text, o.env));
  const inTmux = detectMultiplexer(o.env) === 'tmux';
  // tmux with set-clipboard on forwards a bare OSC 52 itself (the wrapped one needs allow-passthrough).
  if (inTmux) o.write(osc52(text));
  const via = ['osc52'];
  if (!o.isSsh) {
    for (const program of localClipboardPrograms(o.env, o.platform ?? process.platform)) {
      if (await pipeTo(program, text, o.env, o.timeoutMs ?? 2000)) {
        via.push(program.command);
        break;
      }
    }
  }
  const local = via[1];
  if (local) return { via, message: `Copied via ${local} and OSC 52 (terminal clipboard).` };
  // Only OSC 52 carried it: inside tmux, say whether tmux lets it through, as far as tmux tells.
  const note = inTmux ? tmuxNote(await tmuxClipboard(o.env)) : undefined;
  return {
    via,
    message: note
      ? `Sent via OSC 52 (terminal clipboard). ${note}`
      : 'Copied via OSC 52 (terminal clipboard).',
  };
}
