import { awaitDeadline } from '../util/await-deadline.js';
import { ConsistencyTimeoutError } from '../errors/consistency-timeout.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { PubSubChannels, type PubSub } from '../pubsub/pubsub.interface.js';
import type { SubscriptionAck } from './subscription-ack.js';

/** Options of {@link ConsistencyWaiter}. */
export interface ConsistencyWaiterOptions {
  /**
   * While waiting, re-read the checkpoints this often, in case an ack was lost on the way
   * (a pubsub drops messages while disconnected). @default 1000
   */
  recheckInterval?: number;
}

/** One caller waiting for `pending` subscriptions to reach `position`. */
interface Waiter {
  position: number;
  pending: Set<string>;
  settle(): void;
}

/**
 * Waits until named subscriptions, wherever they run, have acknowledged a global position: the
 * heart of strong consistency. It listens to acks from construction on and remembers the highest
 * per subscription, so in the steady state a strong dispatch costs no query at all. A subscription
 * it has not heard from yet is read from the store once (its ack may have gone by before), and
 * every waiter re-reads its pending checkpoints now and then, in case an ack was lost.
 */
export class ConsistencyWaiter {
  private readonly recheckInterval: number;
  private readonly acknowledged = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: EventStore,
    pubsub: PubSub,
    options: ConsistencyWaiterOptions = {},
  ) {
    this.recheckInterval = options.recheckInterval ?? 1000;
    this.unsubscribe = pubsub.subscribe<SubscriptionAck>(PubSubChannels.ack, (ack) => this.mark(ack.name, ack.position));
  }

  /**
   * Resolves when every subscription in `names` has acknowledged `position` or later; rejects
   * with `ConsistencyTimeoutError` naming those still behind after `timeoutMs`.
   */
  async waitFor(names: string[], position: number, timeoutMs: number): Promise<void> {
    const pending = new Set(names.filter((name) => (this.acknowledged.get(name) ?? 0) < position));
    if (!pending.size || position <= 0) return;
    let settle!: () => void;
    const reached = new Promise<void>((resolve) => (settle = resolve));
    const waiter: Waiter = { position, pending, settle };
    this.waiters.add(waiter);
    const read = (only: (name: string) => boolean) => {
      for (const name of [...waiter.pending].filter(only)) {
        this.store.readCheckpoint(name).then(
          (checkpoint) => this.mark(name, checkpoint),
          () => undefined,
        );
      }
    };
    read((name) => !this.acknowledged.has(name));
    const timer = setInterval(() => read(() => true), this.recheckInterval);
    try {
      await awaitDeadline(reached, timeoutMs, () => new ConsistencyTimeoutError([...pending], position, timeoutMs));
    } finally {
      clearInterval(timer);
      this.waiters.delete(waiter);
    }
  }

  /** Stops listening to acks. */
  close(): void {
    this.unsubscribe();
  }

  private mark(name: string, position: number): void {
    if (position > (this.acknowledged.get(name) ?? -1)) this.acknowledged.set(name, position);
    for (const waiter of this.waiters) {
      if (position >= waiter.position && waiter.pending.delete(name) && !waiter.pending.size) waiter.settle();
    }
  }
}
