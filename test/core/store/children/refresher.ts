// Child process for the refresh race: `node refresher.mjs <dir>` loads everything, says "ready", waits for
// "go" on stdin, refreshes the default profile, and prints the outcome (a hash of the token, not the token).
import { createHash } from 'node:crypto';
import { refreshProfile } from '../../../../source/core/profile-actions.js';
import { openStore } from '../../../../source/core/store/store.js';
import { createTokenClient } from '../../../../source/core/zendesk/token-client.js';

const [dir] = process.argv.slice(2);
const store = openStore({ dir: dir as string });
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) {
  if (String(chunk).includes('go')) break;
}
try {
  const out = await refreshProfile(store, undefined, (baseUrl) => createTokenClient({ baseUrl }));
  const sha = createHash('sha256').update(out.token.accessToken).digest('hex');
  process.stdout.write(`${JSON.stringify({ rotatedElsewhere: out.rotatedElsewhere, sha })}\n`);
  process.exit(0);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as { code?: string }).code ?? 'unknown' })}\n`);
  process.exit(1);
}
