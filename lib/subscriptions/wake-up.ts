/** Resolves after `ms`, or at once when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new WakeUp().wait(ms, signal);
}

/**
 * A wake-up call for a loop that sleeps between polls. A call that arrives while the loop is
 * busy is remembered, so the next `wait` returns at once and nothing waits a full poll for it;
 * unless the call announced a position the loop has already passed, which needs no read.
 */
export class WakeUp {
  /** Highest position announced since the last wait returned; 0 when none. */
  private pending = 0;
  private resolve?: () => void;

  /** Wakes the loop; `position` is the newest event announced (unknown: wake regardless). */
  notify(position = Number.POSITIVE_INFINITY): void {
    if (this.resolve) this.resolve();
    else this.pending = Math.max(this.pending, position);
  }

  /**
   * Resolves on `notify`, after `ms`, or when `signal` aborts, whichever comes first; at once when
   * a call made meanwhile announced something after `position`.
   */
  wait(ms: number, signal?: AbortSignal, position = 0): Promise<void> {
    const pending = this.pending;
    this.pending = 0;
    if (pending > position || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}

/** Resolves once `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
