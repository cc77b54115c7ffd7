/**
 * ink-testing-library's render with a terminal size of our choosing that can change (resize), and a TTY
 * flag on stdout: its own streams report 100 columns, always.
 */
import { EventEmitter } from 'node:events';
import { type Instance, render } from 'ink';
import type { ReactNode } from 'react';
import { trackFrames } from './helpers.js';

export class SizedStdout extends EventEmitter {
  frames: string[] = [];
  isTTY: boolean;
  constructor(
    public columns: number,
    public rows: number,
    o: { isTTY?: boolean } = {},
  ) {
    super();
    this.isTTY = o.isTTY ?? false;
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => this.frames.at(-1);
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY: boolean;
  data: string | null = null;
  rawMode = false;
  constructor(o: { isTTY?: boolean } = {}) {
    super();
    this.isTTY = o.isTTY ?? true;
  }
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  setEncoding() {}
  setRawMode(on: boolean) {
    this.rawMode = on;
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
}

export function renderSized(tree: ReactNode, columns: number, rows: number) {
  const stdout = new SizedStdout(columns, rows);
  const stderr = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance: Instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  trackFrames(stdin, () => stdout.frames.length);
  return { stdin, stdout, lastFrame: stdout.lastFrame, instance, unmount: () => instance.unmount() };
}
