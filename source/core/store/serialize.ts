/**
 * The store file's bytes: exactly `JSON.stringify(data, undefined, '\t')` (conf's format, which the file has
 * always had), built from the text of each record kept from earlier writes. A write replaces one record of
 * 1,000 or 10,000, and stringifying (then encoding) all of them again was most of a write's time; only the
 * records not seen before are stringified now, and the others, laid out as the file is (rememberRecords),
 * are copied as a few runs. Records are never edited in place once read or written (the store replaces
 * them), so a record object's text never changes.
 */

/**
 * Each record's entry (`\n\t\t"name": {...}`) as it sits in the file, by record object. `layout`: the
 * entry is `layout[at, at + bytes.length)`, a whole file laid out by rememberRecords.
 */
export type RecordTexts = WeakMap<object, RecordText>;
interface RecordText {
  key: string;
  bytes: Buffer;
  layout?: Buffer;
  at?: number;
}

export function newRecordTexts(): RecordTexts {
  return new WeakMap();
}

const COMMA = Buffer.from(',');

type OnEntry = (record: object, key: string, offset: number, length: number) => void;

/**
 * The file's parts in order; `onEntry` learns where each record's entry lands in it. Entries side by side
 * in one layout, the comma between them included, are one part (a run): a write of one record of 1,000
 * after rememberRecords has a handful of parts to copy, not 2,000.
 */
function build(data: object, texts: RecordTexts, onEntry?: OnEntry): { parts: Buffer[]; size: number } {
  const parts: Buffer[] = [];
  let size = 0;
  // The run being extended, as offsets into its layout: pushed as one part when it breaks.
  let run: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;
  const emit = (part: Buffer) => {
    if (run) parts.push(run.subarray(runStart, runEnd));
    run = undefined;
    parts.push(part);
    size += part.length;
  };
  let head = '{';
  for (const [key, value] of Object.entries(data)) {
    if (key === 'profiles' && isPlainRecord(value)) {
      head += `\n\t${JSON.stringify(key)}: {`;
      let first = true;
      for (const name in value) {
        if (!Object.hasOwn(value, name)) continue;
        const record = value[name];
        if (!isJsonValue(record)) continue;
        const entry = entryText(name, record, texts);
        const length = entry.bytes.length;
        const at = entry.at ?? -1;
        let offset: number;
        if (
          !first &&
          run !== undefined &&
          entry.layout === run &&
          at === runEnd + 1 &&
          run[runEnd] === 0x2c
        ) {
          // The next entry of the same layout, after its comma: the run grows.
          offset = size + 1;
          runEnd = at + length;
          size += 1 + length;
        } else {
          emit(first ? Buffer.from(head) : COMMA);
          offset = size;
          if (entry.layout) {
            run = entry.layout;
            runStart = at;
            runEnd = at + length;
            size += length;
          } else {
            emit(entry.bytes);
          }
        }
        if (onEntry && typeof record === 'object' && record !== null) onEntry(record, name, offset, length);
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
  emit(Buffer.from(head));
  return { parts, size };
}

/**
 * Exactly JSON.stringify(data, undefined, '\t'), as UTF-8, with the records' bytes taken from `texts`.
 * `into`: memory to write the bytes to when they fit (the result is then a view of it, valid until its next
 * use), so that a write does not wait for fresh memory (see FileTokenStore's #scratch).
 */
export function serializeStore(data: object, texts: RecordTexts, into?: Buffer): Buffer {
  const { parts, size } = build(data, texts);
  if (!into || into.length < size) return Buffer.concat(parts, size);
  let at = 0;
  for (const part of parts) at += part.copy(into, at);
  return into.subarray(0, size);
}

/**
 * The entry of every record of `data`, done ahead of a write, off its clock, laid out as the file is: one
 * buffer of its own (not Node's shared pool, where bytes side by side are not from one file), so that a
 * write of one record copies the others as a few runs. Returns the file's size.
 */
export function rememberRecords(data: object, texts: RecordTexts): number {
  if (!isPlainRecord((data as { profiles?: unknown }).profiles)) return 0;
  const placed: [object, string, number, number][] = [];
  const { parts, size } = build(data, texts, (record, key, offset, length) => {
    placed.push([record, key, offset, length]);
  });
  const layout = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const part of parts) at += part.copy(layout, at);
  for (const [record, key, offset, length] of placed) {
    texts.set(record, { key, bytes: layout.subarray(offset, offset + length), layout, at: offset });
  }
  return size;
}

function entryText(name: string, record: unknown, texts: RecordTexts): RecordText {
  // Only objects can be remembered (and records are objects); anything else is cheap to stringify.
  const object = typeof record === 'object' && record !== null ? record : undefined;
  const known = object && texts.get(object);
  if (known && known.key === name) return known;
  // A JSON string never holds a raw line break, so every one is between tokens: indent after each.
  const text = JSON.stringify(record, undefined, '\t').replaceAll('\n', '\n\t\t');
  const entry = { key: name, bytes: Buffer.from(`\n\t\t${JSON.stringify(name)}: ${text}`) };
  if (object) texts.set(object, entry);
  return entry;
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
