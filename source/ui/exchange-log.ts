import type { HttpExchange } from '../core/zendesk/types.js';

/**
 * The last HTTP exchange per dashboard item (`p:<profile>`, `c:<client id>`, `s:<server token id>`, and
 * `clients` / `server-tokens` for the lists), kept in memory only: it holds secrets, so it is never written.
 */
export class ExchangeLog {
  readonly #entries = new Map<string, HttpExchange>();
  #version = 0;
  readonly #listeners = new Set<() => void>();

  get version(): number {
    return this.#version;
  }

  set(key: string, exchange: HttpExchange): void {
    this.#entries.set(key, exchange);
    this.#version++;
    for (const listener of this.#listeners) listener();
  }

  get(key: string): HttpExchange | undefined {
    return this.#entries.get(key);
  }

  /** The first of `keys` that has an exchange (an item's own, else its list's). */
  first(...keys: string[]): HttpExchange | undefined {
    for (const key of keys) {
      const e = this.#entries.get(key);
      if (e) return e;
    }
    return undefined;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
