/**
 * isatty without node:tty where the answer is plain: node:tty loads node:net and Node's streams (30-odd
 * modules, a few milliseconds), and `zchat-auth token` or `status --json` in a script has a pipe or a file
 * on its descriptors. A terminal is always a character device, so anything else is not one, nor is
 * /dev/null; only another character device is asked of isatty.
 */
import fs from 'node:fs';
import { builtin } from './core/platform/builtin.js';

export function isTerminal(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    // /dev/null, where a script sends what it does not read (`zchat-auth token --check > /dev/null`).
    if (stat.rdev === fs.statSync('/dev/null').rdev) return false;
  } catch {
    // A closed descriptor (EBADF) is not a terminal either; anything stranger: isatty decides.
  }
  return builtin('node:tty').isatty(fd);
}
