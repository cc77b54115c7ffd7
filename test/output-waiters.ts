/**
 * Waiting on output as it arrives, for every runner of the CLI in the tests (in process, child process,
 * pseudo-terminal): a check runs again each time output comes or the program ends, never on a timer, and
 * the wait fails at once when the program ends without what was looked for.
 */
export class OutputWaiters {
  private readonly waiters = new Set<() => void>();

  /** Call whenever output arrives or the program ends. */
  wake(): void {
    for (const check of [...this.waiters]) check();
  }

  /**
   * Resolves with what `find` finds; rejects with `failure('ended')` once `ended()` is true and it still
   * finds nothing, or with `failure('timed out')` after `timeoutMs`.
   */
  until<T>(
    find: () => T | undefined,
    o: { ended: () => boolean; timeoutMs: number; failure: (why: 'ended' | 'timed out') => Error },
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          stop();
          resolve(found);
        } else if (o.ended()) {
          stop();
          reject(o.failure('ended'));
        }
      };
      const timer = setTimeout(() => {
        stop();
        reject(o.failure('timed out'));
      }, o.timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
