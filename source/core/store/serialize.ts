/**
 * The store file's bytes: exactly `JSON.stringify(data, undefined, '\t')` (conf's format, which the file has
 * always had), built from the text of each record kept from earlier writes. A write replaces one record of
 * 1,000 or 10,000, and stringifying (then encoding) all of them again was most of a write's time; only the
 * records not seen before are stringified now. Records are never edited in place once read or written (the
 * store replaces them), so a record object's text never changes.
 */

/** Each record's entry (`\n\t\t"name": {...}`) as it sits in the file, by record object. */
export type RecordTexts = WeakMap<object, { key: string; bytes: Buffer }>;

export function newRecordTexts(): RecordTexts {
  return new WeakMap();
}

const COMMA = Buffer.from(',');

/** Exactly JSON.stringify(data, undefined, '\t'), as UTF-8, with the records' bytes taken from `texts`. */
export function serializeStore(data: object, texts: RecordTexts): Buffer {
  const parts: Buffer[] = [];
  let head = '{';
  for (const [key, value] of Object.entries(data)) {
    if (key === 'profiles' && isPlainRecord(value)) {
      head += `\n\t${JSON.stringify(key)}: {`;
      let first = true;
      for (const name in value) {
        if (!Object.hasOwn(value, name)) continue;
        const record = value[name];
        if (!isJsonValue(record)) continue;
        if (first) parts.push(Buffer.from(head));
        else parts.push(COMMA);
        parts.push(entryBytes(name, record, texts));
        first = false;
      }
      head = first ? `${head}},` : '\n\t},';
      continue;
    }
    const text = JSON.stringify(value, undefined, '\t');
    // JSON.stringify leaves out undefined, functions and symbols, keys and all.
    if (text === undefined) continue;
    head += `\n\t${JSON.stringify(key)}: ${text.replaceAll('\n', '\n\t')},`;
  }
  head = head.endsWith(',') ? `${head.slice(0, -1)}\n}` : `${head}}`;
  parts.push(Buffer.from(head));
  return Buffer.concat(parts);
}

/** The entry of every record of `data` not yet known: done ahead of a write, off its clock. */
export function rememberRecords(data: { profiles?: unknown }, texts: RecordTexts): void {
  if (!isPlainRecord(data.profiles)) return;
  for (const [name, record] of Object.entries(data.profiles)) {
    if (isJsonValue(record)) entryBytes(name, record, texts);
  }
}

function entryBytes(name: string, record: unknown, texts: RecordTexts): Buffer {
  // Only objects can be remembered (and records are objects); anything else is cheap to stringify.
  const object = typeof record === 'object' && record !== null ? record : undefined;
  const known = object && texts.get(object);
  if (known && known.key === name) return known.bytes;
  // A JSON string never holds a raw line break, so every one is between tokens: indent after each.
  const text = JSON.stringify(record, undefined, '\t').replaceAll('\n', '\n\t\t');
  const bytes = Buffer.from(`\n\t\t${JSON.stringify(name)}: ${text}`);
  if (object) texts.set(object, { key: name, bytes });
  return bytes;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !hasToJson(value);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** What JSON.stringify keeps as an object member (undefined, functions and symbols are dropped). */
function isJsonValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}
