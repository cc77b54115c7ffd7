/**
 * The store file split into its records' texts without parsing them: `zchat-auth token` parses the top level
 * and the one record it prints, not 1,000 (parsing them all, and collecting the garbage, was most of what
 * `token` did beyond starting Node). Only the layout the store writes is split (serialize.ts:
 * `JSON.stringify(data, undefined, '\t')`, which is also conf's); any other layout, or anything unexpected,
 * is left to a whole JSON.parse, as is a record whose text turns out not to parse (see CheckedRead).
 *
 * In that layout a JSON string never holds a raw line break or tab, so a line's leading tabs are its depth:
 * the records of `profiles` are the lines that start with exactly two tabs and a quote (a key), each up to
 * the first line that is exactly two tabs and `}` after it.
 */

export interface SplitFile {
  /** The top level, parsed, with `profiles` left out (its records are in `records`). */
  top: Record<string, unknown>;
  /** Each record's text (a JSON object), by key, in file order; a key written twice keeps its last text. */
  records: Map<string, string>;
}

const PROFILES = '\n\t"profiles": {';
const CONTROL = /[\u0000-\u001f]/;
/** A line with at most two leading tabs: inside profiles, only a key, a record's end, or its end. */
const SHALLOW = /\n(?!\t\t\t)/g;

/** The file's records as texts, or undefined when the file is not in the layout the store writes. */
export function splitRecords(text: string): SplitFile | undefined {
  const at = text.indexOf(PROFILES);
  if (at < 0) return undefined;
  const open = at + PROFILES.length - 1; // the `{` of profiles
  const records = new Map<string, string>();
  // Every shallow line from here on, in turn: a key, that record's end, the next key or the end of
  // profiles. Each record's lines are all deeper, so no key can hide inside another record.
  const shallow = new RegExp(SHALLOW);
  shallow.lastIndex = open + 1;
  let valueStart = -1;
  let key = '';
  let close = -1; // just after the `}` of profiles
  for (let line = shallow.exec(text); line; line = shallow.exec(text)) {
    let depth = 0;
    while (depth < 2 && text.charCodeAt(line.index + 1 + depth) === 9) depth++;
    const first = line.index + 1 + depth;
    const char = text[first];
    if (valueStart < 0 && depth === 2 && char === '"') {
      // A key (after `{` or a record's end and a comma). A record is a non-empty object: `{` and a line
      // break (an empty or non-object record: parse it all).
      if (records.size > 0 !== (text[line.index - 1] === ',')) return undefined;
      const keyEnd = closingQuote(text, first + 1);
      if (keyEnd < 0 || !text.startsWith(': {\n', keyEnd + 1)) return undefined;
      const keyText = text.slice(first, keyEnd + 1);
      // A raw control character is not JSON: the whole parse says so.
      if (CONTROL.test(keyText)) return undefined;
      const parsed = keyText.includes('\\') ? parseKey(keyText) : keyText.slice(1, -1);
      if (parsed === undefined) return undefined;
      key = parsed;
      valueStart = keyEnd + 3;
      shallow.lastIndex = valueStart;
    } else if (valueStart >= 0 && depth === 2 && char === '}') {
      records.set(key, text.slice(valueStart, first + 1));
      valueStart = -1;
    } else if (valueStart < 0 && depth === 1 && char === '}' && text[line.index - 1] !== ',') {
      close = first + 1;
      break;
    } else {
      return undefined;
    }
  }
  if (close < 0 || records.size === 0) return undefined;
  // The top level with `0` where profiles was: it must parse, and that `0` must be its `profiles` (the
  // split found the top-level key, not one nested in something else).
  let top: unknown;
  try {
    top = JSON.parse(`${text.slice(0, open)}0${text.slice(close)}`);
  } catch {
    return undefined;
  }
  if (typeof top !== 'object' || top === null || Array.isArray(top)) return undefined;
  const fields = top as Record<string, unknown>;
  if (fields.profiles !== 0) return undefined;
  delete fields.profiles;
  return { top: fields, records };
}

/** The index of the quote that closes the JSON string whose text starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

function parseKey(keyText: string): string | undefined {
  try {
    const key: unknown = JSON.parse(keyText);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
