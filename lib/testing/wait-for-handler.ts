import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { sleep } from '../subscriptions/wake-up.js';

/** Options of {@link waitForHandler}. */
export interface WaitForHandlerOptions {
  /** Give up after this many ms. @default 30000 */
  timeout?: number;
  /** How often to read the checkpoint, in ms. @default 25 */
  interval?: number;
}

/**
 * Resolves with the checkpoint once the subscription `name` (handler, projector or process
 * manager, in any process sharing the store) has acknowledged `position` or later; rejects with
 * `WaitTimeoutError` after the timeout.
 *
 * @example await waitForHandler(app.get(EventStore), 'account-balances', result.globalPosition);
 */
export async function waitForHandler(store: EventStore, name: string, position: number, options: WaitForHandlerOptions = {}): Promise<number> {
  const { timeout = 30_000, interval = 25 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const checkpoint = await store.readCheckpoint(name);
    if (checkpoint >= position) return checkpoint;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new WaitTimeoutError(`subscription '${name}' to reach position ${position} (its checkpoint is ${checkpoint})`, timeout);
    }
    await sleep(Math.min(left, interval));
  }
}
