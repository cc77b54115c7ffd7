/**
 * Replacing the store file whole, as write-file-atomic does: a new temporary file beside it (created here,
 * never an existing one, never through a symlink, 0600 whatever the umask), written and fsynced, then
 * renamed over the file. A reader or a crash sees the old file or the new one, never a part. The caller
 * holds the store lock and has checked the place is the user's own (ownership.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

const FILE_MODE = 0o600;

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | (O_NOFOLLOW ?? 0), FILE_MODE);
  let renamed = false;
  try {
    try {
      // The mode given to open passes through the umask; say it exactly.
      if (process.platform !== 'win32') fs.fchmodSync(fd, FILE_MODE);
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.renameSync(temp, file);
      renamed = true;
    } catch (error) {
      // A file bind-mounted on its own (a container) cannot be renamed over: write it in place instead,
      // as conf did. Still never through a symlink.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EBUSY') throw error;
      writeInPlace(file, bytes);
    }
  } finally {
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}

function writeInPlace(file: string, bytes: Uint8Array): void {
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(file, O_WRONLY | O_CREAT | O_TRUNC | (O_NOFOLLOW ?? 0), FILE_MODE);
  try {
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}
