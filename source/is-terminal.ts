/**
 * isatty without node:tty where the answer is plain: node:tty loads node:net and Node's streams (30-odd
 * modules, a few milliseconds), and `zchat-auth token` or `status --json` in a script has a pipe or a file
 * on its descriptors. A terminal is always a character device, so anything else is not one; only a
 * character device (a terminal, /dev/null) is asked of isatty.
 */
import fs from 'node:fs';
import { builtin } from './core/platform/builtin.js';

export function isTerminal(fd: number): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    // A closed descriptor (EBADF) is not a terminal either; anything stranger: isatty decides.
  }
  return builtin('node:tty').isatty(fd);
}
