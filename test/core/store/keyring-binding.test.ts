// The tweak `direct-keyring-binding`: the keyring binding is required from its platform package, skipping
// @napi-rs/keyring's generic loader (half the load time); the same native class either way, and the
// generic loader whenever the direct way fails or tweaks are off.
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { bindingFrom, platformPackage } from '../../../source/core/store/keyring.js';

const require = createRequire(import.meta.url);
const generic = require('@napi-rs/keyring') as { Entry: unknown };

/** A require that records what it was asked for, and refuses the ids in `missing`. */
function recording(missing: string[] = []) {
  const asked: string[] = [];
  const fn = (id: string) => {
    asked.push(id);
    if (missing.includes(id))
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    return require(id) as unknown;
  };
  return { fn, asked };
}

describe.runIf(platformPackage() !== undefined)('the keyring binding', () => {
  const direct = platformPackage() as string;

  test('comes from the platform package, the same Entry class the generic loader gives', () => {
    const r = recording();
    const binding = bindingFrom(r.fn, {});
    expect(r.asked).toEqual([direct]);
    expect(binding.Entry).toBe(generic.Entry);
  });

  test('falls back to the generic loader when the platform package is missing', () => {
    const r = recording([direct]);
    expect(bindingFrom(r.fn, {}).Entry).toBe(generic.Entry);
    expect(r.asked).toEqual([direct, '@napi-rs/keyring']);
  });

  test('ZCHAT_AUTH_NO_TWEAKS=1 uses the generic loader only', () => {
    const r = recording();
    expect(bindingFrom(r.fn, { ZCHAT_AUTH_NO_TWEAKS: '1' }).Entry).toBe(generic.Entry);
    expect(r.asked).toEqual(['@napi-rs/keyring']);
  });
});

test.each([
  ['linux', 'x64', '@napi-rs/keyring-linux-x64-gnu'],
  ['darwin', 'arm64', '@napi-rs/keyring-darwin-arm64'],
  ['win32', 'x64', '@napi-rs/keyring-win32-x64-msvc'],
  ['freebsd', 'x64', undefined],
] as const)('%s %s: %s', (platform, arch, expected) => {
  expect(platformPackage(platform, arch)).toBe(expected);
});
