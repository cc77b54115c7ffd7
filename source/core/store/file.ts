/**
 * Reading the store file straight from disk (no conf, no lock: reads stay cheap), keeping damaged files
 * aside, and the directory's permissions. Nothing here ever rewrites or deletes the store file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZchatError } from '../errors.js';
import { readBytesOutsideMalloc } from '../platform/large-reads.js';
import { splitRecords } from './record-texts.js';
import { SCHEMA_VERSION, type StoreData } from './types.js';
import { checkStoreData, checkStoreTop, schemaVersionOf } from './validate.js';

export interface FileRead {
  /** With `records`: the top level only, its `profiles` empty until the records are parsed. */
  data: StoreData;
  /** Identity of the version read (inode, size, times); undefined when there is no file yet. */
  signature: string | undefined;
  /** A `splitRecords` read: each record's text by key, and the file's bytes for a whole parse (parseStoreBytes). */
  records?: Map<string, string>;
  bytes?: Buffer;
}

export function emptyStore(): StoreData {
  return { schemaVersion: SCHEMA_VERSION, profiles: {} };
}

export function signatureOf(stat: fs.Stats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

/** The signature of the file now, or undefined when it does not exist. Never throws. */
export function currentSignature(file: string): string | undefined {
  try {
    return signatureOf(fs.statSync(file));
  } catch {
    return undefined;
  }
}

/**
 * Reads and checks the store. `unlessSignature`: return undefined when the file is still that version (the
 * caller's cache is good). `forWrite`: a newer schema is refused even when it happens to read fine.
 * `topOnly`: check the top level and leave the records to the caller (checkProfileEntry, then
 * damagedRecord), who checks only those it uses. `splitRecords` (with topOnly, not forWrite): leave the
 * records unparsed too, as texts, when the file has the layout the store writes (record-texts.ts).
 */
export function readStoreFile(
  file: string,
  options: {
    unlessSignature?: string | undefined;
    forWrite?: boolean;
    topOnly?: boolean;
    splitRecords?: boolean;
  } = {},
): FileRead | undefined {
  let bytes: Buffer;
  let signature: string;
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink swapped in after the ownership check is refused (ELOOP), not read through.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    // ENOTDIR: a parent is a plain file, so there is no store there either (writes will say why).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { data: emptyStore(), signature: undefined };
    if (code === 'ELOOP') {
      throw new ZchatError(
        'store_unsafe',
        `The token store ${file} is a symbolic link, and the store never follows one.`,
        {
          hint: `Remove the link (\`rm '${file}'\`) and log in again.`,
        },
      );
    }
    throw unreadable(file, error);
  }
  try {
    const stat = fs.fstatSync(fd);
    signature = signatureOf(stat);
    if (options.unlessSignature !== undefined && signature === options.unlessSignature) return undefined;
    bytes = readBytesOutsideMalloc(fd, stat.size);
  } catch (error) {
    throw unreadable(file, error);
  } finally {
    fs.closeSync(fd);
  }
  if (options.splitRecords && options.topOnly && !options.forWrite) {
    const split = splitStore(bytes);
    if (split) return { ...split, bytes, signature };
  }
  return { data: parseStore(file, bytes, options.forWrite ?? false, options.topOnly ?? false), signature };
}

/** A `topOnly` read's data from the whole file (a `splitRecords` read's records, all parsed at once). */
export function parseStoreBytes(file: string, bytes: Buffer): StoreData {
  return parseStore(file, bytes, false, true);
}

/**
 * The top level, checked, and the records as texts; undefined when the whole parse must decide (another
 * layout, or a top level that fails its check: that is reported with every problem of the file).
 */
function splitStore(bytes: Buffer): { data: StoreData; records: Map<string, string> } | undefined {
  const split = splitRecords(bytes.toString('utf8'));
  if (!split) return undefined;
  const top = checkStoreTop({ ...split.top, profiles: {} });
  return top.ok ? { data: top.data, records: split.records } : undefined;
}

