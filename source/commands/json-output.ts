/**
 * Server text on its way to the terminal: JSON re-laid token by token (pretty and coloured, or compact),
 * so numbers keep every digit JSON.parse would round; characters that could steer a terminal are written
 * as JSON escapes inside strings (the same value for jq, harmless on a screen); other text has its
 * control characters shown as escapes. Everything from a server that `api` prints passes through
 * `serverText` here, so one function decides what reaches the terminal.
 */

/** C0 (but tab and newline), DEL, C1, and the bidi and line-separator characters that reorder a line. */
const unsafeText =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// In JSON strings a raw C0 cannot occur (it would not be JSON), tab and newline neither.
const unsafeInString = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text that is not JSON: its control characters as visible escapes (`\x1b`, `\u202e`). */
export function safeText(text: string): string {
  return text.replace(unsafeText, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : hex4(c);
  });
}

const tokenPattern =
  /\s*(?:("(?:[^"\\]|\\.)*")|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\]:,]))/y;

type Token = { kind: 'string' | 'number' | 'literal' | 'punct'; text: string };

/** The tokens of a JSON text already known to parse. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  tokenPattern.lastIndex = 0;
  for (;;) {
    const at = tokenPattern.lastIndex;
    const match = tokenPattern.exec(text);
    if (!match) {
      if (text.slice(at).trim() !== '') throw new Error('not JSON');
      return out;
    }
    if (match[1] !== undefined) out.push({ kind: 'string', text: match[1].replace(unsafeInString, hex4) });
    else if (match[2] !== undefined) out.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) out.push({ kind: 'literal', text: match[3] });
    else out.push({ kind: 'punct', text: match[4]! });
  }
}

export interface JsonLayout {
  pretty: boolean;
  color: boolean;
}

const colors = {
  key: '\u001b[1;34m',
  string: '\u001b[32m',
  number: '\u001b[36m',
  literal: '\u001b[36m',
  punct: '\u001b[1m',
  reset: '\u001b[0m',
};

/** The JSON text laid out (no trailing newline), or undefined when it is not JSON. */
export function layoutJson(text: string, layout: JsonLayout): string | undefined {
  if (text.trim() === '') return undefined;
  let list: Token[];
  try {
    JSON.parse(text);
    list = tokens(text);
  } catch {
    return undefined;
  }
  const paint = (kind: keyof typeof colors, s: string) =>
    layout.color ? `${colors[kind]}${s}${colors.reset}` : s;
  let out = '';
  let depth = 0;
  const newline = () => (layout.pretty ? `\n${'  '.repeat(depth)}` : '');
  for (let i = 0; i < list.length; i++) {
    const token = list[i]!;
    const next = list[i + 1];
    if (token.kind === 'punct') {
      const p = token.text;
      if (p === '{' || p === '[') {
        const empty = next?.kind === 'punct' && (next.text === '}' || next.text === ']');
        out += paint('punct', p);
        if (empty) {
          out += paint('punct', next.text);
          i++;
        } else {
          depth++;
          out += newline();
        }
      } else if (p === '}' || p === ']') {
        depth--;
        out += newline() + paint('punct', p);
      } else if (p === ',') {
        out += paint('punct', ',') + newline();
      } else {
        out += paint('punct', ':') + (layout.pretty ? ' ' : '');
      }
      continue;
    }
    const isKey = token.kind === 'string' && next?.kind === 'punct' && next.text === ':';
    out += paint(isKey ? 'key' : token.kind, token.text);
  }
  return out;
}

export interface ServerTextTarget {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Writes a body the server sent: JSON laid out for the target (pretty, and coloured unless NO_COLOR, on a
 * terminal; compact in a pipe), other text as it came in a pipe and with controls escaped on a terminal.
 */
export function serverText(out: ServerTextTarget, body: string, env: NodeJS.ProcessEnv): void {
  const tty = out.isTTY === true;
  const json = layoutJson(body, { pretty: tty, color: tty && !env.NO_COLOR });
  if (json !== undefined) {
    out.write(`${json}\n`);
    return;
  }
  if (body === '') return;
  const text = tty ? safeText(body) : body;
  out.write(text.endsWith('\n') ? text : `${text}\n`);
}
