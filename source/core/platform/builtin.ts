/**
 * A Node built-in module loaded on demand, synchronously: process.getBuiltinModule where Node has it (20.16
 * and later), else require. Never import(): in the one-file CommonJS bundle (fast-cli.ts) a dynamic import
 * would start Node's whole ESM loader just to hand over a built-in.
 */
import { createRequire } from 'node:module';

interface Builtins {
  'node:http': typeof import('node:http');
  'node:https': typeof import('node:https');
  'node:child_process': typeof import('node:child_process');
  'node:os': typeof import('node:os');
  'node:crypto': typeof import('node:crypto');
  'node:vm': typeof import('node:vm');
  'node:net': typeof import('node:net');
  'node:tty': typeof import('node:tty');
  'node:zlib': typeof import('node:zlib');
  'node:string_decoder': typeof import('node:string_decoder');
}

export function builtin<K extends keyof Builtins>(id: K): Builtins[K] {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return (get?.call(process, id) ?? createRequire(import.meta.url)(id)) as Builtins[K];
}
