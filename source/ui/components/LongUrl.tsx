import { Transform } from 'ink';
import { Text } from '../safe-text.js';

/** Cursor up one row: a row that takes no room (see LongUrl). */
const UP = '\x1b[A';
const SGR_START = /^(?:\x1b\[[0-9;]*m)*/;
const SGR_END = /(?:\x1b\[[0-9;]*m)*$/;

/**
 * Terminals known to make OSC 8 hyperlinks clickable; FORCE_HYPERLINK=1 or 0 overrides (the convention of
 * the supports-hyperlinks package). Elsewhere the escape could show as junk, so it is left out.
 */
export function supportsHyperlinks(env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0';
  if (env.TERM === 'dumb' || env.CI) return false;
  if (env.KITTY_WINDOW_ID || env.WT_SESSION || env.KONSOLE_VERSION) return true;
  if (Number(env.VTE_VERSION ?? 0) >= 5000) return true;
  if (['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(env.TERM_PROGRAM ?? '')) return true;
  return ['xterm-kitty', 'foot', 'alacritty', 'xterm-ghostty'].includes(env.TERM ?? '');
}

/**
 * A long URL as one logical line, so a mouse selection or a click takes all of it. Ink wraps it to count the
 * rows it needs; the first row then holds the whole URL, which the terminal soft-wraps over those rows, and
 * each other row is a cursor-up that takes no room. Ink and the terminal agree on the row count when the
 * URL starts at column 0 and may use the full width (the caller's box), as here.
 */
export function LongUrl({
  url,
  color,
  hyperlink,
}: {
  url: string;
  color?: string | undefined;
  hyperlink: boolean;
}) {
  // Control characters could end the hyperlink or move the cursor: a URL has none.
  const safe = url.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  const text = hyperlink ? `\x1b]8;;${safe}\x07${safe}\x1b]8;;\x07` : safe;
  return (
    <Transform
      transform={(line, index) =>
        index === 0 ? `${SGR_START.exec(line)?.[0] ?? ''}${text}${SGR_END.exec(line)?.[0] ?? ''}` : UP
      }
    >
      <Text color={color} wrap="wrap">
        {safe}
      </Text>
    </Transform>
  );
}
