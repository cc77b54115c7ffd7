/**
 * Where the store lives. Computed without loading conf so the read path stays cheap; the rule is conf's own
 * (env-paths with `projectName: 'zchat-auth'` and no suffix), checked against conf in the tests.
 */
import os from 'node:os';
import path from 'node:path';

export const PROJECT_NAME = 'zchat-auth';
export const CONFIG_NAME = 'config';
export const CONFIG_FILE = `${CONFIG_NAME}.json`;

/** The OS config directory conf would pick for this program. */
export function defaultConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', PROJECT_NAME);
  if (platform === 'win32') {
    const appData = env.APPDATA || path.join(home, 'AppData', 'Roaming');
    return path.join(appData, PROJECT_NAME, 'Config');
  }
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PROJECT_NAME);
}

/** `dir` if given, else `ZCHAT_AUTH_CONFIG_DIR`, else the OS config directory; always absolute. */
export function resolveConfigDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = dir || env.ZCHAT_AUTH_CONFIG_DIR || defaultConfigDir(env);
  return path.resolve(chosen);
}
