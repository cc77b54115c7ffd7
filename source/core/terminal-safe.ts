/**
 * Text from outside (a server, a redirect, the store, the user) made unable to drive a terminal. A raw ESC
 * starts OSC 52 clipboard writes, OSC 8 links, title changes and screen clears; U+009B is a one-byte CSI on
 * some terminals; bidi overrides make text read other than it is. Each becomes a visible escape instead.
 */

/**
 * C0 (with NUL and ESC), DEL, C1 (with U+009B), bidi marks, embeddings/overrides and isolates, and the line
 * and paragraph separators some terminals break lines on.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeBreakable =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const jsonUnsafe = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const named: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visible(char: string): string {
  const named1 = named[char];
  if (named1) return named1;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/**
 * `Legit\x1b]52;…` stays readable and inert: every control or bidi character becomes `\x1b`, `\u202e`, ….
 * `keepNewlines` lets `\n` through, for text of several lines built by this program (tables, help); a
 * single field (a name, a token) never keeps one.
 */
export function terminalSafe(text: string, o: { keepNewlines?: boolean } = {}): string {
  const pattern = o.keepNewlines ? unsafeBreakable : unsafe;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, visible);
}

/**
 * JSON for a terminal or a pipe: JSON.stringify escapes C0 already but leaves DEL, C1 and bidi characters
 * raw; they become `\u` escapes too (they only ever occur inside strings, so the JSON means the same).
 */
export function terminalSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    jsonUnsafe,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True when `text` holds nothing a terminal would act on (for values refused rather than shown). */
export function hasControlCharacters(text: string): boolean {
  unsafe.lastIndex = 0;
  return unsafe.test(text);
}
