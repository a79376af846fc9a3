import { awaitDeadline } from '../commands/await-deadline.js';
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

/**
 * Waits until named subscriptions, wherever they run, have acknowledged a global position: the
 * heart of strong consistency. Acks arrive through the pubsub; the checkpoints in the store are
 * read first (the ack may have gone by already) and again now and then.
 */
export class ConsistencyWaiter {
  private readonly recheckInterval: number;

  constructor(
    private readonly store: EventStore,
    private readonly pubsub: PubSub,
    options: ConsistencyWaiterOptions = {},
  ) {
    this.recheckInterval = options.recheckInterval ?? 1000;
  }

  /**
   * Resolves when every subscription in `names` has acknowledged `position` or later; rejects
   * with `ConsistencyTimeoutError` naming those still behind after `timeoutMs`.
   */
  async waitFor(names: string[], position: number, timeoutMs: number): Promise<void> {
    const pending = new Set(names);
    if (!pending.size || position <= 0) return;
    let settle!: () => void;
    const reached = new Promise<void>((resolve) => (settle = resolve));
    const mark = (name: string, acknowledged: number) => {
      if (acknowledged >= position && pending.delete(name) && !pending.size) settle();
    };
    // Subscribe before reading, so an ack sent between the read and the subscription is not missed.
    const unsubscribe = this.pubsub.subscribe<SubscriptionAck>(PubSubChannels.ack, (ack) => mark(ack.name, ack.position));
    const recheck = () => {
      for (const name of pending) {
        this.store.readCheckpoint(name).then((checkpoint) => mark(name, checkpoint), () => undefined);
      }
    };
    const timer = setInterval(recheck, this.recheckInterval);
    recheck();
    try {
      await awaitDeadline(reached, timeoutMs, () => new ConsistencyTimeoutError([...pending], position, timeoutMs));
    } finally {
      clearInterval(timer);
      unsubscribe();
    }
  }
}
