/**
 * Standard output for the scripting commands (fast-cli.ts): each write goes straight to the file
 * descriptor with fs.writeSync. process.stdout on a pipe is a net.Socket, and making it loads node:net and
 * the stream machinery, a few milliseconds of every `zchat-auth token` in a script; nothing is queued
 * either, so nothing is left to flush at exit.
 *
 * A descriptor that is non-blocking (a pipe shared with a Node process, which sets O_NONBLOCK on the pipe
 * for everyone holding it) answers EAGAIN when the reader is behind: the rest of that write, and every
 * later one, then goes through process.stdout, which waits for the reader, so nothing is lost and the
 * order is kept.
 */
import fs from 'node:fs';
import type { Output } from './commands/command.js';
import { isTerminal } from './is-terminal.js';

export interface DirectOutput extends Output {
  /** True on a terminal (as process.stdout.isTTY). */
  readonly isTTY: boolean;
}

export function directOutput(
  fd: number,
  /** The stream to fall back to (process.stdout), made only when a write meets EAGAIN. */
  stream: () => NodeJS.WritableStream,
  /** The reader is gone (EPIPE): `zchat-auth status --json | head -c 10`. */
  onClosed: () => void,
  /** fs.writeSync (tests pass one that answers EAGAIN or EPIPE). */
  writeSync: (fd: number, bytes: Uint8Array, offset: number) => number = fs.writeSync,
): DirectOutput {
  let fallback: NodeJS.WritableStream | undefined;
  let tty: boolean | undefined;
  return {
    get isTTY() {
      tty ??= isTerminal(fd);
      return tty;
    },
    write(text: string) {
      if (fallback) return fallback.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(fd, bytes, done);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          onClosed();
          return false;
        }
        if (code !== 'EAGAIN') throw error;
        fallback = stream();
        return fallback.write(bytes.subarray(done));
      }
      return true;
    },
  };
}
