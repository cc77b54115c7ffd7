/**
 * The store fix the hardening pass made: a profile name the store cannot keep (`__proto__`) or should not
 * print (control characters) is refused with a sentence, instead of "stored" and silently lost.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { openStore } from '../../source/core/store/store.js';
import { type Home, makeHome } from './helpers.js';

let home: Home;
afterEach(async () => home?.remove());

const profile = (name: string) => ({
  name,
  subdomain: 'demo',
  clientId: 'client',
  redirectUri: 'http://localhost:8080',
  scopes: ['read'],
  flow: 'implicit' as const,
});

describe('profile names', () => {
  test.each(['__proto__', 'a\nb', 'tab\there', 'esc\u001b]52;c;x\u0007', 'del\u007f', 'c1\u009b31m'])(
    '%j is refused, nothing written',
    async (name) => {
      home = await makeHome();
      const store = openStore({ dir: home.store });
      await expect(store.save(profile(name))).rejects.toMatchObject({ code: 'usage' });
      expect(fs.existsSync(`${home.store}/config.json`)).toBe(false);
      await store.save(profile('ok'));
      await expect(store.update('ok', (p) => ({ ...p, name }))).rejects.toMatchObject({ code: 'usage' });
      expect(store.list().map((p) => p.name)).toEqual(['ok']);
    },
  );

  test.each(['constructor', 'toString', 'hasOwnProperty', '../../etc/passwd', 'ünïcödé 名前', 'prototype'])(
    '%j is an ordinary name: stored, listed, resolved',
    async (name) => {
      home = await makeHome();
      const store = openStore({ dir: home.store });
      await store.save(profile(name));
      expect(openStore({ dir: home.store }).resolve(name).name).toBe(name);
      expect(store.list().map((p) => p.name)).toEqual([name]);
      expect(await store.remove(name)).toBe(true);
      expect(store.list()).toEqual([]);
    },
  );
});
