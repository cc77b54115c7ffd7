import { keyringMode, secretsEnv } from './secrets-mode.js';

// File mode: every store in this process keeps its secrets in the file, whatever keyring this machine has.
if (!keyringMode) {
  process.env.ZCHAT_AUTH_INSECURE_STORAGE = '1';
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
}
// Keyring mode: child processes bundled outside the package still find the native keyring module.
else {
  for (const [key, value] of Object.entries(secretsEnv())) if (value !== undefined) process.env[key] = value;
}
