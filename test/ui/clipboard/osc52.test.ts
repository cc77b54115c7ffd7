import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyText, localClipboardPrograms } from '../../../source/ui/clipboard/copy.js';
import { detectMultiplexer, osc52, osc52Sequence, SCREEN_CHUNK } from '../../../source/ui/clipboard/osc52.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('osc52 bytes', () => {
  test('plain terminal: ESC ] 52 ; c ; base64 BEL', () => {
    expect(osc52Sequence('hello', {})).toBe('\x1b]52;c;aGVsbG8=\x07');
    expect(osc52('é')).toBe(`\x1b]52;c;${b64('é')}\x07`);
  });

  test('tmux: DCS tmux; with every ESC doubled, then ST', () => {
    expect(osc52Sequence('hello', { TMUX: '/tmp/tmux-0/default,1,0', TERM: 'screen-256color' })).toBe(
      '\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\',
    );
  });

  test('GNU screen: DCS-wrapped, cut into chunks of 76 base64 characters', () => {
    expect(osc52Sequence('hello', { TERM: 'screen' })).toBe('\x1bP\x1b]52;c;aGVsbG8=\x07\x1b\\');
    const long = 'x'.repeat(200); // 268 base64 characters: 76 + 76 + 76 + 40
    const encoded = b64(long);
    const chunks = [0, 76, 152, 228].map((i) => encoded.slice(i, i + SCREEN_CHUNK));
    expect(osc52Sequence(long, { TERM: 'screen.xterm-256color' })).toBe(
      `\x1bP\x1b]52;c;${chunks.join('\x1b\\\x1bP')}\x07\x1b\\`,
    );
    // Each DCS stays under screen's limit.
    for (const part of osc52Sequence(long, { TERM: 'screen' }).split('\x1b\\')) {
      expect(part.length).toBeLessThan(768);
    }
  });

  test('multiplexer detection: TMUX wins over TERM=screen*', () => {
    expect(detectMultiplexer({ TMUX: 'x', TERM: 'screen' })).toBe('tmux');
    expect(detectMultiplexer({ TERM: 'screen-256color' })).toBe('screen');
    expect(detectMultiplexer({ TERM: 'xterm-256color' })).toBe('none');
    expect(detectMultiplexer({})).toBe('none');
  });
});

describe('copyText', () => {
  let bin: string;
  let out: string;
  beforeAll(async () => {
    // A stand-in xclip on PATH: a real program spawned for real, writing what it gets to a file.
    bin = await mkdtemp(path.join(tmpdir(), 'zchat-clip-'));
    out = path.join(bin, 'clipboard.txt');
    await writeFile(path.join(bin, 'xclip'), `#!/bin/sh\ncat > "${out}"\n`);
    await chmod(path.join(bin, 'xclip'), 0o755);
    await writeFile(path.join(bin, 'xsel'), '#!/bin/sh\nexit 1\n');
    await chmod(path.join(bin, 'xsel'), 0o755);
  });
  afterAll(async () => {
    await rm(bin, { recursive: true, force: true });
  });

  test('writes OSC 52 to the terminal and says so', async () => {
    const written: string[] = [];
    const result = await copyText('tok', {
      env: {},
      write: (d) => written.push(d),
      isSsh: false,
      platform: 'linux',
    });
    expect(written).toEqual([`\x1b]52;c;${b64('tok')}\x07`]);
    expect(result.via).toEqual(['osc52']);
    expect(result.message).toBe('Copied via OSC 52 (terminal clipboard).');
  });

  test('also feeds a local clipboard program when not on SSH', async () => {
    const written: string[] = [];
    const env = { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':0' };
    const result = await copyText('secret-value', {
      env,
      write: (d) => written.push(d),
      isSsh: false,
      platform: 'linux',
    });
    expect(result.via).toEqual(['osc52', 'xclip']);
    expect(result.message).toBe('Copied via xclip and OSC 52 (terminal clipboard).');
    expect(await readFile(out, 'utf8')).toBe('secret-value');
    expect(written).toHaveLength(1);
  });

  test('over SSH only OSC 52: a clipboard here would be the server’s', async () => {
    await rm(out, { force: true });
    const env = { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':0', TMUX: 't' };
    const written: string[] = [];
    const result = await copyText('abc', {
      env,
      write: (d) => written.push(d),
      isSsh: true,
      platform: 'linux',
    });
    expect(result.via).toEqual(['osc52']);
    expect(written[0]).toBe(`\x1bPtmux;\x1b\x1b]52;c;${b64('abc')}\x07\x1b\\`);
    await expect(readFile(out, 'utf8')).rejects.toThrow();
  });

  test('a missing or failing program falls through to the next, then to OSC 52 alone', async () => {
    const env = { PATH: bin, WAYLAND_DISPLAY: 'wayland-0' }; // no wl-copy here
    const result = await copyText('x', { env, write: () => {}, isSsh: false, platform: 'linux' });
    expect(result.via).toEqual(['osc52']);
    const onlyXsel = await mkdtemp(path.join(tmpdir(), 'zchat-clip2-'));
    await writeFile(path.join(onlyXsel, 'xsel'), '#!/bin/sh\nexit 1\n');
    await chmod(path.join(onlyXsel, 'xsel'), 0o755);
    const failing = await copyText('x', {
      env: { PATH: onlyXsel, DISPLAY: ':0' },
      write: () => {},
      isSsh: false,
      platform: 'linux',
    });
    expect(failing.via).toEqual(['osc52']);
    await rm(onlyXsel, { recursive: true, force: true });
  });

  test('programs per platform', () => {
    expect(localClipboardPrograms({}, 'darwin').map((p) => p.command)).toEqual(['pbcopy']);
    expect(localClipboardPrograms({}, 'win32').map((p) => p.command)).toEqual(['clip.exe']);
    expect(
      localClipboardPrograms({ WAYLAND_DISPLAY: 'w', DISPLAY: ':0' }, 'linux').map((p) => p.command),
    ).toEqual(['wl-copy', 'xclip', 'xsel']);
    expect(localClipboardPrograms({ WSL_DISTRO_NAME: 'Debian' }, 'linux').map((p) => p.command)).toEqual([
      'clip.exe',
    ]);
    expect(localClipboardPrograms({}, 'linux')).toEqual([]);
  });
});
