/** Bounds for {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this many ms: only a hung test gets that far, so it is generous. @default 60000 */
  timeout?: number;
  /** Pause between attempts, in ms. @default 50 */
  interval?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `check` until it stops throwing, and returns its result. Distributed state converges
 * without telling anyone when; this waits for it, and fails with the last error after `timeout`.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeout = 60_000, interval = 50 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(interval);
  }
}
