/**
 * Whether the store's directory and file are the user's own, as ssh's StrictModes asks of ~/.ssh: a
 * directory another user owns (or may write to) lets that user plant a profile that sends the client
 * secret to their server, swap the file for a symlink to something of ours, or have a root-run store
 * handed back to them. Each problem is one sentence saying why, and one saying what to do; nothing here
 * ever advises chmod on something the user does not own.
 */
import fs from 'node:fs';
import { ZchatError } from '../errors.js';

export type PlaceProblemKind =
  | 'dir-not-owned'
  | 'dir-shared'
  | 'dir-writable'
  | 'dir-not-dir'
  | 'file-symlink'
  | 'file-not-owned'
  | 'file-writable';

export interface PlaceProblem {
  kind: PlaceProblemKind;
  /** Why, in one sentence. */
  reason: string;
  /** What to do, in one sentence (never chmod on what is not the user's). */
  fix: string;
}

const otherConfigDir =
  'Point ZCHAT_AUTH_CONFIG_DIR at a directory of your own (or unset it to use the default).';

function currentUid(): number | undefined {
  return typeof process.geteuid === 'function' ? process.geteuid() : undefined;
}

function owner(uid: number): string {
  return uid === 0 ? 'root' : `uid ${uid}`;
}

/** The problem with the store directory, if any; undefined when it is ours and private, or not there yet. */
export function dirProblem(dir: string, uid = currentUid()): PlaceProblem | undefined {
  if (uid === undefined) return undefined; // Windows: no uids, ACLs instead
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return undefined; // made 0700 by the first write
  }
  if (!stat.isDirectory()) {
    return {
      kind: 'dir-not-dir',
      reason: `The token store directory ${dir} is not a directory.`,
      fix: otherConfigDir,
    };
  }
  const sticky = (stat.mode & 0o1000) !== 0;
  if (sticky && (stat.mode & 0o002) !== 0) {
    return {
      kind: 'dir-shared',
      reason: `The token store directory ${dir} is a shared directory anyone can write to (like /tmp), so others could plant or replace the store there.`,
      fix: otherConfigDir,
    };
  }
  if (stat.uid !== uid) {
    return {
      kind: 'dir-not-owned',
      reason: `The token store directory ${dir} belongs to another user (${owner(stat.uid)}), who could plant or replace the store there.`,
      fix: otherConfigDir,
    };
  }
  if ((stat.mode & 0o022) !== 0) {
    return {
      kind: 'dir-writable',
      reason: `The token store directory ${dir} can be written by ${stat.mode & 0o002 ? 'anyone' : 'its group'} (mode ${(stat.mode & 0o7777).toString(8)}), who could plant or replace the store there.`,
      fix: `Run \`chmod 700 '${dir}'\` (it is yours), or point ZCHAT_AUTH_CONFIG_DIR elsewhere.`,
    };
  }
  return undefined;
}

/** The problem with the store file, if any: looked at with lstat, so a symlink is seen, never followed. */
export function fileProblem(file: string, uid = currentUid()): PlaceProblem | undefined {
  if (uid === undefined) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) {
    return {
      kind: 'file-symlink',
      reason: `The token store ${file} is a symbolic link, and the store never follows one (a write would land wherever it points).`,
      fix: `Remove the link (\`rm '${file}'\`) and log in again, or point ZCHAT_AUTH_CONFIG_DIR at the real directory.`,
    };
  }
  if (stat.uid !== uid) {
    return {
      kind: 'file-not-owned',
      reason: `The token store ${file} belongs to another user (${owner(stat.uid)}), so its profiles cannot be trusted and it will not be rewritten for them.`,
      fix: `Move it away (it is not yours to change) and log in again, or point ZCHAT_AUTH_CONFIG_DIR elsewhere.`,
    };
  }
  if ((stat.mode & 0o022) !== 0) {
    return {
      kind: 'file-writable',
      reason: `The token store ${file} can be written by ${stat.mode & 0o002 ? 'anyone' : 'its group'} (mode ${(stat.mode & 0o777).toString(8)}), so its profiles cannot be trusted.`,
      fix: `Check its profiles (\`zchat-auth status\` after the fix), then run \`chmod 600 '${file}'\`.`,
    };
  }
  return undefined;
}

export function placeProblem(dir: string, file: string): PlaceProblem | undefined {
  return dirProblem(dir) ?? fileProblem(file);
}

/** Throws the place's problem as a one-line error: the store is neither read nor written there. */
export function assertOwnPlace(dir: string, file: string): void {
  const problem = placeProblem(dir, file);
  if (problem) throw new ZchatError('store_unsafe', problem.reason, { hint: problem.fix });
}
