/**
 * Which secret store the tests run against. By default the file: no test touches the keyring of whoever
 * runs them. With ZCHAT_TEST_SECRETS=keyring (CI starts an unlocked Secret Service for that run) the OS
 * keyring, and the store, login, refresh and concurrency tests check the secrets went there.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const keyringMode = process.env.ZCHAT_TEST_SECRETS === 'keyring';

/** Environment for a child process that runs the store: the same choice, and the native keyring module. */
export function secretsEnv(): Record<string, string | undefined> {
  const nodeModules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node_modules');
  if (!keyringMode) return { ZCHAT_AUTH_INSECURE_STORAGE: '1' };
  return {
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    // Two cores shared by many test processes: a live bus may take longer than the 80 ms a laptop gives it.
    ZCHAT_AUTH_DBUS_TIMEOUT_MS: '2000',
    // Bundled test children live outside the package: they find @napi-rs/keyring through NODE_PATH.
    NODE_PATH: nodeModules,
  };
}
