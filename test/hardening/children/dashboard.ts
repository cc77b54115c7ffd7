// A stand-in for a running dashboard (`node dashboard.mjs <dir> <rounds>`): one long-lived process with the
// real Services, watching the store, pressing `r` and `t` on the demo profile and `t` on the other one, as
// fast as it can. Prints one JSON line per action (a hash of a token, never the token).
import { createHash } from 'node:crypto';
import { refreshProfile, testProfile } from '../../../source/core/profile-actions.js';
import { createServices } from '../../../source/create-services.js';

const [dir, roundsText, watchText] = process.argv.slice(2);
const services = createServices({ ...process.env, ZCHAT_AUTH_CONFIG_DIR: dir });
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
let changes = 0;
const unwatch = services.store.watch(() => {
  changes++;
  services.store.list(); // a dashboard re-reads on every change
});
for (let round = 0; round < Number(roundsText); round++) {
  try {
    const out = await refreshProfile(services.store, 'demo', (baseUrl) => services.tokenClient(baseUrl));
    say({ op: 'refresh', rotatedElsewhere: out.rotatedElsewhere, sha: sha(out.token.accessToken) });
  } catch (error) {
    say({ op: 'refresh', error: (error as { code?: string }).code ?? 'unknown' });
  }
  for (const name of ['demo', 'other']) {
    try {
      const test = await testProfile(services.store, name, (baseUrl, token) =>
        services.chatApi(baseUrl, token),
      );
      say({ op: 'test', name, result: test.result });
    } catch (error) {
      say({ op: 'test', name, error: (error as { code?: string }).code ?? 'unknown' });
    }
  }
}
// A dashboard left open afterwards keeps watching (with 0 rounds: a dashboard nobody touches).
await new Promise((resolve) => setTimeout(resolve, Number(watchText ?? 0)));
unwatch();
say({ op: 'done', changes });