function parseStore(file: string, bytes: Buffer, forWrite: boolean, topOnly: boolean): StoreData {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Not the SyntaxError's text: Node quotes the file's content in it, and that may be a token.
    throw corrupt(file, bytes, bytes.length === 0 ? 'it is empty' : 'it is not valid JSON (cut short?)');
  }
  if (isEmptyObject(raw)) return emptyStore();
  const version = schemaVersionOf(raw);
  const newer = version !== undefined && version > SCHEMA_VERSION;
  if (newer && forWrite) throw newerError(file, version);
  // A top level that fails is reported with every problem of the file, as a whole check would.
  const top = topOnly ? checkStoreTop(raw) : undefined;
  if (top?.ok) return top.data;
  const result = checkStoreData(raw);
  if (result.ok) return result.data;
  if (newer) throw newerError(file, version);
  throw corrupt(file, bytes, invalidRecord(result.problems));
}

function invalidRecord(problems: string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return `a record is not valid: ${shown}${more}`;
}

/**
 * The error for a record found damaged after a `topOnly` read, the same as a whole read would have thrown:
 * a copy of the file is kept aside (read again now: the bytes were not held, they can be megabytes).
 */
export function damagedRecord(file: string, data: StoreData, problems: string[]): ZchatError {
  const version = data.schemaVersion;
  if (version > SCHEMA_VERSION) return newerError(file, version);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return unreadable(file, error);
  }
  return corrupt(file, bytes, invalidRecord(problems));
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

export function newerError(file: string, version: number): ZchatError {
  return new ZchatError(
    'store_newer',
    `The token store ${file} was written by a newer zchat-auth (schema version ${version}; this one knows up to ${SCHEMA_VERSION}), so it will not be changed.`,
    { hint: 'Upgrade zchat-auth (npm install -g zendesk-chat-auth@latest) and run the command again.' },
  );
}

function unreadable(file: string, error: unknown): ZchatError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new ZchatError('store_corrupt', `Could not read the token store ${file} (${code}).`, {
    hint: 'Check that the file and its directory belong to you and are readable.',
  });
}

/** The file stays where it is, untouched; a copy is kept aside and the error names both. */
function corrupt(file: string, bytes: Buffer, reason: string): ZchatError {
  const copy = keepCorruptCopy(file, bytes);
  const kept = copy ? `A copy was kept at ${copy}; ` : 'A copy could not be kept; ';
  return new ZchatError(
    'store_corrupt',
    `The token store ${file} is damaged: ${reason}. ${kept}the file itself was left as it is.`,
    {
      hint: `To recover, restore a backup over ${file}, or move it away and run \`zchat-auth login\` again.`,
    },
  );
}

/** Writes `<file>.corrupt-<timestamp>` (0600), or reuses an earlier copy of the same bytes. */
export function keepCorruptCopy(file: string, bytes: Buffer): string | undefined {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.corrupt-`;
  try {
    for (const entry of fs.readdirSync(dir)) {
      if (!entry.startsWith(prefix)) continue;
      const candidate = path.join(dir, entry);
      try {
        if (fs.readFileSync(candidate).equals(bytes)) return candidate;
      } catch {
        // Unreadable earlier copy: make a new one.
      }
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (let n = 0; n < 100; n++) {
      const candidate = path.join(dir, `${prefix}${stamp}${n === 0 ? '' : `-${n}`}`);
      try {
        fs.writeFileSync(candidate, bytes, { mode: 0o600, flag: 'wx' });
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      }
    }
  } catch {
    // A read-only or vanished directory: the error still says what happened.
  }
  return undefined;
}

/**
 * Makes the directory (0700) and tightens an existing one we own. Never a shared or sticky directory (/tmp)
 * nor the home directory, in case ZCHAT_AUTH_CONFIG_DIR points at one.
 */
export function ensurePrivateDir(dir: string): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  if (created !== undefined) {
    // mkdir's mode passes through the umask; say it exactly.
    fs.chmodSync(dir, 0o700);
    return;
  }
  const stat = fs.statSync(dir);
  const ours = typeof process.getuid === 'function' && stat.uid === process.getuid();
  const sticky = (stat.mode & 0o1000) !== 0;
  if ((stat.mode & 0o077) !== 0 && ours && !sticky && path.resolve(dir) !== path.resolve(os.homedir())) {
    fs.chmodSync(dir, 0o700);
  }
}
