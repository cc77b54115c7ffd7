/**
 * Naming the process on a busy port from /proc: a fake /proc laid out as Linux lays it out, and the real
 * one with a real listener. Unknown stays unknown: no guess from a socket that does not listen, another
 * user's unreadable process, a missing /proc, or another OS.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holderPhrase, portHolder } from '../../../source/core/platform/port-holder.js';
import { holdPort } from '../../support/hold-port.js';

const header =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (local: string, st: string, inode: string) =>
  `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

let proc: string;
afterEach(async () => {
  if (proc) await rm(proc, { recursive: true, force: true });
});

async function fakeProc(o: {
  tcp?: string;
  tcp6?: string;
  pids?: Record<string, { comm?: string; fds?: Record<string, string> }>;
}): Promise<string> {
  proc = await mkdtemp(path.join(tmpdir(), 'zchat-proc-'));
  await mkdir(path.join(proc, 'net'));
  if (o.tcp !== undefined) await writeFile(path.join(proc, 'net/tcp'), header + o.tcp);
  if (o.tcp6 !== undefined) await writeFile(path.join(proc, 'net/tcp6'), header + o.tcp6);
  for (const [pid, p] of Object.entries(o.pids ?? {})) {
    await mkdir(path.join(proc, pid));
    if (p.comm !== undefined) await writeFile(path.join(proc, pid, 'comm'), `${p.comm}\n`);
    if (p.fds) {
      await mkdir(path.join(proc, pid, 'fd'));
      for (const [fd, target] of Object.entries(p.fds)) await symlink(target, path.join(proc, pid, 'fd', fd));
    }
  }
  return proc;
}

// Port 8080 is 1F90.
const cases: [string, Parameters<typeof fakeProc>[0], string][] = [
  [
    'IPv4 listener',
    {
      tcp: row('0100007F:1F90', '0A', '4242'),
      pids: { '77': { comm: 'python3', fds: { '3': 'socket:[4242]' } } },
    },
    ' by python3 (pid 77)',
  ],
  [
    'IPv6 listener',
    {
      tcp: '',
      tcp6: row('00000000000000000000000001000000:1F90', '0A', '99'),
      pids: { '5': { comm: 'nginx', fds: { '7': 'socket:[99]' } } },
    },
    ' by nginx (pid 5)',
  ],
  [
    'a connection on the port, not a listener (state 01)',
    {
      tcp: row('0100007F:1F90', '01', '4242'),
      pids: { '77': { comm: 'curl', fds: { '3': 'socket:[4242]' } } },
    },
    '',
  ],
  [
    'the listener belongs to a process this user cannot read (no fd directory)',
    { tcp: row('0100007F:1F90', '0A', '4242'), pids: { '1': { comm: 'root-thing' } } },
    '',
  ],
  ['no /proc/net files', {}, ''],
  [
    'another port',
    { tcp: row('0100007F:1F91', '0A', '4242'), pids: { '77': { comm: 'x', fds: { '3': 'socket:[4242]' } } } },
    '',
  ],
];

describe('portHolder', () => {
  it.each(cases)('%s', async (_name, layout, phrase) => {
    const dir = await fakeProc(layout);
    expect(holderPhrase(await portHolder(8080, { platform: 'linux', proc: dir }))).toBe(phrase);
  });

  it('says nothing on another OS', async () => {
    expect(await portHolder(8080, { platform: 'darwin' })).toBeUndefined();
  });

  it('finds a real listener in the real /proc, by name and pid', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const child = await holdPort(port);
    try {
      expect(await portHolder(port)).toEqual({ pid: child.pid, name: 'node' });
    } finally {
      child.kill();
    }
  });
});
