/**
 * Every change this program makes to a dependency's code or to V8's defaults, for start-up time or memory,
 * in one list: what it does, what it touches, the gain measured for it and the test that guards it. The
 * build (scripts/build-options.mjs) and the screens (source/commands/load-ui.ts) apply only what is listed
 * here, and `ZCHAT_AUTH_NO_TWEAKS=1` turns every one off, at build time and at run time, to tell a bug of a
 * tweak from a bug of the dependency. The packages touched are pinned exactly in package.json (overrides
 * for the ones we do not depend on directly), so an upgrade re-runs the guards on purpose.
 *
 * Plain JavaScript so that `node scripts/build.mjs` can read it without a TypeScript step; types in
 * tweaks.d.mts.
 */

export const NO_TWEAKS_VARIABLE = 'ZCHAT_AUTH_NO_TWEAKS';

/**
 * Every tweak off: ZCHAT_AUTH_NO_TWEAKS set to anything but '', '0' or a list of tweak ids.
 * @param {Record<string, string | undefined>} env
 */
export function tweaksOff(env) {
  const value = env[NO_TWEAKS_VARIABLE];
  return value !== undefined && value !== '' && value !== '0' && listedOff(env) === undefined;
}

/**
 * The tweaks turned off one by one: ZCHAT_AUTH_NO_TWEAKS=dashboard-code-cache,collect-when-idle (ids of
 * this list only; anything else turns every tweak off).
 * @param {Record<string, string | undefined>} env
 * @returns {Set<string> | undefined}
 */
