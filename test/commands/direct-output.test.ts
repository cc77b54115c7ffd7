/**
 * The scripting commands' stdout (source/direct-output.ts): written with fs.writeSync, handed to the
 * stream when the descriptor is non-blocking and full (EAGAIN), quiet when the reader is gone (EPIPE).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { directOutput } from '../../source/direct-output.js';

/** A writeSync that takes at most `room` bytes in all, then answers `code` (as a full or closed pipe does). */
function pipeWithRoom(room: number, code: string) {
  const taken: Buffer[] = [];
  let left = room;
  const writeSync = (_fd: number, bytes: Uint8Array, offset: number) => {
    if (left === 0) throw Object.assign(new Error(`${code}: write`), { code });
    // A pipe takes part of a large write, as write(2) does, and says how much.
    const n = Math.min(left, bytes.length - offset, 7);
    taken.push(Buffer.from(bytes.subarray(offset, offset + n)));
    left -= n;
    return n;
  };
  return { taken, writeSync };
}

function streamCollector() {
  const got: string[] = [];
  const stream = {
    write(chunk: string | Uint8Array) {
      got.push(Buffer.from(chunk).toString());
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { got, stream };
}

describe('directOutput', () => {
  test('every byte reaches the descriptor, in order, over partial writes; no stream is made', () => {
    const pipe = pipeWithRoom(1_000, 'EAGAIN');
    let made = 0;
    const out = directOutput(
      9,
      () => {
        made++;
        return streamCollector().stream;
      },
      () => {},
      pipe.writeSync,
    );
    out.write('{"a":"hat_…9f3c"}\n');
    out.write('second\n');
    expect(Buffer.concat(pipe.taken).toString()).toBe('{"a":"hat_…9f3c"}\nsecond\n');
    expect(made).toBe(0);
  });

  test('a full non-blocking descriptor (EAGAIN): the rest, and every later write, go through the stream in order', () => {
    const pipe = pipeWithRoom(10, 'EAGAIN');
    const { got, stream } = streamCollector();
    const out = directOutput(
      9,
      () => stream,
      () => {},
      pipe.writeSync,
    );
    out.write('0123456789abcdefghij');
    out.write('klm');
    expect(Buffer.concat(pipe.taken).toString()).toBe('0123456789');
    expect(got.join('')).toBe('abcdefghijklm');
  });

  test('the reader gone (EPIPE): onClosed, no throw; other errors are thrown', () => {
    let closed = 0;
    const gone = directOutput(
      9,
      () => streamCollector().stream,
      () => closed++,
      pipeWithRoom(0, 'EPIPE').writeSync,
    );
    expect(() => gone.write('x')).not.toThrow();
    expect(closed).toBe(1);
    const broken = directOutput(
      9,
      () => streamCollector().stream,
      () => {},
      pipeWithRoom(0, 'EBADF').writeSync,
    );
    expect(() => broken.write('x')).toThrow(/EBADF/);
  });

  test('isTTY: false for a file, and the real writeSync writes to the descriptor', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'direct-output-'));
    try {
      const file = path.join(dir, 'out.txt');
      const fd = fs.openSync(file, 'w');
      const out = directOutput(
        fd,
        () => streamCollector().stream,
        () => {},
      );
      expect(out.isTTY).toBe(false);
      out.write('é…\n');
      fs.closeSync(fd);
      expect(fs.readFileSync(file, 'utf8')).toBe('é…\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
