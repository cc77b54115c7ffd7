/**
 * A Node built-in module loaded on demand. Where Node has process.getBuiltinModule (20.16 and later) it is
 * taken synchronously: a dynamic import() in the one-file CommonJS bundle (fast-cli.ts) would start Node's
 * whole ESM loader just to hand over a built-in.
 */
interface Builtins {
  'node:http': typeof import('node:http');
  'node:https': typeof import('node:https');
  'node:child_process': typeof import('node:child_process');
  'node:os': typeof import('node:os');
}

export async function builtin<K extends keyof Builtins>(id: K): Promise<Builtins[K]> {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const loaded = get?.call(process, id) as Builtins[K] | undefined;
  return loaded ?? ((await import(id)) as Builtins[K]);
}
