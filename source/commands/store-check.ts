/**
 * Before a login spends anything (a port, a printed URL, an authorization code), make sure its token can be
 * stored: the directory can be made and written, and the file is one this version may change. Otherwise
 * the failure would only show after the browser round trip, with the code already spent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ZchatError } from '../core/errors.js';
import { ensurePrivateDir, readStoreFile } from '../core/store/file.js';
import type { TokenStore } from '../core/store/types.js';

export function checkStoreWritable(store: Pick<TokenStore, 'path'>): void {
  const dir = path.dirname(store.path);
  try {
    ensurePrivateDir(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    // The same code and advice the store gives when the write itself is refused.
    throw new ZchatError(
      'store_locked',
      `The token store directory ${dir} cannot be written (${code}), so a login could not be kept; nothing was started.`,
      {
        hint: 'Check that the directory is yours and writable, or set ZCHAT_AUTH_CONFIG_DIR to one that is.',
      },
    );
  }
  // Throws the store's own sentence for a damaged file or one written by a newer version.
  readStoreFile(store.path, { forWrite: true });
}
