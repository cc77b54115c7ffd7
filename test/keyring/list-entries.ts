import { createRequire } from 'node:module';
import { KEYRING_SERVICE } from '../../source/core/store/keyring.js';

const { findCredentials } = createRequire(import.meta.url)('@napi-rs/keyring') as {
  findCredentials(service: string): { account: string; password: string }[];
};

/**
 * Every zchat-auth entry in the keyring. The listing searches, then reads each item found; test files run
 * in parallel, and an item another file deletes in between fails the read ("Object does not exist", seen on
 * a fresh CI clone), so the listing is taken again.
 */
export function listEntries(): { account: string; password: string }[] {
  for (let attempt = 1; ; attempt++) {
    try {
      return findCredentials(KEYRING_SERVICE);
    } catch (error) {
      if (attempt >= 5 || !/does not exist/i.test(String((error as Error).message))) throw error;
    }
  }
}
