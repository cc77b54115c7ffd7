/** A $BROWSER that opens nothing and records each call's arguments, one line a call, in a file of `dir`. */
import fs from 'node:fs';
import path from 'node:path';

export interface FakeBrowser {
  /** The script to give as BROWSER. */
  path: string;
  /** What it was called with so far, as written (empty when never called). */
  calls(): string;
}

export function fakeBrowser(dir: string): FakeBrowser {
  const log = path.join(dir, 'browser-calls.log');
  const script = path.join(dir, 'fake-browser.sh');
  fs.writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o755 });
  return { path: script, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '') };
}
