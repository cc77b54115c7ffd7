export interface Tweak {
  /** Stable name, used by the build plugins and the screens to ask whether the tweak is on. */
  id: string;
  /** Applied by the esbuild bundle, or by the running process. */
  when: 'build' | 'run';
  /** The packages (or 'V8') whose code or defaults it changes. */
  touches: string[];
  /** Touched packages left unpinned, each with the reason. */
  unpinned?: Record<string, string>;
  what: string;
  gain: string;
  guard: string;
}

export declare const NO_TWEAKS_VARIABLE: 'ZCHAT_AUTH_NO_TWEAKS';
export declare function tweaksOff(env: Record<string, string | undefined>): boolean;
export declare const tweaks: readonly Tweak[];
export declare function activeTweaks(
  when: 'build' | 'run',
  env: Record<string, string | undefined>,
): Set<string>;
