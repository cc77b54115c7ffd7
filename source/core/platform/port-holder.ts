/**
 * Which process listens on a TCP port, where the OS tells: on Linux, /proc/net/tcp{,6} give the listening
 * socket's inode and /proc/PID/fd links name the process holding it. Only what this user may read is read;
 * anything unknown (another user's process, another OS) is undefined, never a guess.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface PortHolder {
  pid: number;
  /** The process's command name (/proc/PID/comm), made safe by whoever displays it. */
  name: string;
}

const LISTEN = '0A';

/** The inodes of sockets listening on `port`, from /proc/net/tcp and /proc/net/tcp6. */
async function listeningInodes(port: number, proc: string): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = await readFile(`${proc}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const local = f[1];
      if (!local || f[3] !== LISTEN) continue;
      if (local.slice(local.lastIndexOf(':') + 1) !== hexPort) continue;
      if (f[9] && f[9] !== '0') inodes.add(f[9]);
    }
  }
  return inodes;
}

/** The process holding a listening socket on `port`, or undefined when the OS does not tell this user. */
export async function portHolder(
  port: number,
  o: { platform?: NodeJS.Platform; proc?: string } = {},
): Promise<PortHolder | undefined> {
  if ((o.platform ?? process.platform) !== 'linux') return undefined;
  const proc = o.proc ?? '/proc';
  try {
    const inodes = await listeningInodes(port, proc);
    if (inodes.size === 0) return undefined;
    const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
    const pids = (await readdir(proc)).filter((d) => /^\d+$/.test(d));
    for (const pid of pids) {
      let fds: string[];
      try {
        fds = await readdir(`${proc}/${pid}/fd`);
      } catch {
        continue; // another user's process: not ours to read
      }
      for (const fd of fds) {
        const link = await readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '');
        if (!wanted.has(link)) continue;
        const name = (await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '')).trim();
        return { pid: Number(pid), name: name || 'unknown' };
      }
    }
  } catch {
    // /proc missing or unreadable: unknown.
  }
  return undefined;
}

/** " by NAME (pid N)", or "" when the holder is unknown. */
export function holderPhrase(holder: PortHolder | undefined): string {
  return holder ? ` by ${holder.name} (pid ${holder.pid})` : '';
}
