/**
 * Noticing another process's change to the store file: fs.watch on the directory (conf writes by rename, so
 * watching the file itself would lose it after the first write), plus slow stat polling as a safety net for
 * file systems without change events. Events are gathered (one check `debounceMs` after the first of a
 * burst) and compared by file signature, so one write gives one call, and a write this process made itself
 * (`isOwn`) gives none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { currentSignature } from './file.js';

export interface WatchOptions {
  debounceMs?: number;
  pollMs?: number;
  isOwn?: (signature: string | undefined) => boolean;
}

export function watchFile(file: string, onChange: () => void, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 40;
  const pollMs = options.pollMs ?? 2000;
  const base = path.basename(file);
  let seen = currentSignature(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const check = () => {
    timer = undefined;
    if (closed) return;
    const now = currentSignature(file);
    if (now === seen) return;
    seen = now;
    if (options.isOwn?.(now)) return;
    onChange();
  };
  // The first event of a burst sets the timer and later ones ride on it: restarting it on each event let a
  // process writing without pause (faster than the delay) keep every check from running until it stopped.
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(check, debounceMs);
  };

  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (!name || name === base) schedule();
    });
    // A watcher error (directory removed) leaves the poller in charge.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  const poll = () => schedule();
  fs.watchFile(file, { persistent: false, interval: pollMs }, poll);

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    watcher?.close();
    fs.unwatchFile(file, poll);
  };
}
