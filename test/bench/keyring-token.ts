/**
 * `zchat-auth token` with the profile's secrets in the OS keyring, against `node -e 0`: the keyring module
 * loads and one entry is read on every run. Run where a keyring is usable (on Linux:
 * `.ci/with-secret-service npm run bench -- --only=keyring`); elsewhere the row says there is none.
 */
import path from 'node:path';
import { probeKeyring } from '../../source/core/store/keyring.js';
import { openStore } from '../../source/core/store/store.js';
import { startupSamples } from './startup.js';
import { summarize } from './stats.js';

export interface KeyringRow {
  figure: string;
  candidate: string;
  baseline: string;
  value: string;
  target: string;
  /** undefined: not measured (no keyring here), so no verdict. */
  pass: boolean | undefined;
}

export async function keyringTokenFigure(
  cli: string,
  work: string,
  runs: number,
  env: (dir: string) => NodeJS.ProcessEnv,
  profile: Parameters<ReturnType<typeof openStore>['save']>[0],
): Promise<KeyringRow> {
  const figure = '`zchat-auth token`, secrets in the keyring';
  const dir = path.join(work, 'keyring');
  const runEnv = { ...env(dir), ZCHAT_AUTH_INSECURE_STORAGE: '' };
  const check = await probeKeyring({ env: runEnv });
  if (!check.usable) {
    const none = `no OS keyring here (${check.reason})`;
    return { figure, candidate: none, baseline: '', value: 'n/a', target: '≤ 1.5×', pass: undefined };
  }
  const saved = await openStore({ dir, env: runEnv }).save(profile);
  if (saved.secretsIn !== 'keyring') throw new Error('the bench profile did not go to the keyring');
  const pair = await startupSamples(runs, runEnv, [cli, 'token']);
  const b = summarize(pair.baseline);
  const c = summarize(pair.candidate);
  const ratio = c.median / b.median;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return {
    figure,
    candidate: `${ms(c.median)} (${ms(c.min)}–${ms(c.max)})`,
    baseline: `node -e 0 ${ms(b.median)}`,
    value: `${ratio.toFixed(2)}×`,
    target: '≤ 1.5×',
    pass: ratio <= 1.5,
  };
}