function listedOff(env) {
  const ids = (env[NO_TWEAKS_VARIABLE] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return ids.length > 0 && ids.every((id) => tweaks.some((t) => t.id === id)) ? new Set(ids) : undefined;
}

/** @type {import('./tweaks.d.mts').Tweak[]} */
export const tweaks = [
  {
    id: 'narrow-string-width',
    when: 'build',
    touches: ['ink', 'string-width'],
    unpinned: {
      'string-width':
        'wrapped, never changed: the wrapper answers only where it gives the same width, which the guard checks against every installed copy',
    },
    what: 'Measures text made of narrow characters (ASCII, box drawing, the spinner) before asking string-width, for every copy of string-width Ink and its helpers import.',
    gain: 'about 19 ms off the first frame (string-width compiles its emoji regular expression on its first non-ASCII string)',
    guard:
      'test/ui/narrow-width.test.ts (same answers as every installed string-width); test/cli/build.test.ts (wired in)',
  },
  {
    id: 'fast-styled-chars',
    when: 'build',
    touches: ['@alcalzone/ansi-tokenize', 'ink'],
    what: "Gives Ink a styledCharsToString that skips the style diff between cells of equal styles, the characters of the lines of the last frames remembered (Ink's output asks for a line's characters in one call, so the line's tokens are not kept too), and characters made as one object shape (the package spreads each token, and V8 then gives each its own hidden class). Ink's grid starts from rows of one shared blank cell, a row made of the very cells of the same row of the last frame is not written out again, and a line of narrow characters is placed a cell per character without string-width for each.",
    gain: 'about 3 MB less garbage and the largest CPU cost of each 120 x 40 frame; a key press 6-7 ms of CPU instead of 13-19 with 1,000 + 1,000; one shape: 80 bytes a kept character instead of 340 (2 MB of an idle dashboard) and a key press about 1.5 ms less CPU; characters kept without their tokens: 0.6 MB less of an idle dashboard; rows not written again and narrow lines: a key press 5-8% and 1-5% less wall time with 1,000 + 1,000 (the dashboard with and without, interleaved in one bench run, 126 keys, load 1.4-3.2)',
    guard:
      'test/ui/styled-chars-to-string.test.ts (same output and characters as the package; bytes a kept character; rows as Ink writes them, frame after frame; narrow lines); test/cli/build.test.ts (wired in)',
  },
  {
    id: 'changed-lines-only',
    when: 'build',
    touches: ['ink'],
    what: "Gives Ink's log-update a writer that draws a frame as its changed lines (source/ui/changed-lines.ts) when the app asks for incremental rendering, as the screens do: each changed line is written over its row, the cursor moved with CSI A/B; a frame of another height or width, or with a line wider than the terminal, is drawn whole as before. Ink's own incremental mode is not used (it misplaced lines below a soft-wrapped one and scrolled a frame as tall as the terminal).",
    gain: 'a key press on the dashboard at 1,000 profiles + 1,000 server tokens sends ~1.1 KB to the terminal instead of ~7.5 KB (46 keys: 46.5 KB against 347 KB): what a key costs over SSH; key → frame on loopback unchanged (1.00-1.07× the whole frames, interleaved in one bench run, 86 keys, load 0.3)',
    guard:
      'test/ui/changed-lines.test.ts (the screen through xterm is the same as with whole frames, for random frames); test/hardening/terminal.test.ts (the built dashboard in a pty: j writes part of a frame, the screen read through xterm)',
  },
  {
    id: 'ink-text-caches',
    when: 'build',
    touches: ['ink', 'widest-line'],
    unpinned: {
      'widest-line':
        'wrapped, never changed: its answer for a text is remembered, so its version decides every answer as before',
    },
    what: "Remembers the answers of Ink's sanitizeAnsi and widestLine for the texts of the last frames (two generations of 500 texts, emptied by the idle collection): Ink runs both on the whole text of every text node on every frame, and a node with styled parts inside has escape sequences to tokenize and strip each time.",
    gain: 'a key press ~7% less wall time with 1,000 profiles and 1,000 server tokens (the dashboard with and without, interleaved in one bench run, 126 keys: 4.1 vs 4.1, 3.7 vs 4.2, 3.9 vs 4.2 ms; load 1.1-1.3)',
    guard: 'test/ui/styled-chars-to-string.test.ts ("rememberText"); test/cli/build.test.ts (wired in)',
  },
  {
    id: 'lazy-list-format',
    when: 'build',
    touches: ['@sindresorhus/is'],
    what: "Builds got's two Intl.ListFormat objects (used for one error message) on first use instead of at load.",
    gain: '4 ms and 4.4 MB resident in every process that calls the API',
    guard: 'test/cli/build.test.ts ("builds no Intl.ListFormat while a chunk loads")',
  },
  {
    id: 'got-without-unused',
    when: 'build',
    touches: ['got', 'http2-wrapper', 'cacheable-request', 'cacheable-lookup'],
    unpinned: {
      'http2-wrapper':
        "not bundled at all (replaced for got's import), so its version cannot change what runs",
      'cacheable-request':
        "not bundled at all (replaced for got's import), so its version cannot change what runs",
      'cacheable-lookup':
        "not bundled at all (replaced for got's import), so its version cannot change what runs",
    },
    what: 'Bundles got without the three packages it imports for options zchat-auth never sets (http2, cache, dnsCache): each is a module that throws a sentence if such an option is set.',
    gain: "about 10 ms of CPU between the dashboard's first frame and its filled lists (node:http2 no longer loads); got's chunk 87 KB instead of 151 KB",
    guard:
      'test/cli/build.test.ts ("bundles got without http2-wrapper, cacheable-request, cacheable-lookup"); test/hardening/proxy.test.ts and test/hardening/faults.test.ts (the built CLI through proxies, timeouts and faults)',
  },
  {
    id: 'hide-fetch-for-yoga',
    when: 'run',
    touches: ['yoga-layout'],
    what: "Hides the global fetch while the screens' modules load, so yoga-layout decodes its inline wasm itself instead of through Node's undici.",
    gain: 'about 25 ms off the first frame',
    guard: 'test/cli/startup.test.ts ("no undici by the first frame, fetch back afterwards")',
  },
  {
    id: 'direct-keyring-binding',
    when: 'run',
    touches: ['@napi-rs/keyring'],
    unpinned: {
      '@napi-rs/keyring-linux-x64-gnu':
        "the platform packages are @napi-rs/keyring's own optional dependencies, pinned exactly by it",
    },
    what: "Requires the OS keyring binding's platform package (e.g. @napi-rs/keyring-linux-x64-gnu) directly, falling back to the package's generic loader when that fails.",
    gain: 'the binding loads in 3-6 ms instead of 9-14 ms (load 7-11; 2M instead of 11M instructions): `token` with secrets in the keyring',
    guard:
      'test/core/store/keyring-binding.test.ts (the same Entry class as the generic loader, the fallback, off with the switch)',
  },
  {
    id: 'v8-code-cache',
    when: 'run',
    touches: ['V8'],
    what: "Keeps V8's compiled code of dist/fast.cjs (`token`, `status`, `api`, `exec`) in the user's cache directory (0700, a 0600 file of theirs, else unused) and gives it back to V8 on the next start.",
    gain: '6-10 ms off `token`, `status`, `api` and `exec` (no compile of the 85 KB file and of the functions the command runs)',
    guard:
      'test/core/platform/code-cache.test.ts (same output, the cache refused in hostile places, off with the switch)',
  },
  {
    id: 'dashboard-code-cache',
    when: 'run',
    touches: ['V8', 'yoga-layout', 'ink'],
    what: "Runs the screens' command lines (no command word: the dashboard, the wizard, --sandbox) and `login` from dist/ui.cjs, the ESM bundle's entry built as one CommonJS file, and keeps V8's compiled code of it as `v8-code-cache` does, written once a screen has drawn and been quiet for a second (or at exit), with V8's flags as a process starts (`login --no-tui`: at exit). A CommonJS file cannot hold a top-level await: there yoga-layout instantiates its WebAssembly through yoga-layout/load and the screens wait for it before Ink draws, and Ink's never-taken DEV branch (devtools) loses its awaits.",
    gain: "the dashboard's first frame 0.99× and 1.08× the bare Ink hello at 1 and 1,000 profiles (main-thread CPU 142 and 151 ms) instead of 1.24× and 1.32× from the ESM chunks (quiet `npm run bench` runs); the first start after an install, with no cache yet, 1.25-1.27×; the same resident memory once idle (66.5-68.6 MB against 66.5-67.2 in the same minutes)",
    guard:
      'test/cli/dashboard-code-cache.test.ts (written once, then read back: not rewritten; the same screen; off with the switch); test/core/platform/code-cache.test.ts (a cache per bundle)',
  },
  {
    id: 'layout-without-turbofan',
    when: 'run',
    touches: ['V8', 'yoga-layout'],
    what: "Keeps yoga-layout's WebAssembly on V8's baseline compiler (Liftoff) while a screen runs (--no-wasm-tier-up --no-wasm-dynamic-tiering from before the screens load; V8's defaults back while the screens' code cache is written). V8 otherwise recompiles its hot functions with TurboFan on worker threads, and the largest compile's 840 KB of memory, freed, raises glibc's mmap threshold for good: each of V8's worker threads' malloc arenas then keeps up to twice that free.",
    gain: "with the large reads of large-reads.ts, the worker threads' arenas hold 2.4-3.5 MB of an idle dashboard at 1,000 profiles instead of 4.8-7.8: 64.4-65.9 MB resident idle in 11 bench runs (keys,memory and keys,writes,memory; load 1.2-5) instead of 66.8-74.3 on main; key → frame unchanged",
    guard:
      'test/core/platform/layout-without-turbofan.test.ts (a process laying out with yoga compiles nothing with TurboFan with it, some 60 functions without); test/core/platform/heap.test.ts ("layoutWithoutTurbofan"); test/cli/dashboard-code-cache.test.ts (the cache written under V8\'s defaults is read back)',
  },
  {
    id: 'small-young-generation',
    when: 'run',
    touches: ['V8'],
    what: "Grows V8's young generation once, to 8 MB a semi-space, as a screen starts loading, and holds it there to the first frame; then once more, to 16 MB (V8's own largest), for the keys (--semi-space-growth-factor; V8 alone grows it to 16 MB from the start and keeps it). After the idle collection it stays at the size V8 left through the clock's frames, and keys grow it again.",
    gain: 'about 30 MB resident of an open dashboard (with the idle collection: 120 MB to 72 MB); 8 MB rather than 2 cuts the scavenges of a key press to a quarter (garbage collection was a third of its CPU), for no more resident once idle (the idle collection gives the room back). Grown from the start rather than after the first frame: 7 scavenges to the first frame instead of 18 with 1,000 profiles, 16 instead of 58 with 10,000, for the same resident memory once idle. 16 MB after the first frame: half the scavenges a key again (0.15 instead of 0.33 with 1,000 profiles and 1,000 server tokens), the same memory once idle. Held through the clock frames after the idle collection: 1.3 MB less resident once a dashboard has sat idle past its next clock frame (grown back to 8 MB by it before)',
    guard:
      'test/core/platform/heap.test.ts; test/cli/startup.test.ts (its size at the first frame); `npm run bench` (memory)',
  },
  {
    id: 'collect-when-idle',
    when: 'run',
    touches: ['V8'],
    what: 'Runs two scavenges and two full garbage collections once a screen has been idle for 6.5 s after drawing, the second compacting every page of the old generation (--compact-on-every-full-gc, for that collection only); empties the characters of the lines kept by fast-styled-chars right before; and scavenges once a second after the last key when keys grew the young generation.',
    gain: 'gives an idle dashboard its garbage back (part of the 120 MB to 72 MB above); compacting: the ~2 MB of half-used old space pages back too (15.7 MB committed for 13.7 used, then 14.2 for 14.0, at 1,000 profiles); the scavenges first: the young generation back at its start size, 1 MB less resident (V8 shrank it to twice the young survivors a full collection leaves there); the lines let go: ~0.5 MB of V8 pages less once idle (the characters of up to 1,000 lines); the scavenge a second after the last key: V8 gives the young generation back in every run, where it kept 16 MB a semi-space (86-89 MB idle instead of 69-72) in about one run in four after keys',
    guard:
      'test/core/platform/heap.test.ts ("collectWhenIdle", "compacting"); test/ui/styled-chars-to-string.test.ts ("forgetCachedLines()"); test/bench/dashboard-memory.test.ts; `npm run bench` (memory)',
  },
];

/**
 * The ids of the tweaks of one kind that are on for this environment.
 * @param {'build' | 'run'} when
 * @param {Record<string, string | undefined>} env
 * @returns {Set<string>}
 */
export function activeTweaks(when, env) {
  if (tweaksOff(env)) return new Set();
  const off = listedOff(env);
  return new Set(tweaks.filter((t) => t.when === when && !off?.has(t.id)).map((t) => t.id));
}
