export type Env = Record<string, string | undefined>;

export interface SshInfo {
  isSsh: boolean;
  /** The address this machine was reached at (from SSH_CONNECTION), when knowable. */
  host?: string;
  /** The SSH server port, when it is not 22. */
  sshPort?: number;
  user?: string;
}

/** Whether we run inside an SSH session, and how the user reached this machine. */
export function sshInfo(env: Env): SshInfo {
  const connection = env.SSH_CONNECTION?.trim();
  const isSsh = Boolean(connection || env.SSH_CLIENT?.trim() || env.SSH_TTY?.trim());
  if (!isSsh) return { isSsh };
  const info: SshInfo = { isSsh };
  // SSH_CONNECTION = "client_ip client_port server_ip server_port"
  const [, , serverIp, serverPort] = connection?.split(/\s+/) ?? [];
  if (serverIp) info.host = serverIp;
  const port = Number(serverPort);
  if (Number.isInteger(port) && port > 0 && port !== 22) info.sshPort = port;
  const user = env.USER?.trim() || env.LOGNAME?.trim();
  if (user) info.user = user;
  return info;
}

/** The command to run on the user's own computer so its browser reaches our loopback port. */
export function portForwardHint(port: number, env: Env): string {
  const info = sshInfo(env);
  const target = `${info.user ?? 'user'}@${info.host ?? 'host'}`;
  const sshPort = info.sshPort ? ` -p ${info.sshPort}` : '';
  return `ssh -L ${port}:localhost:${port}${sshPort} ${target}`;
}
